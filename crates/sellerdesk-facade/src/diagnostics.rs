//! What a seller can send when something goes wrong: a log file, rotated daily in the data
//! directory's `logs/` folder, and a diagnostics text (the version, each store's platform kind and
//! last sync, recent errors, and the log's tail).
//!
//! The log holds what happened, never what was sent: spans name the store, the coupon, the
//! platform method; events say a duration, a count, an outcome's class. No secret, token or
//! platform answer is ever written (tested in `tests/diagnostics.rs`).

use std::fmt::Write as _;
use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};

use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;

use crate::views::DiagnosticsView;
use crate::{ErrorCode, FacadeError, SellerDesk};

/// The log's file name; the daily files are `sellerdesk.log.YYYY-MM-DD`.
const LOG_FILE_PREFIX: &str = "sellerdesk.log";
/// How many daily files are kept.
const LOG_FILES_KEPT: usize = 7;
/// How many lines of the log the diagnostics end with.
const TAIL_LINES: usize = 80;
/// What is logged unless `SELLERDESK_LOG` says otherwise (an `EnvFilter` directive).
const DEFAULT_FILTER: &str = "info";

/// Where the log goes besides its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogEcho {
    /// The file only.
    FileOnly,
    /// The file and the standard error (`sellerdesk --verbose`).
    Stderr,
}

/// Keeps the log writing until it is dropped (then what is buffered is written out).
#[must_use = "the log stops when the guard is dropped"]
#[derive(Debug)]
pub struct LogGuard {
    _worker: tracing_appender::non_blocking::WorkerGuard,
}

/// The log folder of a data directory.
pub fn log_folder(data_directory: &Path) -> PathBuf {
    data_directory.join("logs")
}

/// Starts the process' log in `folder` (created 0700, as the data directory). Called once, first
/// thing, by the CLI and the app; a second call in the same process is refused.
pub fn start_log(folder: &Path, echo: LogEcho) -> Result<LogGuard, FacadeError> {
    sellerdesk_store::files::create_private_folder(folder).map_err(|error| {
        FacadeError::new(
            ErrorCode::Io,
            format!("cannot create the log folder {}: {error}", folder.display()),
        )
    })?;
    let appender = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix(LOG_FILE_PREFIX)
        .max_log_files(LOG_FILES_KEPT)
        .build(folder)
        .map_err(|error| {
            FacadeError::new(
                ErrorCode::Io,
                format!("cannot open the log in {}: {error}", folder.display()),
            )
        })?;
    let (writer, worker) = tracing_appender::non_blocking(appender);
    let filter = EnvFilter::try_from_env("SELLERDESK_LOG")
        .unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER));
    let file = tracing_subscriber::fmt::layer().with_ansi(false).with_writer(writer);
    let stderr = (echo == LogEcho::Stderr)
        .then(|| tracing_subscriber::fmt::layer().with_writer(std::io::stderr));
    tracing_subscriber::registry().with(filter).with(file).with(stderr).try_init().map_err(
        |error| {
            FacadeError::new(ErrorCode::Internal, format!("the log was started twice: {error}"))
        },
    )?;
    Ok(LogGuard { _worker: worker })
}

/// Runs `work` and logs how it ended and how long it took, as `what`.
pub(crate) fn timed<T>(
    what: &'static str,
    work: impl FnOnce() -> Result<T, FacadeError>,
) -> Result<T, FacadeError> {
    let started = std::time::Instant::now();
    let outcome = work();
    let duration_ms = started.elapsed().as_millis();
    match &outcome {
        Ok(_) => tracing::info!(duration_ms, "{what}"),
        Err(error) => tracing::warn!(duration_ms, error = ?error.code, "{what}: failed"),
    }
    outcome
}

/// The last `most` lines of the newest log file in `folder` (empty when there is none).
fn log_tail(folder: &Path, most: usize) -> String {
    let newest = std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| {
            path.file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| name.starts_with(LOG_FILE_PREFIX))
        })
        .max();
    let Some(newest) = newest else {
        return String::new();
    };
    let Ok(file) = std::fs::File::open(&newest) else {
        return String::new();
    };
    let mut tail = std::collections::VecDeque::with_capacity(most);
    for line in BufReader::new(file).lines().map_while(Result::ok) {
        if tail.len() == most {
            tail.pop_front();
        }
        tail.push_back(line);
    }
    tail.into_iter().collect::<Vec<_>>().join("\n")
}

impl SellerDesk {
    /// What to send with a problem report: the version, each store with its platform kind and
    /// last sync, the errors it met, and the tail of the log in `log_folder`. Holds no secret.
    pub fn diagnostics(&self, log_folder: &Path) -> Result<DiagnosticsView, FacadeError> {
        let mut text = String::new();
        let _ = writeln!(text, "Seller Desk {}", env!("CARGO_PKG_VERSION"));
        let _ = writeln!(text, "system: {} {}", std::env::consts::OS, std::env::consts::ARCH);
        let _ = writeln!(text, "log folder: {}", log_folder.display());
        let statuses = self.sync_status(None)?;
        for store in self.stores()? {
            let kind =
                store.platform.as_ref().map_or("not connected", |platform| platform.kind.as_str());
            let _ = writeln!(text, "\nstore {} ({}): {kind}", store.store_id, store.currency);
            for status in statuses.iter().filter(|status| status.store_id == store.store_id) {
                let _ = writeln!(
                    text,
                    "  {}, last sync {}, last attempt {}, {} pending, {} refused, {} set aside",
                    if status.online { "online" } else { "offline" },
                    status.last_successful_sync.as_deref().unwrap_or("never"),
                    status.last_attempt_at.as_deref().unwrap_or("never"),
                    status.pending_changes,
                    status.rejected_changes,
                    status.set_aside.len(),
                );
                if let Some(error) = &status.last_error {
                    let _ = writeln!(text, "  last error: {error}");
                }
                for refused in &status.rejected {
                    let _ = writeln!(
                        text,
                        "  refused change {} ({} of {}): {}",
                        refused.change_id, refused.kind, refused.subject_id, refused.reason
                    );
                }
            }
        }
        let tail = log_tail(log_folder, TAIL_LINES);
        let _ = writeln!(text, "\nlog (last {TAIL_LINES} lines):\n{tail}");
        Ok(DiagnosticsView { text, log_folder: log_folder.display().to_string() })
    }
}
