//! The system browser, for pages the seller opens outside the app (a platform's authorization
//! page).

/// Hands an https address (or a folder) to the system's browser (or file manager). The page
/// shows the address either way: a machine without a browser loses nothing.
pub fn open(url: &str) {
    let mut command = if cfg!(target_os = "windows") {
        let mut command = std::process::Command::new("cmd");
        command.args(["/C", "start", ""]);
        command
    } else if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else {
        std::process::Command::new("xdg-open")
    };
    let opened = command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Err(error) = opened {
        eprintln!("sellerdesk: the system browser could not be opened: {error}");
    }
}
