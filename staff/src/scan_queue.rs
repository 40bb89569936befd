//! Scans made at the door without a connection (a park, a basement hall): kept on the
//! phone and sent when the connection returns, oldest first. A scan leaves the queue once
//! the server has answered it, whatever the answer; a check-in is idempotent on the
//! server (a second send says "already"), so a send cut off mid-way and repeated checks
//! nobody in twice.
//!
//! Kept in `localStorage`: a handful of codes, read and written whole, and nothing here is
//! more personal than the code printed on the resident's screen.

use gloo_storage::{LocalStorage, Storage};
use model::CheckinResult;
use quality_month_web::api::ClientError;
use serde::{Deserialize, Serialize};

use crate::api;

const KEY: &str = "qm.staff.pending_scans";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingScan {
    pub event_id: i64,
    pub code: String,
}

fn all() -> Vec<PendingScan> {
    LocalStorage::get(KEY).unwrap_or_default()
}

fn save(scans: &[PendingScan]) {
    let _ = LocalStorage::set(KEY, scans);
}

/// Keeps a scan that could not be sent (once, however often it is scanned meanwhile).
pub fn keep(scan: PendingScan) {
    let mut scans = all();
    if !scans.contains(&scan) {
        scans.push(scan);
        save(&scans);
    }
}

/// Scans of `event_id` still waiting.
pub fn waiting(event_id: i64) -> usize {
    all().iter().filter(|s| s.event_id == event_id).count()
}

/// Sends the kept scans, oldest first, until one gets no answer (still offline). The
/// server's answers, in order.
pub async fn flush() -> Vec<(PendingScan, Result<CheckinResult, ClientError>)> {
    let mut answered = Vec::new();
    for scan in all() {
        let result = api::check_in(scan.event_id, scan.code.clone()).await;
        if matches!(&result, Err(e) if e.is_unreachable()) {
            break;
        }
        save(&all().into_iter().filter(|s| *s != scan).collect::<Vec<_>>());
        answered.push((scan, result));
    }
    answered
}
