//! The audit log: who did what, when, from where, before → after. Rows are appended in
//! the transaction of the write they record, so a write and its audit row exist together;
//! the database refuses to change or delete them (see the migration).

use super::Store;
use crate::error::AppResult;
use model::{AuditEntry, BeijingTime};
use serde_json::Value;
use sqlx::{Any, Transaction};

/// The staff member behind a write, and the client address it came from.
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: i64,
    pub login: String,
    pub client: String,
}

impl Actor {
    /// `quality-month-server staff …` on the server itself: no account, no network.
    pub fn command_line() -> Self {
        Self {
            id: 0,
            login: "(command line)".into(),
            client: "local".into(),
        }
    }
}

/// One audited act. `before`/`after` hold what changed, never a phone number.
pub(super) struct Act<'a> {
    pub action: &'a str,
    pub subject: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

pub(super) async fn append(
    tx: &mut Transaction<'static, Any>,
    actor: &Actor,
    act: Act<'_>,
    now: i64,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor_id, actor, action, subject, client, before_json, after_json) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(now)
    .bind(actor.id)
    .bind(&actor.login)
    .bind(act.action)
    .bind(&act.subject)
    .bind(&actor.client)
    .bind(act.before.map(|v| v.to_string()))
    .bind(act.after.map(|v| v.to_string()))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Filters of the audit page; every one optional. `from`/`to` bound `at`: `[from, to)`.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub from: Option<i64>,
    pub to: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct AuditRow {
    id: i64,
    at: i64,
    actor: String,
    action: String,
    subject: String,
    client: String,
    before_json: Option<String>,
    after_json: Option<String>,
}

impl Store {
    /// Appends one row on its own (acts that change nothing else, such as a reveal).
    pub async fn audit(&self, actor: &Actor, action: &str, subject: String) -> AppResult<()> {
        let mut tx = self.pool.begin().await?;
        let act = Act {
            action,
            subject,
            before: None,
            after: None,
        };
        append(&mut tx, actor, act, super::now_unix()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The newest rows first, at most 500.
    pub async fn audit_entries(&self, filter: &AuditFilter) -> AppResult<Vec<AuditEntry>> {
        let rows: Vec<AuditRow> = sqlx::query_as(
            "SELECT id, at, actor, action, subject, client, before_json, after_json \
             FROM audit_log \
             WHERE ($1 IS NULL OR actor = $1) AND ($2 IS NULL OR action = $2) \
               AND ($3 IS NULL OR at >= $3) AND ($4 IS NULL OR at < $4) \
             ORDER BY id DESC LIMIT 500",
        )
        .bind(filter.actor.as_deref())
        .bind(filter.action.as_deref())
        .bind(filter.from)
        .bind(filter.to)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| AuditEntry {
                id: r.id,
                at: BeijingTime::from_unix(r.at),
                actor: r.actor,
                action: r.action,
                subject: r.subject,
                client: r.client,
                before: r.before_json,
                after: r.after_json,
            })
            .collect())
    }
}
