//! The platform's methods as one trait, so that the sync engine (and the facade) work the same over
//! HTTP ([`crate::client::PlatformClient`]) and against an in-memory fake
//! (`fake::FakePlatform`, feature `fake`), and what a call can fail with.

use std::future::Future;
use std::time::Duration;

use sellerdesk_core::codes::CodeFormat;

use crate::api::{
    ChangesPage, ChangesRequest, CodeChange, CouponChange, CouponTerms, CreateCouponRequest,
    CreateCouponResult, DecideRefundRequest, DecideRefundResult, RefundRequestChange,
    RetitleCouponRequest, RetitleCouponResult, StopCouponRequest, StopCouponResult,
    UploadCodesRequest, UploadCodesResult,
};
use crate::connector::{Capability, PlatformKind};

/// The platform methods the sync engine calls (`docs/platform-api.md`). Every mutation carries its
/// `mutation_id`; a retried call with the same id is applied at most once by the platform.
pub trait PlatformApi: Send + Sync {
    /// Which kind of platform this is, and so what it can do
    /// ([`crate::connector::PlatformKind::capabilities`]): the sync engine sends and pulls only
    /// that.
    fn kind(&self) -> PlatformKind;

    /// `seller.coupon.create`.
    fn create_coupon(
        &self,
        request: &CreateCouponRequest,
    ) -> impl Future<Output = Result<CreateCouponResult, CallError>> + Send;

    /// `seller.coupon.stop`.
    fn stop_coupon(
        &self,
        request: &StopCouponRequest,
    ) -> impl Future<Output = Result<StopCouponResult, CallError>> + Send;

    /// `seller.coupon.retitle`. A platform that declares no
    /// [`Capability::UpdateCouponTitle`] keeps this refusal.
    fn retitle_coupon(
        &self,
        _request: &RetitleCouponRequest,
    ) -> impl Future<Output = Result<RetitleCouponResult, CallError>> + Send {
        let refusal = self.kind().not_declared(Capability::UpdateCouponTitle);
        async move { Err(refusal) }
    }

    /// `seller.codes.upload`, at most [`crate::api::MAXIMUM_CODES_PER_UPLOAD`] codes, of the
    /// batch `batch` describes.
    fn upload_codes(
        &self,
        request: &UploadCodesRequest,
        batch: &CodeBatchContext<'_>,
    ) -> impl Future<Output = Result<UploadCodesResult, CallError>> + Send;

    /// `seller.refund.decide`.
    fn decide_refund(
        &self,
        request: &DecideRefundRequest,
    ) -> impl Future<Output = Result<DecideRefundResult, CallError>> + Send;

    /// `seller.coupons.changes`.
    fn coupon_changes(
        &self,
        request: &ChangesRequest,
    ) -> impl Future<Output = Result<ChangesPage<CouponChange>, CallError>> + Send;

    /// `seller.codes.changes`.
    fn code_changes(
        &self,
        request: &ChangesRequest,
    ) -> impl Future<Output = Result<ChangesPage<CodeChange>, CallError>> + Send;

    /// `seller.refunds.changes`.
    fn refund_changes(
        &self,
        request: &ChangesRequest,
    ) -> impl Future<Output = Result<ChangesPage<RefundRequestChange>, CallError>> + Send;
}

/// What the desk knows of the batch a chunk of codes belongs to, beyond what the call carries: a
/// platform that registers codes its own way (one promotion per code on Medusa) needs the
/// coupon's terms and each code as buyers read it (the format's display form, as exported).
#[derive(Debug, Clone, Copy)]
pub struct CodeBatchContext<'a> {
    pub coupon: &'a CouponTerms,
    pub format: &'a CodeFormat,
}

/// The one refusal that is the platform refusing the change itself (`docs/platform-api.md`:
/// `409 rule_violation`, with the rule in its message). Every other 4xx (credentials, a clock, a
/// malformed call, something the platform does not know, a proxy's page, a body too large) says
/// nothing against the change: it stays pending and the sync stops with the platform's reason.
const CHANGE_REFUSAL: (u16, &str) = (409, "rule_violation");

/// Why a platform call did not give its result. No variant ever holds the app secret or the
/// access token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallError {
    /// The platform refused the call (HTTP 4xx with its error body). Sending it again would be
    /// refused again.
    #[error("the platform refused the call (HTTP {status}, {code}): {message}")]
    Rejected { status: u16, code: String, message: String },
    /// The platform is overloaded or failing (HTTP 429 or 5xx). The change may or may not have
    /// been applied; it is sent again with the same mutation id, after `retry_after` if given.
    #[error("the platform is unavailable (HTTP {status}){}", describe_unavailable(.retry_after, .message))]
    Unavailable { status: u16, retry_after: Option<Duration>, message: String },
    /// The platform could not be reached, or its answer did not arrive in time. The change may
    /// or may not have been applied; it is sent again with the same mutation id.
    #[error("the platform could not be reached: {message}")]
    Unreachable { message: String },
    /// The platform answered with something Seller Desk cannot use; nothing of it was applied.
    #[error("the platform's answer to {method} cannot be used: {message}")]
    BadResponse { method: String, message: String },
}

impl CallError {
    /// What kind of failure this is, for a log line: its variant, never its message (which
    /// quotes what the platform answered).
    pub fn class(&self) -> &'static str {
        match self {
            CallError::Rejected { .. } => "rejected",
            CallError::Unavailable { .. } => "unavailable",
            CallError::Unreachable { .. } => "unreachable",
            CallError::BadResponse { .. } => "bad_response",
        }
    }
}

fn describe_unavailable(retry_after: &Option<Duration>, message: &str) -> String {
    let mut text = String::new();
    if !message.is_empty() {
        text.push_str(": ");
        text.push_str(message);
    }
    if let Some(delay) = retry_after {
        text.push_str(&format!(" (asked to retry after {} s)", delay.as_secs_f64()));
    }
    text
}

impl CallError {
    /// Whether the same call may succeed later: the platform was unavailable or unreachable.
    pub fn is_retryable(&self) -> bool {
        matches!(self, CallError::Unavailable { .. } | CallError::Unreachable { .. })
    }

    /// How long the platform asked to wait before the next call.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            CallError::Unavailable { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// Whether the call got an answer from the platform at all.
    pub fn reached_platform(&self) -> bool {
        !matches!(self, CallError::Unreachable { .. })
    }

    /// The refusal, when the platform refused the change the call carries for its rules (not
    /// its credentials, its clock or its shape): the change is then kept as rejected with the
    /// platform's reason. Anything else keeps the change pending.
    pub fn change_refusal(&self) -> Option<(&str, &str)> {
        match self {
            CallError::Rejected { status, code, message }
                if (*status, code.as_str()) == CHANGE_REFUSAL =>
            {
                Some((code, message))
            }
            _ => None,
        }
    }

    pub(crate) fn bad_response(method: &str, message: impl Into<String>) -> CallError {
        CallError::BadResponse { method: method.to_owned(), message: message.into() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rejected(status: u16, code: &str) -> CallError {
        CallError::Rejected { status, code: code.into(), message: "why".into() }
    }

    #[test]
    fn only_refusals_of_the_change_itself_reject_it() {
        assert_eq!(
            rejected(409, "rule_violation").change_refusal(),
            Some(("rule_violation", "why"))
        );
        // A code the platform does not know, a malformed call, a body too large or a bad cursor
        // say nothing against the change.
        assert!(rejected(404, "not_found").change_refusal().is_none());
        assert!(rejected(400, "invalid_request").change_refusal().is_none());
        assert!(rejected(413, "too_large").change_refusal().is_none());
        assert!(rejected(409, "conflict_of_some_other_kind").change_refusal().is_none());
        assert!(rejected(400, "rule_violation").change_refusal().is_none());
        assert!(rejected(401, "invalid_signature").change_refusal().is_none());
        assert!(rejected(401, "something_new").change_refusal().is_none());
        assert!(rejected(400, "timestamp_out_of_range").change_refusal().is_none());
        let unavailable =
            CallError::Unavailable { status: 503, retry_after: None, message: String::new() };
        assert!(unavailable.change_refusal().is_none());
        assert!(unavailable.is_retryable() && unavailable.reached_platform());
        let unreachable = CallError::Unreachable { message: "refused".into() };
        assert!(unreachable.is_retryable() && !unreachable.reached_platform());
    }

    #[test]
    fn unavailability_says_when_to_come_back() {
        let error = CallError::Unavailable {
            status: 429,
            retry_after: Some(Duration::from_secs(7)),
            message: "slow down".into(),
        };
        assert_eq!(
            error.to_string(),
            "the platform is unavailable (HTTP 429): slow down (asked to retry after 7 s)"
        );
        assert_eq!(error.retry_after(), Some(Duration::from_secs(7)));
    }
}
