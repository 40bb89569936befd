//! "Now" on the service's clock, whatever zone the phone is set to.

use model::{BeijingDate, BeijingTime};

pub fn now() -> BeijingTime {
    BeijingTime::from_unix((js_sys::Date::now() / 1000.0) as i64)
}

pub fn today() -> BeijingDate {
    now().date()
}
