//! Each store's sync status: whether the last attempt reached the platform, when, how it ended,
//! and the last successful sync.

use rusqlite::{OptionalExtension, params};
use sellerdesk_core::Timestamp;
use sellerdesk_core::ids::StoreId;

use crate::error::StoreError;
use crate::feeds::SetAsideItem;
use crate::outbox::OutboxState;
use crate::reader::{Reader, parse_timestamp};
use crate::writer::Writer;

/// Whether the last sync attempt reached the platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reachability {
    Online,
    Offline,
}

/// How a sync attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncOutcome {
    Succeeded,
    Failed { message: String },
}

/// Where synchronisation of one store stands, as any process can read it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SyncStatus {
    /// Whether the last attempt reached the platform.
    pub online: bool,
    /// Local changes that have not reached the platform yet.
    pub pending_changes: u64,
    /// Local changes the platform refused; each keeps its reason.
    pub rejected_changes: u64,
    pub last_attempt_at: Option<Timestamp>,
    pub last_successful_sync: Option<Timestamp>,
    /// What went wrong in the last attempt; `None` when it succeeded.
    pub last_error: Option<String>,
    /// Items of the platform's feeds this desk could not use, each with why.
    pub set_aside: Vec<SetAsideItem>,
}

impl Reader<'_> {
    /// Where synchronisation of the store stands.
    pub fn sync_status(&self, store_id: &StoreId) -> Result<SyncStatus, StoreError> {
        let found = self
            .connection
            .prepare_cached(
                "SELECT online, last_attempt_at, last_successful_sync, last_error FROM sync_status \
                 WHERE store_id = ?1",
            )
            .and_then(|mut statement| {
                statement
                    .query_row(params![store_id.as_str()], |row| {
                        Ok((
                            row.get::<_, bool>(0)?,
                            row.get::<_, String>(1)?,
                            row.get::<_, Option<String>>(2)?,
                            row.get::<_, Option<String>>(3)?,
                        ))
                    })
                    .optional()
            })
            .map_err(|error| self.sql_error(error))?;
        let mut status = SyncStatus {
            pending_changes: self.outbox_count(store_id, OutboxState::Pending)?,
            rejected_changes: self.outbox_count(store_id, OutboxState::Rejected)?,
            ..SyncStatus::default()
        };
        if let Some((online, last_attempt_at, last_successful_sync, last_error)) = found {
            status.online = online;
            status.last_attempt_at = Some(parse_timestamp(self.path, &last_attempt_at)?);
            status.last_successful_sync =
                last_successful_sync.map(|text| parse_timestamp(self.path, &text)).transpose()?;
            status.last_error = last_error;
        }
        status.set_aside = self.set_aside_items(store_id)?;
        Ok(status)
    }
}

impl Writer<'_> {
    /// Records how a sync attempt of the store ended.
    pub fn record_sync_attempt(
        &mut self,
        store_id: &StoreId,
        reachability: Reachability,
        outcome: &SyncOutcome,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let (succeeded_at, error) = match outcome {
            SyncOutcome::Succeeded => (Some(now.to_string()), None),
            SyncOutcome::Failed { message } => (None, Some(message.as_str())),
        };
        self.execute(
            "INSERT INTO sync_status (store_id, online, last_attempt_at, last_successful_sync, last_error) \
             VALUES (?1, ?2, ?3, ?4, ?5) \
             ON CONFLICT (store_id) DO UPDATE SET online = excluded.online, \
               last_attempt_at = excluded.last_attempt_at, \
               last_successful_sync = coalesce(excluded.last_successful_sync, last_successful_sync), \
               last_error = excluded.last_error",
            params![
                store_id.as_str(),
                reachability == Reachability::Online,
                now.to_string(),
                succeeded_at,
                error
            ],
        )?;
        Ok(())
    }
}
