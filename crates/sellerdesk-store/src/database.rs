//! Opening the database file: WAL, foreign keys, schema upgrades on `user_version`, and the one
//! writer plus a few readers that every other part of the crate goes through.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, TransactionBehavior};

use crate::error::StoreError;

/// The schema upgrades, in order. Migration `i` takes the schema from version `i` to `i + 1`.
pub(crate) const MIGRATIONS: [&str; 7] = [
    include_str!("../migrations/0001-stores-coupons-codes-exports.sql"),
    include_str!("../migrations/0002-sync-outbox-and-metadata.sql"),
    include_str!("../migrations/0003-sync-progress-refunds-status.sql"),
    include_str!("../migrations/0004-code-status-times.sql"),
    include_str!("../migrations/0005-coupons-keyed-by-store.sql"),
    include_str!("../migrations/0006-set-aside-items.sql"),
    include_str!("../migrations/0007-platform-counts-and-refused-codes.sql"),
];

/// The schema version this build writes and understands.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// How long a connection waits for another process's lock before saying the database is busy.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// How many reader connections are kept open between reads.
const KEPT_READERS: usize = 4;

/// The local database: one writer connection and a small pool of readers, all in WAL mode.
///
/// Connections never leave this crate. Writes go through [`Store::write`], which runs a closure in
/// one immediate transaction; reads go through [`Store::read`].
#[derive(Debug)]
pub struct Store {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    ///
    /// A database from a newer version of the app, a corrupt file, or one locked by another
    /// process is refused with a clear error; nothing is ever deleted to "recover".
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(parent) = path.parent().filter(|parent| !parent.as_os_str().is_empty()) {
            crate::files::create_private_folder(parent).map_err(|error| StoreError::Io {
                path: parent.to_owned(),
                message: error.to_string(),
            })?;
        }
        // SQLite gives the journal files the database's own permissions.
        crate::files::create_private_file(path).map_err(|error| StoreError::Io {
            path: path.to_owned(),
            message: error.to_string(),
        })?;
        let mut writer = open_connection(path)?;
        let in_context = |error| StoreError::from_sqlite(path, error);
        // Refuse a newer schema before anything (even the journal mode) touches the file.
        refuse_newer_schema(path, &writer)?;
        writer.pragma_update(None, "journal_mode", "wal").map_err(in_context)?;
        upgrade_schema(path, &mut writer)?;
        Ok(Store {
            path: path.to_owned(),
            writer: Mutex::new(writer),
            readers: Mutex::new(Vec::new()),
        })
    }

    /// Where the database lives when the seller names none: the platform's data directory.
    pub fn default_path() -> Option<PathBuf> {
        directories::ProjectDirs::from("com", "Seller Desk", "Seller Desk")
            .map(|dirs| dirs.data_dir().join("sellerdesk.db"))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `work` in one transaction on the writer connection; commits only if it succeeds.
    pub fn write<T, E>(
        &self,
        work: impl FnOnce(&mut crate::Writer<'_>) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let mut connection = lock(&self.writer);
        let transaction = connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|error| StoreError::from_sqlite(&self.path, error))?;
        let mut writer = crate::Writer::new(transaction, &self.path);
        let value = work(&mut writer)?;
        writer.commit()?;
        Ok(value)
    }

    /// Runs `work` on a reader connection, inside one read transaction so it sees one snapshot.
    pub fn read<T, E>(&self, work: impl FnOnce(&crate::Reader<'_>) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let kept = lock(&self.readers).pop();
        let mut connection = match kept {
            Some(connection) => connection,
            None => open_connection(&self.path)?,
        };
        let result = {
            let transaction = connection
                .transaction_with_behavior(TransactionBehavior::Deferred)
                .map_err(|error| StoreError::from_sqlite(&self.path, error))?;
            let reader = crate::Reader::new(&transaction, &self.path);
            let result = work(&reader);
            // A read transaction has nothing to commit; ending it releases the snapshot.
            drop(transaction);
            result
        };
        let mut readers = lock(&self.readers);
        if readers.len() < KEPT_READERS {
            readers.push(connection);
        }
        result
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding a connection leaves SQLite consistent (the transaction rolls back),
    // so the connection stays usable.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn open_connection(path: &Path) -> Result<Connection, StoreError> {
    let in_context = |error| StoreError::from_sqlite(path, error);
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    let connection = Connection::open_with_flags(path, flags).map_err(in_context)?;
    connection.busy_timeout(BUSY_TIMEOUT).map_err(in_context)?;
    connection.pragma_update(None, "foreign_keys", "on").map_err(in_context)?;
    // In WAL mode FULL syncs the log at every commit: a committed batch survives a power cut.
    connection.pragma_update(None, "synchronous", "full").map_err(in_context)?;
    connection.pragma_update(None, "cache_size", -32_768).map_err(in_context)?;
    // Reading the schema version is the first thing that touches the file, so a file that is not
    // a database is refused here.
    let _: u32 = connection
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(in_context)?;
    Ok(connection)
}

fn refuse_newer_schema(path: &Path, connection: &Connection) -> Result<u32, StoreError> {
    let found: u32 = connection
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(|error| StoreError::from_sqlite(path, error))?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            path: path.to_owned(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(found)
}

fn upgrade_schema(path: &Path, connection: &mut Connection) -> Result<(), StoreError> {
    let in_context = |error| StoreError::from_sqlite(path, error);
    // A migration may rebuild a table that others refer to (SQLite's procedure for changing a
    // key): foreign keys are off while the upgrade runs, and checked whole before it commits.
    connection.pragma_update(None, "foreign_keys", "off").map_err(in_context)?;
    let upgraded = run_migrations(path, connection);
    connection.pragma_update(None, "foreign_keys", "on").map_err(in_context)?;
    upgraded
}

fn run_migrations(path: &Path, connection: &mut Connection) -> Result<(), StoreError> {
    let in_context = |error| StoreError::from_sqlite(path, error);
    let transaction =
        connection.transaction_with_behavior(TransactionBehavior::Exclusive).map_err(in_context)?;
    // Read again inside the exclusive transaction: another process may have upgraded meanwhile.
    let found = refuse_newer_schema(path, &transaction)?;
    if found == SCHEMA_VERSION {
        return Ok(());
    }
    for migration in &MIGRATIONS[found as usize..] {
        transaction.execute_batch(migration).map_err(in_context)?;
    }
    let broken: Option<String> = transaction
        .query_row("SELECT \"table\" FROM pragma_foreign_key_check LIMIT 1", [], |row| row.get(0))
        .optional()
        .map_err(in_context)?;
    if let Some(table) = broken {
        // Rolled back when the transaction drops: the file stays as it was.
        return Err(StoreError::UnreadableValue {
            path: path.to_owned(),
            message: format!("rows of {table} refer to nothing; the upgrade was not made"),
        });
    }
    transaction.pragma_update(None, "user_version", SCHEMA_VERSION).map_err(in_context)?;
    transaction.commit().map_err(in_context)
}

/// Applies the first `version` migrations to a new database at `path`, as an older build would
/// have left it. Only for tests of the upgrade path.
#[doc(hidden)]
pub fn create_schema_at_version(path: &Path, version: u32) -> Result<(), StoreError> {
    let connection = open_connection(path)?;
    let in_context = |error| StoreError::from_sqlite(path, error);
    for migration in &MIGRATIONS[..version as usize] {
        connection.execute_batch(migration).map_err(in_context)?;
    }
    connection.pragma_update(None, "user_version", version).map_err(in_context)
}

/// The schema as SQLite describes it (`sqlite_schema` rows, sorted), for comparing databases.
#[doc(hidden)]
pub fn describe_schema(path: &Path) -> Result<Vec<String>, StoreError> {
    let connection = open_connection(path)?;
    let in_context = |error| StoreError::from_sqlite(path, error);
    let mut statement = connection
        .prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name")
        .map_err(in_context)?;
    let rows = statement
        .query_map([], |row| {
            Ok(format!(
                "{} {} on {}: {}",
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, Option<String>>(3)?.unwrap_or_default()
            ))
        })
        .map_err(in_context)?;
    let mut description = rows.collect::<Result<Vec<_>, _>>().map_err(in_context)?;
    let version: u32 = connection
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(in_context)?;
    description.push(format!("user_version {version}"));
    Ok(description)
}

/// Whether `error` means the database file is damaged or is not a database at all.
pub(crate) fn is_corruption(code: ErrorCode) -> bool {
    matches!(code, ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase)
}
