//! The pull stage: each change feed read from its stored cursor, page by page, each item checked
//! and then the page applied in one transaction together with the cursor's advance. An item the
//! desk cannot use is set aside with why (shown in the sync status) and the feed goes on; a page
//! that cannot be used as a whole (its shape, its cursor) stops the feed.

use std::future::Future;

use sellerdesk_core::Timestamp;
use sellerdesk_core::ids::StoreId;
use sellerdesk_store::{
    AppliedChange, IncomingCodeStatus, IncomingCoupon, IncomingRefundRequest, StoreError,
    SyncStream, Writer,
};

use super::{LONGEST_PLATFORM_TEXT, Session, SyncError, capped, incoming, off_async};
use crate::api::{
    ChangesPage, ChangesRequest, CodeChange, CouponChange, RefundRequestChange, methods,
};
use crate::connector::Capability;
use crate::platform_api::{CallError, PlatformApi};

/// How many pulled changes were applied, left alone, or about unknown things.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct FeedCounts {
    applied: u64,
    kept_local: u64,
    unknown: u64,
    set_aside: u64,
}

/// The longest item name kept for a set-aside item: the platform sizes it.
const LONGEST_SET_ASIDE_NAME: usize = 200;

/// The platform says the cursor is beyond its feed: its history was reset
/// (`docs/platform-api.md`, `410 cursor_reset`).
fn is_cursor_reset(error: &CallError) -> bool {
    matches!(error, CallError::Rejected { status: 410, code, .. } if code == "cursor_reset")
}

/// Pulls every feed. A feed whose page cannot be used stops there (its cursor stays before that
/// page) and the other feeds are still read: the sync then fails with the first such error. Any
/// other failure (out of reach, overloaded, a local database error) stops the pull at once.
pub(super) async fn pull<P: PlatformApi>(session: &mut Session<'_, P>) -> Result<(), SyncError> {
    let store_id = session.store_id;
    let currency = off_async(|| session.store.read(|reader| reader.store(store_id)))?.currency;
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
                name: |change: &CouponChange| change.terms.coupon_id.clone(),
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
                name: |change: &CodeChange| change.code.clone(),
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
                name: |change: &RefundRequestChange| change.request_id.clone(),
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
        report.pulled_changes_set_aside += counts.set_aside;
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

/// One feed: how to fetch a page, name an item, check it, and apply a checked item.
struct Feed<Item, Fetch, Check, Apply> {
    stream: SyncStream,
    /// What the platform must be able to do for the feed to be read at all.
    needs: Capability,
    method: &'static str,
    fetch: Fetch,
    /// What an item is about (a coupon id, a code, a request id), to say which one is set aside.
    name: fn(&Item) -> String,
    check: Check,
    apply: Apply,
}

async fn pull_feed<P, Item, Checked, Fetch, Fetched, Check, Apply>(
    session: &mut Session<'_, P>,
    feed: Feed<Item, Fetch, Check, Apply>,
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
    let mut read_again = false;
    for _ in 0..session.options.most_pages_per_feed.max(1) {
        let cursor =
            off_async(|| session.store.read(|reader| reader.sync_cursor(store_id, stream)))?;
        let request = ChangesRequest { cursor: cursor.clone(), limit: Some(limit) };
        let answer =
            session.call_with_retries(feed.method, None, || (feed.fetch)(request.clone())).await?;
        let page = match answer {
            // The platform's history was reset: the feed is read again from the start (once a
            // sync). What was applied before applies again harmlessly; pending local changes
            // stay, as they do against any pulled change.
            Err(error) if is_cursor_reset(&error) && cursor.is_some() && !read_again => {
                read_again = true;
                off_async(|| {
                    session.store.write(|writer| {
                        writer.set_sync_cursor(store_id, stream, "", Timestamp::now())
                    })
                })?;
                continue;
            }
            answer => answer.map_err(failed)?,
        };
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
        // Every item checked before anything of the page is written; one the desk cannot use is
        // set aside with why, and the others go on.
        let mut checked = Vec::with_capacity(page.items.len());
        let mut set_aside: Vec<(String, String)> = page
            .unusable
            .iter()
            .map(|item| {
                (
                    capped(&item.name, LONGEST_SET_ASIDE_NAME),
                    capped(&item.reason, LONGEST_PLATFORM_TEXT),
                )
            })
            .collect();
        for item in &page.items {
            let name = capped(&(feed.name)(item), LONGEST_SET_ASIDE_NAME);
            match (feed.check)(item) {
                Ok(usable) => checked.push((name, usable)),
                Err(error) => {
                    let reason = match error {
                        CallError::BadResponse { message, .. } => message,
                        other => other.to_string(),
                    };
                    set_aside.push((name, capped(&reason, LONGEST_PLATFORM_TEXT)));
                }
            }
        }
        let now = Timestamp::now();
        let applied = off_async(|| {
            session.store.write(|writer| {
                // Another process may have applied this page meanwhile; then leave it to it.
                if writer.reader().sync_cursor(store_id, stream)? != cursor {
                    return Ok::<_, StoreError>(None);
                }
                let mut page_counts = FeedCounts::default();
                for (name, reason) in &set_aside {
                    writer.set_aside(store_id, stream, name, reason, now)?;
                    page_counts.set_aside += 1;
                }
                for (name, item) in &checked {
                    writer.clear_set_aside(store_id, stream, name)?;
                    match (feed.apply)(writer, store_id, item, now)? {
                        AppliedChange::Applied => page_counts.applied += 1,
                        AppliedChange::KeptLocal => page_counts.kept_local += 1,
                        AppliedChange::Unknown => page_counts.unknown += 1,
                    }
                }
                writer.set_sync_cursor(store_id, stream, &page.next_cursor, now)?;
                Ok(Some(page_counts))
            })
        })?;
        if let Some(page_counts) = applied {
            counts.applied += page_counts.applied;
            counts.kept_local += page_counts.kept_local;
            counts.unknown += page_counts.unknown;
            counts.set_aside += page_counts.set_aside;
        }
        if !page.has_more {
            break;
        }
    }
    Ok(counts)
}
