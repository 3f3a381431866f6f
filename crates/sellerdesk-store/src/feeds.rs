//! The platform's feeds as the database sees them: each feed's cursor, pulled coupons and code
//! statuses applied (a coupon with changes still pending here keeps its local state), and items
//! set aside with why they could not be used.

use rusqlite::{OptionalExtension, params};
use sellerdesk_core::Timestamp;
use sellerdesk_core::ids::{CouponId, StoreId};
use sellerdesk_core::seller_coupon::{CouponState, SellerCouponTerms};
use sellerdesk_core::status::CouponStatus;

use crate::error::StoreError;
use crate::reader::{Reader, parse_timestamp, unreadable};
use crate::records::{CouponRecord, PlatformCounts};
use crate::writer::{Writer, minor_units};

/// The feeds read from the platform, each with its own cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SyncStream {
    Coupons,
    Codes,
    Refunds,
}

impl SyncStream {
    pub const ALL: [SyncStream; 3] = [SyncStream::Coupons, SyncStream::Codes, SyncStream::Refunds];

    pub fn as_str(self) -> &'static str {
        match self {
            SyncStream::Coupons => "coupons",
            SyncStream::Codes => "codes",
            SyncStream::Refunds => "refunds",
        }
    }

    pub fn parse(text: &str) -> Option<SyncStream> {
        SyncStream::ALL.into_iter().find(|stream| stream.as_str() == text)
    }
}

/// A coupon as the platform's feed describes it, already checked and typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomingCoupon {
    pub coupon_id: CouponId,
    pub terms: SellerCouponTerms,
    /// Published, rejected or stopped.
    pub state: CouponState,
    pub reason: Option<String>,
    /// What the platform counts of it.
    pub counts: PlatformCounts,
}

/// A code's buyer-side status as the platform's feed describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomingCodeStatus {
    /// Normalised.
    pub code: String,
    pub coupon_id: CouponId,
    pub status: CouponStatus,
    /// When the code took this status, as the platform says.
    pub changed_at: Timestamp,
}

/// What applying one pulled change did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppliedChange {
    /// Written (inserted or updated; writing the same change again changes nothing more).
    Applied,
    /// Left alone: a local change to the same thing is still waiting to reach the platform, and
    /// the platform will report the result of that change later.
    KeptLocal,
    /// Left alone: nothing of this store matches it (such as a code this database never had).
    Unknown,
}

/// An item of a platform's feed set aside: which feed, what it names (a coupon id, a code, a
/// request id), why it could not be used, and when it was last seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetAsideItem {
    pub stream: SyncStream,
    pub item: String,
    pub reason: String,
    pub seen_at: Timestamp,
}

impl Reader<'_> {
    /// The cursor to pass to the feed next time; `None` to read it from the start.
    pub fn sync_cursor(
        &self,
        store_id: &StoreId,
        stream: SyncStream,
    ) -> Result<Option<String>, StoreError> {
        let cursor: Option<Option<String>> = self
            .connection
            .prepare_cached("SELECT cursor FROM sync_state WHERE store_id = ?1 AND stream = ?2")
            .and_then(|mut statement| {
                statement
                    .query_row(params![store_id.as_str(), stream.as_str()], |row| row.get(0))
                    .optional()
            })
            .map_err(|error| self.sql_error(error))?;
        Ok(cursor.flatten())
    }

    /// The store's set-aside feed items, by feed and item.
    pub fn set_aside_items(&self, store_id: &StoreId) -> Result<Vec<SetAsideItem>, StoreError> {
        let rows = self
            .connection
            .prepare_cached(
                "SELECT stream, item, reason, seen_at FROM set_aside_items WHERE store_id = ?1 \
                 ORDER BY stream, item",
            )
            .and_then(|mut statement| {
                statement
                    .query_map(params![store_id.as_str()], |row| {
                        Ok((
                            row.get::<_, String>(0)?,
                            row.get::<_, String>(1)?,
                            row.get::<_, String>(2)?,
                            row.get::<_, String>(3)?,
                        ))
                    })?
                    .collect::<Result<Vec<_>, _>>()
            })
            .map_err(|error| self.sql_error(error))?;
        rows.into_iter()
            .map(|(stream, item, reason, seen_at)| {
                let stream = SyncStream::parse(&stream).ok_or_else(|| {
                    unreadable(self.path, format!("set_aside_items.stream {stream:?}"))
                })?;
                Ok(SetAsideItem {
                    stream,
                    item,
                    reason,
                    seen_at: parse_timestamp(self.path, &seen_at)?,
                })
            })
            .collect()
    }
}

impl Writer<'_> {
    /// Sets a feed item aside with why it cannot be used (replacing what was said of it before).
    pub fn set_aside(
        &mut self,
        store_id: &StoreId,
        stream: SyncStream,
        item: &str,
        reason: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO set_aside_items (store_id, stream, item, reason, seen_at) \
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (store_id, stream, item) \
             DO UPDATE SET reason = excluded.reason, seen_at = excluded.seen_at",
            params![store_id.as_str(), stream.as_str(), item, reason, now.to_string()],
        )?;
        Ok(())
    }

    /// A feed item that came usable is no longer set aside.
    pub fn clear_set_aside(
        &mut self,
        store_id: &StoreId,
        stream: SyncStream,
        item: &str,
    ) -> Result<(), StoreError> {
        self.execute(
            "DELETE FROM set_aside_items WHERE store_id = ?1 AND stream = ?2 AND item = ?3",
            params![store_id.as_str(), stream.as_str(), item],
        )?;
        Ok(())
    }

    /// Sets the cursor of one of the store's feeds. Call it in the transaction that applied the
    /// page, so that the cursor never passes changes that were not applied.
    pub fn set_sync_cursor(
        &mut self,
        store_id: &StoreId,
        stream: SyncStream,
        cursor: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO sync_state (store_id, stream, cursor, updated_at) VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT (store_id, stream) DO UPDATE SET cursor = excluded.cursor, \
               updated_at = excluded.updated_at",
            params![store_id.as_str(), stream.as_str(), cursor, now.to_string()],
        )?;
        Ok(())
    }

    /// Applies a coupon as the platform describes it: unknown coupons are added, known ones take
    /// the platform's terms, state and reason, unless a local change to them is still waiting in
    /// the outbox (then the local coupon wins until the platform has that change).
    pub fn apply_coupon_change(
        &mut self,
        store_id: &StoreId,
        incoming: &IncomingCoupon,
        now: Timestamp,
    ) -> Result<AppliedChange, StoreError> {
        let existing = match self.reader().coupon(store_id, &incoming.coupon_id) {
            Ok(coupon) => Some(coupon),
            Err(StoreError::NotFound { .. }) => None,
            Err(error) => return Err(error),
        };
        let Some(mut coupon) = existing else {
            self.insert_coupon(&CouponRecord {
                coupon_id: incoming.coupon_id.clone(),
                store_id: store_id.clone(),
                terms: incoming.terms.clone(),
                state: incoming.state,
                rejection_reason: incoming.reason.clone(),
                platform_counts: incoming.counts,
                created_at: now,
                updated_at: now,
            })?;
            self.adopt_matching_draft(store_id, incoming)?;
            return Ok(AppliedChange::Applied);
        };
        if self.reader().has_pending_coupon_changes(store_id, &incoming.coupon_id)? {
            return Ok(AppliedChange::KeptLocal);
        }
        if coupon.terms == incoming.terms
            && coupon.state == incoming.state
            && coupon.rejection_reason == incoming.reason
            && coupon.platform_counts == incoming.counts
        {
            return Ok(AppliedChange::Applied);
        }
        coupon.terms = incoming.terms.clone();
        coupon.state = incoming.state;
        coupon.rejection_reason = incoming.reason.clone();
        coupon.platform_counts = incoming.counts;
        coupon.updated_at = now;
        self.update_coupon(&coupon)?;
        Ok(AppliedChange::Applied)
    }

    /// A draft the seller made on this desk for a platform whose API creates no coupon, then
    /// entered on the platform by hand, is the coupon that just came down: the oldest draft of
    /// the store with its title (ignoring case and outer spaces), discount, minimum and quantity
    /// gives it its code batches and exports, and goes.
    fn adopt_matching_draft(
        &mut self,
        store_id: &StoreId,
        incoming: &IncomingCoupon,
    ) -> Result<(), StoreError> {
        let terms = &incoming.terms;
        let draft: Option<String> = self
            .transaction
            .query_row(
                "SELECT coupon_id FROM seller_coupons \
                 WHERE store_id = ?1 AND state = 'draft' AND coupon_id <> ?2 \
                   AND lower(trim(title)) = lower(trim(?3)) AND discount_minor = ?4 \
                   AND min_purchase_minor = ?5 AND quantity = ?6 \
                 ORDER BY created_at, coupon_id LIMIT 1",
                params![
                    store_id.as_str(),
                    incoming.coupon_id.as_str(),
                    terms.title(),
                    minor_units(terms.discount().minor_units()),
                    minor_units(terms.min_purchase().minor_units()),
                    terms.quantity(),
                ],
                |row| row.get(0),
            )
            .optional()
            .map_err(|error| self.sql_error(error))?;
        let Some(draft) = draft else { return Ok(()) };
        for table in ["code_batches", "exports"] {
            self.execute(
                &format!(
                    "UPDATE {table} SET coupon_id = ?3 WHERE store_id = ?1 AND coupon_id = ?2"
                ),
                params![store_id.as_str(), draft, incoming.coupon_id.as_str()],
            )?;
        }
        self.execute(
            "DELETE FROM seller_coupons WHERE store_id = ?1 AND coupon_id = ?2",
            params![store_id.as_str(), draft],
        )?;
        Ok(())
    }

    /// Sets the buyer-side status of one of the store's codes, and when it took it, as the
    /// platform reports it. The feed's order decides: the last change applied is the one kept.
    pub fn apply_code_status(
        &mut self,
        store_id: &StoreId,
        incoming: &IncomingCodeStatus,
    ) -> Result<AppliedChange, StoreError> {
        let changed = self.execute(
            "UPDATE codes SET status = ?4, status_changed_at = ?5 WHERE code = ?1 AND batch_id IN \
               (SELECT batch_id FROM code_batches WHERE store_id = ?2 AND coupon_id = ?3)",
            params![
                incoming.code,
                store_id.as_str(),
                incoming.coupon_id.as_str(),
                incoming.status.as_str(),
                incoming.changed_at.to_string()
            ],
        )?;
        Ok(if changed == 0 { AppliedChange::Unknown } else { AppliedChange::Applied })
    }
}
