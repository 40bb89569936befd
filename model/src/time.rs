//! Time on the service's clock: China Standard Time, UTC+8 all year (no daylight saving).
//!
//! A fixed offset makes a calendar crate unnecessary, and keeping one out of the wasm saves
//! phones the download. Instants are Unix seconds; on the wire they are RFC 3339 with
//! `+08:00`, and the app shows them in 北京时间 whatever the phone's own zone is.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Offset of Beijing time from UTC, in seconds.
pub const BEIJING_OFFSET_SECS: i64 = 8 * 3600;
const DAY: i64 = 86_400;

/// An instant, shown in Beijing time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BeijingTime(i64);

/// A calendar day in Beijing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BeijingDate {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

/// The parts of an instant as a clock in Beijing shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CivilTime {
    pub date: BeijingDate,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
}

/// Monday = 0 … Sunday = 6.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Weekday(pub u8);

// Howard Hinnant's `days_from_civil` / `civil_from_days`: exact for the proleptic Gregorian
// calendar, day 0 = 1970-01-01.
fn days_from_civil(y: i32, m: u8, d: u8) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> BeijingDate {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = (if mp < 10 { mp + 3 } else { mp - 9 }) as u8;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    BeijingDate { year, month, day }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

impl BeijingDate {
    /// A valid date, or `None`.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Self> {
        ((1..=12).contains(&month) && (1..=days_in_month(year, month)).contains(&day))
            .then_some(Self { year, month, day })
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        Self::new(
            s[..4].parse().ok()?,
            s[5..7].parse().ok()?,
            s[8..].parse().ok()?,
        )
    }

    fn days(self) -> i64 {
        days_from_civil(self.year, self.month, self.day)
    }

    /// Midnight at the start of this day in Beijing.
    pub fn start(self) -> BeijingTime {
        BeijingTime(self.days() * DAY - BEIJING_OFFSET_SECS)
    }

    pub fn add_days(self, n: i64) -> Self {
        civil_from_days(self.days() + n)
    }

    pub fn weekday(self) -> Weekday {
        // 1970-01-01 was a Thursday (3 when Monday is 0).
        Weekday((self.days() + 3).rem_euclid(7) as u8)
    }

    /// The Monday of this date's week.
    pub fn week_start(self) -> Self {
        self.add_days(-i64::from(self.weekday().0))
    }

    pub fn month_start(self) -> Self {
        Self { day: 1, ..self }
    }

    pub fn next_month_start(self) -> Self {
        if self.month == 12 {
            Self {
                year: self.year + 1,
                month: 1,
                day: 1,
            }
        } else {
            Self {
                month: self.month + 1,
                day: 1,
                ..self
            }
        }
    }
}

impl fmt::Display for BeijingDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl BeijingTime {
    pub const fn from_unix(secs: i64) -> Self {
        Self(secs)
    }

    pub const fn unix(self) -> i64 {
        self.0
    }

    /// A wall-clock time in Beijing, or `None` if the parts are out of range.
    pub fn from_civil(date: BeijingDate, hour: u8, minute: u8) -> Option<Self> {
        (hour < 24 && minute < 60)
            .then(|| Self(date.start().0 + i64::from(hour) * 3600 + i64::from(minute) * 60))
    }

    pub fn civil(self) -> CivilTime {
        let local = self.0 + BEIJING_OFFSET_SECS;
        let secs = local.rem_euclid(DAY);
        CivilTime {
            date: civil_from_days(local.div_euclid(DAY)),
            hour: (secs / 3600) as u8,
            minute: (secs % 3600 / 60) as u8,
            second: (secs % 60) as u8,
        }
    }

    pub fn date(self) -> BeijingDate {
        self.civil().date
    }

    pub fn add_secs(self, secs: i64) -> Self {
        Self(self.0 + secs)
    }

    /// RFC 3339 in Beijing time: `2026-09-12T09:30:00+08:00`.
    pub fn to_rfc3339(self) -> String {
        let c = self.civil();
        format!(
            "{}T{:02}:{:02}:{:02}+08:00",
            c.date, c.hour, c.minute, c.second
        )
    }

    /// `20260912T013000Z`, the UTC form iCalendar files use.
    pub fn to_ical_utc(self) -> String {
        let c = Self(self.0 - BEIJING_OFFSET_SECS).civil();
        format!(
            "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
            c.date.year, c.date.month, c.date.day, c.hour, c.minute, c.second
        )
    }

    /// Parses RFC 3339 with any offset (`Z`, `+08:00`, `-05:00`), whole seconds; fractions
    /// of a second are accepted and dropped.
    pub fn parse_rfc3339(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        if b.len() < 20 || !matches!(b[10], b'T' | b't' | b' ') || b[13] != b':' || b[16] != b':' {
            return None;
        }
        let date = BeijingDate::parse(&s[..10])?;
        let num = |r: std::ops::Range<usize>| -> Option<i64> {
            let part = s.get(r)?;
            part.bytes()
                .all(|c| c.is_ascii_digit())
                .then(|| part.parse().ok())?
        };
        let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
        if hour > 23 || minute > 59 || second > 60 {
            return None;
        }
        let mut rest = &s[19..];
        if let Some(frac) = rest.strip_prefix('.') {
            let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return None;
            }
            rest = &frac[digits..];
        }
        let offset = match rest.as_bytes() {
            [b'Z' | b'z'] => 0,
            [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
                let h: i64 = rest.get(1..3)?.parse().ok()?;
                let m: i64 = rest.get(4..6)?.parse().ok()?;
                if h > 23 || m > 59 {
                    return None;
                }
                let off = h * 3600 + m * 60;
                if *sign == b'-' { -off } else { off }
            }
            _ => return None,
        };
        let utc_midnight = date.days() * DAY;
        Some(Self(
            utc_midnight + hour * 3600 + minute * 60 + second - offset,
        ))
    }
}

impl Weekday {
    /// 周一 … 周日
    pub fn zh(self) -> &'static str {
        ["周一", "周二", "周三", "周四", "周五", "周六", "周日"][usize::from(self.0 % 7)]
    }

    pub fn en(self) -> &'static str {
        ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][usize::from(self.0 % 7)]
    }
}

impl Serialize for BeijingTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_rfc3339())
    }
}

impl<'de> Deserialize<'de> for BeijingTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Self::parse_rfc3339(&s).ok_or_else(|| serde::de::Error::custom("not an RFC 3339 time"))
    }
}

/// On the wire a date is `YYYY-MM-DD`.
impl Serialize for BeijingDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for BeijingDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Self::parse(&s).ok_or_else(|| serde::de::Error::custom("not a YYYY-MM-DD date"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u8, d: u8) -> BeijingDate {
        BeijingDate::new(y, m, d).unwrap()
    }

    #[test]
    fn unix_epoch_is_eight_in_the_morning_in_beijing() {
        assert_eq!(
            BeijingTime::from_unix(0).to_rfc3339(),
            "1970-01-01T08:00:00+08:00"
        );
    }

    #[test]
    fn a_utc_evening_is_already_the_next_day_in_beijing() {
        // 2026-09-11 16:30 UTC is 2026-09-12 00:30 in Beijing.
        let t = BeijingTime::parse_rfc3339("2026-09-11T16:30:00Z").unwrap();
        assert_eq!(t.date(), date(2026, 9, 12));
        assert_eq!(t.to_rfc3339(), "2026-09-12T00:30:00+08:00");
        // One minute before Beijing midnight is still the 11th.
        let t = BeijingTime::parse_rfc3339("2026-09-11T15:59:00Z").unwrap();
        assert_eq!(t.date(), date(2026, 9, 11));
    }

    #[test]
    fn round_trips_through_rfc3339_with_any_offset() {
        let t = BeijingTime::from_civil(date(2026, 9, 12), 9, 30).unwrap();
        for s in [
            "2026-09-12T09:30:00+08:00",
            "2026-09-12T01:30:00Z",
            "2026-09-11T20:30:00-05:00",
            "2026-09-12T01:30:00.250Z",
        ] {
            assert_eq!(BeijingTime::parse_rfc3339(s), Some(t), "{s}");
        }
        assert_eq!(BeijingTime::parse_rfc3339(&t.to_rfc3339()), Some(t));
    }

    #[test]
    fn rejects_malformed_times() {
        for s in [
            "",
            "2026-09-12",
            "2026-13-12T09:30:00Z",
            "2026-02-30T09:30:00Z",
            "2026-09-12T24:00:00Z",
            "2026-09-12T09:30:00",
            "2026-09-12T09:30:00+8:00",
            "2026-09-12T0a:30:00Z",
            "2026-09-12T09:30:00.Z",
        ] {
            assert_eq!(BeijingTime::parse_rfc3339(s), None, "{s}");
        }
    }

    #[test]
    fn dates_parse_and_validate() {
        assert_eq!(BeijingDate::parse("2024-02-29"), Some(date(2024, 2, 29)));
        assert_eq!(BeijingDate::parse("2026-02-29"), None);
        assert_eq!(BeijingDate::parse("2026-9-12"), None);
        assert_eq!(date(2026, 12, 31).add_days(1), date(2027, 1, 1));
        assert_eq!(date(2026, 12, 31).to_string(), "2026-12-31");
    }

    #[test]
    fn weekdays_weeks_and_months() {
        // 2026-09-12 is a Saturday.
        assert_eq!(date(2026, 9, 12).weekday().zh(), "周六");
        assert_eq!(date(2026, 9, 12).week_start(), date(2026, 9, 7));
        assert_eq!(date(2026, 9, 7).week_start(), date(2026, 9, 7));
        assert_eq!(date(2026, 12, 20).next_month_start(), date(2027, 1, 1));
        assert_eq!(date(2026, 9, 20).month_start(), date(2026, 9, 1));
    }

    #[test]
    fn ical_times_are_utc() {
        let t = BeijingTime::from_civil(date(2026, 9, 12), 9, 30).unwrap();
        assert_eq!(t.to_ical_utc(), "20260912T013000Z");
    }

    #[test]
    fn serde_uses_rfc3339() {
        let t = BeijingTime::from_civil(date(2026, 5, 20), 14, 0).unwrap();
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            "\"2026-05-20T14:00:00+08:00\""
        );
        assert!(serde_json::from_str::<BeijingTime>("\"yesterday\"").is_err());
    }
}
