//! The app itself: what the window shows at start, and the readiness report benchmarks read.

use std::io::Write;

use tauri::State;

use sellerdesk_facade::DiagnosticsView;

use crate::dto::{AppInfoDto, CommandError};
use crate::state::AppState;

/// The version and the platform in use (the embedded sandbox or a real one).
#[tauri::command]
pub async fn app_info(state: State<'_, AppState>) -> Result<AppInfoDto, CommandError> {
    Ok(AppInfoDto {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        platform: state.session().await?.platform().clone(),
    })
}

/// What to send with a problem report: the version, each store's platform and last sync, the
/// errors met and the log's tail (no secret).
#[tauri::command]
pub async fn diagnostics(state: State<'_, AppState>) -> Result<DiagnosticsView, CommandError> {
    let folder = state.directory.log_folder();
    state.blocking(move |desk| desk.diagnostics(&folder)).await
}

/// Opens the folder of the log files in the system's file manager.
#[tauri::command]
pub fn open_log_folder(state: State<'_, AppState>) {
    crate::browser::open(&state.directory.log_folder().display().to_string());
}

/// Opens the session again after it could not open at start (the window said why, and the seller
/// fixed it); fails with the reason when it still cannot open.
#[tauri::command]
pub async fn open_session_again(state: State<'_, AppState>) -> Result<(), CommandError> {
    state.open_session_again().await
}

/// The window has drawn its first screen with data; `coupons_render_ms` is how long the coupon
/// list took to render from its first answer. With `SELLERDESK_REPORT_READY=1` one line goes to
/// standard output for the desktop benchmark (scripts/bench-desktop.sh); otherwise nothing
/// happens.
#[tauri::command]
pub fn report_ready(coupons_render_ms: f64) {
    report_line(&format!("sellerdesk-ready {{\"coupons_render_ms\": {coupons_render_ms}}}"));
}

/// The whole coupon list is in the window, `coupons_loaded_ms` after its first answer arrived
/// (the first screen asks for the first coupons only). Reported as `report_ready` is.
#[tauri::command]
pub fn report_loaded(coupons_loaded_ms: f64) {
    report_line(&format!("sellerdesk-loaded {{\"coupons_loaded_ms\": {coupons_loaded_ms}}}"));
}

fn report_line(line: &str) {
    if std::env::var_os("SELLERDESK_REPORT_READY").is_some_and(|value| value == "1") {
        let mut out = std::io::stdout().lock();
        // A benchmark that stopped reading is no reason to fail the window.
        let _ = writeln!(out, "{line}");
        let _ = out.flush();
    }
}
