//! A phone's own calendar feed: which phone a token's hash names, and what the feed holds.

use super::Store;
use crate::error::AppResult;
use model::{BookingCode, BookingReceipt, PhoneNumber};

impl Store {
    /// The nonce of the phone's feed token, if it has one.
    pub async fn feed_nonce(&self, phone: &PhoneNumber) -> AppResult<Option<String>> {
        let row: Option<(String,)> =
            sqlx::query_as("SELECT nonce FROM calendar_feeds WHERE phone = $1")
                .bind(phone.as_str())
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|(g,)| g))
    }

    /// Keeps the phone's feed under `nonce`: the token of any other nonce stops.
    pub async fn set_feed(
        &self,
        phone: &PhoneNumber,
        nonce: &str,
        token_hash: &str,
        now: i64,
    ) -> AppResult<()> {
        sqlx::query(
            "INSERT INTO calendar_feeds (phone, nonce, token_hash, created_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (phone) DO UPDATE SET \
             nonce = excluded.nonce, token_hash = excluded.token_hash, \
             created_at = excluded.created_at",
        )
        .bind(phone.as_str())
        .bind(nonce)
        .bind(token_hash)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The phone whose feed token hashes to `token_hash`.
    pub async fn feed_phone(&self, token_hash: &str) -> AppResult<Option<PhoneNumber>> {
        let row: Option<(String,)> =
            sqlx::query_as("SELECT phone FROM calendar_feeds WHERE token_hash = $1")
                .bind(token_hash)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.and_then(|(p,)| PhoneNumber::parse(&p).ok()))
    }

    /// The phone's visits (cancelled ones too, so a calendar drops them) whose slot has
    /// not ended before `since`.
    pub async fn bookings_of(
        &self,
        phone: &PhoneNumber,
        since: i64,
    ) -> AppResult<Vec<BookingReceipt>> {
        let codes: Vec<(String,)> = sqlx::query_as(
            "SELECT b.code FROM bookings b JOIN slots s ON s.id = b.slot_id \
             WHERE b.phone = $1 AND s.ends_at >= $2 ORDER BY s.starts_at, b.id",
        )
        .bind(phone.as_str())
        .bind(since)
        .fetch_all(&self.pool)
        .await?;
        let mut receipts = Vec::with_capacity(codes.len());
        for (code,) in codes {
            if let Ok(code) = BookingCode::parse(&code) {
                receipts.push(self.lookup_booking(&code, phone).await?);
            }
        }
        Ok(receipts)
    }

    /// For the sweep: a feed whose phone has nothing left here (its sign-ups and visits
    /// were erased with the retention period) goes too, with its number.
    pub async fn forget_idle_feeds(&self) -> AppResult<u64> {
        Ok(sqlx::query(
            "DELETE FROM calendar_feeds WHERE \
             NOT EXISTS (SELECT 1 FROM registrations r WHERE r.phone = calendar_feeds.phone) \
             AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.phone = calendar_feeds.phone)",
        )
        .execute(&self.pool)
        .await?
        .rows_affected())
    }
}
