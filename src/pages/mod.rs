//! One module per screen.

mod coming_soon;
mod event_list;
mod event_page;
mod home;
mod mine;
mod not_found;
mod signup;
mod signup_done;

pub use coming_soon::{InspectionsSoon, SurveySoon};
pub use event_list::EventList;
pub use event_page::EventPage;
pub use home::Home;
pub use mine::Mine;
pub use not_found::NotFound;
pub use signup::Signup;
pub use signup_done::SignupDone;
