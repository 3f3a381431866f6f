//! Properties that hold for every payment, checked on generated ones.

// A test may stop at the first broken fixture, helpers included.
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use sellerdesk_core::Timestamp;
use sellerdesk_core::contract::{self, RefundPreviewInput, RefundPreviewOutput};
use sellerdesk_core::money::Currency;
use sellerdesk_core::payment::split_proportionally;
use sellerdesk_core::refund::OrderRefund;
use serde_json::{Value, json};

/// A generated line: price in minor units, quantity, regularly priced or not.
#[derive(Debug, Clone)]
struct GeneratedLine {
    price: i64,
    quantity: u32,
    regular: bool,
}

#[derive(Debug, Clone)]
struct GeneratedPayment {
    currency: &'static str,
    orders: Vec<Vec<GeneratedLine>>,
    /// Per order: a seller coupon's discount as a per-mille of the order's regular subtotal.
    seller_discount_per_mille: Vec<Option<u32>>,
    platform_discount_per_mille: Option<u32>,
}

fn line() -> impl Strategy<Value = GeneratedLine> {
    (0_i64..50_000, 1_u32..7, prop::bool::weighted(0.8))
        .prop_map(|(price, quantity, regular)| GeneratedLine { price, quantity, regular })
}

fn payment() -> impl Strategy<Value = GeneratedPayment> {
    (
        prop::sample::select(vec!["USD", "JPY", "KWD"]),
        prop::collection::vec(prop::collection::vec(line(), 1..6), 1..5),
    )
        .prop_flat_map(|(currency, orders)| {
            let order_count = orders.len();
            (
                Just(currency),
                Just(orders),
                prop::collection::vec(prop::option::weighted(0.6, 1_u32..400), order_count),
                prop::option::weighted(0.7, 1_u32..300),
            )
        })
        .prop_map(
            |(currency, orders, seller_discount_per_mille, platform_discount_per_mille)| {
                GeneratedPayment {
                    currency,
                    orders,
                    seller_discount_per_mille,
                    platform_discount_per_mille,
                }
            },
        )
}

fn amount(currency: &str, minor_units: i128) -> String {
    let currency = Currency::from_code(currency).unwrap();
    sellerdesk_core::money::Money::from_minor_units(currency, minor_units).to_string()
}

impl GeneratedPayment {
    fn regular_subtotal(&self, order_index: usize) -> i128 {
        self.orders[order_index]
            .iter()
            .filter(|line| line.regular)
            .map(|line| i128::from(line.price) * i128::from(line.quantity))
            .sum()
    }

    /// The input JSON, with coupons whose minimum purchase sits just under what they need.
    fn input(&self, prior_refunds: &[Value], refund: Value) -> RefundPreviewInput {
        let orders: Vec<Value> = self
            .orders
            .iter()
            .enumerate()
            .map(|(order_index, lines)| {
                let lines: Vec<Value> = lines
                    .iter()
                    .enumerate()
                    .map(|(line_index, line)| {
                        json!({
                            "line_id": format!("l{order_index}-{line_index}"),
                            "unit_price": amount(self.currency, i128::from(line.price)),
                            "quantity": line.quantity,
                            "regular_price": line.regular,
                        })
                    })
                    .collect();
                json!({"order_id": format!("O{order_index}"), "store_id": format!("S{order_index}"), "lines": lines})
            })
            .collect();
        let mut coupons = Vec::new();
        let mut seller_total = 0_i128;
        for (order_index, per_mille) in self.seller_discount_per_mille.iter().enumerate() {
            let subtotal = self.regular_subtotal(order_index);
            let Some(per_mille) = per_mille else { continue };
            let discount = subtotal * i128::from(*per_mille) / 1000;
            if discount < 1 {
                continue;
            }
            seller_total += discount;
            coupons.push(json!({
                "coupon_id": format!("seller-{order_index}"), "issuer": "seller",
                "store_id": format!("S{order_index}"),
                "discount": amount(self.currency, discount),
                "min_purchase": amount(self.currency, subtotal - 1),
                "valid_from": "2026-11-01T00:00:00Z", "valid_to": "2026-12-01T00:00:00Z",
                "via_code": true,
            }));
        }
        if let Some(per_mille) = self.platform_discount_per_mille {
            let base: i128 =
                (0..self.orders.len()).map(|index| self.regular_subtotal(index)).sum::<i128>()
                    - seller_total;
            let discount = base * i128::from(per_mille) / 1000;
            if discount >= 1 {
                coupons.push(json!({
                    "coupon_id": "platform", "issuer": "platform",
                    "discount": amount(self.currency, discount),
                    "min_purchase": amount(self.currency, base - 1),
                    "valid_from": "2026-11-01T00:00:00Z", "valid_to": "2026-11-22T00:00:00Z",
                    "via_code": true,
                }));
            }
        }
        let input = json!({
            "payment_id": "P", "currency": self.currency,
            "paid_at": "2026-11-20T10:00:00Z", "as_of": "2026-11-24T12:00:00Z",
            "orders": orders, "coupons": coupons, "prior_refunds": prior_refunds, "refund": refund,
        });
        contract::parse_input_value(input).unwrap()
    }

    fn every_unit_of(&self, order_index: usize) -> Value {
        let lines: Vec<Value> = self.orders[order_index]
            .iter()
            .enumerate()
            .map(|(line_index, line)| {
                json!({"line_id": format!("l{order_index}-{line_index}"), "quantity": line.quantity})
            })
            .collect();
        json!({"order_id": format!("O{order_index}"), "lines": lines})
    }
}

fn now() -> Timestamp {
    "2026-11-24T12:00:00Z".parse().unwrap()
}

fn minor(currency: &str, text: &str) -> i128 {
    Currency::from_code(currency).unwrap().parse_amount(text).unwrap().minor_units()
}

fn every_amount_is_non_negative(currency: &str, output: &RefundPreviewOutput) -> bool {
    let mut amounts = vec![output.refund_amount.as_str()];
    amounts.extend(output.lines.iter().map(|line| line.amount.as_str()));
    for line in &output.allocation {
        amounts.extend([
            line.seller_discount.as_str(),
            line.platform_discount.as_str(),
            line.paid.as_str(),
        ]);
    }
    // Parsing refuses negative amounts, so every amount must parse.
    amounts
        .into_iter()
        .all(|text| Currency::from_code(currency).unwrap().parse_amount(text).is_ok())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// APPLY-5: the shares always add up to the discount, and none is negative.
    #[test]
    fn shares_add_up_to_the_discount(
        bases in prop::collection::vec(0_i128..10_000_000, 1..60),
        per_mille in 0_i128..=1000,
    ) {
        let total: i128 = bases.iter().sum();
        prop_assume!(total > 0);
        let discount = total * per_mille / 1000;
        let shares = split_proportionally(discount, &bases).unwrap();
        prop_assert_eq!(shares.iter().sum::<i128>(), discount);
        for (share, base) in shares.iter().zip(&bases) {
            prop_assert!(*share >= 0 && share <= base, "share {} of base {}", share, base);
        }
    }

    /// REFUND-2, REFUND-4: refunding every unit of every line of an order gives back exactly what
    /// the order paid, and the order is then fully refunded; no amount is ever negative.
    #[test]
    fn refunding_every_unit_returns_what_was_paid(payment in payment()) {
        for order_index in 0..payment.orders.len() {
            let input = payment.input(&[], payment.every_unit_of(order_index));
            // The generated coupons always meet their minimum, so the preview must succeed.
            let output = contract::preview(&input, now()).map_err(|error| TestCaseError::fail(error.to_string()))?;
            let paid: i128 = output.allocation.iter().map(|line| minor(payment.currency, &line.paid)).sum();
            prop_assert_eq!(minor(payment.currency, &output.refund_amount), paid);
            let lines: i128 = output.lines.iter().map(|line| minor(payment.currency, &line.amount)).sum();
            prop_assert_eq!(lines, paid);
            prop_assert_eq!(output.order_refund, OrderRefund::Full);
            prop_assert!(every_amount_is_non_negative(payment.currency, &output));
        }
    }

    /// REFUND-6: the platform coupon comes back exactly when every order that had a share of it
    /// is fully refunded, whatever mix of refunds came before.
    #[test]
    fn platform_coupon_returns_only_when_every_order_is_full(
        payment in payment(),
        refund_kinds in prop::collection::vec(0_u8..3, 1..8),
    ) {
        let probe = payment.input(&[], json!({"order_id": "O0", "full": true}));
        let request = contract::check_input(&probe, now()).map_err(|error| TestCaseError::fail(error.to_string()))?;
        let allocation = sellerdesk_core::payment::allocate(&request.payment, &request.coupons, None)
            .map_err(|error| TestCaseError::fail(error.to_string()))?;
        let order_count = payment.orders.len();
        let mut prior: Vec<Value> = Vec::new();
        let mut fully_refunded = vec![false; order_count];
        for (step, kind) in refund_kinds.iter().enumerate() {
            let order_index = step % order_count;
            if fully_refunded[order_index] {
                continue;
            }
            let refund = match kind {
                0 => json!({"order_id": format!("O{order_index}"), "full": true}),
                1 => json!({"order_id": format!("O{order_index}"), "amount": amount(payment.currency, 1)}),
                _ => payment.every_unit_of(order_index),
            };
            let input = payment.input(&prior, refund.clone());
            let Ok(output) = contract::preview(&input, now()) else { continue };
            prop_assert!(every_amount_is_non_negative(payment.currency, &output));
            if output.order_refund == OrderRefund::Full {
                fully_refunded[order_index] = true;
            }
            let touched_all_full = (0..order_count)
                .filter(|&index| allocation.platform_share_of_order(index) > 0)
                .all(|index| fully_refunded[index]);
            if let Some(platform) = output.coupons.iter().find(|coupon| coupon.coupon_id == "platform") {
                prop_assert_eq!(platform.returned, touched_all_full);
                prop_assert!(!platform.code_returned);
            }
            for seller in output.coupons.iter().filter(|coupon| coupon.coupon_id != "platform") {
                prop_assert!(!seller.returned && !seller.code_returned);
            }
            prior.push(refund);
        }
    }

    /// The core never panics on input: arbitrary text is either a preview or one error.
    #[test]
    fn arbitrary_text_never_panics(text in ".{0,200}") {
        let _ = contract::parse_input_json(&text).and_then(|input| contract::preview(&input, now()));
    }
}
