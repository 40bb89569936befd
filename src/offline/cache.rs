//! The last answer of every GET, kept on the phone, so that whatever was seen once stays
//! readable without a connection (with the time it was fetched, which the app shows).

use serde::{Deserialize, Serialize};

use super::idb::{self, Store};

#[derive(Serialize, Deserialize)]
struct Kept {
    /// When the server sent it, by the phone's clock (ms since 1970).
    saved_at: f64,
    body: String,
}

/// Keeps `body` as the answer for `url`; a phone without storage simply keeps nothing.
pub async fn remember(url: &str, body: &str) {
    let kept = Kept {
        saved_at: js_sys::Date::now(),
        body: body.to_string(),
    };
    if let Ok(text) = serde_json::to_string(&kept) {
        let _ = idb::put(Store::Responses, url, &text).await;
    }
}

/// The kept answer for `url` and when it was fetched.
pub async fn recall(url: &str) -> Option<(f64, String)> {
    let text = idb::get(Store::Responses, url).await.ok()??;
    let kept: Kept = serde_json::from_str(&text).ok()?;
    Some((kept.saved_at, kept.body))
}
