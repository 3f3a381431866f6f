//! The baseline of the desktop benchmarks (`scripts/bench-desktop.sh`): a Tauri 2 window built
//! the same way as `sellerdesk-desktop` (release profile, page embedded through `custom-protocol`,
//! same window size, CSP and kind of capability) that shows a tiny static page. Once the page has
//! painted, it calls `report_ready` and this prints `sellerdesk-ready {}` on stdout, the line the
//! desktop app prints in its benchmark build (the `bench` feature, `src-tauri/src/bench.rs`).

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::io::Write;

/// Prints the readiness line and flushes it, so that the benchmark sees it at once.
#[tauri::command]
fn report_ready() -> Result<(), String> {
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "sellerdesk-ready {{}}")
        .and_then(|()| stdout.flush())
        .map_err(|error| format!("cannot write the ready line: {error}"))
}

fn main() -> std::process::ExitCode {
    // As the desktop app does (src-tauri/src/main.rs).
    sellerdesk_webview::prepare_process();
    let result = tauri::Builder::default()
        .setup(|app| Ok(sellerdesk_webview::set_up_windows(app)?))
        .invoke_handler(tauri::generate_handler![report_ready])
        .run(tauri::generate_context!());
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("sellerdesk-minimal-window: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
