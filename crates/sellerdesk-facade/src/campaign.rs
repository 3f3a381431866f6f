//! Campaign results (issue #5): per channel, how many codes were generated, exported and are in
//! each buyer-side status, and the redemptions of every UTC day, for a chart with a continuous
//! day axis.
//!
//! A redemption is a code whose status is now `used`, counted on the day it became used (the
//! platform's `changed_at`). A code returned by a full refund is no longer one.

use std::collections::BTreeMap;

use sellerdesk_core::Timestamp;
use sellerdesk_store::ChannelCodeResults;
use serde::Serialize;

use crate::catalog::{code_counts_view, parse_coupon_id, parse_store_id};
use crate::views::CodeCountsView;
use crate::{ErrorCode, FacadeError, SellerDesk};

/// Campaign results of a store, or of one of its coupons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct CampaignResultsView {
    pub store_id: String,
    /// The coupon the results are limited to; `None` for every coupon of the store.
    pub coupon_id: Option<String>,
    /// Every channel codes were generated for, sorted by name, the codes made without a channel
    /// last.
    pub channels: Vec<ChannelResultsView>,
    /// Every UTC day (`YYYY-MM-DD`) from the first redemption to the last, days without any
    /// included, so that a chart has a continuous axis; at most the last 731 days, two years
    /// (the platform dates redemptions: a wrong date must not make the axis endless). Empty when
    /// nothing was redeemed.
    pub days: Vec<String>,
}

/// What became of the codes of one channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ChannelResultsView {
    /// `None` for the codes made without a channel.
    pub channel: Option<String>,
    pub codes: CodeCountsView,
    /// One entry per day of `days`, in the same order, zeros included.
    pub redemptions: Vec<DailyRedemptionsView>,
    /// Used codes redeemed before the first day of `days` (the axis keeps the last two years):
    /// counted in `codes.used`, in no day of `redemptions`.
    pub earlier_redemptions: u64,
    /// Used codes whose day is not known (their status came down before Seller Desk kept the time
    /// of status changes): counted in `codes.used`, in no day of `redemptions`.
    pub undated_redemptions: u64,
    /// The share of handed-out codes that were redeemed, as a percentage with one decimal
    /// (`"12.5"`): used codes of exported batches over exported codes, or, when nothing of the
    /// channel was exported, used codes over generated codes. `"0.0"` when there is nothing.
    pub redemption_rate: String,
}

/// Redemptions of one channel on one UTC day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct DailyRedemptionsView {
    /// `YYYY-MM-DD`, in UTC.
    pub day: String,
    pub used: u64,
}

/// Seconds in a UTC day (timestamps know no leap seconds).
const SECONDS_PER_DAY: i64 = 86_400;

/// The most days a campaign chart's axis spans, ending on the last redemption: two years.
pub const LONGEST_AXIS_DAYS: i64 = 731;

impl SellerDesk {
    /// Campaign results of the store, or of one of its coupons: per channel, codes generated,
    /// exported and in each buyer-side status, redemptions per UTC day and the redemption rate.
    /// An unknown store or coupon (or a coupon of another store) is `not_found`.
    pub fn campaign_results(
        &self,
        store_id: &str,
        coupon_id: Option<&str>,
    ) -> Result<CampaignResultsView, FacadeError> {
        let store_id = parse_store_id(store_id)?;
        let coupon_id = coupon_id.map(parse_coupon_id).transpose()?;
        let channels = self.store()?.read(|reader| {
            reader.store(&store_id)?;
            if let Some(coupon_id) = &coupon_id {
                reader.coupon(&store_id, coupon_id)?;
            }
            Ok::<_, FacadeError>(reader.campaign_results(&store_id, coupon_id.as_ref())?)
        })?;

        let dated = channels.iter().flat_map(|channel| &channel.redemptions);
        let first = dated.clone().map(|day| day.day).min();
        let last = dated.map(|day| day.day).max();
        let axis = match (first, last) {
            (Some(first), Some(last)) => {
                let earliest = last.as_second() - (LONGEST_AXIS_DAYS - 1) * SECONDS_PER_DAY;
                let first = if first.as_second() < earliest {
                    Timestamp::from_second(earliest).map_err(|error| {
                        FacadeError::new(
                            ErrorCode::Internal,
                            format!("the axis' first day: {error}"),
                        )
                    })?
                } else {
                    first
                };
                day_axis(first, last)?
            }
            _ => Vec::new(),
        };
        let days = axis.iter().map(|day| day_text(*day)).collect();
        Ok(CampaignResultsView {
            store_id: store_id.to_string(),
            coupon_id: coupon_id.map(|id| id.to_string()),
            channels: channels.iter().map(|channel| channel_view(channel, &axis)).collect(),
            days,
        })
    }
}

/// Every day from `first` to `last`, both included, as the instants they start.
fn day_axis(first: Timestamp, last: Timestamp) -> Result<Vec<Timestamp>, FacadeError> {
    let (first, last) = (first.as_second(), last.as_second());
    (0..=(last - first) / SECONDS_PER_DAY)
        .map(|index| {
            Timestamp::from_second(first + index * SECONDS_PER_DAY).map_err(|error| {
                FacadeError::new(ErrorCode::Internal, format!("a day of the axis: {error}"))
            })
        })
        .collect()
}

fn day_text(day: Timestamp) -> String {
    day.strftime("%Y-%m-%d").to_string()
}

fn channel_view(results: &ChannelCodeResults, axis: &[Timestamp]) -> ChannelResultsView {
    let by_day: BTreeMap<Timestamp, u64> =
        results.redemptions.iter().map(|day| (day.day, day.used)).collect();
    let counts = results.counts;
    let (redeemed, handed_out) = if counts.exported > 0 {
        (results.used_of_exported, counts.exported)
    } else {
        (counts.used, counts.generated)
    };
    ChannelResultsView {
        channel: results.channel.as_ref().map(|channel| channel.to_string()),
        codes: code_counts_view(counts),
        redemptions: axis
            .iter()
            .map(|day| DailyRedemptionsView {
                day: day_text(*day),
                used: by_day.get(day).copied().unwrap_or_default(),
            })
            .collect(),
        earlier_redemptions: axis.first().map_or(0, |start| {
            results.redemptions.iter().filter(|day| day.day < *start).map(|day| day.used).sum()
        }),
        undated_redemptions: results.undated_redemptions,
        redemption_rate: percentage(redeemed, handed_out),
    }
}

/// `part` of `whole` as a percentage with one decimal, rounded half up; `"0.0"` of nothing.
fn percentage(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "0.0".to_owned();
    }
    let (part, whole) = (u128::from(part), u128::from(whole));
    let tenths = (part * 2_000 + whole) / (2 * whole);
    format!("{}.{}", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_have_one_decimal_rounded_half_up() {
        assert_eq!(percentage(0, 0), "0.0");
        assert_eq!(percentage(0, 7), "0.0");
        assert_eq!(percentage(1, 3), "33.3");
        assert_eq!(percentage(2, 3), "66.7");
        assert_eq!(percentage(1, 8), "12.5");
        assert_eq!(percentage(1, 16), "6.3", "6.25 rounds up");
        assert_eq!(percentage(1, 2_000), "0.1", "0.05 rounds up");
        assert_eq!(percentage(1, 2_001), "0.0");
        assert_eq!(percentage(5, 5), "100.0");
        assert_eq!(percentage(u64::MAX, u64::MAX), "100.0");
    }

    #[test]
    fn the_day_axis_is_continuous_across_months_and_years() {
        let day = |text: &str| format!("{text}T00:00:00Z").parse::<Timestamp>().unwrap();
        let axis = day_axis(day("2030-12-30"), day("2031-01-02")).unwrap();
        let texts: Vec<String> = axis.into_iter().map(day_text).collect();
        assert_eq!(texts, ["2030-12-30", "2030-12-31", "2031-01-01", "2031-01-02"]);
        assert_eq!(day_axis(day("2032-02-29"), day("2032-02-29")).unwrap().len(), 1);
    }
}
