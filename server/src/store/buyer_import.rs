//! Importing a project's buyer list: the new list is merged into the old one by flat (a
//! flat is added, changed when its buyers differ, removed when the list leaves it out),
//! all or nothing. A flat with a booked visit is never removed without the office's word:
//! keep it, or drop it and cancel the visit with a notice to the buyer.

use super::Store;
use super::audit::{self, Act, Actor};
use super::projects::{fetch_project, flat_key};
use super::visit_plan::displace;
use super::visits::{VISIT_COLUMNS, VisitRow};
use crate::error::{AppError, AppResult};
use model::project_admin::BuyerRow;
use model::{FlatId, RemovalDecision, Visit};
use serde_json::json;
use sqlx::{Any, Transaction};
use std::collections::{BTreeMap, BTreeSet};

type Tx = Transaction<'static, Any>;

/// Rows per INSERT: well under both engines' limits on bound values (6 per row).
const ROWS_PER_INSERT: usize = 500;

/// What an import changes, flat by flat.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportDiff {
    pub added: u32,
    pub changed: u32,
    pub removed: u32,
    pub unchanged: u32,
    /// Flats the new list leaves out that hold a booked visit (kept unless decided).
    pub booked_removals: Vec<Visit>,
}

type Buyers = BTreeSet<(String, String)>;

/// A checked buyer list to merge, and what the office decided.
pub struct BuyerList<'a> {
    pub rows: &'a [BuyerRow],
    pub file_name: &'a str,
    /// Without it nothing changes: the answer says what would.
    pub commit: bool,
    /// For each booked flat the list leaves out.
    pub removals: &'a [RemovalDecision],
}

impl Store {
    /// Merges a checked list into the project's buyer list; a commit needs a decision for
    /// every booked flat the list leaves out.
    pub async fn import_buyers(
        &self,
        project_id: i64,
        list: &BuyerList<'_>,
        actor: &Actor,
        now: i64,
    ) -> AppResult<ImportDiff> {
        let BuyerList {
            rows,
            file_name,
            commit,
            removals,
        } = *list;
        let mut tx = self.pool.begin().await?;
        // The project row first: two imports of one list queue instead of interleaving.
        let locked = sqlx::query("UPDATE projects SET id = id WHERE id = $1")
            .bind(project_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if locked == 0 {
            return Err(AppError::NotFound);
        }
        let old = current_list(&mut tx, project_id).await?;
        let mut new: BTreeMap<String, (FlatId, Buyers)> = BTreeMap::new();
        for r in rows {
            new.entry(flat_key(&r.flat))
                .or_insert_with(|| (r.flat.clone(), Buyers::new()))
                .1
                .insert((r.name.clone(), r.phone.as_str().to_string()));
        }
        let booked = booked_visits(&mut tx, project_id).await?;
        let mut diff = ImportDiff::default();
        let mut replace: Vec<&(FlatId, Buyers)> = Vec::new();
        let mut drop: Vec<String> = Vec::new();
        let mut cancel: Vec<VisitRow> = Vec::new();
        let mut undecided = false;
        for (key, entry) in &new {
            match old.get(key) {
                None => {
                    diff.added += 1;
                    replace.push(entry);
                }
                Some(buyers) if *buyers == entry.1 => diff.unchanged += 1,
                Some(_) => {
                    diff.changed += 1;
                    drop.push(key.clone());
                    replace.push(entry);
                }
            }
        }
        let mut booked = booked;
        for key in old.keys().filter(|k| !new.contains_key(*k)) {
            diff.removed += 1;
            let Some(visit) = booked.remove(key) else {
                drop.push(key.clone());
                continue;
            };
            let flat = visit.into_visit()?;
            let decision = removals.iter().find(|d| d.flat == flat.flat);
            match decision {
                Some(d) if d.cancel_booking => {
                    drop.push(key.clone());
                    let row = visit_row(&mut tx, &flat.code).await?;
                    cancel.push(row);
                }
                // Kept: the flat stays on the list with its buyers and booking.
                Some(_) => {
                    diff.removed -= 1;
                    diff.unchanged += 1;
                }
                None => undecided = true,
            }
            diff.booked_removals.push(flat);
        }
        if !commit {
            return Ok(diff);
        }
        if undecided {
            return Err(AppError::DecisionNeeded);
        }
        for key in &drop {
            let flat = super::projects::flat_from_key(key)
                .ok_or_else(|| AppError::Internal(format!("bad flat key {key}")))?;
            sqlx::query(
                "DELETE FROM buyers WHERE project_id = $1 AND building = $2 AND unit = $3 \
                 AND room = $4",
            )
            .bind(project_id)
            .bind(&flat.building)
            .bind(&flat.unit)
            .bind(&flat.room)
            .execute(&mut *tx)
            .await?;
        }
        insert_buyers(&mut tx, project_id, &replace).await?;
        if !cancel.is_empty() {
            let name = fetch_project(&mut *tx, project_id).await?.name_zh;
            for visit in &cancel {
                displace(&mut tx, visit, None, &name, now).await?;
            }
        }
        let act = Act {
            action: "buyers.import",
            subject: format!("project:{project_id}"),
            before: None,
            after: Some(json!({
                "file": file_name,
                "rows": rows.len(),
                "added": diff.added,
                "changed": diff.changed,
                "removed": diff.removed,
                "bookings_cancelled": cancel.len(),
                "booked_flats_kept": diff.booked_removals.len() - cancel.len(),
            })),
        };
        audit::append(&mut tx, actor, act, now).await?;
        tx.commit().await?;
        Ok(diff)
    }
}

async fn current_list(tx: &mut Tx, project_id: i64) -> AppResult<BTreeMap<String, Buyers>> {
    let rows: Vec<(String, String, String, String, String)> = sqlx::query_as(
        "SELECT building, unit, room, name, phone FROM buyers WHERE project_id = $1",
    )
    .bind(project_id)
    .fetch_all(&mut **tx)
    .await?;
    let mut out: BTreeMap<String, Buyers> = BTreeMap::new();
    for (building, unit, room, name, phone) in rows {
        let key = flat_key(&FlatId {
            building,
            unit,
            room,
        });
        out.entry(key).or_default().insert((name, phone));
    }
    Ok(out)
}

/// Booked (not yet visited) visits of the project, by flat key.
async fn booked_visits(tx: &mut Tx, project_id: i64) -> AppResult<BTreeMap<String, VisitRow>> {
    let sql = format!(
        "SELECT {VISIT_COLUMNS} FROM bookings b JOIN slots s ON s.id = b.slot_id \
         WHERE b.project_id = $1 AND b.status = 'confirmed'"
    );
    let rows: Vec<VisitRow> = sqlx::query_as(&sql)
        .bind(project_id)
        .fetch_all(&mut **tx)
        .await?;
    Ok(rows.into_iter().map(|r| (r.flat.clone(), r)).collect())
}

async fn visit_row(tx: &mut Tx, code: &str) -> AppResult<VisitRow> {
    let sql = format!(
        "SELECT {VISIT_COLUMNS} FROM bookings b JOIN slots s ON s.id = b.slot_id WHERE b.code = $1"
    );
    Ok(sqlx::query_as(&sql).bind(code).fetch_one(&mut **tx).await?)
}

async fn insert_buyers(tx: &mut Tx, project_id: i64, flats: &[&(FlatId, Buyers)]) -> AppResult<()> {
    let rows: Vec<(&FlatId, &str, &str)> = flats
        .iter()
        .flat_map(|(flat, buyers)| {
            buyers
                .iter()
                .map(move |(name, phone)| (flat, name.as_str(), phone.as_str()))
        })
        .collect();
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let b = i * 6;
                format!(
                    "(${}, ${}, ${}, ${}, ${}, ${})",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5,
                    b + 6
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO buyers (project_id, building, unit, room, name, phone) VALUES {}",
            values.join(", ")
        );
        let mut query = sqlx::query(&sql);
        for (flat, name, phone) in chunk {
            query = query
                .bind(project_id)
                .bind(&flat.building)
                .bind(&flat.unit)
                .bind(&flat.room)
                .bind(*name)
                .bind(*phone);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}
