//! The rows of the sandbox's tables as typed values, and the SQL that reads and writes them.
//! Every write that a client can see also appends to the right change feed.

use rusqlite::{Connection, OptionalExtension};
use sellerdesk_core::Timestamp;
use sellerdesk_core::contract::RefundPreviewInput;
use sellerdesk_core::seller_coupon::CouponState;
use sellerdesk_core::status::CouponStatus;
use sellerdesk_platform::api::{
    CodeChange, CouponChange, CouponTerms, Decision, RefundRequestChange,
};

use crate::error::ApiError;
use crate::feeds::{Feed, append_change};

/// A seller coupon as the platform holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouponRow {
    pub store_id: String,
    pub terms: CouponTerms,
    /// Published, rejected or stopped; the platform never holds drafts.
    pub state: CouponState,
    pub reason: Option<String>,
    pub code_count: u32,
}

impl CouponRow {
    pub fn change(&self) -> CouponChange {
        CouponChange {
            terms: self.terms.clone(),
            state: self.state.as_str().to_owned(),
            reason: self.reason.clone(),
            claimed: None,
            codes: Some(u64::from(self.code_count)),
        }
    }
}

const COUPON_COLUMNS: &str = "store_id, coupon_id, title, currency, discount, min_purchase, \
                              valid_from, valid_to, quantity, state, reason, code_count";

fn coupon_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<CouponRow> {
    let state: String = row.get(9)?;
    Ok(CouponRow {
        store_id: row.get(0)?,
        terms: CouponTerms {
            coupon_id: row.get(1)?,
            title: row.get(2)?,
            currency: row.get(3)?,
            discount: row.get(4)?,
            min_purchase: row.get(5)?,
            valid_from: row.get(6)?,
            valid_to: row.get(7)?,
            quantity: row.get(8)?,
        },
        state: CouponState::parse(&state).unwrap_or(CouponState::Published),
        reason: row.get(10)?,
        code_count: row.get(11)?,
    })
}

pub fn load_coupon(
    connection: &Connection,
    store_id: &str,
    coupon_id: &str,
) -> rusqlite::Result<Option<CouponRow>> {
    connection
        .prepare_cached(&format!(
            "SELECT {COUPON_COLUMNS} FROM coupons WHERE store_id = ?1 AND coupon_id = ?2"
        ))?
        .query_row([store_id, coupon_id], coupon_from_row)
        .optional()
}

/// The coupons of a store ordered by id, a page at a time.
pub fn coupons_of_store(
    connection: &Connection,
    store_id: &str,
    offset: u64,
    limit: u32,
) -> rusqlite::Result<Vec<CouponRow>> {
    connection
        .prepare_cached(&format!(
            "SELECT {COUPON_COLUMNS} FROM coupons WHERE store_id = ?1
             ORDER BY coupon_id LIMIT ?2 OFFSET ?3"
        ))?
        .query_map((store_id, limit, i64::try_from(offset).unwrap_or(i64::MAX)), coupon_from_row)?
        .collect()
}

pub fn count_coupons_of_store(connection: &Connection, store_id: &str) -> rusqlite::Result<u64> {
    connection
        .prepare_cached("SELECT COUNT(*) FROM coupons WHERE store_id = ?1")?
        .query_row([store_id], |row| row.get::<_, i64>(0))
        .map(|count| u64::try_from(count).unwrap_or(0))
}

/// Writes the coupon (new, or replacing one with the same id) and appends it to the feed.
pub fn save_coupon(connection: &Connection, coupon: &CouponRow) -> Result<(), ApiError> {
    let terms = &coupon.terms;
    connection
        .prepare_cached(&format!(
            "INSERT INTO coupons ({COUPON_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
             ON CONFLICT (store_id, coupon_id) DO UPDATE SET
                 title = excluded.title, currency = excluded.currency,
                 discount = excluded.discount, min_purchase = excluded.min_purchase,
                 valid_from = excluded.valid_from, valid_to = excluded.valid_to,
                 quantity = excluded.quantity, state = excluded.state, reason = excluded.reason,
                 code_count = excluded.code_count"
        ))?
        .execute(rusqlite::params![
            coupon.store_id,
            terms.coupon_id,
            terms.title,
            terms.currency,
            terms.discount,
            terms.min_purchase,
            terms.valid_from,
            terms.valid_to,
            terms.quantity,
            coupon.state.as_str(),
            coupon.reason,
            coupon.code_count,
        ])?;
    append_change(connection, &coupon.store_id, Feed::Coupons, &coupon.change())
}

/// A code to store for the first time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCode<'a> {
    pub store_id: &'a str,
    pub coupon_id: &'a str,
    pub code: &'a str,
    pub batch_id: i64,
    pub channel: Option<&'a str>,
    pub status: CouponStatus,
    pub buyer_id: Option<&'a str>,
    pub changed_at: &'a str,
}

/// What became of a code offered to the platform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeInsertion {
    /// Stored now; appended to the codes feed unless it is valid with no buyer (an upload).
    Stored,
    /// This very coupon already holds it.
    AlreadyHeld,
    /// Another coupon or store holds it; nothing was stored.
    Taken,
}

/// Stores a code unless the platform already has it. Codes are unique on the whole platform.
/// A valid code with no buyer (every uploaded code) is not appended to the codes feed: the feed
/// carries buyer-side statuses, and such a code enters it with its first claim or its expiry.
pub fn insert_code(connection: &Connection, code: &NewCode<'_>) -> Result<CodeInsertion, ApiError> {
    let inserted = connection
        .prepare_cached(
            "INSERT INTO codes (code, store_id, coupon_id, batch_id, channel, status, buyer_id, changed_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (code) DO NOTHING",
        )?
        .execute(rusqlite::params![
            code.code,
            code.store_id,
            code.coupon_id,
            code.batch_id,
            code.channel,
            code.status.as_str(),
            code.buyer_id,
            code.changed_at,
        ])?;
    if inserted == 1 {
        let change = feed_entry(code.code, code.coupon_id, code.status, code.changed_at);
        append_code_change(connection, code.store_id, code.buyer_id, change)?;
        return Ok(CodeInsertion::Stored);
    }
    let holder: Option<(String, String)> = connection
        .prepare_cached("SELECT store_id, coupon_id FROM codes WHERE code = ?1")?
        .query_row([code.code], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    match holder {
        Some((store_id, coupon_id)) if store_id == code.store_id && coupon_id == code.coupon_id => {
            Ok(CodeInsertion::AlreadyHeld)
        }
        _ => Ok(CodeInsertion::Taken),
    }
}

/// Moves a code to `status` (with the buyer who holds it) and appends the change to the feed.
pub fn change_code_status(
    connection: &Connection,
    store_id: &str,
    coupon_id: &str,
    code: &str,
    status: CouponStatus,
    buyer_id: Option<&str>,
    changed_at: &str,
) -> Result<(), ApiError> {
    connection
        .prepare_cached(
            "UPDATE codes SET status = ?2, buyer_id = ?3, changed_at = ?4 WHERE code = ?1",
        )?
        .execute((code, status.as_str(), buyer_id, changed_at))?;
    append_code_change(
        connection,
        store_id,
        buyer_id,
        feed_entry(code, coupon_id, status, changed_at),
    )
}

/// Appends a code's new status to the codes feed, which carries buyer-side statuses: a code
/// enters it once a buyer claims it. A code nobody holds is no news to the seller, who sees it
/// as unclaimed: neither once uploaded nor once expired with its coupon (else every code a
/// campaign did not hand out would count as claimed once it ended).
fn append_code_change(
    connection: &Connection,
    store_id: &str,
    buyer_id: Option<&str>,
    change: CodeChange,
) -> Result<(), ApiError> {
    if buyer_id.is_none() {
        return Ok(());
    }
    append_change(connection, store_id, Feed::Codes, &change)
}

/// A code's new status as the codes feed carries it.
fn feed_entry(code: &str, coupon_id: &str, status: CouponStatus, changed_at: &str) -> CodeChange {
    CodeChange {
        code: code.to_owned(),
        coupon_id: coupon_id.to_owned(),
        status: status.as_str().to_owned(),
        changed_at: changed_at.to_owned(),
    }
}

/// Expires the still valid codes of every coupon whose validity ended at or before `now`
/// (STATUS-2, valid → expired), at most `limit` of them. Returns how many expired.
pub fn expire_ended_codes(
    connection: &Connection,
    now: Timestamp,
    limit: u32,
) -> Result<u32, ApiError> {
    let ended: Vec<(String, String)> = connection
        .prepare_cached(
            "SELECT store_id, coupon_id FROM coupons
             WHERE julianday(valid_to) <= julianday(?1) ORDER BY store_id, coupon_id",
        )?
        .query_map([now.to_string()], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut expired = 0;
    for (store_id, coupon_id) in &ended {
        if expired >= limit {
            break;
        }
        expired +=
            expire_valid_codes_of_coupon(connection, store_id, coupon_id, now, limit - expired)?;
    }
    Ok(expired)
}

/// Expires at most `limit` still valid codes of one coupon whose validity has ended.
pub fn expire_valid_codes_of_coupon(
    connection: &Connection,
    store_id: &str,
    coupon_id: &str,
    now: Timestamp,
    limit: u32,
) -> Result<u32, ApiError> {
    let changed_at = now.to_string();
    let valid: Vec<(String, Option<String>)> = connection
        .prepare_cached(
            "SELECT code, buyer_id FROM codes
             WHERE store_id = ?1 AND coupon_id = ?2 AND status = 'valid' LIMIT ?3",
        )?
        .query_map((store_id, coupon_id, limit), |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (code, buyer_id) in &valid {
        change_code_status(
            connection,
            store_id,
            coupon_id,
            code,
            CouponStatus::Expired,
            buyer_id.as_deref(),
            &changed_at,
        )?;
    }
    Ok(u32::try_from(valid.len()).unwrap_or(u32::MAX))
}

/// A buyer's refund request as the platform holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct RefundRequestRow {
    pub store_id: String,
    pub buyer_id: String,
    pub change: RefundRequestChange,
}

pub fn load_refund_request(
    connection: &Connection,
    store_id: &str,
    request_id: &str,
) -> Result<Option<RefundRequestRow>, ApiError> {
    struct StoredRequest {
        buyer_id: String,
        preview_input: String,
        requested_at: String,
        decision: Option<String>,
        decided_at: Option<String>,
    }
    let stored = connection
        .prepare_cached(
            "SELECT buyer_id, preview_input, requested_at, decision, decided_at
             FROM refund_requests WHERE store_id = ?1 AND request_id = ?2",
        )?
        .query_row([store_id, request_id], |row| {
            Ok(StoredRequest {
                buyer_id: row.get(0)?,
                preview_input: row.get(1)?,
                requested_at: row.get(2)?,
                decision: row.get(3)?,
                decided_at: row.get(4)?,
            })
        })
        .optional()?;
    let Some(StoredRequest { buyer_id, preview_input, requested_at, decision, decided_at }) =
        stored
    else {
        return Ok(None);
    };
    let preview_input: RefundPreviewInput = serde_json::from_str(&preview_input)?;
    let decision = decision.map(|decision| parse_decision(&decision)).transpose()?;
    Ok(Some(RefundRequestRow {
        store_id: store_id.to_owned(),
        buyer_id,
        change: RefundRequestChange {
            request_id: request_id.to_owned(),
            preview_input,
            requested_at,
            decision,
            decided_at,
        },
    }))
}

pub fn decision_as_str(decision: Decision) -> &'static str {
    match decision {
        Decision::Approve => "approve",
        Decision::Refuse => "refuse",
    }
}

fn parse_decision(text: &str) -> Result<Decision, ApiError> {
    match text {
        "approve" => Ok(Decision::Approve),
        "refuse" => Ok(Decision::Refuse),
        other => Err(ApiError::new(
            crate::error::ApiErrorKind::Internal,
            format!("the sandbox database holds an unknown decision \"{other}\""),
        )),
    }
}

/// Writes the refund request (new, or replacing one with the same id) and appends it to the
/// refunds feed.
pub fn save_refund_request(
    connection: &Connection,
    request: &RefundRequestRow,
) -> Result<(), ApiError> {
    let change = &request.change;
    connection
        .prepare_cached(
            "INSERT INTO refund_requests
                 (store_id, request_id, buyer_id, preview_input, requested_at, decision, decided_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (store_id, request_id) DO UPDATE SET
                 decision = excluded.decision, decided_at = excluded.decided_at",
        )?
        .execute(rusqlite::params![
            request.store_id,
            change.request_id,
            request.buyer_id,
            serde_json::to_string(&change.preview_input)?,
            change.requested_at,
            change.decision.map(decision_as_str),
            change.decided_at,
        ])?;
    append_change(connection, &request.store_id, Feed::Refunds, change)
}

pub fn insert_buyer(connection: &Connection, buyer_id: &str, name: &str) -> rusqlite::Result<()> {
    connection
        .prepare_cached("INSERT INTO buyers (buyer_id, name) VALUES (?1, ?2)")?
        .execute([buyer_id, name])?;
    Ok(())
}
