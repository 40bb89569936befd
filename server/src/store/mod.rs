//! The store: one set of SQL for SQLite and PostgreSQL, through sqlx's `Any` driver.
//!
//! Rules every query here follows:
//! - Placeholders are `$1, $2, …`, which both engines accept.
//! - Integers are BIGINT in both schemas, so every column decodes as `i64`.
//! - A write transaction starts with a write (an `UPDATE` or `INSERT`). On SQLite that takes
//!   the write lock at once, so concurrent writers queue on the busy timeout instead of
//!   failing on a stale read snapshot; on PostgreSQL it takes the row lock that serialises
//!   writers of the same event.
//! - Capacity is kept by conditional updates and unique indexes, never by reading a count
//!   and writing after it.

mod audit;
mod backup;
mod bookings;
mod buyer_checks;
mod buyer_import;
mod calendar_feeds;
mod code_attempts;
mod coverage;
mod defects;
mod event_admin;
mod events;
mod idempotency;
mod instance;
mod notifications;
mod project_admin;
mod projects;
mod registrations;
mod reminder_figures;
mod reminders;
mod retention;
mod slots;
mod staff;
mod survey_waves;
mod surveys;
mod verifications;
mod visit_plan;
mod visits;
mod year_figures;

pub use audit::{Actor, AuditFilter};
pub use backup::{restore_sqlite, sqlite_path};
pub use buyer_checks::{BACKOFF_MEMORY_SECS, FREE_BUYER_CHECKS, backoff_after};
pub use buyer_import::{BuyerList, ImportDiff};
pub use code_attempts::CODE_WINDOW_SECS;
pub use defects::DefectActor;
pub use event_admin::{Visibility, valid_walk_in};
pub use events::{CalendarEvent, EventFilter, NewEvent};
pub use idempotency::{IdempotencyKey, PERSONAL_ANSWER_LIFETIME_SECS, Replayable};
pub use notifications::Notification;
pub use projects::{Buyer, NewProject};
pub use reminder_figures::{ReminderSubject, SubjectOutcomes, SubjectRow};
pub use reminders::{Decided, REMINDER_HORIZON_SECS, ReminderCandidate};
pub use retention::Erased;
pub use staff::{Account, SESSION_ABSOLUTE_SECS, SESSION_IDLE_SECS};
pub use survey_waves::WaveState;
pub use surveys::{NewSurvey, ResultSnapshot, ValidResponse};
pub use verifications::CODES_PER_PHONE_PER_HOUR;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor};
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> Option<Self> {
        if url.starts_with("sqlite:") {
            Some(Self::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Some(Self::Postgres)
        } else {
            None
        }
    }
}

#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

impl Store {
    /// Connects, creating a SQLite file (and its folder) if it does not exist yet.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self, sqlx::Error> {
        install_default_drivers();
        let backend = Backend::of_url(url).ok_or_else(|| {
            sqlx::Error::Configuration(
                "QM_DATABASE_URL must start with sqlite: or postgres:".into(),
            )
        })?;
        let url = match backend {
            Backend::Sqlite => sqlite_url_creating_folder(url)?,
            Backend::Postgres => url.to_string(),
        };
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers run beside the one writer; the busy timeout makes
                        // writers queue rather than fail under a burst of sign-ups.
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                             PRAGMA busy_timeout = 15000; PRAGMA foreign_keys = ON;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await?;
        Ok(Self { pool, backend })
    }

    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        match self.backend {
            Backend::Sqlite => sqlx::migrate!("migrations/sqlite").run(&self.pool).await,
            Backend::Postgres => sqlx::migrate!("migrations/postgres").run(&self.pool).await,
        }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// For demo content only (`demo::year`): a past year's events and sign-ups go in as a
    /// few multi-row inserts, which no store method makes for real data.
    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// For `/api/health`: can we reach the database at all?
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

fn sqlite_url_creating_folder(url: &str) -> Result<String, sqlx::Error> {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path != ":memory:"
        && let Some(folder) = Path::new(path).parent()
        && !folder.as_os_str().is_empty()
    {
        std::fs::create_dir_all(folder).map_err(|e| sqlx::Error::Configuration(e.into()))?;
    }
    let query = if query.contains("mode=") {
        query.to_string()
    } else if query.is_empty() {
        "mode=rwc".to_string()
    } else {
        format!("{query}&mode=rwc")
    };
    Ok(format!("sqlite://{path}?{query}"))
}

/// Seconds since the Unix epoch, the form every time column takes.
pub fn now_unix() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
