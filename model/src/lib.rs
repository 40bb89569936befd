//! Shared by the web app and the server: the API's types, the validation rules both sides
//! apply, and the domain vocabulary. Compiles to wasm32 and native; keeps no runtime,
//! database or browser dependency so that the phone shows exactly the errors the server
//! would return.

/// A closed vocabulary kept as snake_case slugs on the wire and in the database.
macro_rules! slugged {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $slug:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $slug),+ }
            }

            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
            }
        }
    };
}

pub mod count;
pub mod defect;
pub mod error;
pub mod event;
pub mod inspection;
pub mod organisation;
pub mod project_admin;
pub mod registration;
pub mod reminder;
pub mod staff;
pub mod survey;
pub mod survey_analysis;
pub mod survey_wave;
pub mod time;
pub mod verification;
pub mod vocab;
pub mod year_figures;

pub use error::{ApiError, ErrorBody, ErrorCode, FieldError, FieldErrors};
pub use event::{EventDetail, EventStatus, EventSummary, Localized};
pub use inspection::{
    BookingAction, BookingChange, BookingCode, BookingReceipt, BookingRules, BookingStatus,
    BuyerDetails, FlatId, NewBooking, Project, Reschedule, Slot, ValidBooking, VisitDetails,
    VisitNotes, VisitPartySize,
};
pub use organisation::{
    Attendees, Audience, CreditCode, NewOrganisation, Organisation, OrganisationName,
    OrganisationShown,
};
pub use project_admin::{
    AssignedStaff, BuyerImport, ColumnMapping, Coverage, ImportReport, PlanChange, PlanOutcome,
    PlanWindow, ProjectCoverage, ProjectDraft, RemovalDecision, RowProblem, StaffAssignment,
    StaffProject, Visit, VisitCheckin, VisitCode, VisitDecision, VisitPlan, VisitState,
};
pub use registration::{
    Headcount, NewRegistration, PartySize, PersonName, PhoneNumber, PhoneRequest, RegistrationCode,
    RegistrationReceipt, RegistrationStatus, ValidRegistration, mask_phone,
};
pub use staff::{
    AccountChange, AuditEntry, CancelEvent, CheckinRequest, CheckinResult, EventAccess, EventDraft,
    Grant, LoginRequest, NewAccount, OneTimePassword, ProjectAccess, Registrant, RevealedPhone,
    Role, Scope, SecondFactorSetup, StaffAccount, StaffEvent, StaffMe, WalkIn,
};
pub use time::{BeijingDate, BeijingTime};
pub use vocab::{Category, Lang, Town};
pub use year_figures::{OrganisationYear, YearFigures, YearRange};
