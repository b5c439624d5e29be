//! Opening the dashboard in the user's browser at start-up: best effort, detached, never fatal and never waited on.

use std::io::IsTerminal as _;
use std::process::{Command, Stdio};

/// Whether opening a browser makes sense here: an interactive terminal and not a CI run.
#[must_use]
pub fn should_open(lookup: impl Fn(&str) -> Option<String>) -> bool {
    std::io::stdout().is_terminal() && lookup("CI").is_none_or(|v| v.is_empty() || v == "false" || v == "0")
}

/// The platform's "open this URL" command.
fn opener(url: &str) -> Command {
    #[cfg(target_os = "windows")]
    {
        let mut command = Command::new("cmd");
        // `start` treats the first quoted argument as a window title, hence the empty one.
        command.args(["/C", "start", "", url]);
        command
    }
    #[cfg(target_os = "macos")]
    {
        let mut command = Command::new("open");
        command.arg(url);
        command
    }
    #[cfg(not(any(target_os = "windows", target_os = "macos")))]
    {
        let mut command = Command::new("xdg-open");
        command.arg(url);
        command
    }
}

/// Asks the OS to open `url`; every failure (no opener installed, no display) is ignored.
pub fn open(url: &str) {
    let spawned = opener(url).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null()).spawn();
    if let Ok(mut child) = spawned {
        // Reap it in the background so no zombie is left; its outcome does not matter.
        std::thread::spawn(move || {
            let _ = child.wait();
        });
    }
}
