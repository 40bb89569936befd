//! Conditional GETs for answers built on each request (painted pages, calendar feeds):
//! the ETag is the answer's own hash, so it needs no version kept anywhere and agrees
//! across instances.

use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use sha2::{Digest, Sha256};

/// A weak ETag of the answer, so a repeat fetch gets `304` and no bytes while nothing
/// changed. Weak: the same answer goes out brotli, gzip or plain.
pub(crate) async fn revalidate(request: Request, next: Next) -> Response {
    let asked = request.headers().get(header::IF_NONE_MATCH).cloned();
    let response = next.run(request).await;
    if !response.status().is_success() {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // A page or a feed is a few hundred kilobytes at most: held whole to hash it.
    let Ok(bytes) = axum::body::to_bytes(body, 8 << 20).await else {
        return Response::from_parts(parts, axum::body::Body::empty());
    };
    let digest = Sha256::digest(&bytes);
    let tag = format!("W/\"{}\"", hex16(&digest));
    let tag = HeaderValue::from_str(&tag).unwrap_or(HeaderValue::from_static("W/\"0\""));
    if asked.as_ref() == Some(&tag) {
        let mut not_modified = Response::new(axum::body::Body::empty());
        *not_modified.status_mut() = StatusCode::NOT_MODIFIED;
        not_modified.headers_mut().insert(header::ETAG, tag);
        // The answer's own rule (a personal feed is `private`), else revalidate each time.
        let cache = parts
            .headers
            .get(header::CACHE_CONTROL)
            .cloned()
            .unwrap_or(HeaderValue::from_static("no-cache"));
        not_modified
            .headers_mut()
            .insert(header::CACHE_CONTROL, cache);
        return not_modified;
    }
    parts.headers.insert(header::ETAG, tag);
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

fn hex16(digest: &[u8]) -> String {
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}
