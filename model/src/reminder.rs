//! Reminders: when a sign-up or a visit is reminded, the quiet hours no message may break,
//! and the wire types of turning reminders off and of the staff's figures.
//!
//! The rules are here, not in the server, so the phone can say when a reminder will come
//! and staff see the same time the worker uses.

use crate::time::{BeijingTime, CivilTime};
use crate::{FieldError, Localized};
use serde::{Deserialize, Serialize};

slugged! {
    /// Which message of an item: the evening before, two hours before (visits only), or the
    /// notice that a waitlisted sign-up got a place.
    ReminderKind {
        DayBefore => "day_before",
        TwoHours => "two_hours",
        Promoted => "promoted",
    }
}

slugged! {
    /// What a reminder is about.
    ReminderItem {
        Registration => "registration",
        Booking => "booking",
    }
}

/// No message between 21:00 and 08:00 北京时间.
pub const QUIET_FROM_HOUR: u8 = 21;
pub const QUIET_UNTIL_HOUR: u8 = 8;

/// The time of day the evening-before reminder goes, chosen by staff per event or project:
/// minutes after midnight in Beijing, outside the quiet hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ReminderTime(u16);

impl Default for ReminderTime {
    /// 18:00: after work, early enough to plan tomorrow.
    fn default() -> Self {
        Self(18 * 60)
    }
}

impl ReminderTime {
    /// `HH:MM`, from 08:00 to 20:59 (a time in the quiet hours would never be sent).
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let (h, m) = s.trim().split_once(':').ok_or(FieldError::Invalid)?;
        if !(1..=2).contains(&h.len()) || m.len() != 2 {
            return Err(FieldError::Invalid);
        }
        let (h, m): (u16, u16) = (
            h.parse().map_err(|_| FieldError::Invalid)?,
            m.parse().map_err(|_| FieldError::Invalid)?,
        );
        if h >= 24 || m >= 60 {
            return Err(FieldError::Invalid);
        }
        if !(u16::from(QUIET_UNTIL_HOUR)..u16::from(QUIET_FROM_HOUR)).contains(&h) {
            return Err(FieldError::OutOfRange);
        }
        Ok(Self(h * 60 + m))
    }

    pub fn from_minutes(minutes: i64) -> Self {
        u16::try_from(minutes)
            .ok()
            .map(|m| m.min(24 * 60 - 1))
            .map_or_else(Self::default, Self)
    }

    pub fn minutes(self) -> i64 {
        i64::from(self.0)
    }
}

impl std::fmt::Display for ReminderTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

impl Serialize for ReminderTime {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ReminderTime {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).map_err(|_| serde::de::Error::custom("a time from 08:00 to 20:59"))
    }
}

/// Whether `at` falls in the quiet hours.
pub fn is_quiet(at: BeijingTime) -> bool {
    let CivilTime { hour, .. } = at.civil();
    !(QUIET_UNTIL_HOUR..QUIET_FROM_HOUR).contains(&hour)
}

impl ReminderKind {
    /// When this reminder of something starting at `starts_at` is due.
    pub fn due_at(self, starts_at: BeijingTime, evening: ReminderTime) -> BeijingTime {
        match self {
            Self::DayBefore => starts_at
                .date()
                .add_days(-1)
                .start()
                .add_secs(evening.minutes() * 60),
            Self::TwoHours => starts_at.add_secs(-2 * 3600),
            Self::Promoted => starts_at,
        }
    }

    /// After this a reminder that could not go (quiet hours, a server that was down) is
    /// dropped: the evening one must not arrive with the two-hour one, and a reminder
    /// after the start helps nobody.
    pub fn latest(self, starts_at: BeijingTime) -> BeijingTime {
        match self {
            Self::DayBefore => starts_at.add_secs(-3 * 3600),
            Self::TwoHours => starts_at.add_secs(-30 * 60),
            Self::Promoted => starts_at,
        }
    }

    /// When the reminder of an item made (or last given its place or time) at `made_at`,
    /// starting at `starts_at`, goes: when due, or at the end of the quiet hours it fell
    /// in; `None` when that is too late, or when the item was made after it was due (it was
    /// just booked). The one rule the worker and the staff's "next to go" both use.
    pub fn goes_at(
        self,
        starts_at: BeijingTime,
        made_at: BeijingTime,
        evening: ReminderTime,
    ) -> Option<BeijingTime> {
        let due = self.due_at(starts_at, evening);
        if made_at >= due {
            return None;
        }
        let at = if is_quiet(due) { quiet_end(due) } else { due };
        (at < self.latest(starts_at)).then_some(at)
    }

    /// Whether that reminder goes at `now` (a worker that was down catches up, within the
    /// same limits).
    pub fn goes_now(
        self,
        starts_at: BeijingTime,
        made_at: BeijingTime,
        evening: ReminderTime,
        now: BeijingTime,
    ) -> bool {
        self.goes_at(starts_at, made_at, evening)
            .is_some_and(|at| at <= now && now < self.latest(starts_at) && !is_quiet(now))
    }

    /// The last moment its message may still be sent: before the quiet hours that follow
    /// `decided_at`, and before [`Self::latest`]. A message the gateway could not take by
    /// then is dropped, not sent at night or after the start.
    pub fn send_before(self, starts_at: BeijingTime, decided_at: BeijingTime) -> BeijingTime {
        let date = decided_at.date();
        let quiet = BeijingTime::from_civil(date, QUIET_FROM_HOUR, 0).unwrap_or(decided_at);
        quiet.min(self.latest(starts_at))
    }
}

/// 08:00 after `at`, which is in the quiet hours.
fn quiet_end(at: BeijingTime) -> BeijingTime {
    let c = at.civil();
    let date = if c.hour >= QUIET_FROM_HOUR {
        c.date.add_days(1)
    } else {
        c.date
    };
    BeijingTime::from_civil(date, QUIET_UNTIL_HOUR, 0).unwrap_or(at)
}

/// `GET /api/reminders/{token}`: what the link in a reminder is about, and what is off.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReminderLink {
    pub item: ReminderItem,
    pub title: Localized,
    pub starts_at: BeijingTime,
    /// Reminders of this sign-up or visit are off.
    pub item_off: bool,
    /// Reminders to this phone are off, for everything.
    pub phone_off: bool,
}

/// `POST /api/reminders/{token}`: turn reminders of the item, or of the whole phone, on
/// or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderSwitch {
    pub whole_phone: bool,
    pub on: bool,
}

/// `POST /api/reminders/phone`: 我的's switch, for a phone this device proved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneReminders {
    pub phone: String,
    /// `None` only reads the setting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on: Option<bool>,
}

/// The answer to [`PhoneReminders`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneRemindersState {
    pub on: bool,
}

/// `POST /api/calendar/feeds`: the address of a phone's own calendar feed; `reset` makes a
/// new one and stops the old.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedRequest {
    pub phone: String,
    #[serde(default)]
    pub reset: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonalFeed {
    /// `https://…/api/calendar/feeds/<token>.ics`; calendar apps take it as `webcal://`.
    pub url: String,
}

/// `PUT /api/staff/events/{id}/reminders` and `…/projects/{id}/reminders`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderSetting {
    pub evening_at: ReminderTime,
}

/// What an event's or a project's reminders did, and what they are for: people who came
/// and who did not, among those reminded and those not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReminderFigures {
    /// `event:12` or `project:3`.
    pub subject: String,
    pub name: Localized,
    pub starts_at: Option<BeijingTime>,
    pub evening_at: ReminderTime,
    pub sent: u32,
    pub failed: u32,
    /// Queued, not yet sent or given up.
    pub waiting: u32,
    /// Not sent because the person turned reminders off.
    pub turned_off: u32,
    /// The next reminders to go: when, and how many.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_due_at: Option<BeijingTime>,
    pub next_due: u32,
    pub came_reminded: u32,
    pub missed_reminded: u32,
    pub came_unreminded: u32,
    pub missed_unreminded: u32,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::BeijingDate;

    fn at(day: u8, hour: u8, minute: u8) -> BeijingTime {
        BeijingTime::from_civil(BeijingDate::new(2026, 12, day).unwrap(), hour, minute).unwrap()
    }

    #[test]
    fn reminder_times_are_outside_the_quiet_hours() {
        assert_eq!(
            ReminderTime::parse("18:00").unwrap(),
            ReminderTime::default()
        );
        assert_eq!(ReminderTime::parse("8:05").unwrap().to_string(), "08:05");
        assert_eq!(
            ReminderTime::parse("20:59").unwrap().minutes(),
            20 * 60 + 59
        );
        assert_eq!(ReminderTime::parse("21:00"), Err(FieldError::OutOfRange));
        assert_eq!(ReminderTime::parse("07:59"), Err(FieldError::OutOfRange));
        for bad in ["", "18", "18:60", "25:00", "ab:cd", "18:000"] {
            assert_eq!(ReminderTime::parse(bad), Err(FieldError::Invalid), "{bad}");
        }
    }

    #[test]
    fn quiet_hours_run_from_nine_in_the_evening_to_eight_in_the_morning() {
        assert!(!is_quiet(at(1, 8, 0)));
        assert!(!is_quiet(at(1, 20, 59)));
        assert!(is_quiet(at(1, 21, 0)));
        assert!(is_quiet(at(1, 7, 59)));
        assert!(is_quiet(at(1, 0, 0)));
    }

    #[test]
    fn the_evening_reminder_goes_the_day_before_at_the_chosen_time() {
        let start = at(10, 14, 0);
        let evening = ReminderTime::parse("19:30").unwrap();
        let made = at(1, 12, 0);
        let kind = ReminderKind::DayBefore;
        assert_eq!(kind.due_at(start, evening), at(9, 19, 30));
        assert!(!kind.goes_now(start, made, evening, at(9, 19, 29)));
        assert!(kind.goes_now(start, made, evening, at(9, 19, 30)));
        assert!(kind.goes_now(start, made, evening, at(9, 20, 59)));
        // Held through the night, then sent in the morning while there is time.
        assert!(!kind.goes_now(start, made, evening, at(9, 23, 0)));
        assert!(kind.goes_now(start, made, evening, at(10, 8, 0)));
        // Never with the two-hour one, nor after the start.
        assert!(!kind.goes_now(start, made, evening, at(10, 11, 0)));
        assert!(!kind.goes_now(at(10, 10, 0), made, evening, at(10, 8, 0)));
        // Signed up after it was due: no reminder.
        assert!(!kind.goes_now(start, at(9, 20, 0), evening, at(9, 20, 30)));
    }

    #[test]
    fn the_two_hour_reminder_waits_for_the_morning_and_never_comes_late() {
        let kind = ReminderKind::TwoHours;
        let evening = ReminderTime::default();
        let made = at(1, 12, 0);
        assert!(kind.goes_now(at(10, 14, 0), made, evening, at(10, 12, 0)));
        assert!(!kind.goes_now(at(10, 14, 0), made, evening, at(10, 11, 59)));
        // A 09:00 visit: due at 07:00, sent at 08:00.
        assert!(!kind.goes_now(at(10, 9, 0), made, evening, at(10, 7, 0)));
        assert!(kind.goes_now(at(10, 9, 0), made, evening, at(10, 8, 0)));
        assert!(!kind.goes_now(at(10, 9, 0), made, evening, at(10, 8, 31)));
    }

    #[test]
    fn a_message_is_worth_sending_until_the_quiet_hours_or_its_limit() {
        let start = at(10, 14, 0);
        let made = at(1, 12, 0);
        let evening = ReminderTime::default();
        assert_eq!(
            ReminderKind::DayBefore.send_before(start, at(9, 18, 0)),
            at(9, 21, 0)
        );
        assert_eq!(
            ReminderKind::TwoHours.send_before(start, at(10, 12, 0)),
            at(10, 13, 30)
        );
        // Due in the quiet hours: at 08:00, or not at all when that is too late.
        assert_eq!(
            ReminderKind::TwoHours.goes_at(at(10, 9, 0), made, evening),
            Some(at(10, 8, 0))
        );
        assert_eq!(
            ReminderKind::TwoHours.goes_at(at(10, 8, 15), made, evening),
            None
        );
    }
}
