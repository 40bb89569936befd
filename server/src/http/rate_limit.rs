//! A per-client limit on writes (every POST): a token bucket per IP address, refilled
//! steadily. It keeps one phone (or one script) from flooding sign-ups or guessing codes
//! by look-up; the database, not this, keeps capacity.
//!
//! Clients are told apart by the connection's address. Behind a reverse proxy every client
//! shares the proxy's address; running there needs the proxy's client header trusted
//! first (not done yet).

use crate::AppState;
use crate::error::AppError;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::Instant;

/// Clients remembered at most; past this, those with a full bucket are forgotten.
const MAX_CLIENTS: usize = 10_000;

pub struct WriteLimiter {
    per_minute: f64,
    buckets: Mutex<HashMap<IpAddr, (f64, Instant)>>,
}

impl WriteLimiter {
    /// Up to `per_minute` writes a minute per client, all of them at once if saved up.
    pub fn new(per_minute: u32) -> Self {
        Self {
            per_minute: f64::from(per_minute.max(1)),
            buckets: Mutex::default(),
        }
    }

    /// Takes one write from `client`'s allowance; `false` when it is used up.
    pub fn allow(&self, client: IpAddr) -> bool {
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() >= MAX_CLIENTS {
            let full = self.per_minute;
            let rate = full / 60.0;
            buckets.retain(|_, (tokens, at)| {
                *tokens + now.duration_since(*at).as_secs_f64() * rate < full
            });
        }
        let (tokens, at) = buckets.entry(client).or_insert((self.per_minute, now));
        let refilled = (*tokens + now.duration_since(*at).as_secs_f64() * self.per_minute / 60.0)
            .min(self.per_minute);
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
    let client = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    if request.method() == Method::POST
        && let Some(client) = client
        && !state.write_limiter.allow(client)
    {
        return AppError::RateLimited.into_response();
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_gets_its_allowance_and_then_waits() {
        let limiter = WriteLimiter::new(3);
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        assert!((0..3).all(|_| limiter.allow(a)));
        assert!(
            !limiter.allow(a),
            "the fourth write within the minute waits"
        );
        assert!(limiter.allow(b), "other clients are not affected");
    }
}
