//! How Seller Desk's windows set WebKitGTK up on Linux; on other systems every function here does
//! nothing. The desktop app (`src-tauri`) and the desktop benchmarks' minimal window
//! (`benches/minimal-window`) both call it, so that the benchmark compares two windows set up the
//! same way.
//!
//! Three choices, each measured with `scripts/bench-desktop.sh` (figures in the README):
//!
//! - **Drawing on the CPU.** WebKitGTK draws page content on the GPU through Skia unless told
//!   otherwise. Without a GPU (virtual machines, remote desktops: Mesa's llvmpipe emulates one on
//!   the CPU) that is several times slower than drawing on the CPU, and for a window of tables and
//!   forms the CPU draws fast enough everywhere.
//! - **Scrolling areas drawn with the page.** By default every scrolling area inside the page
//!   (the coupon list, a side panel) gets a compositing layer of its own, with its own tiles drawn
//!   ahead of the scroll: about 11 MiB for the coupon list. Seller Desk's long lists are windowed
//!   (the page redraws their rows as they scroll anyway), so scrolling them on the page's thread
//!   costs nothing visible and the memory goes.
//! - **No optimizing JavaScript compiler.** JavaScriptCore's optimizing tiers (DFG and FTL) pay
//!   off for long-running scripts; the app's page runs short handlers over small data, which the
//!   interpreter and the baseline compiler run as fast (the coupons screen's first paint did not
//!   move), and the optimizing tiers' memory (about 5 MiB) goes.
//!
//! A choice the user made through the environment is kept.

#[cfg(target_os = "linux")]
mod linux;

/// Sets the environment WebKitGTK and JavaScriptCore read as they start (their processes inherit
/// it). Call it first thing in `main`, before any other thread exists.
pub fn prepare_process() {
    #[cfg(target_os = "linux")]
    linux::prepare_process();
}

#[cfg(target_os = "linux")]
pub use linux::{FeatureSwitchesMissing, draw_scrolling_areas_with_the_page};

/// Sets up every window the app has at start (those of its Tauri configuration): call it in
/// Tauri's `setup`. See [`set_up_window`].
pub fn set_up_windows<R: tauri::Runtime>(app: &tauri::App<R>) -> tauri::Result<()> {
    use tauri::Manager;
    app.webview_windows().values().try_for_each(set_up_window)
}

/// Sets a window's web view up: on Linux, its scrolling areas are drawn with the page. Call it
/// once the window exists, before its page shows a scrolling area. The work is done on the
/// window's thread; a WebKitGTK too old for it (before 2.42) is said on stderr and left as it
/// is, which costs memory only.
pub fn set_up_window<R: tauri::Runtime>(window: &tauri::WebviewWindow<R>) -> tauri::Result<()> {
    window.with_webview(|webview| {
        #[cfg(target_os = "linux")]
        if let Err(missing) = draw_scrolling_areas_with_the_page(&webview.inner()) {
            eprintln!("sellerdesk: {missing}; scrolling areas keep layers of their own");
        }
        #[cfg(not(target_os = "linux"))]
        let _ = webview;
    })
}
