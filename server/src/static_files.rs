//! Hosting the built web app: precompressed files, cache rules, the SPA fallback, and the
//! security headers (with a Content-Security-Policy the app really runs under).

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use base64::Engine;
use sha2::{Digest, Sha256};
use std::path::Path;
use tower_http::services::{ServeDir, ServeFile};

pub fn router(dist: &Path) -> Router {
    Router::new()
        // The staff app is its own bundle with its own routes, under /staff/.
        .nest_service("/staff", app_files(&dist.join("staff")))
        .fallback_service(app_files(dist))
        .layer(middleware::from_fn(cache_control))
}

/// A built app's files; any path that is not a file is a route of the app: its
/// index.html.
fn app_files(dist: &Path) -> ServeDir<ServeFile> {
    let index = ServeFile::new(dist.join("index.html"))
        .precompressed_br()
        .precompressed_gzip();
    ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(index)
}

/// Trunk names built files `name-<16 hex digits>.ext`: such a file never changes, so
/// phones may keep it for a year. Everything else, `index.html` first, is revalidated so a
/// new release reaches people at once.
async fn cache_control(request: Request, next: Next) -> Response {
    let hashed = is_hashed_asset(request.uri().path());
    let mut response = next.run(request).await;
    let value = if hashed && response.status().is_success() {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    response
}

fn is_hashed_asset(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or("");
    let stem = file.split('.').next().unwrap_or("");
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// What [`security_headers`] adds besides the fixed ones.
#[derive(Clone)]
pub struct SecurityHeaders {
    csp: HeaderValue,
    /// Served over https: tell browsers never to come back over plain http.
    hsts: bool,
}

impl SecurityHeaders {
    pub fn new(dist: &Path, https: bool) -> Self {
        Self {
            csp: content_security_policy(dist),
            hsts: https,
        }
    }
}

/// Adds the security headers to every response.
pub async fn security_headers(
    State(settings): State<SecurityHeaders>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    let staff = path == "/staff" || path.starts_with("/staff/");
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, settings.csp);
    if settings.hsts {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    // Only the staff app's door scanner uses the camera.
    h.insert(
        "permissions-policy",
        HeaderValue::from_static(if staff {
            "camera=(self), microphone=(), geolocation=(), payment=()"
        } else {
            "camera=(), microphone=(), geolocation=(), payment=()"
        }),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    response
}

/// The policy allows our own files and, by hash, exactly the inline script and styles of
/// the built `index.html` of both apps (Trunk's loader and the first-paint CSS), nothing
/// else inline.
pub fn content_security_policy(dist: &Path) -> HeaderValue {
    let html = ["index.html", "staff/index.html"]
        .iter()
        .filter_map(|page| std::fs::read_to_string(dist.join(page)).ok())
        .collect::<Vec<_>>()
        .join("\n");
    let scripts = inline_hashes(&html, "script");
    let styles = inline_hashes(&html, "style");
    let policy = format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{scripts}; \
         style-src 'self'{styles}; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
         manifest-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    );
    // Hashes are base64 and the rest is ASCII, so the value is always a valid header.
    HeaderValue::from_str(&policy).unwrap_or(HeaderValue::from_static("default-src 'self'"))
}

/// ` 'sha256-…'` for the content of every non-empty `<tag …>…</tag>` in `html`.
fn inline_hashes(html: &str, tag: &str) -> String {
    let open = format!("<{tag}");
    let close = format!("</{tag}>");
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find(&open) {
        let after = &rest[start..];
        let Some(gt) = after.find('>') else { break };
        let body_and_more = &after[gt + 1..];
        let Some(end) = body_and_more.find(&close) else {
            break;
        };
        let body = &body_and_more[..end];
        if !body.is_empty() {
            let digest = Sha256::digest(body.as_bytes());
            out.push_str(&format!(
                " 'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            ));
        }
        rest = &body_and_more[end + close.len()..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_assets_are_recognised() {
        assert!(is_hashed_asset(
            "/quality-month-web-1a2b3c4d5e6f7a8b_bg.wasm"
        ));
        assert!(is_hashed_asset("/quality-month-web-1a2b3c4d5e6f7a8b.js"));
        assert!(is_hashed_asset("/style-0123456789abcdef.css"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/events/12"));
        assert!(!is_hashed_asset("/manifest.webmanifest"));
    }

    #[test]
    fn inline_scripts_and_styles_are_hashed_and_empty_ones_skipped() {
        let html =
            r#"<style>a{}</style><script src="/x.js"></script><script type="module">go()</script>"#;
        let scripts = inline_hashes(html, "script");
        assert_eq!(scripts.matches("'sha256-").count(), 1);
        let expected = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"go()"));
        assert!(scripts.contains(&expected));
        assert_eq!(inline_hashes(html, "style").matches("'sha256-").count(), 1);
    }
}
