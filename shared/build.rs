//! Embeds `migrations/*.sql` (the same files `wrangler d1 migrations apply` runs) into the native binary, in
//! file-name order, so adding a migration needs no code change. With feature `native`, also embeds the built
//! dashboard (`dashboard/dist/dashboard/**`, from scripts/build-dashboard.sh); a missing build embeds nothing
//! (the server then says how to build it) instead of failing.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let dir = manifest.join("..").join("migrations");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "sql"));
    files.sort();
    let mut out =
        String::from("/// Migrations in order: (file name, SQL).\npub static MIGRATIONS: &[(&str, &str)] = &[\n");
    for path in &files {
        let name = path.file_name().and_then(|n| n.to_str()).expect("migration file names are UTF-8");
        let _ = writeln!(out, "    ({name:?}, include_str!({:?})),", path.display().to_string());
    }
    out.push_str("];\n");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out_dir.join("migrations.rs"), out).expect("OUT_DIR is writable");
    if std::env::var_os("CARGO_FEATURE_NATIVE").is_some() {
        embed_dashboard(&manifest.join("..").join("dashboard"), &out_dir);
    }
}

/// Writes `dashboard_files.rs`: every file under `dashboard/dist/dashboard` as (path below `/dashboard/`, bytes).
fn embed_dashboard(dashboard: &Path, out_dir: &Path) {
    let dist = dashboard.join("dist");
    // Watch the build output; while there is none, the folder it will appear in.
    let watched = if dist.is_dir() { &dist } else { dashboard };
    println!("cargo:rerun-if-changed={}", watched.display());
    let root = dist.join("dashboard");
    let mut files = Vec::new();
    collect_files(&root, &mut files);
    files.sort();
    let mut out = String::from(
        "/// The built dashboard: (path below `/dashboard/`, contents).\npub static FILES: &[(&str, &[u8])] = &[\n",
    );
    for path in &files {
        let Ok(relative) = path.strip_prefix(&root) else { continue };
        let Some(relative) = relative.to_str() else { continue };
        let url_path = relative.replace('\\', "/");
        let _ = writeln!(out, "    ({url_path:?}, include_bytes!({:?})),", path.display().to_string());
    }
    out.push_str("];\n");
    std::fs::write(out_dir.join("dashboard_files.rs"), out).expect("OUT_DIR is writable");
}

fn collect_files(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for path in entries.filter_map(Result::ok).map(|e| e.path()) {
        if path.is_dir() {
            collect_files(&path, files);
        } else if path.is_file() {
            files.push(path);
        }
    }
}
