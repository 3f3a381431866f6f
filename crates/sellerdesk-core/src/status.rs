//! Coupon statuses as the buyer's account shows them, and how they change
//! (`docs/rules.md` STATUS-1 and STATUS-2).

use std::fmt;
use std::str::FromStr;

use crate::rules::RuleId;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub enum CouponStatus {
    /// Can be used.
    Valid,
    /// Applied to an order whose transaction has not closed.
    Inactive,
    /// Spent on a closed order, or not returned after a refund.
    Used,
    /// Its validity ended while it was valid.
    Expired,
    /// A legacy status the platform is retiring: accepted, counted apart, never an error.
    Pending,
}

impl CouponStatus {
    pub const ALL: [CouponStatus; 5] = [
        CouponStatus::Valid,
        CouponStatus::Inactive,
        CouponStatus::Used,
        CouponStatus::Expired,
        CouponStatus::Pending,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CouponStatus::Valid => "valid",
            CouponStatus::Inactive => "inactive",
            CouponStatus::Used => "used",
            CouponStatus::Expired => "expired",
            CouponStatus::Pending => "pending",
        }
    }

    /// Whether the status is the legacy one that is counted apart from the others.
    pub fn is_legacy(self) -> bool {
        self == CouponStatus::Pending
    }

    /// The status after `event`, or an error naming the rule when the change is not allowed.
    pub fn after(self, event: StatusEvent) -> Result<CouponStatus, StatusError> {
        use CouponStatus::*;
        use StatusEvent::*;
        let next = match (self, event) {
            // The legacy status moves to wherever the platform says the coupon now is.
            (Pending, AppliedToOrder) => Inactive,
            (Pending, TransactionClosed) => Used,
            (Pending, ValidityEnded) => Expired,
            (Pending, OrderCancelledBeforeClosing) => Valid,
            (Valid, AppliedToOrder) => Inactive,
            (Valid, ValidityEnded) => Expired,
            (Inactive, TransactionClosed) => Used,
            (Inactive, OrderCancelledBeforeClosing) => Valid,
            (Used, ReturnedByFullRefund { validity: Validity::Current }) => Valid,
            (Used, ReturnedByFullRefund { validity: Validity::Ended }) => Expired,
            (from, event) => return Err(StatusError { from, event }),
        };
        Ok(next)
    }
}

impl fmt::Display for CouponStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CouponStatus {
    type Err = UnknownStatus;

    fn from_str(text: &str) -> Result<CouponStatus, UnknownStatus> {
        CouponStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == text)
            .ok_or_else(|| UnknownStatus { text: text.to_owned() })
    }
}

/// Whether a coupon's validity window still runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validity {
    Current,
    Ended,
}

/// Something that happens to a coupon in the buyer's account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusEvent {
    AppliedToOrder,
    TransactionClosed,
    OrderCancelledBeforeClosing,
    ValidityEnded,
    /// Only platform coupons, only after a full refund (REFUND-6).
    ReturnedByFullRefund {
        validity: Validity,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("status: a {from} coupon cannot go through {event:?} [{rule}]", rule = RuleId::Status2)]
pub struct StatusError {
    pub from: CouponStatus,
    pub event: StatusEvent,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "status: \"{text}\" is not a coupon status (valid, inactive, used, expired, pending) [{rule}]",
    rule = RuleId::Status1
)]
pub struct UnknownStatus {
    pub text: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use CouponStatus::*;
    use StatusEvent::*;

    fn check(from: CouponStatus, event: StatusEvent, expected: Option<CouponStatus>) {
        assert_eq!(from.after(event).ok(), expected, "{from} after {event:?}");
    }

    #[test]
    fn statuses_parse_and_pending_is_legacy_status_1() {
        for status in CouponStatus::ALL {
            assert_eq!(status.as_str().parse::<CouponStatus>(), Ok(status));
        }
        assert!(Pending.is_legacy());
        assert!(CouponStatus::ALL.iter().filter(|status| status.is_legacy()).count() == 1);
        let error = "claimed".parse::<CouponStatus>().unwrap_err();
        assert!(error.to_string().contains("STATUS-1"), "{error}");
    }

    #[test]
    fn allowed_and_refused_transitions_status_2() {
        let returned_current = ReturnedByFullRefund { validity: Validity::Current };
        let returned_ended = ReturnedByFullRefund { validity: Validity::Ended };
        check(Valid, AppliedToOrder, Some(Inactive));
        check(Inactive, TransactionClosed, Some(Used));
        check(Inactive, OrderCancelledBeforeClosing, Some(Valid));
        check(Valid, ValidityEnded, Some(Expired));
        check(Used, returned_current, Some(Valid));
        check(Used, returned_ended, Some(Expired));
        check(Pending, TransactionClosed, Some(Used));
        check(Pending, AppliedToOrder, Some(Inactive));
        // Validity is never extended: an expired coupon stays expired.
        check(Expired, AppliedToOrder, None);
        check(Expired, returned_current, None);
        check(Expired, OrderCancelledBeforeClosing, None);
        check(Used, AppliedToOrder, None);
        check(Valid, TransactionClosed, None);
        check(Inactive, returned_current, None);
        let error = Used.after(AppliedToOrder).unwrap_err();
        assert!(error.to_string().contains("STATUS-2"), "{error}");
    }
}
