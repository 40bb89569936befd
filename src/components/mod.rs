//! Reusable, accessible pieces.

mod bar_chart;
mod cancel_confirm;
mod choice;
mod error_summary;
mod event_card;
mod event_loader;
mod language_switch;
mod load_error;
mod loader;
mod offline_note;
mod page_heading;
mod qr_pass;
mod signup_form;
mod slot_picker;
mod summary_row;
mod text_field;
mod verify_phone;
mod when_fact;

pub use bar_chart::BarChart;
pub use cancel_confirm::CancelWithConfirm;
pub use choice::{ChoiceFieldset, RadioChoice};
pub use error_summary::{ErrorSummary, FieldProblem, problems_in_order};
pub use event_card::{EventCard, PlacesBadge};
pub use event_loader::EventLoader;
pub use language_switch::LanguageSwitch;
pub use load_error::LoadError;
pub use loader::Loader;
pub use offline_note::{DeliveryProblem, OfflineNote, SavedOnPhone, VerifyWith};
pub use page_heading::PageHeading;
pub use qr_pass::QrPass;
pub use signup_form::{SignupAnswers, SignupForm};
pub use slot_picker::{FIRST_SLOT_ID, SlotPicker};
pub use summary_row::SummaryRow;
pub use text_field::TextField;
pub use verify_phone::VerifyPhone;
pub use when_fact::WhenFact;
