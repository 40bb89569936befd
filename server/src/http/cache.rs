//! A short-lived cache of serialized event lists, the app's hottest read.
//!
//! Writes on this instance clear it at once; the time limit bounds how stale another
//! instance's copy (several servers on one PostgreSQL) or an event that has just ended can
//! be. Places left are only ever shown from here; sign-ups themselves are decided by the
//! database, so a stale count can mislead for a moment but never overbook.

use axum::body::Bytes;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const TTL: Duration = Duration::from_secs(2);
/// Distinct filter combinations kept; past this the cache starts over.
const MAX_ENTRIES: usize = 512;

#[derive(Default)]
pub struct ListCache {
    entries: Mutex<HashMap<String, (Instant, Bytes)>>,
}

impl ListCache {
    pub fn get(&self, key: &str) -> Option<Bytes> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries
            .get(key)
            .filter(|(at, _)| at.elapsed() < TTL)
            .map(|(_, body)| body.clone())
    }

    pub fn put(&self, key: String, body: Bytes) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(key, (Instant::now(), body));
    }

    pub fn clear(&self) {
        self.entries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }
}
