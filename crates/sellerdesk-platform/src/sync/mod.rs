//! Synchronising a store's local database with the platform: nothing may be lost, nothing applied
//! twice.
//!
//! One sync ([`sync_once`]) runs in stages, like Mozilla's application-services engines:
//!
//! 1. **Push**: the store's pending outbox entries are sent in the order they were written, each
//!    with its mutation id, so that a retried call is applied once by the platform. What the
//!    platform accepted is marked sent in the transaction that applies its answer; what it refused
//!    is kept as rejected with its reason (never dropped) and the push goes on; when the platform
//!    cannot be reached, the call is retried with backoff, then the push stops and the entry stays
//!    pending for the next sync. Code batches go up in chunks whose mutation ids derive from the
//!    entry's, with their progress stored as the chunks are acknowledged. A push that stops on an
//!    answer Seller Desk cannot use still goes on to the pull; one that stops because the platform
//!    is out of reach, overloaded or refusing the session does not.
//! 2. **Pull**: each change feed (coupons, codes, refund requests) is read page by page from its
//!    stored cursor. A page is checked whole first, then applied in one transaction together with
//!    the cursor's advance, so a crash never moves a cursor past changes that were not applied,
//!    and applying a page again changes nothing more. A page that cannot be used stops its own
//!    feed only (the sync fails, naming it, until the platform sends something usable).
//!
//! Every sync records its outcome ([`SyncStatus`]) in the database, where another process reads it
//! with [`sync_status`]. [`run_sync_loop`] syncs on an interval until shut down.
//!
//! Database work happens in short synchronous transactions between the awaits, never across one,
//! so dropping a sync's future (on shutdown) leaves the database consistent.

mod incoming;
mod pull;
mod push;
mod retry;

use std::future::Future;
use std::time::Duration;

use sellerdesk_core::Timestamp;
use sellerdesk_core::ids::StoreId;
use sellerdesk_store::{Reachability, Store, StoreError, SyncOutcome};
use sha2::{Digest, Sha256};
use tokio::sync::Notify;
use tracing::Instrument;

pub use retry::RetryPolicy;
pub use sellerdesk_store::SyncStatus;

use crate::api::{Decision, MAXIMUM_CHANGES_PER_PAGE, MAXIMUM_MUTATION_ID_CHARS};
use crate::change::{OutboxChange, RefundDecisionChange};
use crate::platform_api::{CallError, PlatformApi};

/// How many items one feed page asks for (1 to 5,000).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageLimit(u32);

impl PageLimit {
    pub fn new(limit: u32) -> Option<PageLimit> {
        (1..=MAXIMUM_CHANGES_PER_PAGE).contains(&limit).then_some(PageLimit(limit))
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

impl Default for PageLimit {
    fn default() -> PageLimit {
        PageLimit(1_000)
    }
}

/// How a sync behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyncOptions {
    pub retry: RetryPolicy,
    pub page_limit: PageLimit,
    /// The most pages read from one feed in one sync; the next sync goes on from there.
    pub most_pages_per_feed: u32,
}

impl Default for SyncOptions {
    fn default() -> SyncOptions {
        SyncOptions {
            retry: RetryPolicy::default(),
            page_limit: PageLimit::default(),
            most_pages_per_feed: 1_000,
        }
    }
}

/// What one sync did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SyncReport {
    /// Outbox entries the platform applied.
    pub sent: u64,
    /// Outbox entries the platform refused; they are kept with the platform's reason.
    pub rejected: u64,
    /// Outbox entries left pending without being sent (a kind the platform has no method for).
    pub held: u64,
    /// Codes the platform accepted.
    pub codes_uploaded: u64,
    /// Codes of never-exported batches that the platform said were taken, made again here.
    pub codes_regenerated: u64,
    /// Codes of exported batches that the platform said were taken: the seller must withdraw them.
    pub codes_withdrawn: u64,
    pub coupons_pulled: u64,
    pub code_statuses_pulled: u64,
    pub refund_requests_pulled: u64,
    /// Pulled changes left alone because a local change to the same thing is still pending.
    pub pulled_changes_kept_local: u64,
    /// Pulled changes about things this database does not hold (such as unknown codes).
    pub pulled_changes_unknown: u64,
    /// Pulled changes this desk could not use, set aside with why (in the sync status).
    pub pulled_changes_set_aside: u64,
}

/// Why a sync stopped. What it did before stopping is committed; the rest waits for the next one.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{during}: {error}")]
    Platform {
        /// What the sync was doing, such as "sending change 12 (create_coupon)".
        during: String,
        #[source]
        error: CallError,
    },
}

impl SyncError {
    /// What kind of failure this is, for a log line (never the platform's words).
    pub fn class(&self) -> &'static str {
        match self {
            SyncError::Store(_) => "database",
            SyncError::Platform { error, .. } => error.class(),
        }
    }

    /// The platform's error, when the platform (or the way to it) is why the sync stopped.
    pub fn call_error(&self) -> Option<&CallError> {
        match self {
            SyncError::Platform { error, .. } => Some(error),
            SyncError::Store(_) => None,
        }
    }
}

/// One sync of `store_id`: push, then pull. The outcome is recorded for [`sync_status`].
pub async fn sync_once<P: PlatformApi>(
    store: &Store,
    platform: &P,
    store_id: &StoreId,
    options: &SyncOptions,
) -> Result<SyncReport, SyncError> {
    sync_once_reporting(store, platform, store_id, options, &|_| {}).await
}

/// How far the upload of a batch of codes got: told after each chunk the platform took.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadProgress {
    pub store_id: StoreId,
    pub batch_id: i64,
    /// Codes of the batch the platform has (taken codes replaced count once they are up).
    pub uploaded: u64,
    pub total: u64,
}

/// [`sync_once`], telling `on_upload` how far each batch's upload got as it goes.
pub async fn sync_once_reporting<P: PlatformApi>(
    store: &Store,
    platform: &P,
    store_id: &StoreId,
    options: &SyncOptions,
    on_upload: &(dyn Fn(&UploadProgress) + Sync),
) -> Result<SyncReport, SyncError> {
    off_async(|| store.read(|reader| reader.store(store_id)))?;
    let span = tracing::info_span!("sync", store = %store_id, platform = platform.kind().as_str());
    let started = std::time::Instant::now();
    let mut session = Session {
        store,
        platform,
        store_id,
        options,
        on_upload,
        report: SyncReport::default(),
        last_call_reached: None,
    };
    let result = async {
        match push::push(&mut session).await {
            Ok(()) => pull::pull(&mut session).await,
            // The platform answered one change with something unusable: that change waits, and
            // what the platform has still comes down (one odd answer must not hold up refund
            // requests and code statuses). A failed pull is the newer news; the change keeps
            // its own error.
            Err(error) if matches!(error.call_error(), Some(CallError::BadResponse { .. })) => {
                pull::pull(&mut session).await?;
                Err(error)
            }
            // Unreachable, unavailable or refusing this session: the pull would fare no better.
            Err(error) => Err(error),
        }
    }
    .instrument(span.clone())
    .await;
    let _entered = span.enter();
    match &result {
        Ok(()) => {
            let report = &session.report;
            tracing::info!(
                duration_ms = started.elapsed().as_millis(),
                sent = report.sent,
                rejected = report.rejected,
                held = report.held,
                codes_uploaded = report.codes_uploaded,
                coupons_pulled = report.coupons_pulled,
                refund_requests_pulled = report.refund_requests_pulled,
                set_aside = report.pulled_changes_set_aside,
                "sync ended"
            );
        }
        Err(error) => tracing::warn!(
            duration_ms = started.elapsed().as_millis(),
            error = error.class(),
            "sync failed"
        ),
    }
    let reachability = match session.last_call_reached {
        Some(true) => Reachability::Online,
        Some(false) | None => Reachability::Offline,
    };
    let outcome = match &result {
        Ok(()) => SyncOutcome::Succeeded,
        Err(error) => {
            SyncOutcome::Failed { message: capped(&error.to_string(), LONGEST_PLATFORM_TEXT) }
        }
    };
    let recorded = off_async(|| {
        store.write(|writer| {
            writer.record_sync_attempt(store_id, reachability, &outcome, Timestamp::now())
        })
    });
    result?;
    recorded?;
    Ok(session.report)
}

/// When [`run_sync_loop`] syncs.
#[derive(Debug, Clone, Copy)]
pub struct SyncSchedule<'a> {
    /// The time between the end of one sync and the start of the next.
    pub interval: Duration,
    /// Starts the next sync at once when notified (after a local change, or "sync now").
    pub nudge: &'a Notify,
}

/// Syncs `store_id` now, then on `schedule`, until `shutdown` completes. Each sync's result goes
/// to `on_sync` and into the database; a failed sync is simply tried again at the next turn.
/// A sync in progress when `shutdown` completes is dropped between two transactions.
pub async fn run_sync_loop<P: PlatformApi>(
    store: &Store,
    platform: &P,
    store_id: &StoreId,
    options: &SyncOptions,
    schedule: SyncSchedule<'_>,
    shutdown: impl Future<Output = ()>,
    mut on_sync: impl FnMut(&Result<SyncReport, SyncError>),
) {
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        tokio::select! {
            biased;
            () = &mut shutdown => return,
            result = sync_once(store, platform, store_id, options) => on_sync(&result),
        }
        tokio::select! {
            biased;
            () = &mut shutdown => return,
            () = schedule.nudge.notified() => {}
            () = tokio::time::sleep(schedule.interval) => {}
        }
    }
}

/// Where synchronisation of `store_id` stands, as the last sync (of any process) left it.
pub fn sync_status(store: &Store, store_id: &StoreId) -> Result<SyncStatus, StoreError> {
    store.read(|reader| {
        reader.store(store_id)?;
        reader.sync_status(store_id)
    })
}

/// Records the seller's decision on a refund request (with the seller's reason for a refusal,
/// when given) and queues it for the platform, in one transaction. Refused when the request is already decided.
pub fn decide_refund(
    store: &Store,
    store_id: &StoreId,
    request_id: &str,
    decision: Decision,
    reason: Option<String>,
    now: Timestamp,
) -> Result<(), StoreError> {
    let change = OutboxChange::DecideRefund(RefundDecisionChange {
        request_id: request_id.to_owned(),
        decision,
        reason,
    })
    .entry(store_id, now);
    store.write(|writer| {
        writer.record_refund_decision(
            store_id,
            request_id,
            incoming::refund_decision(decision),
            &change,
            now,
        )
    })
}

/// Runs database work off the async threads: on a multi-threaded runtime (the app's) the worker
/// hands its other tasks to another thread while SQLite works, so that commands stay quick during
/// a sync; a current-thread runtime (the CLI's) has no other task to keep waiting.
pub(crate) fn off_async<T>(work: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current() {
        Ok(handle) if handle.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(work)
        }
        _ => work(),
    }
}

/// The longest text of a platform's (a refusal's reason, a set-aside item's, a sync's error)
/// kept or shown: the platform sizes it, so it is cut first.
pub(crate) const LONGEST_PLATFORM_TEXT: usize = 500;
/// The longest refusal code kept.
pub(crate) const LONGEST_PLATFORM_CODE: usize = 64;

/// `text` cut to `most` characters, with an ellipsis when cut.
pub(crate) fn capped(text: &str, most: usize) -> String {
    if text.chars().count() <= most {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(most.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// A new mutation id: `m-` and 26 random characters from the operating system's secure source.
pub fn new_mutation_id() -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut bytes = [0_u8; 26];
    rand::fill(&mut bytes[..]);
    let token: String = bytes
        .iter()
        .map(|byte| char::from(ALPHABET[usize::from(*byte) % ALPHABET.len()]))
        .collect();
    format!("m-{token}")
}

/// The mutation id of chunk `chunk_index` of a code upload: `{mutation_id}-{chunk_index}`, or, when
/// that would be longer than the platform allows, a digest of the entry's id in its place. Always
/// the same for the same chunk, so a retried chunk is applied once.
pub fn chunk_mutation_id(mutation_id: &str, chunk_index: u32) -> String {
    let derived = format!("{mutation_id}-{chunk_index}");
    if derived.len() <= MAXIMUM_MUTATION_ID_CHARS {
        return derived;
    }
    let digest = hex::encode(Sha256::digest(mutation_id.as_bytes()));
    format!("h{}-{chunk_index}", &digest[..40])
}

/// One sync in progress.
pub(crate) struct Session<'a, P> {
    pub(crate) store: &'a Store,
    pub(crate) platform: &'a P,
    pub(crate) store_id: &'a StoreId,
    pub(crate) options: &'a SyncOptions,
    /// Told how far each batch's upload got, chunk by chunk.
    pub(crate) on_upload: &'a (dyn Fn(&UploadProgress) + Sync),
    pub(crate) report: SyncReport,
    /// Whether the last call made got an answer from the platform; `None` before the first.
    pub(crate) last_call_reached: Option<bool>,
}

impl<P: PlatformApi> Session<'_, P> {
    /// Makes a call, retrying it under the retry policy. Each failed try of outbox entry
    /// `sequence` (if any) is recorded with it, except a refusal of the change itself, which the
    /// caller records as a rejection.
    /// Each try is logged with the method, its duration and its outcome's class (never what
    /// was sent or answered: it may hold a token).
    pub(crate) async fn call_with_retries<T, Call, Answer>(
        &mut self,
        method: &'static str,
        sequence: Option<i64>,
        mut call: Call,
    ) -> Result<Result<T, CallError>, StoreError>
    where
        Call: FnMut() -> Answer,
        Answer: Future<Output = Result<T, CallError>>,
    {
        let mut backoff = retry::Backoff::new(self.options.retry);
        loop {
            let started = std::time::Instant::now();
            let answered = call().await;
            let duration_ms = started.elapsed().as_millis();
            let error = match answered {
                Ok(answer) => {
                    tracing::info!(method, duration_ms, outcome = "ok", "platform call");
                    self.last_call_reached = Some(true);
                    return Ok(Ok(answer));
                }
                Err(error) => error,
            };
            tracing::warn!(method, duration_ms, outcome = error.class(), "platform call");
            self.last_call_reached = Some(error.reached_platform());
            if let Some(sequence) = sequence
                && error.change_refusal().is_none()
            {
                let message = error.to_string();
                off_async(|| {
                    self.store.write(|writer| writer.record_outbox_failure(sequence, &message))
                })?;
            }
            match backoff.next_delay(&error) {
                Some(delay) => tokio::time::sleep(delay).await,
                None => return Ok(Err(error)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunk_mutation_ids_are_stable_and_short_enough() {
        assert_eq!(chunk_mutation_id("m-ABC", 0), "m-ABC-0");
        assert_eq!(chunk_mutation_id("m-ABC", 17), "m-ABC-17");
        let long = "x".repeat(64);
        let derived = chunk_mutation_id(&long, 999);
        assert!(derived.len() <= MAXIMUM_MUTATION_ID_CHARS);
        assert_eq!(derived, chunk_mutation_id(&long, 999));
        assert_ne!(derived, chunk_mutation_id(&long, 998));
        assert_ne!(derived, chunk_mutation_id(&"y".repeat(64), 999));
    }

    #[test]
    fn mutation_ids_are_new_each_time() {
        let first = new_mutation_id();
        assert_eq!(first.len(), 28);
        assert!(first.starts_with("m-"));
        assert_ne!(first, new_mutation_id());
    }

    #[test]
    fn page_limits_are_bounded() {
        assert_eq!(PageLimit::new(0), None);
        assert_eq!(PageLimit::new(5_001), None);
        assert_eq!(PageLimit::new(5_000).map(PageLimit::get), Some(5_000));
        assert_eq!(PageLimit::default().get(), 1_000);
    }
}
