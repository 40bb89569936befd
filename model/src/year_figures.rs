//! The year in numbers (issue 17): what the district's annual report counts, for any range
//! of Beijing days and one town or the whole district. Events held by kind, organisations
//! and their participations, resident participants, waitlist and no-show rates, 预看房
//! visits and defects, survey responses and index.
//!
//! Participants count attended check-ins where an event has any, and the sign-ups where it
//! has none; the figures say how many events were counted each way ([`Counting`]).

use crate::event::Localized;
use crate::staff::{Grant, Role, Scope};
use crate::survey_analysis::Estimate;
use crate::time::{BeijingDate, BeijingTime};
use crate::vocab::{Category, Town};
use serde::{Deserialize, Serialize};

/// The longest range asked for at once, in days (three years, leap days included).
pub const MAX_RANGE_DAYS: i64 = 3 * 366;

/// Beijing days `from` to `to`, both included, `from` not after `to`, at most
/// [`MAX_RANGE_DAYS`] long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearRange {
    from: BeijingDate,
    to: BeijingDate,
}

/// Why a range was refused; [`RangeProblem::parameter`] names the query parameter at fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeProblem {
    BadFrom,
    BadTo,
    /// `from` after `to`.
    Backwards,
    TooLong,
}

impl RangeProblem {
    pub fn parameter(self) -> &'static str {
        match self {
            Self::BadFrom | Self::Backwards => "from",
            Self::BadTo | Self::TooLong => "to",
        }
    }
}

impl YearRange {
    pub fn new(from: BeijingDate, to: BeijingDate) -> Result<Self, RangeProblem> {
        if from > to {
            return Err(RangeProblem::Backwards);
        }
        if from.add_days(MAX_RANGE_DAYS - 1) < to {
            return Err(RangeProblem::TooLong);
        }
        Ok(Self { from, to })
    }

    /// From the query's `from` and `to` (`YYYY-MM-DD`, empty as missing). Missing ones
    /// default to the calendar year of the other (or of `today`) up to `today`.
    pub fn parse(
        from: Option<&str>,
        to: Option<&str>,
        today: BeijingDate,
    ) -> Result<Self, RangeProblem> {
        let day = |s: Option<&str>, problem| match s.map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(s) => BeijingDate::parse(s).map(Some).ok_or(problem),
        };
        let from = day(from, RangeProblem::BadFrom)?;
        let to = day(to, RangeProblem::BadTo)?;
        let to = to.unwrap_or(match from {
            Some(from) if from.year < today.year => BeijingDate {
                year: from.year,
                month: 12,
                day: 31,
            },
            _ => today,
        });
        let from = from.unwrap_or(BeijingDate {
            year: to.year,
            month: 1,
            day: 1,
        });
        Self::new(from, to)
    }

    /// The calendar year of `today`, up to `today`.
    pub fn year_to_date(today: BeijingDate) -> Self {
        Self {
            from: BeijingDate {
                year: today.year,
                month: 1,
                day: 1,
            },
            to: today,
        }
    }

    pub fn from(self) -> BeijingDate {
        self.from
    }

    pub fn to(self) -> BeijingDate {
        self.to
    }

    /// Midnight starting `from`.
    pub fn starts(self) -> BeijingTime {
        self.from.start()
    }

    /// Midnight ending `to` (the first instant outside the range).
    pub fn ends(self) -> BeijingTime {
        self.to.add_days(1).start()
    }

    /// `from=…&to=…[&town=…]`, the query of every year path.
    pub fn query(self, town: Option<Town>) -> String {
        let mut query = format!("from={}&to={}", self.from, self.to);
        if let Some(town) = town {
            query.push_str("&town=");
            query.push_str(town.slug());
        }
        query
    }
}

impl Grant {
    /// Whether the account reads the year's figures of `town` (`None`: the whole
    /// district). Admins read everything; organisers the towns they run, one at a time,
    /// since the district's figures hold other towns'.
    pub fn sees_year(&self, town: Option<Town>) -> bool {
        match (self.role, town) {
            (Role::Admin, _) => true,
            (Role::Organiser, Some(town)) => self.scopes.contains(&Scope::Town(town)),
            _ => false,
        }
    }

    /// The towns the account may choose in the year view; all of them for an admin, who
    /// may also choose the whole district.
    pub fn year_towns(&self) -> Vec<Town> {
        Town::ALL
            .iter()
            .copied()
            .filter(|t| self.sees_year(Some(*t)))
            .collect()
    }
}

/// `count` of `of`, e.g. sign-ups waitlisted of all sign-ups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Rate {
    pub count: u32,
    pub of: u32,
}

impl Rate {
    /// One decimal; `None` when there is nothing to divide by.
    pub fn percent(self) -> Option<f64> {
        (self.of > 0).then(|| (f64::from(self.count) / f64::from(self.of) * 1000.0).round() / 10.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindCount {
    pub category: Category,
    pub events: u32,
}

/// Published events that started in the range and are over; cancelled ones are not held.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct EventsHeld {
    pub total: u32,
    /// Every kind, in the vocabulary's order.
    pub by_kind: Vec<KindCount>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct OrganisationFigures {
    /// Sign-ups of organisations (one per organisation and event).
    pub participations: u32,
    /// Distinct organisations (by credit code).
    pub organisations: u32,
    /// People the organisations sent.
    pub attendees: u32,
}

/// How many held events counted their participants from check-ins, and how many (with no
/// check-in at all) from their sign-ups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Counting {
    pub from_checkins: u32,
    pub from_signups: u32,
}

/// 预看房 in the range: bookings by their slot's day, defects by the day recorded (with
/// their state now).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct InspectionFigures {
    pub booked: u32,
    pub visited: u32,
    pub no_shows: u32,
    pub defects: u32,
    /// Recorded or being repaired.
    pub open: u32,
    /// Repaired, waiting for the buyer.
    pub repaired: u32,
    pub confirmed: u32,
}

/// One survey wave with responses in the range (and town).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WaveFigures {
    pub wave: i64,
    pub name: Localized,
    pub responses: u32,
    /// The overall satisfaction index of these responses; withheld under
    /// [`crate::survey::SMALLEST_REPORTED_GROUP`] responses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<Estimate>,
}

/// One row of the table by town.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TownFigures {
    pub town: Town,
    pub events: u32,
    pub org_participations: u32,
    pub residents: u32,
    /// 预看房 visits made (checked in).
    pub visits: u32,
    pub survey_responses: u32,
}

/// `GET /api/staff/year`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct YearFigures {
    pub from: BeijingDate,
    pub to: BeijingDate,
    /// `None`: the whole district.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub town: Option<Town>,
    pub events: EventsHeld,
    pub organisations: OrganisationFigures,
    /// People who came as residents (not for an organisation), walk-ins included.
    pub residents: u32,
    pub counted: Counting,
    /// Sign-ups still waitlisted, of all sign-ups not cancelled, at the events held.
    pub waitlist: Rate,
    /// Sign-ups (not walk-ins) not checked in, of those with a place, at the events held
    /// that have check-ins.
    pub no_shows: Rate,
    pub inspections: InspectionFigures,
    pub surveys: Vec<WaveFigures>,
    /// Every town, when the figures are the whole district's; empty for one town.
    pub by_town: Vec<TownFigures>,
}

/// `GET /api/staff/year/organisations`: one organisation's part in the range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationYear {
    pub name: String,
    pub credit_code: String,
    pub participations: u32,
    pub attendees: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> BeijingDate {
        BeijingDate::parse(s).unwrap()
    }

    #[test]
    fn a_range_is_parsed_with_the_year_to_date_as_default() {
        let today = date("2026-09-20");
        let r = YearRange::parse(None, None, today).unwrap();
        assert_eq!((r.from(), r.to()), (date("2026-01-01"), today));
        assert_eq!(r, YearRange::year_to_date(today));
        let r = YearRange::parse(Some("2025-03-01"), Some(""), today).unwrap();
        assert_eq!((r.from(), r.to()), (date("2025-03-01"), date("2025-12-31")));
        let r = YearRange::parse(None, Some("2024-06-30"), today).unwrap();
        assert_eq!((r.from(), r.to()), (date("2024-01-01"), date("2024-06-30")));
        assert_eq!(
            r.query(Some(Town::Nanqiao)),
            "from=2024-01-01&to=2024-06-30&town=nanqiao"
        );
        assert_eq!(r.ends(), date("2024-07-01").start());
    }

    #[test]
    fn bad_backwards_and_too_long_ranges_are_refused() {
        let today = date("2026-09-20");
        let parse = |f, t| YearRange::parse(Some(f), Some(t), today);
        assert_eq!(
            parse("2026-02-30", "2026-03-01"),
            Err(RangeProblem::BadFrom)
        );
        assert_eq!(parse("2026-02-01", "tomorrow"), Err(RangeProblem::BadTo));
        assert_eq!(
            parse("2026-03-02", "2026-03-01"),
            Err(RangeProblem::Backwards)
        );
        assert!(parse("2026-03-01", "2026-03-01").is_ok());
        assert!(parse("2024-01-01", "2026-12-31").is_ok());
        assert_eq!(
            parse("2023-01-01", "2026-01-05"),
            Err(RangeProblem::TooLong)
        );
        assert_eq!(RangeProblem::TooLong.parameter(), "to");
    }

    #[test]
    fn organisers_see_their_towns_one_at_a_time_and_admins_all() {
        let grant = |role, scopes: &[Scope]| Grant {
            role,
            scopes: scopes.to_vec(),
        };
        let admin = grant(Role::Admin, &[]);
        assert!(admin.sees_year(None) && admin.sees_year(Some(Town::Situan)));
        assert_eq!(admin.year_towns().len(), Town::ALL.len());
        let organiser = grant(
            Role::Organiser,
            &[Scope::Town(Town::Nanqiao), Scope::Event(3)],
        );
        assert!(organiser.sees_year(Some(Town::Nanqiao)));
        assert!(!organiser.sees_year(Some(Town::Situan)));
        assert!(!organiser.sees_year(None));
        assert_eq!(organiser.year_towns(), vec![Town::Nanqiao]);
        let door = grant(Role::Door, &[Scope::Town(Town::Nanqiao)]);
        assert!(!door.sees_year(Some(Town::Nanqiao)));
        assert!(grant(Role::Analyst, &[]).year_towns().is_empty());
    }

    #[test]
    fn a_rate_is_a_percentage_with_one_decimal() {
        assert_eq!(Rate { count: 1, of: 3 }.percent(), Some(33.3));
        assert_eq!(Rate { count: 0, of: 0 }.percent(), None);
    }
}
