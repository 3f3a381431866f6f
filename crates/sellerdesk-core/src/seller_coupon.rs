//! Seller coupons: the terms a seller sets, the rules for creating them, and what may change
//! once they are published (`docs/rules.md` CREATE-1 to CREATE-5).

use jiff::Timestamp;

use crate::money::{Currency, Money};
use crate::rules::{InputError, Reason, RuleId};

/// The most buyers a single seller coupon can be given to.
pub const MAXIMUM_QUANTITY: u32 = 1_000_000;

/// The longest title, in characters.
pub const MAXIMUM_TITLE_CHARS: usize = 120;

/// What a seller asks for when creating a coupon, before any rule has been checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SellerCouponRequest {
    pub title: String,
    pub currency: Currency,
    pub discount: Money,
    pub min_purchase: Money,
    pub valid_from: Timestamp,
    pub valid_to: Timestamp,
    pub quantity: u32,
}

/// The terms of a seller coupon that passed the creation rules. Only this module makes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SellerCouponTerms {
    title: String,
    currency: Currency,
    discount: Money,
    min_purchase: Money,
    valid_from: Timestamp,
    valid_to: Timestamp,
    quantity: u32,
}

/// Where a coupon stands between the desktop and the platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CouponState {
    /// Saved on the desktop only; every term can still change.
    Draft,
    /// Submitted: waiting to reach the platform. Its terms are frozen from here on.
    Pending,
    /// Accepted by the platform.
    Published,
    /// Refused by the platform, with its reason; it can be corrected and submitted again.
    Rejected,
    /// Ended early by the seller.
    Stopped,
}

impl CouponState {
    pub const ALL: [CouponState; 5] = [
        CouponState::Draft,
        CouponState::Pending,
        CouponState::Published,
        CouponState::Rejected,
        CouponState::Stopped,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CouponState::Draft => "draft",
            CouponState::Pending => "pending",
            CouponState::Published => "published",
            CouponState::Rejected => "rejected",
            CouponState::Stopped => "stopped",
        }
    }

    pub fn parse(text: &str) -> Option<CouponState> {
        CouponState::ALL.into_iter().find(|state| state.as_str() == text)
    }

    /// Whether the coupon's terms are frozen (CREATE-5): from submission on.
    pub fn publication(self) -> Publication {
        match self {
            CouponState::Draft | CouponState::Rejected => Publication::Draft,
            CouponState::Pending | CouponState::Published | CouponState::Stopped => {
                Publication::Published
            }
        }
    }
}

/// Whether the platform has the coupon yet. After publication its terms are frozen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Publication {
    Draft,
    Published,
}

/// One change a seller asks for on an existing coupon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Amendment {
    Title(String),
    Discount(Money),
    MinPurchase(Money),
    ValidFrom(Timestamp),
    ValidTo(Timestamp),
    Quantity(u32),
}

impl SellerCouponRequest {
    /// Checks the creation rules at `now` and returns the coupon's terms.
    pub fn validate(self, now: Timestamp) -> Result<SellerCouponTerms, InputError> {
        let terms = SellerCouponTerms {
            title: self.title.trim().to_owned(),
            currency: self.currency,
            discount: self.discount,
            min_purchase: self.min_purchase,
            valid_from: self.valid_from,
            valid_to: self.valid_to,
            quantity: self.quantity,
        };
        // What a seller writes now; terms read back or pulled are not refused for it.
        crate::text::check_shown_text("title", &terms.title)?;
        terms.check(now, Window::MustBeOpen)?;
        Ok(terms)
    }
}

/// Whether a validity window may have no length at all: only a coupon stopped before it started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Window {
    MustBeOpen,
    MayBeEmpty,
}

impl SellerCouponTerms {
    /// Terms read back from storage: every creation rule holds except that the validity may
    /// have ended since.
    pub fn restore(request: SellerCouponRequest) -> Result<SellerCouponTerms, InputError> {
        let terms = SellerCouponTerms {
            title: request.title,
            currency: request.currency,
            discount: request.discount,
            min_purchase: request.min_purchase,
            valid_from: request.valid_from,
            valid_to: request.valid_to,
            quantity: request.quantity,
        };
        terms.check(Timestamp::MIN, Window::MayBeEmpty)?;
        Ok(terms)
    }

    pub fn title(&self) -> &str {
        &self.title
    }
    pub fn currency(&self) -> Currency {
        self.currency
    }
    pub fn discount(&self) -> Money {
        self.discount
    }
    pub fn min_purchase(&self) -> Money {
        self.min_purchase
    }
    pub fn valid_from(&self) -> Timestamp {
        self.valid_from
    }
    pub fn valid_to(&self) -> Timestamp {
        self.valid_to
    }
    pub fn quantity(&self) -> u32 {
        self.quantity
    }

    /// How many times one buyer account can get this coupon: always one (CREATE-4).
    pub fn limit_per_buyer(&self) -> u32 {
        1
    }

    /// Seller coupons can never be given to someone else nor exchanged for cash (CREATE-4).
    pub fn is_transferable_or_exchangeable_for_cash(&self) -> bool {
        false
    }

    /// Applies one change, refusing what the rules forbid for the coupon's publication state.
    pub fn amend(
        &self,
        publication: Publication,
        amendment: Amendment,
        now: Timestamp,
    ) -> Result<SellerCouponTerms, InputError> {
        let frozen = |field: &str, what: &str| {
            Err(InputError::new(
                field,
                RuleId::Create5,
                format!("the {what} of a published coupon never changes"),
            )
            .because(Reason::TermFrozen))
        };
        let mut amended = self.clone();
        match (publication, amendment) {
            (_, Amendment::Title(title)) => {
                crate::text::check_shown_text("title", title.trim())?;
                amended.title = title.trim().to_owned();
            }
            (Publication::Published, Amendment::Discount(_)) => {
                return frozen("discount", "discount");
            }
            (Publication::Published, Amendment::MinPurchase(_)) => {
                return frozen("min_purchase", "minimum purchase");
            }
            (Publication::Published, Amendment::Quantity(_)) => {
                return frozen("quantity", "quantity");
            }
            (Publication::Published, Amendment::ValidFrom(_)) => {
                return frozen("valid_from", "start of validity");
            }
            (Publication::Published, Amendment::ValidTo(valid_to)) if valid_to > self.valid_to => {
                return Err(InputError::new(
                    "valid_to",
                    RuleId::Create5,
                    format!(
                        "the validity of a published coupon can never be extended (it ends at {})",
                        self.valid_to
                    ),
                )
                .because(Reason::NeverExtended)
                .with("ends", self.valid_to));
            }
            (Publication::Published, Amendment::ValidTo(_)) => {
                return Err(InputError::new(
                    "valid_to",
                    RuleId::Create5,
                    "a published coupon's end can only be brought forward by stopping it",
                )
                .because(Reason::EndOnlyByStopping));
            }
            (Publication::Draft, Amendment::Discount(discount)) => amended.discount = discount,
            (Publication::Draft, Amendment::MinPurchase(min)) => amended.min_purchase = min,
            (Publication::Draft, Amendment::Quantity(quantity)) => amended.quantity = quantity,
            (Publication::Draft, Amendment::ValidFrom(from)) => amended.valid_from = from,
            (Publication::Draft, Amendment::ValidTo(to)) => amended.valid_to = to,
        }
        amended.check(now, Window::MustBeOpen)?;
        Ok(amended)
    }

    /// Stops the coupon early: its validity ends at `now` (CREATE-5). A coupon stopped before it
    /// started keeps an empty window: it never becomes valid.
    pub fn stop(&self, now: Timestamp) -> Result<SellerCouponTerms, InputError> {
        if now >= self.valid_to {
            return Err(InputError::new(
                "valid_to",
                RuleId::Create5,
                format!("the coupon already ended at {}; there is nothing to stop", self.valid_to),
            )
            .because(Reason::AlreadyEnded)
            .with("ended", self.valid_to));
        }
        let mut stopped = self.clone();
        stopped.valid_to = now.max(self.valid_from);
        Ok(stopped)
    }

    fn check(&self, now: Timestamp, window: Window) -> Result<(), InputError> {
        if self.title.is_empty() {
            return Err(InputError::new("title", RuleId::Input1, "a coupon needs a title")
                .because(Reason::Required));
        }
        if self.title.chars().count() > MAXIMUM_TITLE_CHARS {
            return Err(InputError::new(
                "title",
                RuleId::Input1,
                format!("a title has at most {MAXIMUM_TITLE_CHARS} characters"),
            )
            .because(Reason::TooLong)
            .with("maximum", MAXIMUM_TITLE_CHARS));
        }
        for (field, money) in [("discount", self.discount), ("min_purchase", self.min_purchase)] {
            if money.currency() != self.currency {
                return Err(InputError::new(
                    field,
                    RuleId::Money3,
                    format!(
                        "amount is in {} but the coupon is in {}",
                        money.currency(),
                        self.currency
                    ),
                )
                .with("currency", money.currency())
                .with("expected", self.currency));
            }
        }
        if self.discount.minor_units() <= 0 {
            return Err(InputError::new(
                "discount",
                RuleId::Create1,
                "the discount must be more than zero",
            )
            .because(Reason::DiscountNotPositive));
        }
        if self.min_purchase <= self.discount {
            return Err(InputError::new(
                "min_purchase",
                RuleId::Create1,
                format!(
                    "the minimum purchase {} must be more than the discount {}",
                    self.min_purchase, self.discount
                ),
            )
            .because(Reason::MinimumNotAboveDiscount)
            .with("minimum", self.min_purchase)
            .with("discount", self.discount));
        }
        let window_is_wrong = match window {
            Window::MustBeOpen => self.valid_from >= self.valid_to,
            Window::MayBeEmpty => self.valid_from > self.valid_to,
        };
        if window_is_wrong {
            return Err(InputError::new(
                "valid_to",
                RuleId::Create2,
                format!("valid_to {} must be after valid_from {}", self.valid_to, self.valid_from),
            )
            .because(Reason::EndsBeforeStart));
        }
        if self.valid_to <= now {
            return Err(InputError::new(
                "valid_to",
                RuleId::Create2,
                format!("valid_to {} must be in the future", self.valid_to),
            )
            .because(Reason::EndsInPast));
        }
        if !(1..=MAXIMUM_QUANTITY).contains(&self.quantity) {
            return Err(InputError::new(
                "quantity",
                RuleId::Create3,
                format!("quantity must be from 1 to {MAXIMUM_QUANTITY}, not {}", self.quantity),
            )
            .because(Reason::QuantityOutOfRange)
            .with("maximum", MAXIMUM_QUANTITY));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd(text: &str) -> Money {
        Currency::from_code("USD").unwrap().parse_amount(text).unwrap()
    }

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    fn request() -> SellerCouponRequest {
        SellerCouponRequest {
            title: "Black Friday".into(),
            currency: Currency::from_code("USD").unwrap(),
            discount: usd("3.00"),
            min_purchase: usd("20.00"),
            valid_from: at("2026-11-25T00:00:00Z"),
            valid_to: at("2026-12-01T00:00:00Z"),
            quantity: 500,
        }
    }

    fn now() -> Timestamp {
        at("2026-11-24T12:00:00Z")
    }

    /// Checks a request built by `change` from a good one: `None` means it is accepted.
    fn check_create(
        change: impl FnOnce(&mut SellerCouponRequest),
        expected: Option<(&str, RuleId)>,
    ) {
        let mut request = request();
        change(&mut request);
        let actual = request.validate(now()).err().map(|error| (error.field, error.rule));
        assert_eq!(actual.as_ref().map(|(field, rule)| (field.as_str(), *rule)), expected);
    }

    #[test]
    fn minimum_above_discount_above_zero_create_1() {
        check_create(|_| {}, None);
        check_create(|r| r.discount = usd("0.00"), Some(("discount", RuleId::Create1)));
        check_create(|r| r.min_purchase = usd("3.00"), Some(("min_purchase", RuleId::Create1)));
        check_create(|r| r.min_purchase = usd("2.99"), Some(("min_purchase", RuleId::Create1)));
        check_create(|r| r.min_purchase = usd("3.01"), None);
    }

    #[test]
    fn validity_window_in_order_and_in_the_future_create_2() {
        check_create(|r| r.valid_to = r.valid_from, Some(("valid_to", RuleId::Create2)));
        check_create(
            |r| {
                r.valid_from = at("2026-11-01T00:00:00Z");
                r.valid_to = at("2026-11-24T12:00:00Z");
            },
            Some(("valid_to", RuleId::Create2)),
        );
        // A window that already started is fine as long as it has not ended.
        check_create(|r| r.valid_from = at("2026-11-01T00:00:00Z"), None);
    }

    #[test]
    fn quantity_from_one_to_a_million_create_3() {
        check_create(|r| r.quantity = 0, Some(("quantity", RuleId::Create3)));
        check_create(|r| r.quantity = 1, None);
        check_create(|r| r.quantity = MAXIMUM_QUANTITY, None);
        check_create(|r| r.quantity = MAXIMUM_QUANTITY + 1, Some(("quantity", RuleId::Create3)));
    }

    #[test]
    fn one_per_buyer_and_no_cash_are_fixed_create_4() {
        let terms = request().validate(now()).unwrap();
        assert_eq!(terms.limit_per_buyer(), 1);
        assert!(!terms.is_transferable_or_exchangeable_for_cash());
        // No amendment can reach these terms: every variant keeps them as they are.
        let amended = terms.amend(Publication::Draft, Amendment::Quantity(9), now()).unwrap();
        assert_eq!(amended.limit_per_buyer(), 1);
    }

    #[test]
    fn published_terms_are_frozen_but_a_coupon_can_stop_create_5() {
        let terms = request().validate(now()).unwrap();
        let refused = |amendment: Amendment| {
            let error = terms.amend(Publication::Published, amendment, now()).unwrap_err();
            assert_eq!(error.rule, RuleId::Create5, "{error}");
            error.field
        };
        assert_eq!(refused(Amendment::ValidTo(at("2026-12-02T00:00:00Z"))), "valid_to");
        assert_eq!(refused(Amendment::Discount(usd("4.00"))), "discount");
        assert_eq!(refused(Amendment::MinPurchase(usd("25.00"))), "min_purchase");
        assert_eq!(refused(Amendment::Quantity(501)), "quantity");
        // A draft may still change.
        let draft = terms.amend(Publication::Draft, Amendment::Discount(usd("4.00")), now());
        assert_eq!(draft.unwrap().discount(), usd("4.00"));
        // A title is not a term of the offer.
        let renamed = terms.amend(Publication::Published, Amendment::Title("BF".into()), now());
        assert_eq!(renamed.unwrap().title(), "BF");
        // Stopping ends the validity now, and never later than it was.
        let stopped = terms.stop(at("2026-11-26T08:00:00Z")).unwrap();
        assert_eq!(stopped.valid_to(), at("2026-11-26T08:00:00Z"));
        assert_eq!(terms.stop(at("2026-12-01T00:00:00Z")).unwrap_err().rule, RuleId::Create5);
    }
}
