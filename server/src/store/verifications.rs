//! One-time codes: at most one live code per phone, sent at most once a minute and five
//! times an hour, killed after five wrong tries.

use super::Store;
use super::notifications::queue_sms;
use crate::error::{AppError, AppResult};
use model::PhoneNumber;
use model::verification::{CODE_LIFETIME_SECS, RESEND_AFTER_SECS, WRONG_TRIES_PER_CODE};

/// Codes sent to one phone in an hour at most.
pub const CODES_PER_PHONE_PER_HOUR: i64 = 5;

impl Store {
    /// Makes `code_hash` the phone's live code and queues `message` to it, unless the
    /// phone had a code within the last minute or five within the hour. Returns whether
    /// a code went out; the caller answers the same either way.
    pub async fn send_code(
        &self,
        phone: &PhoneNumber,
        code_hash: &str,
        message: &str,
        now: i64,
    ) -> AppResult<bool> {
        let mut tx = self.pool.begin().await?;
        let sent: Option<(i64,)> = sqlx::query_as(
            "INSERT INTO verification_codes (phone, code_hash, expires_at, wrong_tries, \
               last_sent_at, hour_started_at, sent_this_hour) \
             VALUES ($1, $2, $3, 0, $4, $4, 1) \
             ON CONFLICT (phone) DO UPDATE SET \
               code_hash = excluded.code_hash, expires_at = excluded.expires_at, \
               wrong_tries = 0, last_sent_at = excluded.last_sent_at, \
               hour_started_at = CASE WHEN verification_codes.hour_started_at <= $5 \
                 THEN excluded.last_sent_at ELSE verification_codes.hour_started_at END, \
               sent_this_hour = CASE WHEN verification_codes.hour_started_at <= $5 \
                 THEN 1 ELSE verification_codes.sent_this_hour + 1 END \
             WHERE verification_codes.last_sent_at <= $6 \
               AND (verification_codes.hour_started_at <= $5 \
                    OR verification_codes.sent_this_hour < $7) \
             RETURNING sent_this_hour",
        )
        .bind(phone.as_str())
        .bind(code_hash)
        .bind(now + i64::from(CODE_LIFETIME_SECS))
        .bind(now)
        .bind(now - 3600)
        .bind(now - i64::from(RESEND_AFTER_SECS))
        .bind(CODES_PER_PHONE_PER_HOUR)
        .fetch_optional(&mut *tx)
        .await?;
        if sent.is_none() {
            return Ok(false);
        }
        queue_sms(&mut tx, phone.as_str(), message, now).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Uses the phone's live code if `code_hash` is it: `Ok(())`, and the code is gone.
    /// A wrong code counts against it (the fifth kills it): `Validation` on `code`. No live
    /// code: `CodeExpired`.
    pub async fn use_code(&self, phone: &PhoneNumber, code_hash: &str, now: i64) -> AppResult<()> {
        let mut tx = self.pool.begin().await?;
        // A write first: it takes the row (PostgreSQL) or the database (SQLite), so
        // parallel guesses are counted one after the other.
        let live: Option<(String, i64, i64)> = sqlx::query_as(
            "UPDATE verification_codes SET wrong_tries = wrong_tries WHERE phone = $1 \
             RETURNING code_hash, expires_at, wrong_tries",
        )
        .bind(phone.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        let Some((stored, expires_at, wrong_tries)) = live else {
            return Err(AppError::CodeExpired);
        };
        if expires_at <= now || wrong_tries >= i64::from(WRONG_TRIES_PER_CODE) {
            return Err(AppError::CodeExpired);
        }
        if stored == code_hash {
            sqlx::query("DELETE FROM verification_codes WHERE phone = $1")
                .bind(phone.as_str())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            return Ok(());
        }
        sqlx::query("UPDATE verification_codes SET wrong_tries = wrong_tries + 1 WHERE phone = $1")
            .bind(phone.as_str())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Err(AppError::Validation(model::FieldErrors::from([(
            "code".to_string(),
            model::FieldError::Invalid,
        )])))
    }

    /// For the sweep: codes that can no longer be used.
    pub async fn forget_codes_before(&self, cutoff: i64) -> AppResult<u64> {
        Ok(sqlx::query(
            "DELETE FROM verification_codes WHERE expires_at < $1 AND last_sent_at < $2",
        )
        .bind(cutoff)
        .bind(cutoff - 3600)
        .execute(&self.pool)
        .await?
        .rows_affected())
    }
}
