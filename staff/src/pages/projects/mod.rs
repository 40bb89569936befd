//! The staff's pre-inspection (预看房) screens: projects, their buyer list and visit plan,
//! the day's visits at the door, defects followed to repair, and the district's coverage.

mod coverage;
mod defects;
mod desk;
mod form;
mod import;
mod list;
mod plan;
mod visits;

pub use coverage::Coverage;
pub use defects::ProjectDefects;
pub use desk::ProjectDesk;
pub use form::{EditProject, NewProject};
pub use import::BuyerImport;
pub use list::ProjectList;
pub use plan::VisitPlan;
pub use visits::Visits;

use model::{StaffProject, VisitState};

use crate::i18n::StaffTexts;

/// The project's name in the language shown.
fn name(t: &StaffTexts, p: &StaffProject) -> String {
    p.draft.name.get(t.lang).to_string()
}

fn state_text(t: &StaffTexts, s: VisitState) -> &'static str {
    let p = t.projects;
    match s {
        VisitState::Booked => p.state_booked,
        VisitState::CheckedIn => p.state_checked_in,
        VisitState::NoShow => p.state_no_show,
        VisitState::Cancelled => p.state_cancelled,
    }
}
