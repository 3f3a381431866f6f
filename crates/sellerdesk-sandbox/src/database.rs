//! The sandbox's state: one SQLite file (`sandbox.db`, WAL) in the data directory, used through a
//! single connection behind a mutex. Every gateway call and every simulation tick runs on a
//! blocking thread while holding it, so changes never interleave.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension};

use crate::error::SandboxError;

/// The database file's name inside the data directory.
pub const DATABASE_FILE_NAME: &str = "sandbox.db";

/// The schema this sandbox writes, recorded in `user_version`.
const SCHEMA_VERSION: i64 = 1;

const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

const SCHEMA: &str = "
CREATE TABLE stores (
    store_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    currency TEXT NOT NULL,
    access_token TEXT NOT NULL UNIQUE
) STRICT;

CREATE TABLE buyers (
    buyer_id TEXT PRIMARY KEY,
    name TEXT NOT NULL
) STRICT;

CREATE TABLE coupons (
    store_id TEXT NOT NULL REFERENCES stores (store_id),
    coupon_id TEXT NOT NULL,
    title TEXT NOT NULL,
    currency TEXT NOT NULL,
    discount TEXT NOT NULL,
    min_purchase TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT NOT NULL,
    quantity INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('published', 'rejected', 'stopped')),
    reason TEXT,
    code_count INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (store_id, coupon_id)
) STRICT;

CREATE TABLE codes (
    code TEXT PRIMARY KEY,
    store_id TEXT NOT NULL,
    coupon_id TEXT NOT NULL,
    batch_id INTEGER NOT NULL,
    channel TEXT,
    status TEXT NOT NULL CHECK (status IN ('valid', 'inactive', 'used', 'expired', 'pending')),
    buyer_id TEXT REFERENCES buyers (buyer_id),
    changed_at TEXT NOT NULL,
    FOREIGN KEY (store_id, coupon_id) REFERENCES coupons (store_id, coupon_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX codes_by_coupon_and_status ON codes (store_id, coupon_id, status);
CREATE UNIQUE INDEX one_claim_per_buyer ON codes (store_id, coupon_id, buyer_id)
    WHERE buyer_id IS NOT NULL;
CREATE INDEX unclaimed_codes ON codes (store_id, coupon_id)
    WHERE buyer_id IS NULL AND status = 'valid';
CREATE INDEX claimed_codes_in_progress ON codes (changed_at)
    WHERE buyer_id IS NOT NULL AND status IN ('valid', 'inactive', 'pending');

CREATE TABLE refund_requests (
    store_id TEXT NOT NULL REFERENCES stores (store_id),
    request_id TEXT NOT NULL,
    buyer_id TEXT NOT NULL REFERENCES buyers (buyer_id),
    preview_input TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    decision TEXT CHECK (decision IN ('approve', 'refuse')),
    decided_at TEXT,
    PRIMARY KEY (store_id, request_id)
) STRICT;

CREATE TABLE mutations (
    store_id TEXT NOT NULL REFERENCES stores (store_id),
    mutation_id TEXT NOT NULL,
    method TEXT NOT NULL,
    request TEXT NOT NULL,
    response TEXT NOT NULL,
    applied_at TEXT NOT NULL,
    PRIMARY KEY (store_id, mutation_id)
) STRICT;

CREATE TABLE changes (
    sequence INTEGER PRIMARY KEY AUTOINCREMENT,
    store_id TEXT NOT NULL,
    feed TEXT NOT NULL CHECK (feed IN ('coupons', 'codes', 'refunds')),
    item TEXT NOT NULL
) STRICT;

CREATE INDEX changes_by_feed ON changes (store_id, feed, sequence);
";

/// The path of the database file in `data_directory`.
pub fn database_path(data_directory: &Path) -> PathBuf {
    data_directory.join(DATABASE_FILE_NAME)
}

/// Whether a connection may change the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    ReadWrite,
    ReadOnly,
}

/// Opens the sandbox database in `data_directory`, creating the directory and the schema when
/// `access` allows it.
pub fn open_connection(data_directory: &Path, access: Access) -> Result<Connection, SandboxError> {
    let path = database_path(data_directory);
    let connection = match access {
        Access::ReadWrite => {
            std::fs::create_dir_all(data_directory).map_err(|source| {
                SandboxError::DataDirectory { path: data_directory.to_owned(), source }
            })?;
            let connection = Connection::open_with_flags(
                &path,
                OpenFlags::SQLITE_OPEN_READ_WRITE
                    | OpenFlags::SQLITE_OPEN_CREATE
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            connection.pragma_update(None, "journal_mode", "wal")?;
            // WAL with NORMAL survives a killed process; only a power cut may lose the last
            // transactions, which is fine for a sandbox.
            connection.pragma_update(None, "synchronous", "normal")?;
            connection
        }
        Access::ReadOnly => {
            if !path.is_file() {
                return Err(SandboxError::NoSandboxData { path });
            }
            Connection::open_with_flags(
                &path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?
        }
    };
    connection.busy_timeout(BUSY_TIMEOUT)?;
    connection.pragma_update(None, "foreign_keys", "on")?;
    connection.set_prepared_statement_cache_capacity(64);

    let version: i64 = connection.pragma_query_value(None, "user_version", |row| row.get(0))?;
    match (version, access) {
        (SCHEMA_VERSION, _) => {}
        (0, Access::ReadWrite) => {
            let transaction = connection.unchecked_transaction()?;
            transaction.execute_batch(SCHEMA)?;
            transaction.pragma_update(None, "user_version", SCHEMA_VERSION)?;
            transaction.commit()?;
        }
        (found, _) => {
            return Err(SandboxError::UnknownSchemaVersion { path, found, known: SCHEMA_VERSION });
        }
    }
    Ok(connection)
}

/// The one read-write connection, shared by the gateway and the simulated buyers.
pub struct Database {
    connection: Mutex<Connection>,
}

impl fmt::Debug for Database {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Database").finish_non_exhaustive()
    }
}

impl Database {
    pub fn open(data_directory: &Path) -> Result<Database, SandboxError> {
        let connection = open_connection(data_directory, Access::ReadWrite)?;
        Ok(Database { connection: Mutex::new(connection) })
    }

    /// Runs `work` with the connection on the calling thread. A panic in an earlier holder
    /// leaves no half-done transaction behind (it is rolled back when dropped), so a poisoned
    /// lock is simply taken over.
    pub fn with_connection<T>(&self, work: impl FnOnce(&mut Connection) -> T) -> T {
        let mut connection = self.connection.lock().unwrap_or_else(PoisonError::into_inner);
        work(&mut connection)
    }

    /// Runs `work` with the connection on a blocking thread, so that SQLite never stalls the
    /// async runtime.
    pub async fn run<T, E>(
        self: &Arc<Self>,
        work: impl FnOnce(&mut Connection) -> Result<T, E> + Send + 'static,
    ) -> Result<T, E>
    where
        T: Send + 'static,
        E: Send + 'static + From<TaskFailure>,
    {
        let database = Arc::clone(self);
        match tokio::task::spawn_blocking(move || database.with_connection(work)).await {
            Ok(result) => result,
            Err(join_error) => Err(E::from(TaskFailure { message: join_error.to_string() })),
        }
    }
}

/// A blocking database task that panicked or was cancelled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskFailure {
    pub message: String,
}

impl From<TaskFailure> for SandboxError {
    fn from(failure: TaskFailure) -> SandboxError {
        SandboxError::TaskFailed { message: failure.message }
    }
}

impl From<TaskFailure> for crate::error::ApiError {
    fn from(failure: TaskFailure) -> crate::error::ApiError {
        crate::error::ApiError::new(
            crate::error::ApiErrorKind::Internal,
            format!("the sandbox failed while handling the call: {}", failure.message),
        )
    }
}

/// A store as the gateway knows it: the session names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreRow {
    pub store_id: String,
    pub name: String,
    pub currency: String,
    pub access_token: String,
}

pub fn store_by_access_token(
    connection: &Connection,
    access_token: &str,
) -> rusqlite::Result<Option<StoreRow>> {
    connection
        .prepare_cached(
            "SELECT store_id, name, currency, access_token FROM stores WHERE access_token = ?1",
        )?
        .query_row([access_token], store_from_row)
        .optional()
}

pub fn all_stores(connection: &Connection) -> rusqlite::Result<Vec<StoreRow>> {
    connection
        .prepare_cached(
            "SELECT store_id, name, currency, access_token FROM stores ORDER BY store_id",
        )?
        .query_map([], store_from_row)?
        .collect()
}

fn store_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<StoreRow> {
    Ok(StoreRow {
        store_id: row.get(0)?,
        name: row.get(1)?,
        currency: row.get(2)?,
        access_token: row.get(3)?,
    })
}

pub fn insert_store(connection: &Connection, store: &StoreRow) -> rusqlite::Result<()> {
    connection
        .prepare_cached(
            "INSERT INTO stores (store_id, name, currency, access_token) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute((&store.store_id, &store.name, &store.currency, &store.access_token))?;
    Ok(())
}

pub fn store_exists(connection: &Connection, store_id: &str) -> rusqlite::Result<bool> {
    connection.prepare_cached("SELECT 1 FROM stores WHERE store_id = ?1")?.exists([store_id])
}

pub fn store_count(connection: &Connection) -> rusqlite::Result<i64> {
    connection.query_row("SELECT COUNT(*) FROM stores", [], |row| row.get(0))
}
