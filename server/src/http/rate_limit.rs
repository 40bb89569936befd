//! A per-client limit on writes (every POST): a token bucket per client address (see
//! [`ClientAddr`]), refilled steadily. It slows one script flooding the API; it is sized
//! for a carrier NAT, where thousands of phones share one address, so it is never what
//! stands between a resident and a booking. What is attacked carries its own limits
//! (per phone, per code, per client and flat); the database, not this, keeps capacity.

use super::client::{ClientAddr, client_of};
use crate::AppState;
use crate::error::AppError;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// Clients remembered at most; past this, those with a full bucket are forgotten.
const MAX_CLIENTS: usize = 10_000;

/// Token buckets per client: an allowance that refills steadily over a window.
pub struct WriteLimiter {
    allowance: f64,
    per_second: f64,
    buckets: Mutex<HashMap<ClientAddr, (f64, Instant)>>,
}

impl WriteLimiter {
    /// Up to `per_minute` writes a minute per client, all of them at once if saved up.
    pub fn new(per_minute: u32) -> Self {
        Self::per_window(per_minute, 60)
    }

    /// Up to `allowance` per `window_secs` per client.
    pub fn per_window(allowance: u32, window_secs: u32) -> Self {
        let allowance = f64::from(allowance.max(1));
        Self {
            allowance,
            per_second: allowance / f64::from(window_secs.max(1)),
            buckets: Mutex::default(),
        }
    }

    /// Takes one from `client`'s allowance; `false` when it is used up.
    pub fn allow(&self, client: ClientAddr) -> bool {
        let now = Instant::now();
        let (full, rate) = (self.allowance, self.per_second);
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() >= MAX_CLIENTS {
            buckets.retain(|_, (tokens, at)| {
                *tokens + now.duration_since(*at).as_secs_f64() * rate < full
            });
        }
        let (tokens, at) = buckets.entry(client).or_insert((full, now));
        let refilled = (*tokens + now.duration_since(*at).as_secs_f64() * rate).min(full);
        *at = now;
        if refilled >= 1.0 {
            *tokens = refilled - 1.0;
            true
        } else {
            *tokens = refilled;
            false
        }
    }
}

pub async fn limit_writes(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.method() == Method::POST {
        let (parts, body) = request.into_parts();
        let client = client_of(&parts, &state);
        if !state.write_limiter.allow(client) {
            return AppError::RateLimited.into_response();
        }
        return next.run(Request::from_parts(parts, body)).await;
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_gets_its_allowance_and_then_waits() {
        let limiter = WriteLimiter::new(3);
        let client =
            |ip: &str| ClientAddr::resolve(ip.parse().unwrap(), &axum::http::HeaderMap::new(), &[]);
        let (a, b) = (client("10.0.0.1"), client("10.0.0.2"));
        assert!((0..3).all(|_| limiter.allow(a)));
        assert!(
            !limiter.allow(a),
            "the fourth write within the minute waits"
        );
        assert!(limiter.allow(b), "other clients are not affected");
    }
}
