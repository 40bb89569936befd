//! A project's visit plan: the future slots follow it without touching booked places,
//! and the visits in a time it drops are moved or cancelled as the office decides, each
//! buyer told by SMS.
//!
//! A plan change locks the project row, then withdraws the slots it drops (ascending id, so
//! no new booking gets into them), then each displaced booking (checked to be as read) and
//! the slot it moves to. A buyer's reschedule locks its booking before slots, so a buyer
//! moving a visit out of a slot at the very moment the office closes that slot can meet it
//! the other way round; PostgreSQL then refuses one of the two with an error, and that
//! write is sent again (the phone's outbox retries it; the office presses again).

use super::Store;
use super::audit::{self, Act, Actor};
use super::bookings::{booking_notice, record_change};
use super::notifications::queue_sms;
use super::projects::fetch_project;
use super::slots::release_place;
use super::visits::{VISIT_COLUMNS, VisitRow};
use crate::error::{AppError, AppResult};
use model::project_admin::PlannedSlot;
use model::{BeijingTime, BookingAction, PlanChange, PlanOutcome, Slot};
use serde_json::json;
use sqlx::{Any, Transaction};
use std::collections::{BTreeMap, HashMap};

type Tx = Transaction<'static, Any>;

impl Store {
    /// Sets the visit plan and makes the future slots follow it: new times are added,
    /// changed capacities applied (never below the places taken), times the plan dropped
    /// are withdrawn. Booked visits in a dropped time are moved or cancelled as
    /// `change.decisions` say, each buyer told by SMS. Without `commit` the whole change
    /// is made and rolled back, so the answer is exactly what a commit would do.
    pub async fn change_plan(
        &self,
        id: i64,
        change: &PlanChange,
        actor: &Actor,
        now: i64,
    ) -> AppResult<PlanOutcome> {
        let mut tx = self.pool.begin().await?;
        let locked = sqlx::query("UPDATE projects SET plan_json = $1 WHERE id = $2")
            .bind(
                serde_json::to_string(&change.plan)
                    .map_err(|e| AppError::Internal(e.to_string()))?,
            )
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if locked == 0 {
            return Err(AppError::NotFound);
        }
        let project = fetch_project(&mut *tx, id).await?;
        let rules = project.rules()?;
        let today = BeijingTime::from_unix(now).date();
        let first = today.max(rules.opens_at().date());
        let last = rules.handover_on.add_days(-1);
        let planned: Vec<PlannedSlot> = change
            .plan
            .slots(first, last)
            .into_iter()
            .filter(|s| s.starts_at.unix() > now)
            .collect();
        let existing: Vec<(i64, i64, i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT id, starts_at, ends_at, capacity, taken, withdrawn FROM slots \
             WHERE project_id = $1 AND starts_at > $2",
        )
        .bind(id)
        .bind(now)
        .fetch_all(&mut *tx)
        .await?;
        let by_start: HashMap<i64, (i64, i64, i64, i64, i64)> = existing
            .iter()
            .map(|&(sid, s, e, c, t, w)| (s, (sid, e, c, t, w)))
            .collect();
        let mut outcome = PlanOutcome {
            committed: false,
            slots_added: 0,
            slots_removed: 0,
            slots_changed: 0,
            displaced: Vec::new(),
            free: Vec::new(),
        };
        // Times the plan drops are withdrawn first: from here on no new booking gets in,
        // and the visits already in them are all there is to decide about.
        let planned_starts: std::collections::HashSet<i64> =
            planned.iter().map(|p| p.starts_at.unix()).collect();
        let mut dropped: Vec<i64> = existing
            .iter()
            .filter(|&&(_, s, _, _, _, w)| w == 0 && !planned_starts.contains(&s))
            .map(|&(sid, ..)| sid)
            .collect();
        dropped.sort_unstable();
        for &sid in &dropped {
            sqlx::query("UPDATE slots SET withdrawn = 1 WHERE id = $1")
                .bind(sid)
                .execute(&mut *tx)
                .await?;
        }
        let mut new_slot_at = BTreeMap::new();
        for p in &planned {
            let (start, end, capacity) =
                (p.starts_at.unix(), p.ends_at.unix(), i64::from(p.capacity));
            match by_start.get(&start) {
                Some(&(sid, e, c, t, w)) => {
                    let capacity = capacity.max(t);
                    if e != end || c != capacity || w != 0 {
                        sqlx::query(
                            "UPDATE slots SET ends_at = $1, capacity = $2, withdrawn = 0 WHERE id = $3",
                        )
                        .bind(end)
                        .bind(capacity)
                        .bind(sid)
                        .execute(&mut *tx)
                        .await?;
                        outcome.slots_changed += 1;
                    }
                    new_slot_at.insert(start, sid);
                }
                None => {
                    let (sid,): (i64,) = sqlx::query_as(
                        "INSERT INTO slots (project_id, starts_at, ends_at, capacity) \
                         VALUES ($1, $2, $3, $4) RETURNING id",
                    )
                    .bind(id)
                    .bind(start)
                    .bind(end)
                    .bind(capacity)
                    .fetch_one(&mut *tx)
                    .await?;
                    new_slot_at.insert(start, sid);
                    outcome.slots_added += 1;
                }
            }
        }
        let name = project.name_zh.clone();
        let mut decided = 0;
        for &sid in &dropped {
            let sql = format!(
                "SELECT {VISIT_COLUMNS} FROM bookings b JOIN slots s ON s.id = b.slot_id \
                 WHERE b.slot_id = $1 AND b.status = 'confirmed' ORDER BY b.id"
            );
            let visits: Vec<VisitRow> = sqlx::query_as(&sql).bind(sid).fetch_all(&mut *tx).await?;
            for row in visits {
                let decision = change.decisions.iter().find(|d| d.code == row.code);
                match decision {
                    Some(d) => {
                        decided += 1;
                        let target = match d.move_to {
                            Some(at) => Some(*new_slot_at.get(&at.unix()).ok_or(
                                AppError::Validation(model::FieldErrors::from([(
                                    format!("decisions.{}", row.code),
                                    model::FieldError::Invalid,
                                )])),
                            )?),
                            None => None,
                        };
                        displace(&mut tx, &row, target, &name, now).await?;
                    }
                    None => outcome.displaced.push(row.into_visit()?),
                }
            }
            // Gone for good if nothing ever pointed to it; else it stays, withdrawn.
            sqlx::query(
                "DELETE FROM slots WHERE id = $1 AND taken = 0 \
                 AND NOT EXISTS (SELECT 1 FROM bookings WHERE slot_id = $1) \
                 AND NOT EXISTS (SELECT 1 FROM booking_changes WHERE slot_id = $1)",
            )
            .bind(sid)
            .execute(&mut *tx)
            .await?;
            outcome.slots_removed += 1;
        }
        let free: Vec<(i64, i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT id, starts_at, ends_at, capacity, taken FROM slots \
             WHERE project_id = $1 AND starts_at > $2 AND withdrawn = 0 AND taken < capacity \
             ORDER BY starts_at",
        )
        .bind(id)
        .bind(now)
        .fetch_all(&mut *tx)
        .await?;
        outcome.free = free
            .into_iter()
            .map(|(sid, s, e, c, t)| slot(sid, s, e, c, t))
            .collect();
        if !change.commit {
            tx.rollback().await?;
            return Ok(outcome);
        }
        if !outcome.displaced.is_empty() {
            return Err(AppError::DecisionNeeded);
        }
        let act = Act {
            action: "project.plan",
            subject: format!("project:{id}"),
            before: None,
            after: Some(json!({
                "plan": change.plan,
                "slots_added": outcome.slots_added,
                "slots_removed": outcome.slots_removed,
                "slots_changed": outcome.slots_changed,
                "visits_moved_or_cancelled": decided,
            })),
        };
        audit::append(&mut tx, actor, act, now).await?;
        tx.commit().await?;
        outcome.committed = true;
        Ok(outcome)
    }
}

fn slot(id: i64, starts_at: i64, ends_at: i64, capacity: i64, taken: i64) -> Slot {
    let capacity = u32::try_from(capacity).unwrap_or(0);
    let taken = u32::try_from(taken).unwrap_or(0);
    Slot {
        id,
        starts_at: BeijingTime::from_unix(starts_at),
        ends_at: BeijingTime::from_unix(ends_at),
        capacity,
        taken,
        places_left: capacity.saturating_sub(taken),
    }
}

/// Moves a booked visit to `target` (taking a place there first) or cancels it, gives
/// its old place back, and tells the buyer.
pub(super) async fn displace(
    tx: &mut Tx,
    visit: &VisitRow,
    target: Option<i64>,
    project_name: &str,
    now: i64,
) -> AppResult<()> {
    // The booking's lock, and a check that it is still as read: a buyer who moved or
    // cancelled it meanwhile has settled it already (and got their place back).
    let still = sqlx::query(
        "UPDATE bookings SET updated_at = updated_at \
         WHERE id = $1 AND slot_id = $2 AND status = 'confirmed'",
    )
    .bind(visit.id)
    .bind(visit.slot_id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if still == 0 {
        return Ok(());
    }
    let notice = match target {
        Some(slot_id) => {
            let took = sqlx::query(
                "UPDATE slots SET taken = taken + 1 WHERE id = $1 AND taken < capacity",
            )
            .bind(slot_id)
            .execute(&mut **tx)
            .await?
            .rows_affected();
            if took == 0 {
                return Err(AppError::SlotFull);
            }
            let (starts,): (i64,) = sqlx::query_as("SELECT starts_at FROM slots WHERE id = $1")
                .bind(slot_id)
                .fetch_one(&mut **tx)
                .await?;
            sqlx::query("UPDATE bookings SET slot_id = $1, updated_at = $2 WHERE id = $3")
                .bind(slot_id)
                .bind(now)
                .bind(visit.id)
                .execute(&mut **tx)
                .await?;
            record_change(tx, visit.id, BookingAction::Rescheduled, slot_id, now).await?;
            booking_notice::moved(project_name, BeijingTime::from_unix(starts), &visit.code)
        }
        None => {
            sqlx::query("UPDATE bookings SET status = 'cancelled', updated_at = $1 WHERE id = $2")
                .bind(now)
                .bind(visit.id)
                .execute(&mut **tx)
                .await?;
            record_change(tx, visit.id, BookingAction::Cancelled, visit.slot_id, now).await?;
            booking_notice::cancelled(
                project_name,
                BeijingTime::from_unix(visit.starts_at),
                &visit.code,
            )
        }
    };
    release_place(tx, visit.slot_id).await?;
    sqlx::query("UPDATE bookings SET office_notice = $1 WHERE id = $2")
        .bind(&notice)
        .bind(visit.id)
        .execute(&mut **tx)
        .await?;
    queue_sms(tx, &visit.phone, &notice, now).await?;
    Ok(())
}
