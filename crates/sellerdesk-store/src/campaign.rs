//! Campaign results: what became of a store's codes (or one coupon's), channel by channel, and how
//! many were redeemed on each UTC day.
//!
//! Read batch by batch from two partial indexes: `codes_claimed` (codes with a buyer-side status)
//! for the status counts and `codes_used` (used codes with the time they became used) for the
//! days. A code without a status is never read, and the table itself is not either.

use std::collections::BTreeMap;

use rusqlite::params;
use sellerdesk_core::Timestamp;
use sellerdesk_core::ids::{Channel, CouponId, StoreId};
use sellerdesk_core::status::CouponStatus;

use crate::error::StoreError;
use crate::reader::Reader;
use crate::records::CodeCounts;

/// A batch's codes in each buyer-side status, from the index `codes_claimed`.
const BATCH_STATUSES: &str = "SELECT status, count(*) FROM codes \
     WHERE batch_id = ?1 AND status IS NOT NULL GROUP BY status";

/// A batch's used codes by the UTC day they became used, from the index `codes_used`. Times are
/// RFC 3339 UTC text, so their first ten characters are the UTC day.
const BATCH_REDEMPTIONS: &str = "SELECT substr(status_changed_at, 1, 10), count(*) FROM codes \
     WHERE batch_id = ?1 AND status = 'used' GROUP BY 1";

/// How many codes became used on one UTC day (and are still used).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DailyRedemptions {
    /// The day, as the instant it starts (midnight UTC).
    pub day: Timestamp,
    pub used: u64,
}

/// What became of the codes made for one channel.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChannelCodeResults {
    /// `None` for the codes made without a channel.
    pub channel: Option<Channel>,
    /// Generated and exported codes, and the codes in each buyer-side status.
    pub counts: CodeCounts,
    /// Used codes of the batches that were exported at least once.
    pub used_of_exported: u64,
    /// Used codes by the UTC day on which they became used, oldest day first. Days on which none
    /// were are left out.
    pub redemptions: Vec<DailyRedemptions>,
    /// Used codes whose day is not known: their status was pulled before Seller Desk kept the
    /// time of status changes. They are in `counts.used` and in no day of `redemptions`.
    pub undated_redemptions: u64,
}

/// One channel's figures while batches are being added up.
#[derive(Default)]
struct ChannelTotals {
    counts: CodeCounts,
    used_of_exported: u64,
    /// By day as `YYYY-MM-DD`, which sorts as the days do.
    redemptions: BTreeMap<String, u64>,
    undated_redemptions: u64,
}

impl Reader<'_> {
    /// Campaign results of the store, or of one of its coupons, per channel: codes generated and
    /// exported, codes in each buyer-side status, and redemptions (codes now `used`) per UTC day
    /// of the status change. Channels come sorted by name, the codes without a channel last; a
    /// channel is listed when codes were generated for it.
    ///
    /// Reads only codes that have a status, through partial indexes: a million codes that no
    /// buyer has seen cost nothing.
    pub fn campaign_results(
        &self,
        store_id: &StoreId,
        coupon_id: Option<&CouponId>,
    ) -> Result<Vec<ChannelCodeResults>, StoreError> {
        let mut batches = self
            .connection
            .prepare_cached(
                "SELECT batch_id, channel, code_count, first_exported_at IS NOT NULL \
                 FROM code_batches WHERE store_id = ?1 AND (?2 IS NULL OR coupon_id = ?2) \
                 ORDER BY batch_id",
            )
            .map_err(|error| self.sql_error(error))?;
        let batches = batches
            .query_map(params![store_id.as_str(), coupon_id.map(CouponId::as_str)], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, Option<String>>(1)?,
                    row.get::<_, i64>(2)?,
                    row.get::<_, bool>(3)?,
                ))
            })
            .map_err(|error| self.sql_error(error))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|error| self.sql_error(error))?;

        let mut channels: BTreeMap<Option<String>, ChannelTotals> = BTreeMap::new();
        for (batch_id, channel, code_count, exported) in batches {
            let totals = channels.entry(channel).or_default();
            totals.counts.add_batch(u64::try_from(code_count).unwrap_or_default(), exported);
            let used = self.add_batch_statuses(batch_id, &mut totals.counts)?;
            if exported {
                totals.used_of_exported += used;
            }
            if used > 0 {
                self.add_batch_redemptions(batch_id, totals)?;
            }
        }

        let mut results = channels
            .into_iter()
            .map(|(channel, totals)| {
                Ok(ChannelCodeResults {
                    channel: channel.map(|text| self.channel(&text)).transpose()?,
                    counts: totals.counts,
                    used_of_exported: totals.used_of_exported,
                    redemptions: totals
                        .redemptions
                        .into_iter()
                        .map(|(day, used)| {
                            Ok(DailyRedemptions { day: self.day_start(&day)?, used })
                        })
                        .collect::<Result<_, StoreError>>()?,
                    undated_redemptions: totals.undated_redemptions,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        results.sort_by(|a, b| {
            (a.channel.is_none(), &a.channel).cmp(&(b.channel.is_none(), &b.channel))
        });
        Ok(results)
    }

    /// Adds the batch's codes in each status to `counts`; returns how many are used.
    fn add_batch_statuses(
        &self,
        batch_id: i64,
        counts: &mut CodeCounts,
    ) -> Result<u64, StoreError> {
        let mut statement = self
            .connection
            .prepare_cached(BATCH_STATUSES)
            .map_err(|error| self.sql_error(error))?;
        let rows = statement
            .query_map(params![batch_id], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?))
            })
            .map_err(|error| self.sql_error(error))?;
        let mut used = 0;
        for row in rows {
            let (status, count) = row.map_err(|error| self.sql_error(error))?;
            let count = u64::try_from(count).unwrap_or_default();
            if let Some(status) = self.status(Some(status))? {
                counts.add_claimed(status, count);
                if status == CouponStatus::Used {
                    used += count;
                }
            } else {
                counts.claimed += count;
            }
        }
        Ok(used)
    }

    /// Adds the batch's used codes, by the UTC day they became used, to `totals`.
    fn add_batch_redemptions(
        &self,
        batch_id: i64,
        totals: &mut ChannelTotals,
    ) -> Result<(), StoreError> {
        let mut statement = self
            .connection
            .prepare_cached(BATCH_REDEMPTIONS)
            .map_err(|error| self.sql_error(error))?;
        let rows = statement
            .query_map(params![batch_id], |row| {
                Ok((row.get::<_, Option<String>>(0)?, row.get::<_, i64>(1)?))
            })
            .map_err(|error| self.sql_error(error))?;
        for row in rows {
            let (day, count) = row.map_err(|error| self.sql_error(error))?;
            let count = u64::try_from(count).unwrap_or_default();
            match day.filter(|day| self.day_start(day).is_ok()) {
                Some(day) => *totals.redemptions.entry(day).or_default() += count,
                // No time, or one outside the years 0000 to 9999 that has no such prefix.
                None => totals.undated_redemptions += count,
            }
        }
        Ok(())
    }

    /// The instant a `YYYY-MM-DD` day starts, in UTC.
    fn day_start(&self, day: &str) -> Result<Timestamp, StoreError> {
        if day.len() != 10 {
            return Err(self.unreadable(format!("day \"{day}\"")));
        }
        format!("{day}T00:00:00Z").parse().map_err(|_| self.unreadable(format!("day \"{day}\"")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Store;

    /// The query plan SQLite picks for `sql`, one line per step.
    fn plan(store: &Store, sql: &str) -> String {
        store
            .read(|reader| {
                let mut statement = reader
                    .connection
                    .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                    .map_err(|error| reader.sql_error(error))?;
                let steps = statement
                    .query_map(params![1_i64], |row| row.get::<_, String>(3))
                    .map_err(|error| reader.sql_error(error))?
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|error| reader.sql_error(error))?;
                Ok::<_, StoreError>(steps.join("\n"))
            })
            .unwrap()
    }

    #[test]
    fn codes_are_counted_from_the_partial_indexes_alone() {
        let directory = tempfile::tempdir().unwrap();
        let store = Store::open(&directory.path().join("plans.db")).unwrap();
        let statuses = plan(&store, BATCH_STATUSES);
        assert!(statuses.contains("USING COVERING INDEX codes_claimed"), "{statuses}");
        let days = plan(&store, BATCH_REDEMPTIONS);
        assert!(days.contains("USING COVERING INDEX codes_used"), "{days}");
        for plan in [statuses, days] {
            assert!(!plan.contains("SCAN"), "{plan}");
        }
    }
}
