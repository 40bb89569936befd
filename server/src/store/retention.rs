//! Erasing personal data whose purpose is over (PIPL's minimum-necessary rule): names and
//! phone numbers of sign-ups and visits some time after the event or visit, buyer lists
//! after handover. Rows stay (counts, capacity and history still add up); what named a
//! person is blanked, and an erased phone becomes `erased:<id>`, which no one can type
//! and which keeps the one-sign-up-per-phone indexes satisfied.

use super::Store;
use crate::error::AppResult;
use model::BeijingTime;

/// What one pass erased.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Erased {
    pub registrations: u64,
    pub bookings: u64,
    pub buyers: u64,
}

impl Store {
    /// Erases names and phones of sign-ups for events that ended before `cutoff`, of
    /// bookings whose visit ended before it (and whose defects have not moved since: the
    /// buyer still confirms or reopens a repair with that number, and is told of each step
    /// by it), and the buyer lists of projects handed over before it.
    pub async fn erase_personal_data_before(&self, cutoff: i64) -> AppResult<Erased> {
        let registrations = sqlx::query(
            "UPDATE registrations SET name = '', phone = 'erased:' || CAST(id AS TEXT) \
             WHERE phone NOT LIKE 'erased:%' \
             AND event_id IN (SELECT id FROM events WHERE ends_at < $1)",
        )
        .bind(cutoff)
        .execute(&self.pool)
        .await?
        .rows_affected();
        let bookings = sqlx::query(
            "UPDATE bookings SET buyer_name = '', notes = '', \
               phone = 'erased:' || CAST(id AS TEXT) \
             WHERE phone NOT LIKE 'erased:%' \
             AND slot_id IN (SELECT id FROM slots WHERE ends_at < $1) \
             AND NOT EXISTS (SELECT 1 FROM defects d \
               WHERE d.booking_id = bookings.id AND d.updated_at >= $1)",
        )
        .bind(cutoff)
        .execute(&self.pool)
        .await?
        .rows_affected();
        // `handover_on` is YYYY-MM-DD, which orders as text.
        let day = BeijingTime::from_unix(cutoff).date().to_string();
        let buyers = sqlx::query(
            "DELETE FROM buyers WHERE project_id IN \
             (SELECT id FROM projects WHERE handover_on < $1)",
        )
        .bind(day)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(Erased {
            registrations,
            bookings,
            buyers,
        })
    }
}
