//! Seller Desk's local SQLite cache. This is the only crate that knows SQL.
//!
//! [`Store`] owns the database file and its schema upgrades. There is one writer connection and a
//! few readers, in WAL mode. Every write runs in one transaction through [`Store::write`], every
//! read in one snapshot through [`Store::read`]; connections never leave the crate. Every read and
//! write names a store: nothing of one store is visible or changeable from another.

mod campaign;
mod database;
mod error;
pub mod files;
mod reader;
mod records;
mod sync;
mod writer;

pub use campaign::{ChannelCodeResults, DailyRedemptions};
pub use database::{SCHEMA_VERSION, Store, create_schema_at_version, describe_schema};
pub use error::StoreError;
pub use reader::Reader;
pub use records::*;
pub use sync::*;
pub use writer::{CodeInsertion, Writer};
