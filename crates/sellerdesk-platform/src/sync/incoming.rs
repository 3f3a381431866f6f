//! Checking what the platform sent before anything of it is applied: every item of a page is
//! turned into the store's typed values, or the whole page is refused with a
//! [`CallError::BadResponse`] that says which item and what was wrong.

use sellerdesk_core::Timestamp;
use sellerdesk_core::codes::CodeFormat;
use sellerdesk_core::ids::CouponId;
use sellerdesk_core::money::Currency;
use sellerdesk_core::seller_coupon::{CouponState, SellerCouponRequest, SellerCouponTerms};
use sellerdesk_core::status::CouponStatus;
use sellerdesk_store::{
    IncomingCodeStatus, IncomingCoupon, IncomingRefundRequest, PlatformCounts, RefundDecision,
    StoredCodeFormat,
};

use crate::api::{CodeChange, CouponChange, CouponTerms, Decision, RefundRequestChange, methods};
use crate::platform_api::CallError;
use crate::sync::{LONGEST_PLATFORM_TEXT, capped};

/// The coupon states the coupons feed may report.
const FEED_COUPON_STATES: [CouponState; 3] =
    [CouponState::Published, CouponState::Rejected, CouponState::Stopped];

pub(crate) fn coupon(
    change: &CouponChange,
    store_currency: Currency,
) -> Result<IncomingCoupon, CallError> {
    let method = methods::COUPONS_CHANGES;
    let terms = &change.terms;
    let what = format!("coupon \"{}\"", terms.coupon_id);
    let bad = |message: String| CallError::bad_response(method, format!("{what}: {message}"));
    let coupon_id =
        CouponId::parse("coupon_id", &terms.coupon_id).map_err(|error| bad(error.message))?;
    let state = CouponState::parse(&change.state)
        .filter(|state| FEED_COUPON_STATES.contains(state))
        .ok_or_else(|| bad(format!("unknown state \"{}\"", change.state)))?;
    for (count, what) in [(change.claimed, "claimed"), (change.codes, "codes")] {
        if let Some(count) = count
            && count > u64::from(terms.quantity)
        {
            return Err(bad(format!(
                "{count} {what}, more than its quantity of {}",
                terms.quantity
            )));
        }
    }
    Ok(IncomingCoupon {
        coupon_id,
        terms: coupon_terms(method, &what, terms, store_currency)?,
        state,
        reason: change.reason.as_deref().map(|reason| capped(reason, LONGEST_PLATFORM_TEXT)),
        counts: PlatformCounts { claimed: change.claimed, codes: change.codes },
    })
}

/// The terms of a coupon as the platform states them, checked as the store holds them.
pub(crate) fn coupon_terms(
    method: &str,
    what: &str,
    terms: &CouponTerms,
    store_currency: Currency,
) -> Result<SellerCouponTerms, CallError> {
    let bad = |message: String| CallError::bad_response(method, format!("{what}: {message}"));
    if terms.currency != store_currency.code() {
        return Err(bad(format!(
            "its currency {} is not the store's ({})",
            terms.currency,
            store_currency.code()
        )));
    }
    let amount = |field: &str, text: &str| {
        store_currency
            .parse_amount(text)
            .map_err(|error| bad(format!("{field} \"{text}\": {error}")))
    };
    SellerCouponTerms::restore(SellerCouponRequest {
        title: terms.title.clone(),
        currency: store_currency,
        discount: amount("discount", &terms.discount)?,
        min_purchase: amount("min_purchase", &terms.min_purchase)?,
        valid_from: timestamp(method, what, "valid_from", &terms.valid_from)?,
        valid_to: timestamp(method, what, "valid_to", &terms.valid_to)?,
        quantity: terms.quantity,
    })
    .map_err(|error| bad(error.to_string()))
}

pub(crate) fn code_status(change: &CodeChange) -> Result<IncomingCodeStatus, CallError> {
    let method = methods::CODES_CHANGES;
    let what = format!("code \"{}\"", change.code);
    let bad = |message: String| CallError::bad_response(method, format!("{what}: {message}"));
    let normalised = |c: char| c.is_ascii_uppercase() || c.is_ascii_digit();
    if change.code.is_empty() || !change.code.chars().all(normalised) {
        return Err(bad("a normalised code is made of letters A-Z and digits only".into()));
    }
    let coupon_id =
        CouponId::parse("coupon_id", &change.coupon_id).map_err(|error| bad(error.message))?;
    let status: CouponStatus =
        change.status.parse().map_err(|_| bad(format!("unknown status \"{}\"", change.status)))?;
    let changed_at = timestamp(method, &what, "changed_at", &change.changed_at)?;
    Ok(IncomingCodeStatus { code: change.code.clone(), coupon_id, status, changed_at })
}

/// The longest request id kept; the platform's ids are far shorter.
const LONGEST_REQUEST_ID: usize = 128;

pub(crate) fn refund_request(
    change: &RefundRequestChange,
) -> Result<IncomingRefundRequest, CallError> {
    let method = methods::REFUNDS_CHANGES;
    let what = format!("refund request \"{}\"", change.request_id);
    let bad = |message: &str| CallError::bad_response(method, format!("{what}: {message}"));
    if change.request_id.is_empty()
        || change.request_id.len() > LONGEST_REQUEST_ID
        || change.request_id.chars().any(char::is_control)
    {
        return Err(bad("a request id is 1 to 128 printable characters"));
    }
    let decided_at = change
        .decided_at
        .as_deref()
        .map(|text| timestamp(method, &what, "decided_at", text))
        .transpose()?;
    if change.decision.is_some() != decided_at.is_some() {
        return Err(bad("a decision comes with its decided_at, and only then"));
    }
    let preview_input = serde_json::to_string(&change.preview_input)
        .map_err(|error| bad(&format!("its refund preview input: {error}")))?;
    Ok(IncomingRefundRequest {
        request_id: change.request_id.clone(),
        preview_input,
        requested_at: timestamp(method, &what, "requested_at", &change.requested_at)?,
        decision: change.decision.map(refund_decision),
        decided_at,
    })
}

pub(crate) fn refund_decision(decision: Decision) -> RefundDecision {
    match decision {
        Decision::Approve => RefundDecision::Approve,
        Decision::Refuse => RefundDecision::Refuse,
    }
}

pub(crate) fn timestamp(
    method: &str,
    what: &str,
    field: &str,
    text: &str,
) -> Result<Timestamp, CallError> {
    text.parse().map_err(|_| {
        CallError::bad_response(
            method,
            format!("{what}: {field} \"{text}\" is not an RFC 3339 time"),
        )
    })
}

/// The format a stored batch was made with, checked again as it is read back (to make
/// replacement codes of the same shape).
pub(crate) fn code_format(stored: &StoredCodeFormat) -> Result<CodeFormat, String> {
    stored.to_format().map_err(|error| error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms() -> CouponTerms {
        CouponTerms {
            coupon_id: "C1".into(),
            title: "Spring".into(),
            currency: "USD".into(),
            discount: "5.00".into(),
            min_purchase: "20.00".into(),
            valid_from: "2030-01-01T00:00:00Z".into(),
            valid_to: "2030-02-01T00:00:00Z".into(),
            quantity: 100,
        }
    }

    fn usd() -> Currency {
        Currency::from_code("USD").unwrap()
    }

    fn bad_message(result: Result<impl std::fmt::Debug, CallError>) -> String {
        match result {
            Err(CallError::BadResponse { message, .. }) => message,
            other => panic!("expected a bad response, got {other:?}"),
        }
    }

    #[test]
    fn coupons_are_checked_as_the_store_holds_them() {
        let change = CouponChange {
            terms: terms(),
            state: "published".into(),
            reason: None,
            claimed: None,
            codes: None,
        };
        let incoming = coupon(&change, usd()).unwrap();
        assert_eq!(incoming.state, CouponState::Published);
        assert_eq!(incoming.terms.discount().minor_units(), 500);
        let quantity = u64::from(terms().quantity);
        let counted = CouponChange { claimed: Some(quantity), codes: Some(3), ..change.clone() };
        assert_eq!(
            coupon(&counted, usd()).unwrap().counts,
            PlatformCounts { claimed: Some(quantity), codes: Some(3) }
        );
        let over_claimed = CouponChange { claimed: Some(quantity + 1), ..change.clone() };
        assert!(
            bad_message(coupon(&over_claimed, usd())).contains("claimed, more than its quantity")
        );
        let too_many_codes = CouponChange { codes: Some(quantity + 1), ..change.clone() };
        assert!(
            bad_message(coupon(&too_many_codes, usd())).contains("codes, more than its quantity")
        );

        let unknown_state = CouponChange { state: "archived".into(), ..change.clone() };
        assert!(bad_message(coupon(&unknown_state, usd())).contains("unknown state \"archived\""));
        let pending = CouponChange { state: "pending".into(), ..change.clone() };
        assert!(bad_message(coupon(&pending, usd())).contains("unknown state"));
        let euro = CouponChange {
            terms: CouponTerms { currency: "EUR".into(), ..terms() },
            ..change.clone()
        };
        assert!(bad_message(coupon(&euro, usd())).contains("not the store's"));
        let too_precise = CouponChange {
            terms: CouponTerms { discount: "5.001".into(), ..terms() },
            ..change.clone()
        };
        assert!(bad_message(coupon(&too_precise, usd())).contains("discount \"5.001\""));
        let bad_time = CouponChange {
            terms: CouponTerms { valid_to: "tomorrow".into(), ..terms() },
            ..change
        };
        assert!(bad_message(coupon(&bad_time, usd())).contains("valid_to \"tomorrow\""));
    }

    #[test]
    fn code_statuses_must_be_known() {
        let change = CodeChange {
            code: "ABCD2345".into(),
            coupon_id: "C1".into(),
            status: "used".into(),
            changed_at: "2030-01-05T10:00:00Z".into(),
        };
        let incoming = code_status(&change).unwrap();
        assert_eq!(incoming.status, CouponStatus::Used);
        assert_eq!(incoming.changed_at.to_string(), "2030-01-05T10:00:00Z");
        let unknown = CodeChange { status: "lost".into(), ..change.clone() };
        assert!(bad_message(code_status(&unknown)).contains("unknown status \"lost\""));
        let dashed = CodeChange { code: "ABCD-2345".into(), ..change.clone() };
        assert!(bad_message(code_status(&dashed)).contains("letters A-Z and digits"));
        let undated = CodeChange { changed_at: "yesterday".into(), ..change };
        assert!(bad_message(code_status(&undated)).contains("changed_at \"yesterday\""));
    }
}
