//! The buyer check's back-off: how a wrong flat-and-buyer answer is counted per (asker,
//! flat), so a person who mistypes gets through and a guesser gets a handful of tries a day.

use super::Store;
use crate::error::AppResult;
use model::ValidBooking;
use sqlx::{Any, Transaction};

type Tx = Transaction<'static, Any>;

impl Store {
    /// For the hourly sweep: back-off rows whose last failure is older than
    /// [`BACKOFF_MEMORY_SECS`] (that asker starts afresh on that flat).
    pub async fn forget_buyer_check_failures_before(&self, cutoff: i64) -> AppResult<u64> {
        Ok(
            sqlx::query("DELETE FROM buyer_check_backoff WHERE last_failure_at < $1")
                .bind(cutoff)
                .execute(&self.pool)
                .await?
                .rows_affected(),
        )
    }
}

/// Buyer checks that may fail for one (asker, flat) before each further try must wait.
pub const FREE_BUYER_CHECKS: i64 = 5;
/// The wait after the last free failure; it doubles with every failure after that.
const FIRST_BACKOFF_SECS: i64 = 60;
const LONGEST_BACKOFF_SECS: i64 = 86_400;
/// An (asker, flat) without a failure for this long starts afresh.
pub const BACKOFF_MEMORY_SECS: i64 = 86_400;

/// How long the next buyer check must wait after `failures` failures: nothing for the
/// first few (people mistype), then a minute, doubling, at most a day. A person who
/// mistyped gets through; a guesser gets a handful of tries a day per flat.
pub fn backoff_after(failures: i64) -> i64 {
    if failures < FREE_BUYER_CHECKS {
        return 0;
    }
    let doublings = (failures - FREE_BUYER_CHECKS).min(20);
    (FIRST_BACKOFF_SECS << doublings).min(LONGEST_BACKOFF_SECS)
}

pub(super) struct Backoff {
    pub failures: i64,
    pub blocked_until: i64,
}

/// Takes (creating it if need be) the back-off row of (asker, flat): on PostgreSQL its row
/// lock, on SQLite the write lock, so checks of one pair run one at a time.
pub(super) async fn take_backoff_row(tx: &mut Tx, asker: &str, flat: &str) -> AppResult<Backoff> {
    let (failures, blocked_until): (i64, i64) = sqlx::query_as(
        "INSERT INTO buyer_check_backoff (client, flat) VALUES ($1, $2) \
         ON CONFLICT (client, flat) DO UPDATE SET failures = buyer_check_backoff.failures \
         RETURNING failures, blocked_until",
    )
    .bind(asker)
    .bind(flat)
    .fetch_one(&mut **tx)
    .await?;
    Ok(Backoff {
        failures,
        blocked_until,
    })
}

pub(super) async fn buyer_matches(
    tx: &mut Tx,
    project_id: i64,
    booking: &ValidBooking,
) -> AppResult<bool> {
    let f = &booking.buyer.flat;
    let matched: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM buyers WHERE project_id = $1 AND building = $2 AND unit = $3 \
         AND room = $4 AND phone = $5 AND name = $6",
    )
    .bind(project_id)
    .bind(&f.building)
    .bind(&f.unit)
    .bind(&f.room)
    .bind(booking.buyer.phone.as_str())
    .bind(booking.buyer.buyer_name.as_str())
    .fetch_optional(&mut **tx)
    .await?;
    Ok(matched.is_some())
}

pub(super) async fn record_failure(
    tx: &mut Tx,
    asker: &str,
    flat: &str,
    failures: i64,
    now: i64,
) -> AppResult<()> {
    sqlx::query(
        "UPDATE buyer_check_backoff SET failures = $1, last_failure_at = $2, blocked_until = $3 \
         WHERE client = $4 AND flat = $5",
    )
    .bind(failures)
    .bind(now)
    .bind(now + backoff_after(failures))
    .bind(asker)
    .bind(flat)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The asker proved to be the buyer: earlier typos are forgiven.
pub(super) async fn forget_failures(tx: &mut Tx, asker: &str, flat: &str) -> AppResult<()> {
    sqlx::query("DELETE FROM buyer_check_backoff WHERE client = $1 AND flat = $2")
        .bind(asker)
        .bind(flat)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
