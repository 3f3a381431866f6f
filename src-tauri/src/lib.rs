//! Seller Desk's desktop shell: a Tauri 2 window over `sellerdesk-facade`.
//!
//! All rules live in `sellerdesk-core`; this crate only wires commands to the facade and
//! serves the UI built into `../ui/dist`.

#[cfg(test)]
mod bindings;
pub mod commands;
pub mod dto;

use sellerdesk_facade::SellerDesk;

include!("command_names.rs");

/// Builds and runs the app until its last window closes.
pub fn run() -> Result<(), tauri::Error> {
    tauri::Builder::default()
        .manage(SellerDesk::new())
        .invoke_handler(tauri::generate_handler![
            commands::list_example_payments,
            commands::load_example_payment,
            commands::preview_refund,
        ])
        .run(tauri::generate_context!())
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
