//! Demo content, dated relative to the day the database is filled, so that a fresh
//! `cargo xtask run` always has upcoming events, open visit slots and an open survey wave,
//! and a past year of events for the staff's year figures.

mod events;
mod inspections;
mod organisations;
mod people;
mod programme;
mod rng;
mod staff;
mod survey;
mod visits;
mod year;

pub use inspections::DEMO_BUYERS;
pub use staff::DemoAccount;
pub use survey::definition as demo_survey_definition;

use crate::error::AppError;
use crate::store::Store;

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(
        "QM_DEMO is on, but this database already holds content that demo mode did not put \
         there; demo content goes only into an empty database. Turn QM_DEMO off, or point \
         QM_DATABASE_URL at an empty database."
    )]
    RealContent,
    #[error(transparent)]
    Store(#[from] AppError),
}

/// What [`seed_if_empty`] added.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Seeded {
    pub events: usize,
    pub projects: usize,
    pub survey_responses: usize,
    /// Staff accounts made, with their passwords (printed once, never stored).
    pub accounts: Vec<DemoAccount>,
}

/// Fills each part of the database that is still empty: events (upcoming, and the past
/// year's), and housing projects with their buyers, slots and some bookings. Refuses a
/// database that holds content demo mode did not put there: fake events and survey results
/// must never sit beside real ones.
pub async fn seed_if_empty(store: &Store, now: i64) -> Result<Seeded, DemoError> {
    if !store.is_demo().await? {
        if store.holds_content().await? {
            return Err(DemoError::RealContent);
        }
        store.mark_demo().await?;
    }
    let mut seeded = Seeded::default();
    if store.count_events().await? == 0 {
        seeded.events = events::seed(store, now).await? + year::seed(store, now).await?;
    }
    if store.projects(i64::MIN).await?.is_empty() {
        seeded.projects = inspections::seed(store, now).await?;
    }
    if matches!(store.current_survey(now).await, Err(AppError::NotFound)) {
        seeded.survey_responses = survey::seed(store, now).await?;
    }
    if store.count_accounts().await? == 0 {
        seeded.accounts = staff::seed(store, now).await?;
    }
    Ok(seeded)
}
