//! Visit slots: stored from a plan, listed for booking, and the place a booking holds.

use super::Store;
use super::projects::fetch_project;
use crate::error::AppResult;
use model::project_admin::PlannedSlot;
use model::{BeijingTime, Slot};
use sqlx::{Any, Transaction};

type Tx = Transaction<'static, Any>;

#[derive(sqlx::FromRow)]
pub(super) struct SlotRow {
    id: i64,
    starts_at: i64,
    ends_at: i64,
    capacity: i64,
    taken: i64,
}

pub(super) const SLOT_COLUMNS: &str = "id, starts_at, ends_at, capacity, taken";

impl SlotRow {
    pub(super) fn into_slot(self) -> Slot {
        let capacity = u32::try_from(self.capacity).unwrap_or(0);
        let taken = u32::try_from(self.taken).unwrap_or(0);
        Slot {
            id: self.id,
            starts_at: BeijingTime::from_unix(self.starts_at),
            ends_at: BeijingTime::from_unix(self.ends_at),
            capacity,
            taken,
            places_left: capacity.saturating_sub(taken),
        }
    }
}

impl Store {
    /// Stores slots (made by a [`model::VisitPlan`]) and returns their ids in order.
    pub async fn insert_slots(
        &self,
        project_id: i64,
        slots: &[PlannedSlot],
    ) -> AppResult<Vec<i64>> {
        let mut tx = self.pool.begin().await?;
        let mut ids = Vec::with_capacity(slots.len());
        for s in slots {
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO slots (project_id, starts_at, ends_at, capacity) \
                 VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(project_id)
            .bind(s.starts_at.unix())
            .bind(s.ends_at.unix())
            .bind(i64::from(s.capacity))
            .fetch_one(&mut *tx)
            .await?;
            ids.push(id);
        }
        tx.commit().await?;
        Ok(ids)
    }

    /// Slots that can still be booked at `now` (from the cut-off on) within `[from, to)`,
    /// full ones included so the app can show them as taken.
    pub async fn slots(
        &self,
        project_id: i64,
        from: Option<BeijingTime>,
        to: Option<BeijingTime>,
        now: i64,
    ) -> AppResult<Vec<Slot>> {
        let rules = fetch_project(&self.pool, project_id).await?.rules()?;
        let earliest = now + i64::from(rules.cutoff_hours) * 3600 + 1;
        let from = from.map_or(earliest, |f| f.unix().max(earliest));
        let to = to.map_or(i64::MAX, BeijingTime::unix);
        let sql = format!(
            "SELECT {SLOT_COLUMNS} FROM slots \
             WHERE project_id = $1 AND starts_at >= $2 AND starts_at < $3 AND withdrawn = 0 \
             ORDER BY starts_at"
        );
        let rows: Vec<SlotRow> = sqlx::query_as(&sql)
            .bind(project_id)
            .bind(from)
            .bind(to)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().map(SlotRow::into_slot).collect())
    }
}

pub(super) async fn slot_start(
    tx: &mut Tx,
    project_id: i64,
    slot_id: i64,
) -> AppResult<Option<i64>> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT starts_at FROM slots WHERE id = $1 AND project_id = $2")
            .bind(slot_id)
            .bind(project_id)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(row.map(|(s,)| s))
}

pub(super) async fn release_place(tx: &mut Tx, slot_id: i64) -> AppResult<()> {
    sqlx::query("UPDATE slots SET taken = taken - 1 WHERE id = $1")
        .bind(slot_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
