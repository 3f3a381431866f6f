//! Refunds of a payment and what they do to its coupons (`docs/rules.md` REFUND-1 to REFUND-7).

use std::fmt;

use jiff::Timestamp;

use crate::money::Money;
use crate::payment::{Allocation, Coupon, Issuer, Payment, Redemption, paid_by_units};
use crate::rules::{InputError, Reason, RuleId};
use crate::status::CouponStatus;

/// Some units of one line of the refunded order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitsOfLine {
    /// Index of the line within its order.
    pub line_index: usize,
    /// At least one.
    pub quantity: u32,
}

/// What the seller refunds, always within one order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefundRequest {
    /// Some units of some lines; each line at most once.
    Units { order_index: usize, lines: Vec<UnitsOfLine> },
    /// Everything the order still has to refund.
    WholeOrder { order_index: usize },
    /// Money not tied to lines, more than zero.
    Amount { order_index: usize, amount: Money },
}

impl RefundRequest {
    pub fn order_index(&self) -> usize {
        match self {
            RefundRequest::Units { order_index, .. }
            | RefundRequest::WholeOrder { order_index }
            | RefundRequest::Amount { order_index, .. } => *order_index,
        }
    }
}

/// Units of one line given back by a refund.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefundedUnits {
    pub line_index: usize,
    pub quantity: u32,
    pub amount: i128,
}

/// What one refund gives back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundEffect {
    pub order_index: usize,
    pub amount: i128,
    /// Empty for an amount refund.
    pub lines: Vec<RefundedUnits>,
}

/// Whether an order has been refunded in full.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub enum OrderRefund {
    Partial,
    Full,
}

impl OrderRefund {
    pub fn as_str(self) -> &'static str {
        match self {
            OrderRefund::Partial => "partial",
            OrderRefund::Full => "full",
        }
    }
}

/// What has been refunded of a payment so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundLedger {
    /// Units refunded so far, one entry per line in payment order.
    units_refunded: Vec<u32>,
    /// Money refunded so far, one entry per order.
    money_refunded: Vec<i128>,
}

impl RefundLedger {
    pub fn new(payment: &Payment) -> RefundLedger {
        RefundLedger {
            units_refunded: vec![0; payment.line_count()],
            money_refunded: vec![0; payment.orders.len()],
        }
    }

    pub fn money_refunded(&self, order_index: usize) -> i128 {
        self.money_refunded[order_index]
    }

    pub fn order_refund(&self, allocation: &Allocation, order_index: usize) -> OrderRefund {
        if self.money_refunded[order_index] == allocation.paid_by_order(order_index) {
            OrderRefund::Full
        } else {
            OrderRefund::Partial
        }
    }

    /// Checks a refund against what is left and, if it is allowed, records it.
    ///
    /// `field` names the request in error messages (`refund`, `prior_refunds[0]`). On error the
    /// ledger is unchanged.
    pub fn apply(
        &mut self,
        payment: &Payment,
        allocation: &Allocation,
        request: &RefundRequest,
        field: &str,
    ) -> Result<RefundEffect, InputError> {
        let order_index = request.order_index();
        let order = &payment.orders[order_index];
        let first_line = allocation.first_line_of_order[order_index];
        let left_to_refund =
            allocation.paid_by_order(order_index) - self.money_refunded[order_index];
        let money = |minor_units| Money::from_minor_units(payment.currency, minor_units);

        let effect = match request {
            RefundRequest::Units { lines, .. } => {
                let mut refunded_lines = Vec::with_capacity(lines.len());
                for (position, units) in lines.iter().enumerate() {
                    let line = &order.lines[units.line_index];
                    let flat_index = first_line + units.line_index;
                    let already = self.units_refunded[flat_index];
                    let units_left = line.quantity - already;
                    if units.quantity > units_left {
                        return Err(InputError::new(
                            format!("{field}.lines[{position}].quantity"),
                            RuleId::Refund3,
                            format!(
                                "line {} has {units_left} of {} units left to refund, {} asked; nothing is refunded twice",
                                line.id, line.quantity, units.quantity
                            ),
                        )
                        .because(Reason::UnitsLeft)
                        .with("line", &line.id)
                        .with("left", units_left)
                        .with("asked", units.quantity));
                    }
                    let amount = paid_by_units(
                        allocation.lines[flat_index].paid,
                        line.quantity,
                        already,
                        units.quantity,
                    );
                    refunded_lines.push(RefundedUnits {
                        line_index: units.line_index,
                        quantity: units.quantity,
                        amount,
                    });
                }
                let amount = refunded_lines.iter().map(|line| line.amount).sum();
                if amount > left_to_refund {
                    return Err(more_than_left(
                        field.to_owned(),
                        money(amount),
                        &order.id,
                        money(left_to_refund),
                    ));
                }
                RefundEffect { order_index, amount, lines: refunded_lines }
            }
            RefundRequest::WholeOrder { .. } => {
                if left_to_refund <= 0 {
                    return Err(InputError::new(
                        field,
                        RuleId::Refund3,
                        format!("order {} has nothing left to refund", order.id),
                    )
                    .because(Reason::NothingLeft)
                    .with("order", &order.id));
                }
                let lines = order
                    .lines
                    .iter()
                    .enumerate()
                    .filter_map(|(line_index, line)| {
                        let flat_index = first_line + line_index;
                        let already = self.units_refunded[flat_index];
                        let quantity = line.quantity - already;
                        (quantity > 0).then(|| RefundedUnits {
                            line_index,
                            quantity,
                            amount: paid_by_units(
                                allocation.lines[flat_index].paid,
                                line.quantity,
                                already,
                                quantity,
                            ),
                        })
                    })
                    .collect();
                RefundEffect { order_index, amount: left_to_refund, lines }
            }
            RefundRequest::Amount { amount, .. } => {
                let amount = amount.minor_units();
                if amount <= 0 {
                    return Err(InputError::new(
                        format!("{field}.amount"),
                        RuleId::Refund3,
                        "an amount refund must be more than zero",
                    )
                    .because(Reason::AmountNotPositive));
                }
                if amount > left_to_refund {
                    return Err(more_than_left(
                        format!("{field}.amount"),
                        money(amount),
                        &order.id,
                        money(left_to_refund),
                    ));
                }
                RefundEffect { order_index, amount, lines: Vec::new() }
            }
        };

        for line in &effect.lines {
            self.units_refunded[first_line + line.line_index] += line.quantity;
        }
        self.money_refunded[order_index] += effect.amount;
        Ok(effect)
    }
}

/// Why a coupon comes back or not, in words a seller can read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CouponReason {
    /// REFUND-5.
    SellerCouponNeverReturned,
    /// REFUND-6: the refunded order itself is not fully refunded.
    RefundedOrderIsPartial { order_id: String },
    /// REFUND-6: other orders that used the platform coupon are not fully refunded.
    OtherOrdersArePartial { order_ids: Vec<String> },
    /// REFUND-6 and REFUND-7: returned, valid until `valid_to`.
    ReturnedValid { valid_to: Timestamp, redemption: Redemption },
    /// REFUND-6 and REFUND-7: returned, but its validity has ended.
    ReturnedExpired { valid_to: Timestamp, redemption: Redemption },
}

impl fmt::Display for CouponReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let code_note = |redemption: &Redemption| match redemption {
            Redemption::ViaCode => "; its code stays redeemed.",
            Redemption::IntoAccount => ".",
        };
        match self {
            CouponReason::SellerCouponNeverReturned => f.write_str(
                "A seller coupon is never returned after a refund, partial or full, so it stays used.",
            ),
            CouponReason::RefundedOrderIsPartial { order_id } => write!(
                f,
                "Order {order_id} is only partly refunded, and a platform coupon comes back only when every order that used it is fully refunded."
            ),
            CouponReason::OtherOrdersArePartial { order_ids } => match order_ids.as_slice() {
                [one] => write!(
                    f,
                    "Order {one} also used this platform coupon and is not fully refunded, so the coupon is not returned yet."
                ),
                several => write!(
                    f,
                    "Orders {} also used this platform coupon and are not fully refunded, so the coupon is not returned yet.",
                    several.join(", ")
                ),
            },
            CouponReason::ReturnedValid { valid_to, redemption } => write!(
                f,
                "Every order that used this platform coupon is now fully refunded, so the coupon goes back to the buyer's account, valid until {valid_to}{}",
                code_note(redemption)
            ),
            CouponReason::ReturnedExpired { valid_to, redemption } => write!(
                f,
                "Every order that used this platform coupon is now fully refunded, so the coupon goes back to the buyer's account, but it expired at {valid_to}{}",
                code_note(redemption)
            ),
        }
    }
}

/// What happens to one coupon with a share in the refunded order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouponOutcome {
    pub coupon_index: usize,
    pub returned: bool,
    /// Always false: neither kind of coupon gets its code back (REFUND-5, REFUND-6).
    pub code_returned: bool,
    pub status_after: CouponStatus,
    pub reason: CouponReason,
}

/// The preview of one refund: what it gives back and what becomes of each coupon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundPreview {
    pub allocation: Allocation,
    pub effect: RefundEffect,
    pub order_refund: OrderRefund,
    pub coupons: Vec<CouponOutcome>,
}

/// Previews `refund` after applying `prior_refunds`, judging coupon validity at `as_of`.
pub fn preview_refund(
    payment: &Payment,
    coupons: &[Coupon],
    allocation: Allocation,
    prior_refunds: &[RefundRequest],
    refund: &RefundRequest,
    as_of: Timestamp,
) -> Result<RefundPreview, InputError> {
    let mut ledger = RefundLedger::new(payment);
    for (index, prior) in prior_refunds.iter().enumerate() {
        ledger.apply(payment, &allocation, prior, &format!("prior_refunds[{index}]"))?;
    }
    let effect = ledger.apply(payment, &allocation, refund, "refund")?;
    let order_index = effect.order_index;
    let order_refund = ledger.order_refund(&allocation, order_index);

    let mut outcomes = Vec::with_capacity(2);
    if let Some(coupon_index) = allocation.seller_coupon_of_order[order_index] {
        outcomes.push(CouponOutcome {
            coupon_index,
            returned: false,
            code_returned: false,
            status_after: CouponStatus::Used,
            reason: CouponReason::SellerCouponNeverReturned,
        });
    }
    if let Some(coupon_index) = allocation.platform_coupon
        && allocation.platform_share_of_order(order_index) > 0
    {
        let coupon = &coupons[coupon_index];
        debug_assert!(matches!(coupon.issuer, Issuer::Platform));
        outcomes.push(platform_coupon_outcome(
            payment,
            &allocation,
            &ledger,
            order_index,
            coupon_index,
            coupon,
            as_of,
        ));
    }
    Ok(RefundPreview { allocation, effect, order_refund, coupons: outcomes })
}

fn platform_coupon_outcome(
    payment: &Payment,
    allocation: &Allocation,
    ledger: &RefundLedger,
    refunded_order_index: usize,
    coupon_index: usize,
    coupon: &Coupon,
    as_of: Timestamp,
) -> CouponOutcome {
    let not_returned = |reason| CouponOutcome {
        coupon_index,
        returned: false,
        code_returned: false,
        status_after: CouponStatus::Used,
        reason,
    };
    if ledger.order_refund(allocation, refunded_order_index) == OrderRefund::Partial {
        let order_id = payment.orders[refunded_order_index].id.clone();
        return not_returned(CouponReason::RefundedOrderIsPartial { order_id });
    }
    let partial_orders: Vec<String> = (0..payment.orders.len())
        .filter(|&index| {
            allocation.platform_share_of_order(index) > 0
                && ledger.order_refund(allocation, index) == OrderRefund::Partial
        })
        .map(|index| payment.orders[index].id.clone())
        .collect();
    if !partial_orders.is_empty() {
        return not_returned(CouponReason::OtherOrdersArePartial { order_ids: partial_orders });
    }
    let (status_after, reason) = if as_of < coupon.valid_to {
        (
            CouponStatus::Valid,
            CouponReason::ReturnedValid {
                valid_to: coupon.valid_to,
                redemption: coupon.redemption,
            },
        )
    } else {
        (
            CouponStatus::Expired,
            CouponReason::ReturnedExpired {
                valid_to: coupon.valid_to,
                redemption: coupon.redemption,
            },
        )
    };
    CouponOutcome { coupon_index, returned: true, code_returned: false, status_after, reason }
}
/// A refund of more money than the order has left (REFUND-3).
fn more_than_left(field: String, amount: Money, order: &str, left: Money) -> InputError {
    InputError::new(
        field,
        RuleId::Refund3,
        format!("refund {amount} is more than order {order} has left to refund ({left})"),
    )
    .because(Reason::AmountLeft)
    .with("amount", amount)
    .with("order", order)
    .with("left", left)
}
