//! Golden files: one per client × upstream pair under `shared/tests/golden/`, a section per case. Written
//! with `GOLDEN_BLESS=1`, compared otherwise.

use std::path::PathBuf;

use serde_json::Value;
use shared::formats::Format;

use super::run::{Case, Outcome};

fn path(client: Format, upstream: Format) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(format!(
        "{}--{}.txt",
        client.name(),
        upstream.name()
    ))
}

/// JSON pretty-printed; anything else (a stream) as text.
fn show(bytes: &[u8]) -> String {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(value) => serde_json::to_string_pretty(&value).unwrap_or_default(),
        Err(_) => String::from_utf8_lossy(bytes).replace("\r\n", "␍\n"),
    }
}

/// The section of one case.
pub fn section(case: &Case, outcome: &Outcome) -> String {
    let mode = if case.stream { "stream" } else { "json" };
    format!(
        "### {} · {mode}\n--- upstream request ({})\n{}\n--- client response ({})\n{}\n\n",
        case.scenario.name(),
        case.upstream.name(),
        show(&outcome.upstream_request),
        case.client.name(),
        show(&outcome.client_response).trim_end(),
    )
}

/// Compares (or, blessing, writes) the golden file of a pair; `Err` names the first differing line.
pub fn compare(client: Format, upstream: Format, text: &str) -> Result<(), String> {
    let path = path(client, upstream);
    if std::env::var_os("GOLDEN_BLESS").is_some() {
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        return Ok(());
    }
    let golden = std::fs::read_to_string(&path)
        .map_err(|e| format!("{}: {e} (run with GOLDEN_BLESS=1 to write it)", path.display()))?;
    if golden == text {
        return Ok(());
    }
    let line = golden
        .lines()
        .zip(text.lines())
        .position(|(a, b)| a != b)
        .unwrap_or(golden.lines().count().min(text.lines().count()));
    Err(format!(
        "{} differs at line {}:\n  golden: {:?}\n  now:    {:?}\n(re-bless with GOLDEN_BLESS=1 after checking the change)",
        path.display(),
        line + 1,
        golden.lines().nth(line).unwrap_or("<end>"),
        text.lines().nth(line).unwrap_or("<end>"),
    ))
}
