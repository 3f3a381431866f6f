//! A payment, the coupons used on it, and how their discounts are spread over its lines.
//!
//! The allocation follows `docs/rules.md` APPLY-1 to APPLY-6: seller coupons first, store by store,
//! then the platform coupon over what is left, each split by the largest-remainder method.

use jiff::Timestamp;

use crate::money::{Currency, Money};
use crate::rules::{InputError, RuleId};

/// Whether a line takes coupons: items already on sale do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pricing {
    Regular,
    OnSale,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub id: String,
    pub unit_price: Money,
    /// At least one.
    pub quantity: u32,
    pub pricing: Pricing,
}

impl Line {
    /// Unit price times quantity, in minor units.
    pub fn total_minor_units(&self) -> i128 {
        self.unit_price.minor_units() * i128::from(self.quantity)
    }
}

/// The part of a payment that belongs to one store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    pub id: String,
    pub store_id: String,
    pub lines: Vec<Line>,
}

/// What a buyer paid at once: one order per store, one currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    pub id: String,
    pub currency: Currency,
    pub paid_at: Timestamp,
    pub orders: Vec<Order>,
}

impl Payment {
    /// Every line of the payment in payment order, with the index of its order.
    pub fn lines_in_payment_order(&self) -> impl Iterator<Item = (usize, &Line)> {
        self.orders.iter().enumerate().flat_map(|(order_index, order)| {
            order.lines.iter().map(move |line| (order_index, line))
        })
    }

    pub fn line_count(&self) -> usize {
        self.orders.iter().map(|order| order.lines.len()).sum()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Issuer {
    Seller { store_id: String },
    Platform,
}

/// How the buyer received the coupon: by typing a code, or straight into the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Redemption {
    ViaCode,
    IntoAccount,
}

/// A coupon as it was used on a payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coupon {
    pub id: String,
    pub issuer: Issuer,
    pub discount: Money,
    pub min_purchase: Money,
    pub valid_from: Timestamp,
    pub valid_to: Timestamp,
    pub redemption: Redemption,
}

impl Coupon {
    pub fn is_valid_at(&self, instant: Timestamp) -> bool {
        self.valid_from <= instant && instant < self.valid_to
    }
}

/// The shares of one line, in minor units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LineShares {
    pub total: i128,
    pub seller_share: i128,
    pub platform_share: i128,
    /// `total - seller_share - platform_share`.
    pub paid: i128,
}

/// How the coupons of a payment were spread over its lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allocation {
    /// One entry per line, in payment order.
    pub lines: Vec<LineShares>,
    /// The index in `lines` of the first line of each order.
    pub first_line_of_order: Vec<usize>,
    /// For each order, the index of the seller coupon applied to it, if any.
    pub seller_coupon_of_order: Vec<Option<usize>>,
    /// The index of the platform coupon, if one was applied.
    pub platform_coupon: Option<usize>,
}

impl Allocation {
    pub fn lines_of_order(&self, order_index: usize) -> &[LineShares] {
        let start = self.first_line_of_order[order_index];
        let end =
            self.first_line_of_order.get(order_index + 1).copied().unwrap_or(self.lines.len());
        &self.lines[start..end]
    }

    pub fn paid_by_order(&self, order_index: usize) -> i128 {
        self.lines_of_order(order_index).iter().map(|line| line.paid).sum()
    }

    pub fn platform_share_of_order(&self, order_index: usize) -> i128 {
        self.lines_of_order(order_index).iter().map(|line| line.platform_share).sum()
    }
}

/// How the platform spread the coupons over the lines, as it recorded it (APPLY-7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedShares {
    /// One entry per line, in payment order: the shares of that line.
    pub lines: Vec<Vec<RecordedShare>>,
}

/// One coupon's share of one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedShare {
    pub coupon_index: usize,
    /// Minor units.
    pub amount: i128,
    /// Where the share was given, for errors (`orders[0].lines[1].recorded_shares[0]`).
    pub field: String,
}

/// Checks the coupons against the payment and spreads their discounts over its lines: as the
/// platform recorded it when `recorded` is given (APPLY-7), by the rules otherwise.
///
/// Errors name the coupon as `coupons[i]`, `i` being its index in `coupons`.
pub fn allocate(
    payment: &Payment,
    coupons: &[Coupon],
    recorded: Option<&RecordedShares>,
) -> Result<Allocation, InputError> {
    let mut lines: Vec<LineShares> = Vec::with_capacity(payment.line_count());
    let mut first_line_of_order = Vec::with_capacity(payment.orders.len());
    for order in &payment.orders {
        first_line_of_order.push(lines.len());
        lines.extend(
            order.lines.iter().map(|line| LineShares {
                total: line.total_minor_units(),
                ..LineShares::default()
            }),
        );
    }
    let mut allocation = Allocation {
        lines,
        first_line_of_order,
        seller_coupon_of_order: vec![None; payment.orders.len()],
        platform_coupon: None,
    };

    for (coupon_index, coupon) in coupons.iter().enumerate() {
        check_coupon_is_usable(payment, coupon_index, coupon)?;
        match &coupon.issuer {
            Issuer::Seller { store_id } => {
                let order_index = payment
                    .orders
                    .iter()
                    .position(|order| &order.store_id == store_id)
                    .ok_or_else(|| {
                        coupon_error(
                            coupon_index,
                            coupon,
                            RuleId::Apply3,
                            format!("store {store_id} has no order in this payment"),
                        )
                    })?;
                if let Some(earlier) = allocation.seller_coupon_of_order[order_index] {
                    return Err(coupon_error(
                        coupon_index,
                        coupon,
                        RuleId::Apply1,
                        format!(
                            "store {store_id} already has seller coupon {} on this order; an order takes at most one seller coupon",
                            coupons[earlier].id
                        ),
                    ));
                }
                allocation.seller_coupon_of_order[order_index] = Some(coupon_index);
            }
            Issuer::Platform => {
                if let Some(earlier) = allocation.platform_coupon {
                    return Err(coupon_error(
                        coupon_index,
                        coupon,
                        RuleId::Apply1,
                        format!(
                            "platform coupon {} is already used; a payment takes at most one platform coupon",
                            coupons[earlier].id
                        ),
                    ));
                }
                allocation.platform_coupon = Some(coupon_index);
            }
        }
    }

    if let Some(recorded) = recorded {
        apply_recorded_shares(payment, coupons, recorded, &mut allocation)?;
        return Ok(allocation);
    }

    let mut bases: Vec<i128> = Vec::with_capacity(allocation.lines.len());
    for (order_index, order) in payment.orders.iter().enumerate() {
        let Some(coupon_index) = allocation.seller_coupon_of_order[order_index] else { continue };
        let coupon = &coupons[coupon_index];
        let first = allocation.first_line_of_order[order_index];
        bases.clear();
        bases.extend(order.lines.iter().map(|line| match line.pricing {
            Pricing::Regular => line.total_minor_units(),
            Pricing::OnSale => 0,
        }));
        let shares =
            split_for_coupon(coupon_index, coupon, &bases, RuleId::Apply3, payment.currency)?;
        for (offset, share) in shares.into_iter().enumerate() {
            allocation.lines[first + offset].seller_share = share;
        }
    }

    if let Some(coupon_index) = allocation.platform_coupon {
        let coupon = &coupons[coupon_index];
        bases.clear();
        bases.extend(payment.lines_in_payment_order().zip(&allocation.lines).map(
            |((_, line), shares)| match line.pricing {
                Pricing::Regular => shares.total - shares.seller_share,
                Pricing::OnSale => 0,
            },
        ));
        let shares =
            split_for_coupon(coupon_index, coupon, &bases, RuleId::Apply4, payment.currency)?;
        for (line, share) in allocation.lines.iter_mut().zip(shares) {
            line.platform_share = share;
        }
    }

    for line in &mut allocation.lines {
        line.paid = line.total - line.seller_share - line.platform_share;
    }
    Ok(allocation)
}

/// Takes the platform's recorded shares as the allocation, once they hold together: each share
/// zero or more and, for a seller coupon, on its own store's order; each coupon's shares adding up
/// to its discount; no line left paying less than zero (APPLY-7).
fn apply_recorded_shares(
    payment: &Payment,
    coupons: &[Coupon],
    recorded: &RecordedShares,
    allocation: &mut Allocation,
) -> Result<(), InputError> {
    let mut given = vec![0_i128; coupons.len()];
    let line_orders = payment.lines_in_payment_order().map(|(order_index, _)| order_index);
    for ((order_index, shares), line) in
        line_orders.zip(&recorded.lines).zip(allocation.lines.iter_mut())
    {
        for share in shares {
            let coupon = &coupons[share.coupon_index];
            if share.amount < 0 {
                return Err(InputError::new(
                    format!("{}.amount", share.field),
                    RuleId::Apply7,
                    format!("coupon {}: a recorded share is never below zero", coupon.id),
                ));
            }
            match &coupon.issuer {
                Issuer::Seller { store_id } => {
                    if allocation.seller_coupon_of_order[order_index] != Some(share.coupon_index) {
                        return Err(InputError::new(
                            format!("{}.coupon_id", share.field),
                            RuleId::Apply7,
                            format!(
                                "seller coupon {} of store {store_id} has a share of a line of \
                                 another store's order",
                                coupon.id
                            ),
                        ));
                    }
                    line.seller_share += share.amount;
                }
                Issuer::Platform => line.platform_share += share.amount,
            }
            given[share.coupon_index] += share.amount;
        }
        line.paid = line.total - line.seller_share - line.platform_share;
        if line.paid < 0 {
            let field = shares.first().map_or("orders", |share| share.field.as_str());
            let field = field.rsplit_once('[').map_or(field, |(shares_field, _)| shares_field);
            return Err(InputError::new(
                field,
                RuleId::Apply7,
                format!(
                    "the recorded shares of this line add up to {}, more than the line's {}",
                    Money::from_minor_units(
                        payment.currency,
                        line.seller_share + line.platform_share
                    ),
                    Money::from_minor_units(payment.currency, line.total)
                ),
            ));
        }
    }
    for (coupon_index, (coupon, total)) in coupons.iter().zip(given).enumerate() {
        if total != coupon.discount.minor_units() {
            return Err(coupon_error(
                coupon_index,
                coupon,
                RuleId::Apply7,
                format!(
                    "its recorded shares add up to {}, not its discount {}",
                    Money::from_minor_units(payment.currency, total),
                    coupon.discount
                ),
            ));
        }
    }
    Ok(())
}

fn check_coupon_is_usable(
    payment: &Payment,
    coupon_index: usize,
    coupon: &Coupon,
) -> Result<(), InputError> {
    if coupon.discount.minor_units() <= 0 {
        return Err(InputError::new(
            format!("coupons[{coupon_index}].discount"),
            RuleId::Apply5,
            format!("coupon {}: the discount must be more than zero", coupon.id),
        ));
    }
    if coupon.valid_from >= coupon.valid_to {
        return Err(InputError::new(
            format!("coupons[{coupon_index}].valid_to"),
            RuleId::Apply2,
            format!(
                "coupon {}: valid_to {} must be after valid_from {}",
                coupon.id, coupon.valid_to, coupon.valid_from
            ),
        ));
    }
    if !coupon.is_valid_at(payment.paid_at) {
        return Err(coupon_error(
            coupon_index,
            coupon,
            RuleId::Apply2,
            format!(
                "not valid when the payment was made ({} is outside {} to {})",
                payment.paid_at, coupon.valid_from, coupon.valid_to
            ),
        ));
    }
    Ok(())
}

/// Splits one coupon's discount over the given bases after checking its minimum purchase.
fn split_for_coupon(
    coupon_index: usize,
    coupon: &Coupon,
    bases: &[i128],
    threshold_rule: RuleId,
    currency: Currency,
) -> Result<Vec<i128>, InputError> {
    let eligible: i128 = bases.iter().sum();
    let eligible_money = Money::from_minor_units(currency, eligible);
    if eligible <= coupon.min_purchase.minor_units() {
        return Err(coupon_error(
            coupon_index,
            coupon,
            threshold_rule,
            format!(
                "eligible subtotal {eligible_money} does not exceed the minimum purchase {}",
                coupon.min_purchase
            ),
        ));
    }
    if coupon.discount.minor_units() > eligible {
        return Err(coupon_error(
            coupon_index,
            coupon,
            RuleId::Apply5,
            format!(
                "discount {} is larger than the eligible subtotal {eligible_money}",
                coupon.discount
            ),
        ));
    }
    split_proportionally(coupon.discount.minor_units(), bases).ok_or_else(|| {
        coupon_error(coupon_index, coupon, RuleId::Money1, "amounts are too large to split".into())
    })
}

fn coupon_error(coupon_index: usize, coupon: &Coupon, rule: RuleId, what: String) -> InputError {
    InputError::new(
        format!("coupons[{coupon_index}]"),
        rule,
        format!("coupon {}: {what}", coupon.id),
    )
}

/// Splits `amount` minor units over `bases` in proportion, by the largest-remainder method.
///
/// Each base gets the floor of its exact share; the minor units left over go one each to the
/// bases with the largest fractional parts, ties to the earlier base. The shares add up to
/// `amount` exactly. Returns `None` when the bases add up to zero or less, when a base is negative,
/// or when the arithmetic would overflow.
pub fn split_proportionally(amount: i128, bases: &[i128]) -> Option<Vec<i128>> {
    let total: i128 = bases
        .iter()
        .try_fold(0_i128, |sum, &base| if base < 0 { None } else { sum.checked_add(base) })?;
    if total <= 0 || amount < 0 {
        return None;
    }
    let mut shares = Vec::with_capacity(bases.len());
    let mut remainders = Vec::with_capacity(bases.len());
    let mut distributed = 0_i128;
    for (index, &base) in bases.iter().enumerate() {
        let exact = amount.checked_mul(base)?;
        let share = exact / total;
        distributed += share;
        shares.push(share);
        let remainder = exact % total;
        if remainder > 0 {
            remainders.push((remainder, index));
        }
    }
    let leftover = usize::try_from(amount - distributed).ok()?;
    if leftover > 0 {
        // Largest remainder first; among equal remainders the earlier line first.
        remainders.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        for &(_, index) in remainders.iter().take(leftover) {
            shares[index] += 1;
        }
    }
    Some(shares)
}

/// The paid amount of unit `unit_index` (counting from zero) of a line that paid `paid` in all.
///
/// Each unit pays `paid / quantity`; the first `paid % quantity` units pay one minor unit more.
pub fn paid_by_units(paid: i128, quantity: u32, first_unit: u32, unit_count: u32) -> i128 {
    let quantity_wide = i128::from(quantity);
    let each = paid / quantity_wide;
    let units_paying_one_more = paid % quantity_wide;
    let start = i128::from(first_unit);
    let end = start + i128::from(unit_count);
    let one_more = (end.min(units_paying_one_more) - start.min(units_paying_one_more)).max(0);
    each * i128::from(unit_count) + one_more
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_split(amount: i128, bases: &[i128], expected: &[i128]) {
        assert_eq!(split_proportionally(amount, bases).as_deref(), Some(expected));
    }

    #[test]
    fn largest_remainder_split_apply_5() {
        check_split(500, &[2000, 1500, 1500], &[200, 150, 150]);
        check_split(100, &[1, 1, 1], &[34, 33, 33]);
        check_split(200, &[1, 1, 1], &[67, 67, 66]);
        check_split(1, &[3, 3], &[1, 0]);
        check_split(10, &[0, 7, 3], &[0, 7, 3]);
        check_split(7, &[100, 200, 400], &[1, 2, 4]);
        check_split(5, &[1, 2, 3], &[1, 2, 2]);
    }

    #[test]
    fn split_refuses_nonsense() {
        assert_eq!(split_proportionally(5, &[0, 0]), None);
        assert_eq!(split_proportionally(5, &[]), None);
        assert_eq!(split_proportionally(5, &[-1, 3]), None);
        assert_eq!(split_proportionally(i128::MAX, &[i128::MAX, 1]), None);
    }

    #[test]
    fn units_pay_equally_first_units_carry_the_extra_cent_apply_6() {
        // 10.01 over 3 units: 1001 / 3 = 333 rest 2, so the units pay 3.34, 3.34 and 3.33.
        assert_eq!(paid_by_units(1001, 3, 0, 1), 334);
        assert_eq!(paid_by_units(1001, 3, 1, 1), 334);
        assert_eq!(paid_by_units(1001, 3, 2, 1), 333);
        assert_eq!(paid_by_units(1001, 3, 0, 3), 1001);
        assert_eq!(paid_by_units(1001, 3, 1, 2), 667);
        assert_eq!(paid_by_units(0, 4, 0, 4), 0);
    }
}
