//! Seller Desk's desktop shell: a Tauri 2 window over `sellerdesk-facade`, on the session that
//! `sellerdesk-session` opens (the embedded sandbox unless a real platform was chosen).
//!
//! All rules live in `sellerdesk-core`; this crate only wires commands to the facade and
//! serves the UI built into `../ui/dist`.

#[cfg(feature = "bench")]
mod bench;
#[cfg(test)]
mod bindings;
mod browser;
pub mod commands;
pub mod ipc;
pub mod state;

use sellerdesk_session::DataDirectory;
use tauri::Manager;

use crate::state::AppState;

/// From the one command list: the names of the commands the webview may call (in the list's
/// order) and the handler that runs them.
macro_rules! app_commands {
    ($($module:ident::$name:ident($($argument:ident: $type:ty),*) -> $returns:ty;)*) => {
        /// The commands the webview may call, as `command_list.rs` lists them.
        pub const COMMANDS: &[&str] = &[$(stringify!($name)),*];

        fn invoke_handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$(commands::$module::$name),*]
        }
    };
}
include!("command_list.rs");

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
    // The app's log, in the data directory. The window opens all the same without it.
    let _log = match sellerdesk_facade::start_log(
        &directory.log_folder(),
        sellerdesk_facade::LogEcho::FileOnly,
    ) {
        Ok(guard) => Some(guard),
        Err(error) => {
            eprintln!("sellerdesk: this run is not logged: {}", error.message);
            None
        }
    };
    let builder = tauri::Builder::default().plugin(tauri_plugin_dialog::init());
    #[cfg(feature = "bench")]
    let builder = builder.plugin(bench::plugin());
    let app = builder
        .setup(|app| {
            sellerdesk_webview::set_up_windows(app)?;
            // The session (the sandbox, the background sync) opens on Tauri's async runtime while
            // the window starts; commands wait for it.
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                let state = handle.state::<AppState>();
                state.sessions.open().await;
                state.forward_sync_news().await;
            });
            Ok(())
        })
        .manage(AppState::opening(directory))
        .invoke_handler(invoke_handler())
        .build(tauri::generate_context!())?;
    app.run(|handle, event| {
        if let tauri::RunEvent::Exit = event {
            // The background sync stops between two transactions; SQLite keeps each whole.
            handle.state::<AppState>().sessions.stop();
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
