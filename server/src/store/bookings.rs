//! Pre-inspection bookings: made, looked up, moved and cancelled by the buyer, with the
//! history and the notices the sales office sends.
//!
//! Lock order, on every path that changes a booking: the booking row first (when it
//! exists), then slot rows in ascending id order. A new booking locks only its slot before
//! inserting; the partial unique index on (project, flat) makes a second active booking
//! for the same flat wait for the first and then give way. Places are taken with a
//! conditional `UPDATE … WHERE taken < capacity`, and a reschedule takes the new place
//! before it gives the old one back, in one transaction.

use super::Store;
use super::buyer_checks::{buyer_matches, forget_failures, record_failure, take_backoff_row};
use super::idempotency::{self, Begun, IdempotencyKey, Replayable};
use super::projects::{fetch_project, flat_from_key, flat_key};
use super::slots::{SLOT_COLUMNS, SlotRow, release_place, slot_start};
use crate::error::{AppError, AppResult};
use model::{
    BeijingTime, BookingAction, BookingChange, BookingCode, BookingReceipt, BookingRules,
    BookingStatus, PhoneNumber, ValidBooking, mask_phone,
};
use sqlx::{Any, Transaction};

type Tx = Transaction<'static, Any>;

#[derive(sqlx::FromRow)]
struct BookingRow {
    id: i64,
    project_id: i64,
    flat: String,
    slot_id: i64,
    code: String,
    buyer_name: String,
    phone: String,
    party_size: i64,
    notes: String,
    status: String,
    office_notice: Option<String>,
}

const BOOKING_COLUMNS: &str = "id, project_id, flat, slot_id, code, buyer_name, phone, \
     party_size, notes, status, office_notice";

impl Store {
    /// Books a visit. The key is claimed first, so a replay always gets the stored answer,
    /// even after the window closed. Then the buyer check, under the (asker, flat) back-off
    /// row: a mismatch is kept (with the back-off it earns) and answered with one generic
    /// error whatever was wrong. `asker` is the verified phone when a token proves one,
    /// else the client address: never the flat alone, which would let anyone pause it.
    pub async fn book(
        &self,
        project_id: i64,
        slot_id: i64,
        booking: &ValidBooking,
        asker: &str,
        key: Option<&IdempotencyKey>,
        now: i64,
    ) -> AppResult<Replayable<BookingReceipt>> {
        let mut tx = match idempotency::begin(&self.pool, key, now).await? {
            Begun::Fresh(tx) => tx,
            Begun::Replayed(answer) => return Ok(answer),
        };
        let flat = format!("{project_id}:{}", flat_key(&booking.buyer.flat));
        // A write, so that a transaction without a key also starts with one.
        let backoff = take_backoff_row(&mut tx, asker, &flat).await?;
        if now < backoff.blocked_until {
            return Err(AppError::RateLimited);
        }
        let project = fetch_project(&mut *tx, project_id).await?;
        let rules = project.rules()?;
        if !rules.window_open(BeijingTime::from_unix(now)) {
            return Err(AppError::BookingClosed);
        }
        if !buyer_matches(&mut tx, project_id, booking).await? {
            record_failure(&mut tx, asker, &flat, backoff.failures + 1, now).await?;
            // The failure stays; the key does not: nothing was booked under it.
            idempotency::release(&mut tx, key).await?;
            tx.commit().await?;
            return Err(AppError::BuyerMismatch);
        }
        forget_failures(&mut tx, asker, &flat).await?;

        let taken: Option<(i64,)> = sqlx::query_as(
            "UPDATE slots SET taken = taken + 1 \
             WHERE id = $1 AND project_id = $2 AND taken < capacity AND withdrawn = 0 \
             RETURNING starts_at",
        )
        .bind(slot_id)
        .bind(project_id)
        .fetch_optional(&mut *tx)
        .await?;
        let starts_at = match taken {
            Some((starts_at,)) => starts_at,
            None => {
                let exists = slot_start(&mut tx, project_id, slot_id).await?;
                return Err(match exists {
                    None => AppError::NotFound,
                    Some(s) if !rules.can_change(BeijingTime::from_unix(s), now_t(now)) => {
                        AppError::PastCutoff
                    }
                    Some(_) => AppError::SlotFull,
                });
            }
        };
        if !rules.can_change(BeijingTime::from_unix(starts_at), now_t(now)) {
            return Err(AppError::PastCutoff);
        }
        let b = booking;
        let code = BookingCode::from_random(rand::random());
        let inserted: Option<(i64,)> = sqlx::query_as(
            "INSERT INTO bookings (project_id, flat, slot_id, code, buyer_name, phone, \
               party_size, notes, status, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'confirmed', $9, $9) \
             ON CONFLICT (project_id, flat) WHERE status <> 'cancelled' DO NOTHING \
             RETURNING id",
        )
        .bind(project_id)
        .bind(flat_key(&b.buyer.flat))
        .bind(slot_id)
        .bind(code.as_str())
        .bind(b.buyer.buyer_name.as_str())
        .bind(b.buyer.phone.as_str())
        .bind(i64::from(b.visit.party_size.get()))
        .bind(b.visit.notes.as_str())
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((id,)) = inserted else {
            // Dropping the transaction gives the place back.
            return Err(AppError::AlreadyBooked);
        };
        record_change(&mut tx, id, BookingAction::Booked, slot_id, now).await?;
        let receipt = receipt(&mut tx, id).await?;
        idempotency::commit(tx, key, receipt).await
    }

    /// The booking with this code, if `phone` is the one it was made with; a wrong phone
    /// and an unknown code get the same answer.
    pub async fn lookup_booking(
        &self,
        code: &BookingCode,
        phone: &PhoneNumber,
    ) -> AppResult<BookingReceipt> {
        self.receipt_of(code, Some(phone)).await
    }

    /// The booking with this code, for its calendar file (which shows nothing personal).
    pub async fn booking_for_calendar(&self, code: &BookingCode) -> AppResult<BookingReceipt> {
        self.receipt_of(code, None).await
    }

    async fn receipt_of(
        &self,
        code: &BookingCode,
        phone: Option<&PhoneNumber>,
    ) -> AppResult<BookingReceipt> {
        let mut tx = self.pool.begin().await?;
        let found: Option<(i64,)> = match phone {
            Some(phone) => {
                sqlx::query_as("SELECT id FROM bookings WHERE code = $1 AND phone = $2")
                    .bind(code.as_str())
                    .bind(phone.as_str())
                    .fetch_optional(&mut *tx)
                    .await?
            }
            None => {
                sqlx::query_as("SELECT id FROM bookings WHERE code = $1")
                    .bind(code.as_str())
                    .fetch_optional(&mut *tx)
                    .await?
            }
        };
        let (id,) = found.ok_or(AppError::NotFound)?;
        let receipt = receipt(&mut tx, id).await?;
        tx.commit().await?;
        Ok(receipt)
    }

    /// Moves a booking to another slot of the same project: the new place is taken before
    /// the old one is given back, so a booking that cannot move keeps its slot.
    pub async fn reschedule(
        &self,
        code: &BookingCode,
        phone: &PhoneNumber,
        new_slot: i64,
        key: Option<&IdempotencyKey>,
        now: i64,
    ) -> AppResult<Replayable<BookingReceipt>> {
        let mut tx = match idempotency::begin(&self.pool, key, now).await? {
            Begun::Fresh(tx) => tx,
            Begun::Replayed(answer) => return Ok(answer),
        };
        let booking = lock_booking(&mut tx, code, phone).await?;
        let rules = changeable(&mut tx, &booking, now).await?;
        if new_slot != booking.slot_id {
            let (low, high) = (booking.slot_id.min(new_slot), booking.slot_id.max(new_slot));
            for id in [low, high] {
                sqlx::query("UPDATE slots SET taken = taken WHERE id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            let starts = slot_start(&mut tx, booking.project_id, new_slot)
                .await?
                .ok_or(AppError::NotFound)?;
            if !rules.can_change(BeijingTime::from_unix(starts), now_t(now)) {
                return Err(AppError::PastCutoff);
            }
            let took = sqlx::query(
                "UPDATE slots SET taken = taken + 1 \
                 WHERE id = $1 AND taken < capacity AND withdrawn = 0",
            )
            .bind(new_slot)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if !took {
                return Err(AppError::SlotFull);
            }
            release_place(&mut tx, booking.slot_id).await?;
            sqlx::query("UPDATE bookings SET slot_id = $1, updated_at = $2 WHERE id = $3")
                .bind(new_slot)
                .bind(now)
                .bind(booking.id)
                .execute(&mut *tx)
                .await?;
            record_change(
                &mut tx,
                booking.id,
                BookingAction::Rescheduled,
                new_slot,
                now,
            )
            .await?;
        }
        let receipt = receipt(&mut tx, booking.id).await?;
        idempotency::commit(tx, key, receipt).await
    }

    /// Cancels a booking and gives its place back. Cancelling what is already cancelled
    /// answers with the cancelled booking: a retry is harmless.
    pub async fn cancel_booking(
        &self,
        code: &BookingCode,
        phone: &PhoneNumber,
        key: Option<&IdempotencyKey>,
        now: i64,
    ) -> AppResult<Replayable<BookingReceipt>> {
        let mut tx = match idempotency::begin(&self.pool, key, now).await? {
            Begun::Fresh(tx) => tx,
            Begun::Replayed(answer) => return Ok(answer),
        };
        let booking = lock_booking(&mut tx, code, phone).await?;
        if booking.status != BookingStatus::Cancelled.as_str() {
            changeable(&mut tx, &booking, now).await?;
            release_place(&mut tx, booking.slot_id).await?;
            sqlx::query("UPDATE bookings SET status = 'cancelled', updated_at = $1 WHERE id = $2")
                .bind(now)
                .bind(booking.id)
                .execute(&mut *tx)
                .await?;
            record_change(
                &mut tx,
                booking.id,
                BookingAction::Cancelled,
                booking.slot_id,
                now,
            )
            .await?;
        }
        let receipt = receipt(&mut tx, booking.id).await?;
        idempotency::commit(tx, key, receipt).await
    }
}

fn now_t(now: i64) -> BeijingTime {
    BeijingTime::from_unix(now)
}

/// Takes the booking's row lock (the first lock of every change; see the module comment).
async fn lock_booking(
    tx: &mut Tx,
    code: &BookingCode,
    phone: &PhoneNumber,
) -> AppResult<BookingRow> {
    let sql = format!(
        "UPDATE bookings SET updated_at = updated_at WHERE code = $1 AND phone = $2 \
         RETURNING {BOOKING_COLUMNS}"
    );
    sqlx::query_as(&sql)
        .bind(code.as_str())
        .bind(phone.as_str())
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(AppError::NotFound)
}

/// The project's rules, if the booking may still be moved or cancelled.
async fn changeable(tx: &mut Tx, booking: &BookingRow, now: i64) -> AppResult<BookingRules> {
    match BookingStatus::parse(&booking.status) {
        Some(BookingStatus::Confirmed) => {}
        Some(BookingStatus::Cancelled) => return Err(AppError::AlreadyCancelled),
        _ => return Err(AppError::PastCutoff),
    }
    let rules = fetch_project(&mut **tx, booking.project_id)
        .await?
        .rules()?;
    let starts = slot_start(tx, booking.project_id, booking.slot_id)
        .await?
        .ok_or_else(|| AppError::Internal(format!("booking {}: no slot", booking.id)))?;
    if rules.can_change(BeijingTime::from_unix(starts), now_t(now)) {
        Ok(rules)
    } else {
        Err(AppError::PastCutoff)
    }
}

pub(super) async fn record_change(
    tx: &mut Tx,
    booking_id: i64,
    action: BookingAction,
    slot_id: i64,
    now: i64,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO booking_changes (booking_id, action, slot_id, at) VALUES ($1, $2, $3, $4)",
    )
    .bind(booking_id)
    .bind(action.as_str())
    .bind(slot_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn receipt(tx: &mut Tx, booking_id: i64) -> AppResult<BookingReceipt> {
    let sql = format!("SELECT {BOOKING_COLUMNS} FROM bookings WHERE id = $1");
    let row: BookingRow = sqlx::query_as(&sql)
        .bind(booking_id)
        .fetch_one(&mut **tx)
        .await?;
    let corrupt = |what: &str| AppError::Internal(format!("booking {}: bad {what}", row.id));
    let project = fetch_project(&mut **tx, row.project_id).await?;
    let rules = project.rules()?;
    let sql = format!("SELECT {SLOT_COLUMNS} FROM slots WHERE id = $1");
    let slot: SlotRow = sqlx::query_as(&sql)
        .bind(row.slot_id)
        .fetch_one(&mut **tx)
        .await?;
    let changes: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT c.at, c.action, s.starts_at FROM booking_changes c \
         JOIN slots s ON s.id = c.slot_id WHERE c.booking_id = $1 ORDER BY c.id",
    )
    .bind(row.id)
    .fetch_all(&mut **tx)
    .await?;
    let history = changes
        .into_iter()
        .map(|(at, action, starts)| {
            Ok(BookingChange {
                at: BeijingTime::from_unix(at),
                action: BookingAction::parse(&action).ok_or_else(|| corrupt("action"))?,
                slot_starts_at: BeijingTime::from_unix(starts),
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    let slot = slot.into_slot();
    Ok(BookingReceipt {
        code: BookingCode::parse(&row.code).map_err(|_| corrupt("code"))?,
        status: BookingStatus::parse(&row.status).ok_or_else(|| corrupt("status"))?,
        flat: flat_from_key(&row.flat).ok_or_else(|| corrupt("flat"))?,
        buyer_name: row.buyer_name.clone(),
        phone_masked: mask_phone(&row.phone),
        party_size: u8::try_from(row.party_size).map_err(|_| corrupt("party_size"))?,
        notes: row.notes.clone(),
        change_deadline: rules.change_deadline(slot.starts_at),
        slot,
        history,
        office_notice: row.office_notice.clone(),
        defects: Vec::new(),
        project: project.into_project()?,
    })
}

/// The SMS a buyer gets when the sales office changes their visit.
pub(super) mod booking_notice {
    use model::BeijingTime;

    fn when(t: BeijingTime) -> String {
        let c = t.civil();
        format!(
            "{}月{}日 {:02}:{:02}",
            c.date.month, c.date.day, c.hour, c.minute
        )
    }

    pub fn moved(project: &str, to: BeijingTime, code: &str) -> String {
        format!(
            "【奉贤质量月】{project}售楼处调整了看房时间，您的预看房（预约码 {code}）改到{}。如不便前来，可在“我的”中改约或取消。",
            when(to)
        )
    }

    pub fn cancelled(project: &str, was: BeijingTime, code: &str) -> String {
        format!(
            "【奉贤质量月】{project}售楼处取消了{}的看房时段，您的预看房（预约码 {code}）已取消，请在“我的”中重新预约。给您带来不便，敬请谅解。",
            when(was)
        )
    }
}
