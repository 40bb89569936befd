//! The typed message catalog: every string the residents' interface shows, in zh-CN and
//! English.
//!
//! A struct with one field per message means a missing translation is a compile error,
//! and the catalog costs the phone no parsing at start. Messages with values are plain
//! functions. It is a crate of its own, free of the browser, so the server paints a
//! page's first HTML with the very words the app then shows.

mod defects;
mod en;
mod inspect;
mod offline;
mod org;
mod remind;
mod survey;
mod verify;
mod zh;

pub use defects::DefectTexts;
pub use inspect::InspectTexts;
pub use offline::OfflineTexts;
pub use org::OrgTexts;
pub use remind::RemindTexts;
pub use survey::SurveyTexts;
pub use verify::VerifyTexts;

use model::{BeijingDate, BeijingTime, FieldError, Lang};

pub struct Texts {
    pub lang: Lang,
    pub app_name: &'static str,
    pub district: &'static str,
    pub skip_to_content: &'static str,
    pub nav_label: &'static str,
    pub nav_events: &'static str,
    pub nav_inspection: &'static str,
    pub nav_survey: &'static str,
    pub nav_mine: &'static str,
    /// The name of the *other* language, shown on the switch.
    pub other_language: &'static str,
    pub switch_language: &'static str,
    pub elder_mode: &'static str,
    pub elder_mode_hint: &'static str,
    pub standard_mode: &'static str,
    pub home_title: &'static str,
    pub home_intro: &'static str,
    pub home_upcoming: &'static str,
    pub see_all_events: &'static str,
    pub events_title: &'static str,
    pub filters: &'static str,
    pub filter_town: &'static str,
    pub filter_all_towns: &'static str,
    pub filter_kind: &'static str,
    pub filter_all_kinds: &'static str,
    pub filter_when: &'static str,
    pub when_any: &'static str,
    pub when_week: &'static str,
    pub when_month: &'static str,
    pub results_count: fn(usize) -> String,
    pub empty_title: &'static str,
    pub empty_hint: &'static str,
    pub clear_filters: &'static str,
    pub places_left: fn(u32) -> String,
    pub full_waitlist: &'static str,
    pub nearly_full: &'static str,
    pub cancelled_event: &'static str,
    pub loading: &'static str,
    pub error_title: &'static str,
    pub retry: &'static str,
    pub beijing_time: &'static str,
    pub when_label: &'static str,
    pub venue_label: &'static str,
    pub organiser_label: &'static str,
    pub places_label: &'static str,
    pub places_of: fn(u32, u32) -> String,
    pub waitlisted_count: fn(u32) -> String,
    pub sign_up: &'static str,
    pub join_waitlist: &'static str,
    pub event_not_open: &'static str,
    pub add_to_calendar: &'static str,
    pub share: &'static str,
    pub link_copied: &'static str,
    pub back_to_events: &'static str,
    pub signup_title: &'static str,
    pub signup_for: &'static str,
    pub field_name: &'static str,
    pub field_name_hint: &'static str,
    pub field_phone: &'static str,
    pub field_phone_hint: &'static str,
    pub field_party: &'static str,
    pub field_party_hint: &'static str,
    pub people: fn(u8) -> String,
    pub continue_: &'static str,
    pub error_summary_title: &'static str,
    pub error_prefix: &'static str,
    pub check_title: &'static str,
    pub change: &'static str,
    pub submit_signup: &'static str,
    pub sending: &'static str,
    pub confirm_registered: &'static str,
    pub confirm_waitlisted: &'static str,
    pub waitlist_position: fn(u32) -> String,
    pub your_code: &'static str,
    pub code_hint: &'static str,
    pub view_mine: &'static str,
    pub mine_title: &'static str,
    pub mine_signups: &'static str,
    pub mine_empty: &'static str,
    pub lookup_title: &'static str,
    pub lookup_hint: &'static str,
    pub field_code: &'static str,
    pub field_code_hint: &'static str,
    pub lookup_submit: &'static str,
    pub cancel_signup: &'static str,
    pub cancel_question: &'static str,
    pub cancel_yes: &'static str,
    pub cancel_no: &'static str,
    pub cancelled_done: &'static str,
    pub status_registered: &'static str,
    pub status_waitlisted: &'static str,
    pub status_cancelled: &'static str,
    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub go_home: &'static str,
    pub err_network: &'static str,
    pub err_timeout: &'static str,
    pub err_not_found: &'static str,
    pub err_event_closed: &'static str,
    pub err_already_registered: &'static str,
    pub err_validation: &'static str,
    pub err_rate_limited: &'static str,
    pub err_server: &'static str,
    /// The server answered in a way this version of the app cannot read.
    pub err_unreadable: &'static str,
    pub err_lookup_not_found: &'static str,
    pub name_errors: FieldMessages,
    pub phone_errors: FieldMessages,
    pub party_errors: FieldMessages,
    pub code_errors: FieldMessages,
    pub am: &'static str,
    pub pm: &'static str,
    /// The pre-inspection screens.
    pub inspect: &'static InspectTexts,
    /// Defects found at a pre-inspection visit.
    pub defects: &'static DefectTexts,
    /// The survey screens.
    pub survey: &'static SurveyTexts,
    /// Working offline: the kept-data note and the outbox.
    pub offline: &'static OfflineTexts,
    /// Proving a phone number.
    pub verify: &'static VerifyTexts,
    pub remind: &'static RemindTexts,
    pub org: &'static OrgTexts,
}

/// One catalog per language, so comparing languages compares catalogs.
impl PartialEq for Texts {
    fn eq(&self, other: &Self) -> bool {
        self.lang == other.lang
    }
}

/// What to say for each reason a field can be refused.
pub struct FieldMessages {
    pub required: &'static str,
    pub invalid: &'static str,
    pub too_short: &'static str,
    pub too_long: &'static str,
    pub out_of_range: &'static str,
}

impl FieldMessages {
    pub fn get(&self, e: FieldError) -> &'static str {
        match e {
            FieldError::Required => self.required,
            FieldError::TooShort => self.too_short,
            FieldError::TooLong => self.too_long,
            FieldError::OutOfRange | FieldError::TooMany => self.out_of_range,
            FieldError::Invalid
            | FieldError::Unexpected
            | FieldError::Common
            | FieldError::Taken
            | FieldError::Duplicate
            | FieldError::NoOptions
            | FieldError::UnknownReference
            | FieldError::Cycle
            | FieldError::CheckCharacter
            | FieldError::Unknown => self.invalid,
        }
    }
}

pub fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::Zh => &zh::TEXTS,
        Lang::En => &en::TEXTS,
    }
}

impl Texts {
    /// What a feed of the events list holds, in words: "订阅内容：南桥镇 · 贤质堂培训的活动…".
    pub fn feed_holds(&self, town: Option<model::Town>, kind: Option<model::Category>) -> String {
        let parts: Vec<&str> = [
            town.map(|x| x.name(self.lang)),
            kind.map(|x| x.name(self.lang)),
        ]
        .into_iter()
        .flatten()
        .collect();
        let what = if parts.is_empty() {
            self.remind.subscribe_all.to_string()
        } else {
            parts.join(" · ")
        };
        (self.remind.subscribe_what)(&what)
    }

    /// 2026年9月12日 周六 上午9:30 / Sat 12 Sep 2026, 9:30 am
    pub fn date_time(&self, t: BeijingTime) -> String {
        let time = self.time_of_day(t);
        match self.lang {
            Lang::Zh => format!("{} {time}", self.date(t.date())),
            Lang::En => format!("{}, {time}", self.date(t.date())),
        }
    }

    /// 2026年9月12日 周六 / Sat 12 Sep 2026
    pub fn date(&self, d: BeijingDate) -> String {
        match self.lang {
            Lang::Zh => format!("{}年{}", d.year, self.day(d)),
            Lang::En => format!("{} {}", self.day(d), d.year),
        }
    }

    /// 9月12日 周六 / Sat 12 Sep: a day within the coming weeks, as slot lists group them.
    pub fn day(&self, d: BeijingDate) -> String {
        let wd = d.weekday();
        match self.lang {
            Lang::Zh => format!("{}月{}日 {}", d.month, d.day, wd.zh()),
            Lang::En => format!("{} {} {}", wd.en(), d.day, MONTHS[usize::from(d.month - 1)]),
        }
    }

    /// 11月28日 周六 上午9:30 / Sat 28 Nov, 9:30 am: a moment on the phone's clock (ms since 1970), in 北京时间.
    pub fn moment(&self, ms: f64) -> String {
        let t = BeijingTime::from_unix((ms / 1000.0) as i64);
        match self.lang {
            Lang::Zh => format!("{} {}", self.day(t.date()), self.time_of_day(t)),
            Lang::En => format!("{}, {}", self.day(t.date()), self.time_of_day(t)),
        }
    }

    /// 12月3日 周四 上午 9:00–10:00（北京时间）: a visit slot.
    pub fn slot_when(&self, slot: &model::Slot) -> String {
        format!(
            "{} {}（{}）",
            self.day(slot.starts_at.date()),
            self.time_range(slot.starts_at, slot.ends_at),
            self.beijing_time
        )
    }

    /// 上午 9:00–10:00 / 9:00–10:00 am: a window within one day.
    pub fn time_range(&self, start: BeijingTime, end: BeijingTime) -> String {
        let (s, e) = (start.civil(), end.civil());
        let (half_s, h_s) = self.half_day(s.hour);
        let (half_e, h_e) = self.half_day(e.hour);
        let clock = |h: u8, m: u8| format!("{h}:{m:02}");
        match self.lang {
            Lang::Zh if half_s == half_e => {
                format!("{half_s} {}–{}", clock(h_s, s.minute), clock(h_e, e.minute))
            }
            Lang::Zh => format!(
                "{half_s} {}–{half_e} {}",
                clock(h_s, s.minute),
                clock(h_e, e.minute)
            ),
            Lang::En if half_s == half_e => {
                format!("{}–{} {half_e}", clock(h_s, s.minute), clock(h_e, e.minute))
            }
            Lang::En => format!(
                "{} {half_s}–{} {half_e}",
                clock(h_s, s.minute),
                clock(h_e, e.minute)
            ),
        }
    }

    /// 下午2:30 / 2:30 pm
    pub fn time_of_day(&self, t: BeijingTime) -> String {
        let c = t.civil();
        let (half, hour12) = self.half_day(c.hour);
        match self.lang {
            Lang::Zh => format!("{half}{hour12}:{:02}", c.minute),
            Lang::En => format!("{hour12}:{:02} {half}", c.minute),
        }
    }

    fn half_day(&self, hour: u8) -> (&'static str, u8) {
        match hour {
            0 => (self.am, 12),
            1..=11 => (self.am, hour),
            12 => (self.pm, 12),
            _ => (self.pm, hour - 12),
        }
    }

    /// An event's places as its badge says them, with the badge's class (the words carry
    /// the meaning; the colour repeats it). One place for the app's badge and the server's
    /// first paint of it.
    pub fn places_badge(&self, e: &model::EventSummary) -> (&'static str, String) {
        if e.status == model::EventStatus::Cancelled {
            ("badge badge--muted", self.cancelled_event.to_string())
        } else if e.is_full() {
            ("badge badge--full", self.full_waitlist.to_string())
        } else if e.is_nearly_full() {
            (
                "badge badge--low",
                format!(
                    "{} · {}",
                    self.nearly_full,
                    (self.places_left)(e.places_left)
                ),
            )
        } else {
            ("badge", (self.places_left)(e.places_left))
        }
    }

    /// `start – end`, the end without its date when on the same day.
    pub fn span(&self, start: BeijingTime, end: BeijingTime) -> String {
        if start.date() == end.date() {
            format!("{}–{}", self.date_time(start), self.time_of_day(end))
        } else {
            format!("{} – {}", self.date_time(start), self.date_time(end))
        }
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

#[cfg(test)]
mod tests {
    use super::*;
    use model::BeijingDate;

    #[test]
    fn dates_read_as_people_write_them() {
        let t = BeijingTime::from_civil(BeijingDate::new(2026, 9, 12).unwrap(), 9, 30).unwrap();
        assert_eq!(texts(Lang::Zh).date_time(t), "2026年9月12日 周六 上午9:30");
        assert_eq!(texts(Lang::En).date_time(t), "Sat 12 Sep 2026, 9:30 am");
        let pm = t.add_secs(5 * 3600);
        assert_eq!(texts(Lang::Zh).date_time(pm), "2026年9月12日 周六 下午2:30");
        assert_eq!(
            texts(Lang::Zh).span(t, pm),
            "2026年9月12日 周六 上午9:30–下午2:30"
        );
    }

    #[test]
    fn slot_times_read_like_the_design() {
        let d = BeijingDate::new(2026, 9, 12).unwrap();
        let nine = BeijingTime::from_civil(d, 9, 0).unwrap();
        let ten = nine.add_secs(3600);
        assert_eq!(texts(Lang::Zh).day(d), "9月12日 周六");
        assert_eq!(texts(Lang::Zh).date(d), "2026年9月12日 周六");
        assert_eq!(texts(Lang::En).date(d), "Sat 12 Sep 2026");
        assert_eq!(texts(Lang::Zh).time_range(nine, ten), "上午 9:00–10:00");
        assert_eq!(texts(Lang::En).time_range(nine, ten), "9:00–10:00 am");
        let half_past_one = BeijingTime::from_civil(d, 11, 30).unwrap();
        assert_eq!(
            texts(Lang::Zh).time_range(half_past_one, half_past_one.add_secs(3600)),
            "上午 11:30–下午 12:30"
        );
    }

    #[test]
    fn a_kept_copy_is_dated_in_beijing_time() {
        // 2026-11-28 01:30 UTC, as the phone's clock gives it (ms since 1970).
        let ms = 1_795_829_400_000.0;
        assert_eq!(texts(Lang::Zh).moment(ms), "11月28日 周六 上午9:30");
        assert_eq!(texts(Lang::En).moment(ms), "Sat 28 Nov, 9:30 am");
    }
}
