//! The demo data seeded by `--demo` into an empty sandbox: three stores in three currencies, a few
//! buyers, published, stopped and rejected seller coupons with codes in every status, and refund
//! requests from combined multi-store payments with seller and platform coupons.
//!
//! Times are whole hours around the moment of seeding, so that the coupons are live and the
//! payments recent. Every refund request is a refund-preview input that previews without error.

use rusqlite::{Connection, TransactionBehavior};
use sellerdesk_core::Timestamp;
use sellerdesk_core::contract::parse_input_value;
use sellerdesk_core::seller_coupon::CouponState;
use sellerdesk_core::status::CouponStatus;
use sellerdesk_platform::api::{CouponTerms, Decision, RefundRequestChange};
use serde_json::{Value, json};

use crate::database::{StoreRow, insert_store, store_count};
use crate::error::{ApiError, SandboxError};
use crate::records::{
    CodeInsertion, CouponRow, NewCode, RefundRequestRow, insert_buyer, insert_code, save_coupon,
    save_refund_request,
};

const HOUR: i64 = 3_600;
const DAY: i64 = 24 * HOUR;

/// The characters of demo codes: the core's default alphabet, without look-alikes.
const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// The length of a demo code.
const CODE_LENGTH: usize = 10;

/// The live coupon of store S1 that the demo's code batches are for.
const SPRING_COUPON: &str = "s1-spring5";

/// Code batches a desk may make for the demo data once its coupons have come down, so that a
/// desk's Codes and Campaign results have something to show and the simulated buyers something to
/// redeem: a batch per channel for a published, live coupon. Together they stay under what the
/// coupon can take with the few codes the demo already holds for it.
pub const DEMO_CODE_BATCHES: [DemoCodeBatch; 2] = [
    DemoCodeBatch { store_id: "S1", coupon_id: SPRING_COUPON, channel: "instagram", count: 240 },
    DemoCodeBatch { store_id: "S1", coupon_id: SPRING_COUPON, channel: "newsletter", count: 160 },
];

/// One batch of [`DEMO_CODE_BATCHES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoCodeBatch {
    pub store_id: &'static str,
    pub coupon_id: &'static str,
    pub channel: &'static str,
    pub count: u32,
}

/// Whether seeding wrote the demo data or found the sandbox already in use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seeding {
    Seeded,
    AlreadyHadStores,
}

/// Seeds the demo data at `now`, in one transaction, unless the sandbox already has a store.
pub fn seed(connection: &mut Connection, now: Timestamp) -> Result<Seeding, SandboxError> {
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    if store_count(&transaction)? > 0 {
        return Ok(Seeding::AlreadyHadStores);
    }
    Demo::new(now).write(&transaction).map_err(|error| SandboxError::DemoData(error.message))?;
    transaction.commit()?;
    Ok(Seeding::Seeded)
}

/// A random access token: 32 hexadecimal digits.
pub fn new_access_token() -> String {
    format!("{:032x}", rand::random::<u128>())
}

fn random_code() -> String {
    (0..CODE_LENGTH)
        .map(|_| char::from(CODE_ALPHABET[rand::random_range(0..CODE_ALPHABET.len())]))
        .collect()
}

/// A demo coupon with the statuses of its codes (and who holds each claimed one).
struct DemoCoupon {
    store_id: &'static str,
    coupon_id: &'static str,
    title: &'static str,
    discount: &'static str,
    min_purchase: &'static str,
    valid_from: Timestamp,
    valid_to: Timestamp,
    quantity: u32,
    state: CouponState,
    reason: Option<&'static str>,
    codes: Vec<(CouponStatus, Option<&'static str>)>,
}

struct Demo {
    /// The start of the hour of seeding.
    hour: i64,
}

impl Demo {
    fn new(now: Timestamp) -> Demo {
        Demo { hour: now.as_second().div_euclid(HOUR) * HOUR }
    }

    /// The time `seconds` away from the hour of seeding.
    fn at(&self, seconds: i64) -> Timestamp {
        Timestamp::from_second(self.hour + seconds).unwrap_or(Timestamp::UNIX_EPOCH)
    }

    fn text(&self, seconds: i64) -> String {
        self.at(seconds).to_string()
    }

    fn write(&self, connection: &Connection) -> Result<(), ApiError> {
        for (store_id, name, currency) in [
            ("S1", "Maple & Pine Goods", "USD"),
            ("S2", "Atelier Lumière", "EUR"),
            ("S3", "Sakura Stationery", "JPY"),
        ] {
            insert_store(
                connection,
                &StoreRow {
                    store_id: store_id.to_owned(),
                    name: name.to_owned(),
                    currency: currency.to_owned(),
                    access_token: new_access_token(),
                },
            )?;
        }
        for (buyer_id, name) in [
            ("B000001", "Ada Lovelace"),
            ("B000002", "Grace Hopper"),
            ("B000003", "Alan Turing"),
            ("B000004", "Émilie du Châtelet"),
            ("B000005", "Katherine Johnson"),
            ("B000006", "Hedy Lamarr"),
        ] {
            insert_buyer(connection, buyer_id, name)?;
        }
        let changed_at = self.text(-HOUR);
        for coupon in self.coupons() {
            let currency = match coupon.store_id {
                "S1" => "USD",
                "S2" => "EUR",
                _ => "JPY",
            };
            save_coupon(
                connection,
                &CouponRow {
                    store_id: coupon.store_id.to_owned(),
                    terms: CouponTerms {
                        coupon_id: coupon.coupon_id.to_owned(),
                        title: coupon.title.to_owned(),
                        currency: currency.to_owned(),
                        discount: coupon.discount.to_owned(),
                        min_purchase: coupon.min_purchase.to_owned(),
                        valid_from: coupon.valid_from.to_string(),
                        valid_to: coupon.valid_to.to_string(),
                        quantity: coupon.quantity,
                    },
                    state: coupon.state,
                    reason: coupon.reason.map(str::to_owned),
                    code_count: u32::try_from(coupon.codes.len()).unwrap_or(u32::MAX),
                },
            )?;
            for (status, buyer_id) in &coupon.codes {
                // A random code colliding with an earlier one is drawn again.
                loop {
                    let code = random_code();
                    let new_code = NewCode {
                        store_id: coupon.store_id,
                        coupon_id: coupon.coupon_id,
                        code: &code,
                        batch_id: 1,
                        channel: Some("demo"),
                        status: *status,
                        buyer_id: *buyer_id,
                        changed_at: &changed_at,
                    };
                    if insert_code(connection, &new_code)? == CodeInsertion::Stored {
                        break;
                    }
                }
            }
        }
        for (store_id, buyer_id, request) in self.refund_requests() {
            let (decision, decided_at) = request.decision.unzip();
            let preview_input = parse_input_value(request.preview_input).map_err(|error| {
                ApiError::new(
                    crate::error::ApiErrorKind::Internal,
                    format!("demo refund request {}: {error}", request.request_id),
                )
            })?;
            save_refund_request(
                connection,
                &RefundRequestRow {
                    store_id: store_id.to_owned(),
                    buyer_id: buyer_id.to_owned(),
                    change: RefundRequestChange {
                        request_id: request.request_id.to_owned(),
                        preview_input,
                        requested_at: request.requested_at,
                        decision,
                        decided_at,
                    },
                },
            )?;
        }
        Ok(())
    }

    fn coupons(&self) -> Vec<DemoCoupon> {
        use CouponStatus::{Expired, Inactive, Pending, Used, Valid};
        let live_from = self.at(-10 * DAY);
        let live_to = self.at(30 * DAY);
        let live =
            |store_id, coupon_id, title, discount, min_purchase, quantity, codes| DemoCoupon {
                store_id,
                coupon_id,
                title,
                discount,
                min_purchase,
                valid_from: live_from,
                valid_to: live_to,
                quantity,
                state: CouponState::Published,
                reason: None,
                codes,
            };
        vec![
            live(
                "S1",
                SPRING_COUPON,
                "Spring: $5 off orders over $30",
                "5.00",
                "30.00",
                500,
                vec![
                    (Used, Some("B000001")),
                    (Used, Some("B000003")),
                    (Inactive, Some("B000004")),
                    (Pending, Some("B000005")),
                    (Valid, None),
                    (Valid, None),
                    (Valid, None),
                ],
            ),
            live(
                "S1",
                "s1-welcome3",
                "Welcome: $3 off orders over $20",
                "3.00",
                "20.00",
                200,
                vec![
                    (Used, Some("B000002")),
                    (Valid, Some("B000006")),
                    (Valid, None),
                    (Valid, None),
                ],
            ),
            DemoCoupon {
                store_id: "S1",
                coupon_id: "s1-summer8",
                title: "Summer: $8 off orders over $60",
                discount: "8.00",
                min_purchase: "60.00",
                valid_from: self.at(-40 * DAY),
                valid_to: self.at(-2 * DAY),
                quantity: 100,
                state: CouponState::Stopped,
                reason: None,
                codes: vec![(Used, Some("B000001")), (Expired, Some("B000002")), (Expired, None)],
            },
            DemoCoupon {
                store_id: "S1",
                coupon_id: "s1-freeship",
                title: "Free shipping on everything",
                discount: "2.00",
                min_purchase: "10.00",
                valid_from: live_from,
                valid_to: live_to,
                quantity: 50,
                state: CouponState::Rejected,
                reason: Some(
                    "the title promises free shipping, which a fixed discount does not give",
                ),
                codes: vec![],
            },
            live(
                "S2",
                "s2-merci4",
                "Merci : 4 € de remise dès 40 €",
                "4.00",
                "40.00",
                300,
                vec![
                    (Used, Some("B000004")),
                    (Used, Some("B000005")),
                    (Inactive, Some("B000001")),
                    (Valid, None),
                    (Valid, None),
                ],
            ),
            live(
                "S2",
                "s2-hiver10",
                "Hiver : 10 € de remise dès 80 €",
                "10.00",
                "80.00",
                100,
                vec![(Pending, Some("B000002")), (Valid, Some("B000003")), (Valid, None)],
            ),
            live(
                "S3",
                "s3-yen300",
                "¥300 off orders over ¥3,000",
                "300",
                "3000",
                400,
                vec![
                    (Used, Some("B000006")),
                    (Inactive, Some("B000002")),
                    (Valid, None),
                    (Valid, None),
                ],
            ),
            live(
                "S3",
                "s3-yen1000",
                "¥1,000 off orders over ¥8,000",
                "1000",
                "8000",
                100,
                vec![(Used, Some("B000001")), (Valid, None)],
            ),
        ]
    }

    /// The refund requests: the store they are addressed to, the buyer, and the request.
    fn refund_requests(&self) -> Vec<(&'static str, &'static str, DemoRefundRequest)> {
        let paid_at = self.text(-3 * DAY);
        let seller_coupon = |coupon_id: &str,
                             store_id: &str,
                             discount: &str,
                             min_purchase: &str| {
            json!({
                "coupon_id": coupon_id, "issuer": "seller", "store_id": store_id,
                "discount": discount, "min_purchase": min_purchase,
                "valid_from": self.text(-10 * DAY), "valid_to": self.text(30 * DAY), "via_code": true
            })
        };
        let platform_coupon = |coupon_id: &str,
                               discount: &str,
                               min_purchase: &str,
                               valid_from: i64,
                               valid_to: i64| {
            json!({
                "coupon_id": coupon_id, "issuer": "platform",
                "discount": discount, "min_purchase": min_purchase,
                "valid_from": self.text(valid_from), "valid_to": self.text(valid_to),
                "via_code": true
            })
        };
        let line = |line_id: &str, unit_price: &str, quantity: u32, regular_price: bool| {
            json!({"line_id": line_id, "unit_price": unit_price, "quantity": quantity,
                   "regular_price": regular_price})
        };
        let request =
            |request_id: &'static str, requested_at: i64, preview_input: Value| DemoRefundRequest {
                request_id,
                requested_at: self.text(requested_at),
                decision: None,
                preview_input,
            };
        let autumn = platform_coupon("P-AUTUMN5", "5.00", "40.00", -20 * DAY, 20 * DAY);
        vec![
            // A combined cart with another seller (M7): one of two units back, partial.
            (
                "S1",
                "B000001",
                request(
                    "R-1001",
                    -DAY,
                    json!({
                        "payment_id": "PAY-1001", "currency": "USD", "paid_at": paid_at,
                        "orders": [
                            {"order_id": "O-1001-S1", "store_id": "S1", "lines": [
                                line("l1", "24.00", 2, true), line("l2", "9.50", 1, false)]},
                            {"order_id": "O-1001-M7", "store_id": "M7", "lines": [
                                line("l3", "30.00", 1, true)]}],
                        "coupons": [seller_coupon("s1-spring5", "S1", "5.00", "30.00"), autumn],
                        "prior_refunds": [],
                        "refund": {"order_id": "O-1001-S1", "lines": [{"line_id": "l1", "quantity": 1}]}
                    }),
                ),
            ),
            // The other store's order was refunded in full already; this whole order brings the
            // platform coupon back, still valid.
            (
                "S1",
                "B000002",
                request(
                    "R-1002",
                    -20 * HOUR,
                    json!({
                        "payment_id": "PAY-1002", "currency": "USD", "paid_at": paid_at,
                        "orders": [
                            {"order_id": "O-1002-S1", "store_id": "S1", "lines": [
                                line("l1", "12.50", 2, true), line("l2", "8.00", 1, true)]},
                            {"order_id": "O-1002-M3", "store_id": "M3", "lines": [
                                line("l3", "20.00", 1, true)]}],
                        "coupons": [seller_coupon("s1-welcome3", "S1", "3.00", "20.00"), autumn],
                        "prior_refunds": [{"order_id": "O-1002-M3", "full": true}],
                        "refund": {"order_id": "O-1002-S1", "full": true}
                    }),
                ),
            ),
            // Money back without units: partial.
            (
                "S1",
                "B000003",
                request(
                    "R-1003",
                    -6 * HOUR,
                    json!({
                        "payment_id": "PAY-1003", "currency": "USD", "paid_at": paid_at,
                        "orders": [
                            {"order_id": "O-1003-S1", "store_id": "S1", "lines": [
                                line("l1", "45.00", 1, true)]}],
                        "coupons": [seller_coupon("s1-spring5", "S1", "5.00", "30.00")],
                        "refund": {"order_id": "O-1003-S1", "amount": "10.00"}
                    }),
                ),
            ),
            // A whole order after the other store's refund: the platform coupon comes back, but
            // it has expired since.
            (
                "S2",
                "B000004",
                request(
                    "R-2001",
                    -22 * HOUR,
                    json!({
                        "payment_id": "PAY-2001", "currency": "EUR", "paid_at": paid_at,
                        "orders": [
                            {"order_id": "O-2001-S2", "store_id": "S2", "lines": [
                                line("l1", "35.00", 2, true)]},
                            {"order_id": "O-2001-M5", "store_id": "M5", "lines": [
                                line("l2", "25.00", 1, true), line("l3", "15.00", 1, false)]}],
                        "coupons": [
                            seller_coupon("s2-merci4", "S2", "4.00", "40.00"),
                            platform_coupon("P-WEEK8", "8.00", "60.00", -30 * DAY, -DAY)],
                        "prior_refunds": [{"order_id": "O-2001-M5", "full": true}],
                        "refund": {"order_id": "O-2001-S2", "full": true}
                    }),
                ),
            ),
            // Two of three units back: partial.
            (
                "S2",
                "B000005",
                request(
                    "R-2002",
                    -3 * HOUR,
                    json!({
                        "payment_id": "PAY-2002", "currency": "EUR", "paid_at": paid_at,
                        "orders": [
                            {"order_id": "O-2002-S2", "store_id": "S2", "lines": [
                                line("l1", "19.99", 3, true)]}],
                        "coupons": [seller_coupon("s2-merci4", "S2", "4.00", "40.00")],
                        "refund": {"order_id": "O-2002-S2", "lines": [{"line_id": "l1", "quantity": 2}]}
                    }),
                ),
            ),
            // Yen, a combined cart: money back, partial.
            (
                "S3",
                "B000006",
                request(
                    "R-3001",
                    -12 * HOUR,
                    json!({
                        "payment_id": "PAY-3001", "currency": "JPY", "paid_at": paid_at,
                        "orders": [
                            {"order_id": "O-3001-S3", "store_id": "S3", "lines": [
                                line("l1", "1200", 3, true), line("l2", "800", 1, false)]},
                            {"order_id": "O-3001-M9", "store_id": "M9", "lines": [
                                line("l3", "2500", 1, true)]}],
                        "coupons": [
                            seller_coupon("s3-yen300", "S3", "300", "3000"),
                            platform_coupon("P-YEN500", "500", "5000", -15 * DAY, 15 * DAY)],
                        "refund": {"order_id": "O-3001-S3", "amount": "1000"}
                    }),
                ),
            ),
            // Yen, a single order in full, already approved.
            (
                "S3",
                "B000001",
                DemoRefundRequest {
                    decision: Some((Decision::Approve, self.text(-10 * HOUR))),
                    ..request(
                        "R-3002",
                        -2 * DAY,
                        json!({
                            "payment_id": "PAY-3002", "currency": "JPY", "paid_at": paid_at,
                            "orders": [
                                {"order_id": "O-3002-S3", "store_id": "S3", "lines": [
                                    line("l1", "9000", 1, true)]}],
                            "coupons": [seller_coupon("s3-yen1000", "S3", "1000", "8000")],
                            "refund": {"order_id": "O-3002-S3", "full": true}
                        }),
                    )
                },
            ),
        ]
    }
}

struct DemoRefundRequest {
    request_id: &'static str,
    requested_at: String,
    decision: Option<(Decision, String)>,
    preview_input: Value,
}
