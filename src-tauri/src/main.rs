// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() -> std::process::ExitCode {
    #[cfg(target_os = "linux")]
    prefer_cpu_drawing();
    match sellerdesk_desktop::run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("sellerdesk-desktop: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// WebKitGTK draws page content on the GPU through Skia unless told otherwise. Without a GPU
/// (virtual machines, remote desktops: Mesa's llvmpipe emulates one on the CPU), that is several
/// times slower than drawing on the CPU, and for a window of tables and forms the CPU draws fast
/// enough everywhere. A value the user set is kept.
#[cfg(target_os = "linux")]
fn prefer_cpu_drawing() {
    const VARIABLE: &str = "WEBKIT_SKIA_ENABLE_CPU_RENDERING";
    if std::env::var_os(VARIABLE).is_none() {
        // SAFETY: called first thing in main, before any other thread exists; nothing reads the
        // environment meanwhile.
        #[allow(unsafe_code)]
        unsafe {
            std::env::set_var(VARIABLE, "1");
        }
    }
}
