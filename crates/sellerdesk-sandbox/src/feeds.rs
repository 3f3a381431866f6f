//! The change feeds: every change of a store's coupons, codes and refund requests is appended to
//! one log, in the same transaction as the change itself, and read back by cursor.
//!
//! A cursor is the sequence number of the last change a client has seen, written as a decimal
//! string. Sequence numbers grow across the whole sandbox, so they also grow within each store
//! and each feed; clients treat them as opaque.

use rusqlite::Connection;
use sellerdesk_platform::api::{ChangesPage, ChangesRequest, MAXIMUM_CHANGES_PER_PAGE};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, ApiErrorKind};

/// The number of changes a page holds when the call does not say.
pub const DEFAULT_CHANGES_PER_PAGE: u32 = 1_000;

/// The three change feeds of a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feed {
    Coupons,
    Codes,
    Refunds,
}

impl Feed {
    pub fn as_str(self) -> &'static str {
        match self {
            Feed::Coupons => "coupons",
            Feed::Codes => "codes",
            Feed::Refunds => "refunds",
        }
    }
}

/// Appends one change to `feed` of `store_id`. Call it inside the transaction that makes the
/// change, so that the change and its feed entry are committed together.
pub fn append_change(
    connection: &Connection,
    store_id: &str,
    feed: Feed,
    item: &impl Serialize,
) -> Result<(), ApiError> {
    let item = serde_json::to_string(item)?;
    connection
        .prepare_cached("INSERT INTO changes (store_id, feed, item) VALUES (?1, ?2, ?3)")?
        .execute((store_id, feed.as_str(), item))?;
    Ok(())
}

/// Reads the changes of `feed` after the request's cursor, in order.
pub fn read_changes<Item: DeserializeOwned>(
    connection: &Connection,
    store_id: &str,
    feed: Feed,
    request: &ChangesRequest,
) -> Result<ChangesPage<Item>, ApiError> {
    let after = match request.cursor.as_deref() {
        None | Some("") => 0,
        Some(cursor) => {
            cursor.parse::<i64>().ok().filter(|sequence| *sequence >= 0).ok_or_else(|| {
                ApiError::invalid_request(format!("cursor \"{cursor}\" is not one this feed gave"))
            })?
        }
    };
    // A cursor beyond the feed's last change was given by another history (a reset platform).
    let last: i64 = connection
        .prepare_cached(
            "SELECT COALESCE(MAX(sequence), 0) FROM changes WHERE store_id = ?1 AND feed = ?2",
        )?
        .query_row((store_id, feed.as_str()), |row| row.get(0))?;
    if after > last {
        return Err(ApiError::new(
            ApiErrorKind::CursorReset,
            format!(
                "cursor \"{after}\" is beyond this feed's last change ({last}): its history was reset"
            ),
        ));
    }
    let limit = request.limit.unwrap_or(DEFAULT_CHANGES_PER_PAGE);
    if !(1..=MAXIMUM_CHANGES_PER_PAGE).contains(&limit) {
        return Err(ApiError::invalid_request(format!(
            "limit must be from 1 to {MAXIMUM_CHANGES_PER_PAGE}, not {limit}"
        )));
    }
    let mut statement = connection.prepare_cached(
        "SELECT sequence, item FROM changes
         WHERE store_id = ?1 AND feed = ?2 AND sequence > ?3
         ORDER BY sequence LIMIT ?4",
    )?;
    // One more than asked for tells whether more is waiting.
    let mut rows = statement.query((store_id, feed.as_str(), after, i64::from(limit) + 1))?;
    let mut items = Vec::with_capacity(usize::try_from(limit).unwrap_or(0));
    let mut last_sequence = after;
    let mut has_more = false;
    while let Some(row) = rows.next()? {
        if items.len() == usize::try_from(limit).unwrap_or(usize::MAX) {
            has_more = true;
            break;
        }
        last_sequence = row.get(0)?;
        let item: String = row.get(1)?;
        items.push(serde_json::from_str(&item)?);
    }
    Ok(ChangesPage {
        items,
        next_cursor: last_sequence.to_string(),
        has_more,
        unusable: Vec::new(),
    })
}
