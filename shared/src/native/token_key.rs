//! The native token encryption key: `DATA_DIR/token.key`, 32 random bytes (hex) created with mode 0600 on first
//! start, used when `TOKEN_ENCRYPTION_KEY` is not set. Losing the file makes stored OAuth tokens unreadable
//! (accounts then need to be connected again); copying it with `db.sqlite` keeps them.

use std::io::Write as _;
use std::path::Path;

use crate::platform::Random;

/// File name inside the data directory.
pub const TOKEN_KEY_FILE: &str = "token.key";

/// Reads the key file, creating it (owner-only) if it does not exist.
///
/// # Errors
/// An I/O error when the directory or file cannot be read or created.
pub fn load_or_create_token_key(data_dir: &Path, random: &dyn Random) -> std::io::Result<String> {
    std::fs::create_dir_all(data_dir)?;
    let path = data_dir.join(TOKEN_KEY_FILE);
    match std::fs::read_to_string(&path) {
        Ok(key) if !key.trim().is_empty() => return Ok(key.trim().to_owned()),
        Ok(_) => {}
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
        Err(err) => return Err(err),
    }
    let mut bytes = [0u8; 32];
    random.fill(&mut bytes);
    let key = crate::auth::hex(&bytes);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    match options.open(&path) {
        Ok(mut file) => {
            file.write_all(key.as_bytes())?;
            file.sync_all()?;
            Ok(key)
        }
        // Another process created it first: use theirs.
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
            Ok(std::fs::read_to_string(&path)?.trim().to_owned())
        }
        Err(err) => Err(err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_once_owner_only_then_reuses() {
        let dir = std::env::temp_dir().join(format!("9router-key-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let first = load_or_create_token_key(&dir, &crate::native::OsRandom).expect("created");
        assert_eq!(first.len(), 64);
        assert_eq!(load_or_create_token_key(&dir, &crate::native::OsRandom).expect("read"), first);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(dir.join(TOKEN_KEY_FILE)).expect("exists").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
