//! One module per screen.

mod booking;
mod booking_defects;
mod booking_pass;
mod event_list;
mod event_page;
mod home;
mod inspections;
mod mine;
mod mine_outbox;
mod mine_reminders;
mod not_found;
mod reminder_link;
mod reschedule;
mod signup;
mod signup_done;
mod survey;
mod survey_results;

pub use booking::Booking;
pub use booking_pass::BookingPass;
pub use event_list::EventList;
pub use event_page::EventPage;
pub use home::Home;
pub use inspections::Inspections;
pub use mine::Mine;
pub use not_found::NotFound;
pub use reminder_link::ReminderSettings;
pub use reschedule::Reschedule;
pub use signup::Signup;
pub use signup_done::SignupDone;
pub use survey::{SurveyPage, SurveyPreview};
pub use survey_results::SurveyResultsPage;
