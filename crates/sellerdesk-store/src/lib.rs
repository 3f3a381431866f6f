//! Seller Desk's local SQLite cache. This is the only crate that knows SQL.
//!
//! [`Store`] owns the database file and its schema upgrades. There is one writer connection and a
//! few readers, in WAL mode. Every write runs in one transaction through [`Store::write`], every
//! read in one snapshot through [`Store::read`]; connections never leave the crate. Every read and
//! write names a store: nothing of one store is visible or changeable from another.

mod campaign;
mod database;
mod error;
mod feeds;
pub mod files;
mod outbox;
mod reader;
mod records;
mod refunds;
mod sync_status;
mod uploads;
mod writer;

pub use campaign::{ChannelCodeResults, DailyRedemptions};
pub use database::{SCHEMA_VERSION, Store, create_schema_at_version, describe_schema};
pub use error::StoreError;
pub use feeds::{AppliedChange, IncomingCodeStatus, IncomingCoupon, SetAsideItem, SyncStream};
pub use outbox::{OutboxKind, OutboxRecord, OutboxState, PlatformRefusal, Transition};
pub use reader::Reader;
pub use records::*;
pub use refunds::{
    DecisionUpload, IncomingRefundRequest, RefundDecision, RefundRequestRecord,
    SellerRefundDecision,
};
pub use sync_status::{Reachability, SyncOutcome, SyncStatus};
pub use uploads::{
    BatchUpload, CodeChunkAdvance, CodeChunkSource, CodeUploadProgress, WithdrawnCode,
};
pub use writer::{CodeInsertion, Writer};
