//! The day's visits at the door: the list in time order (buyers masked), check-in by the
//! code on the pass, and no-shows once a time has ended. Each is audited.

use super::Store;
use super::audit::{self, Act, Actor};
use super::bookings::record_change;
use super::projects::flat_from_key;
use crate::error::{AppError, AppResult};
use model::project_admin::mask_name;
use model::{
    BeijingDate, BeijingTime, BookingAction, BookingCode, Visit, VisitCheckin, VisitState,
    mask_phone,
};
use sqlx::{Any, Transaction};

type Tx = Transaction<'static, Any>;

#[derive(sqlx::FromRow)]
pub(super) struct VisitRow {
    pub id: i64,
    pub slot_id: i64,
    pub code: String,
    pub flat: String,
    pub buyer_name: String,
    pub phone: String,
    pub party_size: i64,
    pub notes: String,
    pub status: String,
    pub checked_in_at: Option<i64>,
    pub no_show_at: Option<i64>,
    pub starts_at: i64,
    pub ends_at: i64,
}

pub(super) const VISIT_COLUMNS: &str = "b.id, b.slot_id, b.code, b.flat, b.buyer_name, \
     b.phone, b.party_size, b.notes, b.status, b.checked_in_at, b.no_show_at, s.starts_at, \
     s.ends_at";

impl VisitRow {
    pub fn into_visit(self) -> AppResult<Visit> {
        let corrupt = |what: &str| AppError::Internal(format!("booking {}: bad {what}", self.id));
        let status = model::BookingStatus::parse(&self.status).ok_or_else(|| corrupt("status"))?;
        Ok(Visit {
            flat: flat_from_key(&self.flat).ok_or_else(|| corrupt("flat"))?,
            buyer_name: mask_name(&self.buyer_name),
            phone_masked: mask_phone(&self.phone),
            party_size: u8::try_from(self.party_size).map_err(|_| corrupt("party_size"))?,
            notes: self.notes,
            starts_at: BeijingTime::from_unix(self.starts_at),
            ends_at: BeijingTime::from_unix(self.ends_at),
            state: VisitState::of(status, self.no_show_at.is_some()),
            checked_in_at: self.checked_in_at.map(BeijingTime::from_unix),
            code: self.code,
        })
    }
}

impl Store {
    /// The visits of one day, in time order, cancelled ones left out.
    pub async fn visits(&self, project_id: i64, day: BeijingDate) -> AppResult<Vec<Visit>> {
        let sql = format!(
            "SELECT {VISIT_COLUMNS} FROM bookings b JOIN slots s ON s.id = b.slot_id \
             WHERE b.project_id = $1 AND s.starts_at >= $2 AND s.starts_at < $3 \
               AND b.status <> 'cancelled' ORDER BY s.starts_at, b.flat"
        );
        let rows: Vec<VisitRow> = sqlx::query_as(&sql)
            .bind(project_id)
            .bind(day.start().unix())
            .bind(day.add_days(1).start().unix())
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(VisitRow::into_visit).collect()
    }

    /// Checks a buyer in by the booking code on their pass. A second scan answers with
    /// the first check-in (`already`).
    pub async fn check_in_visit(
        &self,
        project_id: i64,
        code: &str,
        actor: &Actor,
        now: i64,
    ) -> AppResult<VisitCheckin> {
        let code = BookingCode::parse(code).map_err(|_| AppError::NotFound)?;
        let mut tx = self.pool.begin().await?;
        // The one conditional write decides who was first, on both databases.
        let first = sqlx::query(
            "UPDATE bookings SET status = 'checked_in', checked_in_at = $1, no_show_at = NULL, \
               updated_at = $1 \
             WHERE code = $2 AND project_id = $3 AND status = 'confirmed'",
        )
        .bind(now)
        .bind(code.as_str())
        .bind(project_id)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        let row = visit_by_code(&mut tx, code.as_str()).await?;
        let (of_project,): (i64,) = sqlx::query_as("SELECT project_id FROM bookings WHERE id = $1")
            .bind(row.id)
            .fetch_one(&mut *tx)
            .await?;
        if of_project != project_id {
            return Err(AppError::WrongEvent);
        }
        if row.status == "cancelled" {
            return Err(AppError::AlreadyCancelled);
        }
        if first {
            record_change(&mut tx, row.id, BookingAction::CheckedIn, row.slot_id, now).await?;
            let act = Act {
                action: "booking.check_in",
                subject: format!("project:{project_id} booking:{}", code.as_str()),
                before: None,
                after: None,
            };
            audit::append(&mut tx, actor, act, now).await?;
        }
        tx.commit().await?;
        Ok(VisitCheckin {
            visit: row.into_visit()?,
            already: !first,
        })
    }

    /// Marks a booked visit whose slot has ended without the buyer as a no-show.
    pub async fn mark_no_show(
        &self,
        project_id: i64,
        code: &str,
        actor: &Actor,
        now: i64,
    ) -> AppResult<Visit> {
        let code = BookingCode::parse(code).map_err(|_| AppError::NotFound)?;
        let mut tx = self.pool.begin().await?;
        let marked = sqlx::query(
            "UPDATE bookings SET no_show_at = $1, updated_at = $1 \
             WHERE code = $2 AND project_id = $3 AND status = 'confirmed' \
               AND no_show_at IS NULL \
               AND slot_id IN (SELECT id FROM slots WHERE ends_at <= $1)",
        )
        .bind(now)
        .bind(code.as_str())
        .bind(project_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let row = visit_by_code(&mut tx, code.as_str()).await?;
        let (of_project,): (i64,) = sqlx::query_as("SELECT project_id FROM bookings WHERE id = $1")
            .bind(row.id)
            .fetch_one(&mut *tx)
            .await?;
        if of_project != project_id {
            return Err(AppError::NotFound);
        }
        if marked == 0 && row.no_show_at.is_none() {
            // Checked in, cancelled, or its slot has not ended yet.
            return Err(AppError::WrongStatus);
        }
        if marked == 1 {
            let act = Act {
                action: "booking.no_show",
                subject: format!("project:{project_id} booking:{}", code.as_str()),
                before: None,
                after: None,
            };
            audit::append(&mut tx, actor, act, now).await?;
        }
        tx.commit().await?;
        row.into_visit()
    }
}

pub(super) async fn visit_by_code(tx: &mut Tx, code: &str) -> AppResult<VisitRow> {
    let sql = format!(
        "SELECT {VISIT_COLUMNS} FROM bookings b JOIN slots s ON s.id = b.slot_id WHERE b.code = $1"
    );
    sqlx::query_as(&sql)
        .bind(code)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(AppError::NotFound)
}
