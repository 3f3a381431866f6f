//! The desktop benchmark's hooks, in a build with the `bench` feature only
//! (`scripts/bench-desktop.sh` builds it; a seller's build has none of this): a plugin whose
//! script (`bench/ready.js`, put into the page before the app's own) sees the first coupon list
//! reach the screen, and whose two commands print the benchmark's lines on standard output. The
//! page's own code and the app's command list know nothing of it.

use std::io::Write;

use tauri::ipc::CapabilityBuilder;
use tauri::plugin::{Builder, TauriPlugin};
use tauri::{Manager, Runtime};

/// The plugin's name: its commands are `plugin:bench|report_ready` and `plugin:bench|report_loaded`.
pub const PLUGIN: &str = "bench";

include!("bench/commands.rs");

pub fn plugin<R: Runtime>() -> TauriPlugin<R> {
    Builder::new(PLUGIN)
        .js_init_script(include_str!("bench/ready.js").to_owned())
        .invoke_handler(tauri::generate_handler![report_ready, report_loaded])
        .setup(|app, _| {
            // Granted to the main window here, not in capabilities/: a seller's build has no
            // such permission to grant.
            let mut capability = CapabilityBuilder::new("bench").window("main");
            for command in COMMANDS {
                capability =
                    capability.permission(format!("{PLUGIN}:allow-{}", command.replace('_', "-")));
            }
            app.add_capability(capability)?;
            Ok(())
        })
        .build()
}

/// The first coupon list with data was painted `coupons_render_ms` after its answer arrived.
#[tauri::command]
fn report_ready(coupons_render_ms: f64) {
    print_line(&format!("sellerdesk-ready {{\"coupons_render_ms\": {coupons_render_ms}}}"));
}

/// The whole coupon list was in the page and painted `coupons_loaded_ms` after the first answer
/// arrived (the first screen asks for the first coupons only).
#[tauri::command]
fn report_loaded(coupons_loaded_ms: f64) {
    print_line(&format!("sellerdesk-loaded {{\"coupons_loaded_ms\": {coupons_loaded_ms}}}"));
}

fn print_line(line: &str) {
    let mut out = std::io::stdout().lock();
    // A benchmark that stopped reading is no reason to fail the window.
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}
