//! The app itself: what the window shows at start, the session opened again, diagnostics.

use tauri::State;

use sellerdesk_facade::DiagnosticsView;

use crate::ipc::{AppInfo, CommandError};
use crate::state::AppState;

/// The version and the platform in use (the embedded sandbox or a real one).
#[tauri::command]
pub async fn app_info(state: State<'_, AppState>) -> Result<AppInfo, CommandError> {
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        platform: state.session().await?.platform().clone(),
    })
}

/// What to send with a problem report: the version, each store's platform and last sync, the
/// errors met and the log's tail (no secret).
#[tauri::command]
pub async fn diagnostics(state: State<'_, AppState>) -> Result<DiagnosticsView, CommandError> {
    let folder = state.directory().log_folder();
    state.blocking(move |desk| desk.diagnostics(&folder)).await
}

/// Opens the folder of the log files in the system's file manager.
#[tauri::command]
pub fn open_log_folder(state: State<'_, AppState>) {
    crate::browser::open(&state.directory().log_folder().display().to_string());
}

/// Opens the session again after it could not open at start (the window said why, and the seller
/// fixed it); fails with the reason when it still cannot open.
#[tauri::command]
pub async fn open_session_again(state: State<'_, AppState>) -> Result<(), CommandError> {
    Ok(state.sessions.open_again().await?)
}
