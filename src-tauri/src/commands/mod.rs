//! The app's Tauri commands. Each one is a few lines: take the state, call the facade (off the
//! async threads when it touches the database or files), map its error.
//!
//! Every command is permission-gated: `build.rs` lists them in the app manifest and
//! `capabilities/main.json` allows them for the main window only.

pub mod app;
pub mod catalog;
pub mod codes;
pub mod exports;
pub mod preview;
pub mod refunds;
pub mod settings;
pub mod sync;
