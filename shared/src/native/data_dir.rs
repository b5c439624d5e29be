//! Where the native router keeps its data when neither `--data-dir` nor `DATA_DIR` says: the seed's locations,
//! `~/.9router` on Linux and macOS and `%APPDATA%\9router` on Windows (the JS 9router's `getUserDataDir`).

use std::path::PathBuf;

/// Directory name under the home / application-data directory.
const APP: &str = "9router";

/// The default data directory, from the environment `lookup`.
#[must_use]
pub fn default_data_dir(lookup: impl Fn(&str) -> Option<String>) -> PathBuf {
    let set = |name: &str| lookup(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    if cfg!(windows) {
        set("APPDATA")
            .or_else(|| set("USERPROFILE").map(|home| home.join("AppData").join("Roaming")))
            .map_or_else(|| PathBuf::from(APP), |dir| dir.join(APP))
    } else {
        set("HOME").map_or_else(|| PathBuf::from(format!(".{APP}")), |home| home.join(format!(".{APP}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_the_platform_convention() {
        let env = |k: &str| match k {
            "HOME" => Some("/home/u".to_owned()),
            "APPDATA" => Some("C:\\Users\\u\\AppData\\Roaming".to_owned()),
            _ => None,
        };
        let dir = default_data_dir(env);
        if cfg!(windows) {
            assert!(dir.ends_with("9router"));
        } else {
            assert_eq!(dir, PathBuf::from("/home/u/.9router"));
        }
        assert!(default_data_dir(|_| None).ends_with(if cfg!(windows) { "9router" } else { ".9router" }));
    }
}
