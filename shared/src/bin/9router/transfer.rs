//! `9router import` / `9router export`: file handling and the printed report around `shared::transfer`.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use shared::native::{checkpoint, open_database};
use shared::platform::Clock as _;
use shared::store::Repository;
use shared::transfer;

fn now_ms() -> i64 {
    i64::try_from(shared::native::SystemClock.now_ms()).unwrap_or(i64::MAX)
}

fn repository(data_dir: &Path) -> Result<Repository, String> {
    let db = open_database(data_dir).map_err(|e| format!("database in {}: {e}", data_dir.display()))?;
    Ok(Repository::new(Arc::new(db)))
}

/// Imports the seed's `db.json` at `path` into the database in `data_dir` and prints what it did and did not do.
pub async fn import(data_dir: &Path, path: &Path, token_key: String) -> ExitCode {
    let result = async {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let json = serde_json::from_str(&text).map_err(|e| format!("{} is not JSON: {e}", path.display()))?;
        let plan = transfer::plan_import(&json, now_ms()).map_err(|e| e.to_string())?;
        let repo = repository(data_dir)?;
        let cipher = shared::oauth::TokenCipher::from_secret(&token_key);
        let applied = transfer::apply_import(&repo, &plan, &cipher, &shared::native::OsRandom, now_ms())
            .await
            .map_err(|e| e.to_string())?;
        Ok::<_, String>((plan, applied))
    }
    .await;
    let (plan, applied) = match result {
        Ok(done) => done,
        Err(err) => {
            eprintln!("9router import: {err}");
            return ExitCode::FAILURE;
        }
    };
    let _ = checkpoint(data_dir);
    println!("Imported {} into {}:", path.display(), data_dir.display());
    for (what, created, existing) in &applied.counts {
        println!("  {what}: {created} new, {existing} already present");
    }
    if !applied.settings.is_empty() {
        println!("  settings: {}", applied.settings.join(", "));
    }
    let skipped: Vec<&String> = plan.not_imported.iter().chain(&applied.failed).collect();
    if skipped.is_empty() {
        println!("Everything was imported.");
    } else {
        println!("Not imported ({}):", skipped.len());
        for line in skipped {
            println!("  - {line}");
        }
    }
    println!("A 9router already running on this data directory picks the changes up after a restart.");
    ExitCode::SUCCESS
}

/// Writes our data in the seed's shape to `path` (standard output when `None`).
pub async fn export(
    data_dir: &Path,
    path: Option<&Path>,
    include_secrets: bool,
    force: bool,
    token_key: String,
) -> ExitCode {
    if let Some(path) = path.filter(|p| p.exists() && !force) {
        eprintln!("9router export: {} exists (use --force to overwrite it)", path.display());
        return ExitCode::FAILURE;
    }
    let result = async {
        let repo = repository(data_dir)?;
        let cipher = shared::oauth::TokenCipher::from_secret(&token_key);
        let (db, notes) = transfer::export(&repo, include_secrets, &cipher).await.map_err(|e| e.to_string())?;
        let text = serde_json::to_string_pretty(&db).map_err(|e| e.to_string())?;
        Ok::<_, String>((text, notes))
    }
    .await;
    let (text, notes) = match result {
        Ok(done) => done,
        Err(err) => {
            eprintln!("9router export: {err}");
            return ExitCode::FAILURE;
        }
    };
    match path {
        Some(path) => {
            if let Err(err) = write_private(path, &text) {
                eprintln!("9router export: cannot write {}: {err}", path.display());
                return ExitCode::FAILURE;
            }
            eprintln!("Exported {} to {}", data_dir.display(), path.display());
        }
        None => println!("{text}"),
    }
    for note in notes {
        eprintln!("  - {note}");
    }
    ExitCode::SUCCESS
}

/// Writes `text` to `path`, readable by the owner only where the OS has such permissions (it may hold secrets).
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    std::io::Write::write_all(&mut options.open(path)?, text.as_bytes())
}
