//! Reusable, accessible pieces.

mod error_summary;
mod event_card;
mod event_loader;
mod load_error;
mod page_heading;
mod signup_form;
mod text_field;
mod when_fact;

pub use error_summary::{ErrorSummary, FieldProblem};
pub use event_card::{EventCard, PlacesBadge};
pub use event_loader::EventLoader;
pub use load_error::LoadError;
pub use page_heading::PageHeading;
pub use signup_form::{SignupAnswers, SignupForm};
pub use text_field::TextField;
pub use when_fact::WhenFact;
