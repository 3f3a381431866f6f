//! Exporting codes to a CSV file the seller picks in the system's save dialog.
//!
//! The dialog is opened here, not by the page: the webview never names a path, so it can write
//! nothing but the one file the seller chose.

use sellerdesk_facade::{ErrorCode, ExportProgress, ExportView, FacadeError};
use tauri::ipc::Channel;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;

use crate::ipc::{CommandError, ExportRequest};
use crate::state::{AppState, to_window};

/// Asks where to save, then writes the codes there, reporting progress on `on_progress`.
/// `None` when the seller closed the dialog without choosing a file.
#[tauri::command]
pub async fn export_codes(
    app: AppHandle,
    state: State<'_, AppState>,
    request: ExportRequest,
    suggested_name: String,
    job_id: String,
    on_progress: Channel<ExportProgress>,
) -> Result<Option<ExportView>, CommandError> {
    let dialog = app.dialog().file().add_filter("CSV", &["csv"]).set_file_name(suggested_name);
    let chosen = state.run_blocking(move || Ok(dialog.blocking_save_file())).await?;
    let Some(chosen) = chosen else { return Ok(None) };
    let path = chosen.into_path().map_err(|error| {
        FacadeError::new(ErrorCode::Io, format!("the chosen file cannot be written: {error}"))
    })?;
    let job = state.jobs.start(&job_id);
    let progress = job.progress(to_window(on_progress));
    let input = request.into_input(path);
    let export = state.blocking(move |desk| desk.export_codes(&input, progress)).await?;
    drop(job);
    Ok(Some(export))
}

/// Stops a running export or code generation: an export leaves the file as it was before, a
/// generation keeps none of its codes. False when no such job is running.
#[tauri::command]
pub fn cancel_job(state: State<'_, AppState>, job_id: String) -> bool {
    state.jobs.cancel(&job_id)
}

/// Earlier exports of a coupon's codes, newest first.
#[tauri::command]
pub async fn list_exports(
    state: State<'_, AppState>,
    store_id: String,
    coupon_id: String,
) -> Result<Vec<ExportView>, CommandError> {
    state.blocking(move |desk| desk.exports(&store_id, &coupon_id)).await
}
