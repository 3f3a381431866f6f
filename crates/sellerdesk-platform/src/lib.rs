//! Seller Desk's side of the marketplace platform (`docs/platform-api.md`).
//!
//! - `signing` signs and verifies calls in the open platform's gateway convention;
//! - `api` holds the wire types of every method, shared with the sandbox server so that both ends
//!   agree on them;
//! - `connector` is the seam: the kinds of platform a store can be connected to, what each can
//!   do, and the one `Connector` the sync engine calls (one module per kind);
//! - [`PlatformApi`] is the platform's methods as a trait, implemented over HTTP by
//!   [`PlatformClient`] and in memory by `fake::FakePlatform` (feature `fake`, for tests only);
//! - `change` is the one typed change the outbox holds, written by the facade and read by the
//!   push stage;
//! - `sync` keeps a store's local database and the platform in step: the outbox pushed with
//!   mutation ids, the change feeds pulled by cursor, and the sync status any process can read.

pub mod api;
pub mod change;
pub mod client;
pub mod connector;
#[cfg(feature = "fake")]
pub mod fake;
pub mod platform_api;
pub mod signing;
pub mod sync;

pub use client::{ClientError, ClientTimeouts, PlatformClient, PlatformCredentials};
pub use platform_api::{CallError, PlatformApi};
pub use sync::{
    PageLimit, RetryPolicy, SyncError, SyncOptions, SyncReport, SyncSchedule, SyncStatus,
    UploadProgress, decide_refund, run_sync_loop, sync_once, sync_once_reporting, sync_status,
};
