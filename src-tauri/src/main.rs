// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() -> std::process::ExitCode {
    sellerdesk_webview::prepare_process();
    match sellerdesk_desktop::run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("sellerdesk-desktop: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
