//! The notification outbox (see the migration): queued in the writer's transaction,
//! leased and sent by the worker.

use super::Store;
use crate::error::AppResult;
use sqlx::{Any, Transaction};

/// A message leased for sending.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Notification {
    pub id: i64,
    pub recipient: String,
    pub body: String,
    pub attempts: i64,
}

/// How long a worker holds a leased message before another may try it.
const LEASE_SECS: i64 = 60;

/// Queues an SMS inside the caller's transaction: it exists exactly when the write does.
/// Returns the message's id.
pub(super) async fn queue_sms(
    tx: &mut Transaction<'static, Any>,
    phone: &str,
    body: &str,
    now: i64,
) -> AppResult<i64> {
    queue_sms_until(tx, phone, body, now, None).await
}

/// [`queue_sms`] for a message worth sending only before `send_before` (a reminder): one
/// the gateway has not taken by then is dropped.
pub(super) async fn queue_sms_until(
    tx: &mut Transaction<'static, Any>,
    phone: &str,
    body: &str,
    now: i64,
    send_before: Option<i64>,
) -> AppResult<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO notifications \
           (channel, recipient, body, created_at, next_attempt_at, send_before) \
         VALUES ('sms', $1, $2, $3, $3, $4) RETURNING id",
    )
    .bind(phone)
    .bind(body)
    .bind(now)
    .bind(send_before)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

impl Store {
    /// Leases up to `limit` messages that are due at `now`. A message another worker
    /// leased first is skipped.
    pub async fn lease_due_notifications(
        &self,
        now: i64,
        limit: i64,
    ) -> AppResult<Vec<Notification>> {
        // Too late to be of use (a reminder the gateway did not take in time): dropped.
        let late: Vec<(i64,)> = sqlx::query_as(
            "UPDATE notifications SET gave_up_at = $1, last_error = 'too late', body = '' \
             WHERE sent_at IS NULL AND gave_up_at IS NULL AND send_before <= $1 RETURNING id",
        )
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        for (id,) in late {
            super::reminders::message_outcome(&self.pool, id, "failed").await?;
        }
        let due: Vec<(i64,)> = sqlx::query_as(
            "SELECT id FROM notifications WHERE sent_at IS NULL AND gave_up_at IS NULL \
             AND next_attempt_at <= $1 ORDER BY id LIMIT $2",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let mut leased = Vec::new();
        for (id,) in due {
            let row: Option<Notification> = sqlx::query_as(
                "UPDATE notifications SET next_attempt_at = $1, attempts = attempts + 1 \
                 WHERE id = $2 AND sent_at IS NULL AND next_attempt_at <= $3 \
                 RETURNING id, recipient, body, attempts",
            )
            .bind(now + LEASE_SECS)
            .bind(id)
            .bind(now)
            .fetch_optional(&self.pool)
            .await?;
            leased.extend(row);
        }
        Ok(leased)
    }

    pub async fn notification_sent(&self, id: i64, now: i64) -> AppResult<()> {
        // The text may hold a one-time code: once sent, it is of no use to keep.
        sqlx::query(
            "UPDATE notifications SET sent_at = $1, last_error = NULL, body = '' WHERE id = $2",
        )
        .bind(now)
        .bind(id)
        .execute(&self.pool)
        .await?;
        super::reminders::message_outcome(&self.pool, id, "sent").await
    }

    /// A failed try: tried again at `retry_at`, or never again when that is `None`.
    pub async fn notification_failed(
        &self,
        id: i64,
        error: &str,
        retry_at: Option<i64>,
        now: i64,
    ) -> AppResult<()> {
        let error: String = error.chars().take(500).collect();
        match retry_at {
            Some(at) => {
                sqlx::query(
                    "UPDATE notifications SET next_attempt_at = $1, last_error = $2 WHERE id = $3",
                )
                .bind(at)
                .bind(error)
                .bind(id)
                .execute(&self.pool)
                .await?;
            }
            None => {
                sqlx::query(
                    "UPDATE notifications SET gave_up_at = $1, last_error = $2, body = '' \
                     WHERE id = $3",
                )
                .bind(now)
                .bind(error)
                .bind(id)
                .execute(&self.pool)
                .await?;
                super::reminders::message_outcome(&self.pool, id, "failed").await?;
            }
        }
        Ok(())
    }

    /// For the sweep: sent or abandoned messages (they hold a phone number) after a day.
    pub async fn forget_notifications_before(&self, cutoff: i64) -> AppResult<u64> {
        Ok(
            sqlx::query("DELETE FROM notifications WHERE sent_at < $1 OR gave_up_at < $1")
                .bind(cutoff)
                .execute(&self.pool)
                .await?
                .rows_affected(),
        )
    }
}
