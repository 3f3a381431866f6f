//! The pull stage: each change feed read from its stored cursor, page by page, each page checked
//! whole and then applied in one transaction together with the cursor's advance.

use std::future::Future;

use sellerdesk_core::Timestamp;
use sellerdesk_core::ids::StoreId;
use sellerdesk_store::{
    AppliedChange, IncomingCodeStatus, IncomingCoupon, IncomingRefundRequest, StoreError,
    SyncStream, Writer,
};

use super::{Session, SyncError, incoming};
use crate::api::{ChangesPage, ChangesRequest, CouponChange, methods};
use crate::connector::Capability;
use crate::platform_api::{CallError, PlatformApi};

/// How many pulled changes were applied, left alone, or about unknown things.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct FeedCounts {
    applied: u64,
    kept_local: u64,
    unknown: u64,
}

/// Pulls every feed. A feed whose page cannot be used stops there (its cursor stays before that
/// page) and the other feeds are still read: the sync then fails with the first such error. Any
/// other failure (out of reach, overloaded, a local database error) stops the pull at once.
pub(super) async fn pull<P: PlatformApi>(session: &mut Session<'_, P>) -> Result<(), SyncError> {
    let store_id = session.store_id;
    let currency = session.store.read(|reader| reader.store(store_id))?.currency;
    let platform = session.platform;
    let mut first_unusable_page = None;

    let coupons = go_on_after_an_unusable_page(
        pull_feed(
            session,
            Feed {
                stream: SyncStream::Coupons,
                needs: Capability::PullCoupons,
                method: methods::COUPONS_CHANGES,
                fetch: move |request: ChangesRequest| async move {
                    platform.coupon_changes(&request).await
                },
                check: move |change: &CouponChange| incoming::coupon(change, currency),
                apply: |writer: &mut Writer<'_>,
                        store_id: &StoreId,
                        coupon: &IncomingCoupon,
                        now: Timestamp| {
                    writer.apply_coupon_change(store_id, coupon, now)
                },
            },
        )
        .await,
        &mut first_unusable_page,
    )?;
    session.report.coupons_pulled += coupons.applied;

    let codes = go_on_after_an_unusable_page(
        pull_feed(
            session,
            Feed {
                stream: SyncStream::Codes,
                needs: Capability::PullCodeStatuses,
                method: methods::CODES_CHANGES,
                fetch: move |request: ChangesRequest| async move {
                    platform.code_changes(&request).await
                },
                check: incoming::code_status,
                apply: |writer: &mut Writer<'_>,
                        store_id: &StoreId,
                        status: &IncomingCodeStatus,
                        _now: Timestamp| {
                    writer.apply_code_status(store_id, status)
                },
            },
        )
        .await,
        &mut first_unusable_page,
    )?;
    session.report.code_statuses_pulled += codes.applied;

    let refunds = go_on_after_an_unusable_page(
        pull_feed(
            session,
            Feed {
                stream: SyncStream::Refunds,
                needs: Capability::PullRefundRequests,
                method: methods::REFUNDS_CHANGES,
                fetch: move |request: ChangesRequest| async move {
                    platform.refund_changes(&request).await
                },
                check: incoming::refund_request,
                apply: |writer: &mut Writer<'_>,
                        store_id: &StoreId,
                        request: &IncomingRefundRequest,
                        now: Timestamp| {
                    writer.apply_refund_request(store_id, request, now)
                },
            },
        )
        .await,
        &mut first_unusable_page,
    )?;
    session.report.refund_requests_pulled += refunds.applied;

    let report = &mut session.report;
    for counts in [coupons, codes, refunds] {
        report.pulled_changes_kept_local += counts.kept_local;
        report.pulled_changes_unknown += counts.unknown;
    }
    match first_unusable_page {
        Some(error) => Err(error),
        None => Ok(()),
    }
}

/// A feed's counts; when it stopped on a page it could not use, nothing (that page waits) and the
/// error is kept in `first_unusable_page` (unless an earlier one is) for the end of the pull.
fn go_on_after_an_unusable_page(
    pulled: Result<FeedCounts, SyncError>,
    first_unusable_page: &mut Option<SyncError>,
) -> Result<FeedCounts, SyncError> {
    match pulled {
        Ok(counts) => Ok(counts),
        Err(error) if matches!(error.call_error(), Some(CallError::BadResponse { .. })) => {
            first_unusable_page.get_or_insert(error);
            Ok(FeedCounts::default())
        }
        Err(error) => Err(error),
    }
}

/// One feed: how to fetch a page, check an item, and apply a checked item.
struct Feed<Fetch, Check, Apply> {
    stream: SyncStream,
    /// What the platform must be able to do for the feed to be read at all.
    needs: Capability,
    method: &'static str,
    fetch: Fetch,
    check: Check,
    apply: Apply,
}

async fn pull_feed<P, Item, Checked, Fetch, Fetched, Check, Apply>(
    session: &mut Session<'_, P>,
    feed: Feed<Fetch, Check, Apply>,
) -> Result<FeedCounts, SyncError>
where
    P: PlatformApi,
    Fetch: Fn(ChangesRequest) -> Fetched,
    Fetched: Future<Output = Result<ChangesPage<Item>, CallError>>,
    Check: Fn(&Item) -> Result<Checked, CallError>,
    Apply: Fn(&mut Writer<'_>, &StoreId, &Checked, Timestamp) -> Result<AppliedChange, StoreError>,
{
    let store_id = session.store_id;
    let stream = feed.stream;
    if !session.platform.kind().can(feed.needs) {
        // A feed this platform does not have: nothing to read, nothing to wait for.
        return Ok(FeedCounts::default());
    }
    let limit = session.options.page_limit.get();
    let failed = |error: CallError| SyncError::Platform {
        during: format!("reading the {} feed", stream.as_str()),
        error,
    };
    let mut counts = FeedCounts::default();
    for _ in 0..session.options.most_pages_per_feed.max(1) {
        let cursor = session.store.read(|reader| reader.sync_cursor(store_id, stream))?;
        let request = ChangesRequest { cursor: cursor.clone(), limit: Some(limit) };
        let page = session
            .call_with_retries(None, || (feed.fetch)(request.clone()))
            .await?
            .map_err(failed)?;
        let bad = |message: String| failed(CallError::bad_response(feed.method, message));
        if page.items.len() > limit as usize {
            return Err(bad(format!(
                "it sent {} items where at most {limit} were asked for",
                page.items.len()
            )));
        }
        if page.has_more && page.next_cursor == cursor.as_deref().unwrap_or_default() {
            return Err(bad("it says more is waiting but its cursor did not move".into()));
        }
        // Check the whole page before anything of it is written.
        let checked =
            page.items.iter().map(&feed.check).collect::<Result<Vec<_>, _>>().map_err(failed)?;
        let now = Timestamp::now();
        let applied = session.store.write(|writer| {
            // Another process may have applied this page meanwhile; then leave it to it.
            if writer.reader().sync_cursor(store_id, stream)? != cursor {
                return Ok::<_, StoreError>(None);
            }
            let mut page_counts = FeedCounts::default();
            for item in &checked {
                match (feed.apply)(writer, store_id, item, now)? {
                    AppliedChange::Applied => page_counts.applied += 1,
                    AppliedChange::KeptLocal => page_counts.kept_local += 1,
                    AppliedChange::Unknown => page_counts.unknown += 1,
                }
            }
            writer.set_sync_cursor(store_id, stream, &page.next_cursor, now)?;
            Ok(Some(page_counts))
        })?;
        if let Some(page_counts) = applied {
            counts.applied += page_counts.applied;
            counts.kept_local += page_counts.kept_local;
            counts.unknown += page_counts.unknown;
        }
        if !page.has_more {
            break;
        }
    }
    Ok(counts)
}
