// The `bench` plugin's commands (`src/bench.rs`), listed once: `build.rs` reads this file to make
// their permissions, the plugin to grant them.
pub const COMMANDS: &[&str] = &["report_ready", "report_loaded"];
