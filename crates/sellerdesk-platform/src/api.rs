//! The wire types of every platform method (`docs/platform-api.md`), shared by Seller Desk's client
//! and the sandbox server. Amounts are decimal strings; times are RFC 3339 UTC strings.

use sellerdesk_core::seller_coupon::SellerCouponTerms;
use serde::{Deserialize, Serialize};

pub use sellerdesk_core::contract::RefundPreviewInput;

/// The method names, as the `method` parameter carries them.
pub mod methods {
    pub const COUPON_CREATE: &str = "seller.coupon.create";
    pub const COUPON_STOP: &str = "seller.coupon.stop";
    pub const COUPON_RETITLE: &str = "seller.coupon.retitle";
    pub const CODES_UPLOAD: &str = "seller.codes.upload";
    pub const REFUND_DECIDE: &str = "seller.refund.decide";
    pub const COUPONS_CHANGES: &str = "seller.coupons.changes";
    pub const CODES_CHANGES: &str = "seller.codes.changes";
    pub const REFUNDS_CHANGES: &str = "seller.refunds.changes";
    pub const COUPONS_LIST: &str = "seller.coupons.list";
}

/// The longest mutation id the platform takes (and the shortest is one character).
pub const MAXIMUM_MUTATION_ID_CHARS: usize = 64;

/// The most codes one `seller.codes.upload` call carries.
pub const MAXIMUM_CODES_PER_UPLOAD: usize = 1_000;

/// The most items one change-feed call returns.
pub const MAXIMUM_CHANGES_PER_PAGE: u32 = 5_000;

/// The most items one page of a paged list holds.
pub const MAXIMUM_PAGE_SIZE: u32 = 50;

/// The gateway's URL path.
pub const GATEWAY_PATH: &str = "/sync";

/// A seller coupon's terms as the platform knows them. Fields it does not know are ignored: the
/// coupons feed carries these terms, and a platform that adds a field must not stop the feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouponTerms {
    pub coupon_id: String,
    pub title: String,
    pub currency: String,
    pub discount: String,
    pub min_purchase: String,
    pub valid_from: String,
    pub valid_to: String,
    pub quantity: u32,
}

impl CouponTerms {
    /// The terms as the platform writes them: amounts with the currency's digits, times in UTC.
    pub fn of(coupon_id: &str, terms: &SellerCouponTerms) -> CouponTerms {
        CouponTerms {
            coupon_id: coupon_id.to_owned(),
            title: terms.title().to_owned(),
            currency: terms.currency().code().to_owned(),
            discount: terms.discount().to_string(),
            min_purchase: terms.min_purchase().to_string(),
            valid_from: terms.valid_from().to_string(),
            valid_to: terms.valid_to().to_string(),
            quantity: terms.quantity(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateCouponRequest {
    pub mutation_id: String,
    pub coupon: CouponTerms,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateCouponResult {
    pub coupon_id: String,
    pub state: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StopCouponRequest {
    pub mutation_id: String,
    pub coupon_id: String,
    pub stopped_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StopCouponResult {
    pub coupon_id: String,
    pub state: String,
    pub valid_to: String,
}

impl StopCouponResult {
    /// The coupon stopped as asked: its validity ends at the time of the stop.
    pub fn as_asked(request: &StopCouponRequest) -> StopCouponResult {
        StopCouponResult {
            coupon_id: request.coupon_id.clone(),
            state: "stopped".into(),
            valid_to: request.stopped_at.clone(),
        }
    }
}

/// A coupon's new title: the one term that may change once a coupon is submitted (CREATE-5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetitleCouponRequest {
    pub mutation_id: String,
    pub coupon_id: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetitleCouponResult {
    pub coupon_id: String,
    pub title: String,
}

impl RetitleCouponResult {
    /// The coupon retitled as asked.
    pub fn as_asked(request: &RetitleCouponRequest) -> RetitleCouponResult {
        RetitleCouponResult { coupon_id: request.coupon_id.clone(), title: request.title.clone() }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UploadCodesRequest {
    pub mutation_id: String,
    pub coupon_id: String,
    pub batch_id: i64,
    pub channel: Option<String>,
    /// Normalised codes, at most [`MAXIMUM_CODES_PER_UPLOAD`].
    pub codes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadCodesResult {
    pub accepted: u32,
    /// Codes that another store or coupon already holds on the platform; they were not stored.
    pub taken: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    Approve,
    Refuse,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecideRefundRequest {
    pub mutation_id: String,
    pub request_id: String,
    pub decision: Decision,
    /// The seller's reason for a refusal, in their words (a platform may ask for one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecideRefundResult {
    pub request_id: String,
    pub decision: Decision,
    pub decided_at: String,
}

impl DecideRefundResult {
    /// The request decided as asked, at `decided_at`.
    pub fn as_asked(request: &DecideRefundRequest, decided_at: String) -> DecideRefundResult {
        DecideRefundResult {
            request_id: request.request_id.clone(),
            decision: request.decision,
            decided_at,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangesRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangesPage<T> {
    pub items: Vec<T>,
    pub next_cursor: String,
    pub has_more: bool,
    /// Items of the page a connector could not turn into changes (an AliExpress status it does
    /// not know), each named with why: the sync sets them aside and the feed goes on. Never on
    /// the wire: the Seller Desk API's pages carry only items.
    #[serde(skip)]
    pub unusable: Vec<UnusableItem>,
}

/// An item of a platform's page that could not be turned into a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnusableItem {
    /// What it is about: a coupon id, a code, a request id.
    pub name: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouponChange {
    #[serde(flatten)]
    pub terms: CouponTerms,
    /// published, rejected or stopped.
    pub state: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// How many buyers claimed the coupon, where the platform counts claims of the coupon itself
    /// rather than of codes (AliExpress's `released_num`). The `sellerdesk` kind counts codes, and
    /// sends none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claimed: Option<u64>,
    /// How many codes the platform holds for the coupon, made on every desk of the store: a
    /// desk counts its teammates' codes against the coupon's quantity with it (CODES-1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codes: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeChange {
    pub code: String,
    pub coupon_id: String,
    /// valid, inactive, used, expired or pending.
    pub status: String,
    pub changed_at: String,
}

/// A buyer's refund request: the payment and the refund asked for, in the shape of the refund
/// preview's input, so that Seller Desk can preview it as it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RefundRequestChange {
    pub request_id: String,
    pub preview_input: RefundPreviewInput,
    pub requested_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<Decision>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageRequest {
    pub page: u32,
    pub page_size: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub page: u32,
    pub page_size: u32,
    pub total: u64,
}

/// A refusal, as every 4xx answer carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    /// invalid_request, invalid_signature, unknown_app_key, invalid_session,
    /// timestamp_out_of_range, not_found or rule_violation.
    pub code: String,
    pub message: String,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn answers_with_fields_this_build_does_not_know_still_read() {
        let page: ChangesPage<CouponChange> = serde_json::from_str(
            r#"{"items": [{"coupon_id": "C1", "title": "Spring", "currency": "USD",
                 "discount": "3.00", "min_purchase": "20.00",
                 "valid_from": "2026-11-25T00:00:00Z", "valid_to": "2026-12-25T00:00:00Z",
                 "quantity": 100, "state": "published", "banner_colour": "teal"}],
               "next_cursor": "7", "has_more": false, "served_by": "edge-3"}"#,
        )
        .unwrap();
        assert_eq!(page.items[0].terms.coupon_id, "C1");
        assert_eq!(page.items[0].state, "published");
    }
}
