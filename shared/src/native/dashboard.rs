//! The dashboard, embedded in the binary at compile time (see `build.rs`) and served under `/dashboard`:
//! hashed files under `assets/` are cached for a year (immutable), everything else revalidates; any other
//! `GET /dashboard/...` is the single-page app's `index.html` (client-side routing).

use axum::extract::Path;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use http::{header, HeaderValue, StatusCode};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/dashboard_files.rs"));
}

/// Served when the binary was built without a dashboard build.
const NOT_BUILT: &str = "<!doctype html><meta charset=utf-8><title>9router</title>\
<h1>9router</h1><p>The router is running, but this binary was built without the dashboard: run \
<code>scripts/build-dashboard.sh</code>, then rebuild (<code>scripts/start.sh</code> does both). The management \
API under <code>/api</code> works meanwhile.</p>";

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";

/// Routes for `/dashboard`, `/dashboard/` and everything below.
pub fn routes() -> Router {
    Router::new()
        .route("/dashboard", get(|| async { index() }))
        .route("/dashboard/", get(|| async { index() }))
        .route("/dashboard/{*path}", get(|Path(path): Path<String>| async move { file(&path) }))
}

fn find(path: &str) -> Option<&'static [u8]> {
    embedded::FILES.iter().find(|(name, _)| *name == path).map(|(_, bytes)| *bytes)
}

fn respond(bytes: &'static [u8], content_type: &'static str, cache: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
            (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        ],
        bytes,
    )
        .into_response()
}

fn index() -> Response {
    match find("index.html") {
        Some(bytes) => respond(bytes, "text/html; charset=utf-8", REVALIDATE),
        None => respond(NOT_BUILT.as_bytes(), "text/html; charset=utf-8", REVALIDATE),
    }
}

fn file(path: &str) -> Response {
    let is_asset = path.starts_with("assets/");
    match find(path) {
        Some(bytes) => respond(bytes, content_type(path), if is_asset { IMMUTABLE } else { REVALIDATE }),
        // A missing hashed file is a real 404 (a stale page asking for an old chunk must not get HTML).
        None if is_asset => (StatusCode::NOT_FOUND, "not found").into_response(),
        None => index(),
    }
}

/// The content type for a file name's extension.
fn content_type(path: &str) -> &'static str {
    let extension = path.rsplit_once('.').map(|(_, ext)| ext.to_ascii_lowercase()).unwrap_or_default();
    match extension.as_str() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "txt" => "text/plain; charset=utf-8",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_follow_the_extension() {
        assert_eq!(content_type("assets/index-abc.js"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("assets/index-abc.CSS"), "text/css; charset=utf-8");
        assert_eq!(content_type("favicon.svg"), "image/svg+xml");
        assert_eq!(content_type("noextension"), "application/octet-stream");
    }

    #[test]
    fn missing_assets_are_404_and_other_paths_are_the_app() {
        assert_eq!(file("assets/definitely-missing.js").status(), StatusCode::NOT_FOUND);
        let page = file("usage/deep/link");
        assert_eq!(page.status(), StatusCode::OK);
        assert_eq!(page.headers()[header::CACHE_CONTROL], REVALIDATE);
        assert!(page.headers()[header::CONTENT_TYPE].to_str().is_ok_and(|t| t.starts_with("text/html")));
    }
}
