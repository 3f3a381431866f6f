//! Seller Desk's desktop shell: a Tauri 2 window over `sellerdesk-facade`, on the session that
//! `sellerdesk-session` opens (the embedded sandbox unless a real platform was chosen).
//!
//! All rules live in `sellerdesk-core`; this crate only wires commands to the facade and
//! serves the UI built into `../ui/dist`.

#[cfg(test)]
mod bindings;
mod browser;
pub mod commands;
pub mod dto;
pub mod state;

use sellerdesk_session::DataDirectory;
use tauri::Manager;

use crate::state::AppState;

include!("command_names.rs");

/// Why the app could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("{0}")]
    Session(#[from] sellerdesk_facade::FacadeError),
    #[error(transparent)]
    Tauri(#[from] tauri::Error),
}

/// Runs the window until it closes, opening the session meanwhile.
pub fn run() -> Result<(), StartError> {
    let directory = DataDirectory::from_environment()?;
    let app = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            sellerdesk_webview::set_up_windows(app)?;
            // The session (the sandbox, the background sync) opens on Tauri's async runtime while
            // the window starts; commands wait for it.
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                let state = handle.state::<AppState>();
                state.open_session().await;
                state.forward_sync_news().await;
            });
            Ok(())
        })
        .manage(AppState::opening(directory))
        .invoke_handler(tauri::generate_handler![
            commands::app::app_info,
            commands::app::open_session_again,
            commands::app::report_ready,
            commands::app::report_loaded,
            commands::catalog::list_stores,
            commands::catalog::list_coupons,
            commands::catalog::create_coupon,
            commands::catalog::edit_coupon,
            commands::catalog::stop_coupon,
            commands::catalog::platform_entry,
            commands::codes::code_space_hint,
            commands::codes::generate_codes,
            commands::codes::list_code_batches,
            commands::codes::check_code,
            commands::codes::campaign_results,
            commands::exports::export_codes,
            commands::exports::cancel_job,
            commands::exports::list_exports,
            commands::refunds::list_refund_requests,
            commands::refunds::preview_refund_request,
            commands::refunds::answer_refund_request,
            commands::sync::sync_status,
            commands::sync::retry_change,
            commands::sync::sync_now,
            commands::sync::watch_syncs,
            commands::settings::connect_platform,
            commands::settings::open_aliexpress_authorization,
            commands::settings::use_sandbox,
            commands::preview::list_example_payments,
            commands::preview::load_example_payment,
            commands::preview::preview_refund,
        ])
        .build(tauri::generate_context!())?;
    app.run(|handle, event| {
        if let tauri::RunEvent::Exit = event {
            // The background sync stops between two transactions; SQLite keeps each whole.
            handle.state::<AppState>().stop();
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::COMMANDS;
    use serde_json::Value;

    fn read_json(relative: &str) -> Value {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
        let text = std::fs::read_to_string(&path).expect("readable");
        serde_json::from_str(&text).expect("valid JSON")
    }

    #[test]
    fn the_main_window_may_call_exactly_the_app_commands() {
        let capability = read_json("capabilities/main.json");
        assert_eq!(capability["windows"], serde_json::json!(["main"]));
        let granted: Vec<&str> = capability["permissions"]
            .as_array()
            .expect("a list of permissions")
            .iter()
            .map(|p| p.as_str().expect("permission identifiers only"))
            .collect();
        let expected: Vec<String> =
            COMMANDS.iter().map(|c| format!("allow-{}", c.replace('_', "-"))).collect();
        assert_eq!(granted, expected, "grant the app's commands and nothing else");
    }

    #[test]
    fn the_csp_names_no_remote_source() {
        let config = read_json("tauri.conf.json");
        let csp = config["app"]["security"]["csp"].as_object().expect("a CSP object");
        assert_eq!(csp["default-src"], "'self'");
        for (directive, sources) in csp {
            for source in sources.as_str().expect("a string").split_whitespace() {
                let allowed = source.starts_with('\'')
                    || matches!(source, "ipc:" | "http://ipc.localhost" | "data:");
                assert!(allowed, "{directive} allows {source}");
            }
        }
    }
}
