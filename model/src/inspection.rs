//! Pre-inspection visits (新建住宅工程质量"预看房"): before a new building is handed over,
//! each buyer may book a time to visit the flat they bought and check its construction.
//!
//! The rules here are shared by the booking form on the phone and the server: flat numbers
//! as people type them, party size, notes, the booking window, the cut-off for changes and
//! the working plan that slots are made from.

use crate::error::{FieldError, FieldErrors};
use crate::event::Localized;
use crate::registration::{Headcount, PersonName, PhoneNumber, RegistrationCode};
use crate::time::{BeijingDate, BeijingTime};
use crate::vocab::Town;
use serde::{Deserialize, Serialize};

/// People at a visit, the buyer included: a flat is small, so up to three.
pub type VisitPartySize = Headcount<3>;

/// A booking's code: same alphabet and length as a sign-up's, so people learn one format.
pub type BookingCode = RegistrationCode;

/// Which flat: building (楼/栋), unit (单元) and room (室), as the sales contract writes them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FlatId {
    pub building: String,
    pub unit: String,
    pub room: String,
}

impl FlatId {
    /// Longest part accepted, e.g. `A12-3`.
    pub const MAX_PART: usize = 8;

    /// Each part as people type it ("3号楼", "１单元", "1201室") becomes its bare number;
    /// every bad part is reported.
    pub fn parse(building: &str, unit: &str, room: &str) -> Result<Self, FieldErrors> {
        match (
            flat_part(building, &["号楼", "幢", "栋", "号", "楼"]),
            flat_part(unit, &["单元"]),
            flat_part(room, &["室", "号"]),
        ) {
            (Ok(building), Ok(unit), Ok(room)) => Ok(Self {
                building,
                unit,
                room,
            }),
            (b, u, r) => Err(collect_errors([
                ("building", b.err()),
                ("unit", u.err()),
                ("room", r.err()),
            ])),
        }
    }

    /// 3号楼1单元1201室
    pub fn zh(&self) -> String {
        format!("{}号楼{}单元{}室", self.building, self.unit, self.room)
    }

    /// Building 3, unit 1, room 1201
    pub fn en(&self) -> String {
        format!(
            "Building {}, unit {}, room {}",
            self.building, self.unit, self.room
        )
    }
}

fn flat_part(input: &str, suffixes: &[&str]) -> Result<String, FieldError> {
    // Chinese keyboards often type full-width digits and letters; they mean the same thing.
    let narrow: String = input
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' | '－' => {
                char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c)
            }
            _ => c,
        })
        .collect();
    let bare = suffixes
        .iter()
        .find_map(|s| narrow.strip_suffix(s))
        .unwrap_or(&narrow)
        .to_ascii_uppercase();
    if bare.is_empty() {
        return Err(FieldError::Required);
    }
    if bare.chars().count() > FlatId::MAX_PART {
        return Err(FieldError::TooLong);
    }
    let valid = bare.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && bare.bytes().any(|b| b.is_ascii_alphanumeric());
    if valid {
        Ok(bare)
    } else {
        Err(FieldError::Invalid)
    }
}

fn collect_errors<const N: usize>(parts: [(&str, Option<FieldError>); N]) -> FieldErrors {
    parts
        .into_iter()
        .filter_map(|(field, error)| error.map(|e| (field.to_string(), e)))
        .collect()
}

/// Who is booking and for which flat: checked against the project's buyer list.
#[derive(Debug, Clone, PartialEq)]
pub struct BuyerDetails {
    pub flat: FlatId,
    pub buyer_name: PersonName,
    pub phone: PhoneNumber,
}

impl BuyerDetails {
    pub fn from_parts(
        building: &str,
        unit: &str,
        room: &str,
        buyer_name: &str,
        phone: &str,
    ) -> Result<Self, FieldErrors> {
        match (
            FlatId::parse(building, unit, room),
            PersonName::parse(buyer_name),
            PhoneNumber::parse(phone),
        ) {
            (Ok(flat), Ok(buyer_name), Ok(phone)) => Ok(Self {
                flat,
                buyer_name,
                phone,
            }),
            (flat, name, phone) => {
                let mut errors = flat.err().unwrap_or_default();
                errors.extend(collect_errors([
                    ("buyer_name", name.err()),
                    ("phone", phone.err()),
                ]));
                Err(errors)
            }
        }
    }
}

/// Notes for the visit, such as "需要轮椅通道": optional and short.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct VisitNotes(String);

impl VisitNotes {
    pub const MAX_CHARS: usize = 200;

    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let t = input.trim();
        if t.chars().count() > Self::MAX_CHARS {
            return Err(FieldError::TooLong);
        }
        if t.chars().any(|c| c.is_control() && c != '\n') {
            return Err(FieldError::Invalid);
        }
        Ok(Self(t.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How the visit goes: party size and notes.
#[derive(Debug, Clone, PartialEq)]
pub struct VisitDetails {
    pub party_size: VisitPartySize,
    pub notes: VisitNotes,
}

impl VisitDetails {
    pub fn from_parts(
        party_size: Result<VisitPartySize, FieldError>,
        notes: &str,
    ) -> Result<Self, FieldErrors> {
        match (party_size, VisitNotes::parse(notes)) {
            (Ok(party_size), Ok(notes)) => Ok(Self { party_size, notes }),
            (p, n) => Err(collect_errors([
                ("party_size", p.err()),
                ("notes", n.err()),
            ])),
        }
    }
}

/// The booking form as sent. Loose on purpose, like [`crate::NewRegistration`]: any body
/// that deserializes gets per-field errors.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NewBooking {
    pub project_id: i64,
    pub building: String,
    pub unit: String,
    pub room: String,
    pub buyer_name: String,
    pub phone: String,
    pub slot_id: i64,
    pub party_size: i64,
    #[serde(default)]
    pub notes: String,
}

/// A booking that passed every rule the form can check (the buyer list is the server's).
#[derive(Debug, Clone, PartialEq)]
pub struct ValidBooking {
    pub buyer: BuyerDetails,
    pub visit: VisitDetails,
}

impl NewBooking {
    pub fn validate(&self) -> Result<ValidBooking, FieldErrors> {
        let buyer = BuyerDetails::from_parts(
            &self.building,
            &self.unit,
            &self.room,
            &self.buyer_name,
            &self.phone,
        );
        let visit = VisitDetails::from_parts(VisitPartySize::new(self.party_size), &self.notes);
        match (buyer, visit) {
            (Ok(buyer), Ok(visit)) => Ok(ValidBooking { buyer, visit }),
            (buyer, visit) => {
                let mut errors = buyer.err().unwrap_or_default();
                errors.extend(visit.err().unwrap_or_default());
                Err(errors)
            }
        }
    }
}

impl ValidBooking {
    /// The request for `slot_id`, from the checked parts: what the form sends, written as
    /// the rules read it (so the server reads exactly what the check page showed).
    pub fn body(&self, project_id: i64, slot_id: i64) -> NewBooking {
        let flat = &self.buyer.flat;
        NewBooking {
            project_id,
            building: flat.building.clone(),
            unit: flat.unit.clone(),
            room: flat.room.clone(),
            buyer_name: self.buyer.buyer_name.as_str().to_string(),
            phone: self.buyer.phone.as_str().to_string(),
            slot_id,
            party_size: i64::from(self.visit.party_size.get()),
            notes: self.visit.notes.as_str().to_string(),
        }
    }
}

/// Moving a booking to another slot; the phone proves the code is yours.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reschedule {
    pub phone: String,
    pub slot_id: i64,
}

/// When a project takes bookings and changes. Bookings open `opens_days_before` days before
/// handover, at midnight Beijing time, and close at midnight starting the handover day.
/// A booking can be made, moved or cancelled until `cutoff_hours` before its visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BookingRules {
    pub handover_on: BeijingDate,
    pub opens_days_before: u32,
    pub cutoff_hours: u32,
}

impl BookingRules {
    pub fn opens_at(&self) -> BeijingTime {
        self.handover_on
            .add_days(-i64::from(self.opens_days_before))
            .start()
    }

    pub fn closes_at(&self) -> BeijingTime {
        self.handover_on.start()
    }

    pub fn window_open(&self, now: BeijingTime) -> bool {
        self.opens_at() <= now && now < self.closes_at()
    }

    /// The last moment a visit starting at `visit_start` can be booked, moved or cancelled.
    pub fn change_deadline(&self, visit_start: BeijingTime) -> BeijingTime {
        change_deadline(visit_start, self.cutoff_hours)
    }

    pub fn can_change(&self, visit_start: BeijingTime, now: BeijingTime) -> bool {
        now < self.change_deadline(visit_start)
    }
}

pub fn change_deadline(visit_start: BeijingTime, cutoff_hours: u32) -> BeijingTime {
    visit_start.add_secs(-i64::from(cutoff_hours) * 3600)
}

/// A housing project (楼盘) open for pre-inspection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Project {
    pub id: i64,
    pub name: Localized,
    pub developer: Localized,
    pub address: Localized,
    pub town: Town,
    pub handover_on: BeijingDate,
    pub booking_opens_at: BeijingTime,
    pub booking_closes_at: BeijingTime,
    /// Bookings are made, moved and cancelled until this many hours before the visit.
    pub change_cutoff_hours: u32,
    /// What to bring and where to meet, from the sales office.
    #[serde(default)]
    pub instructions: Localized,
    #[serde(default)]
    pub contact_phone: String,
}

/// A visit slot: a time window that takes `capacity` flats.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Slot {
    pub id: i64,
    pub starts_at: BeijingTime,
    pub ends_at: BeijingTime,
    /// Flats the slot takes.
    pub capacity: u32,
    pub taken: u32,
    pub places_left: u32,
}

impl Slot {
    pub fn is_full(&self) -> bool {
        self.places_left == 0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BookingStatus {
    Confirmed,
    Cancelled,
    CheckedIn,
}

impl BookingStatus {
    pub const ALL: [Self; 3] = [Self::Confirmed, Self::Cancelled, Self::CheckedIn];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Confirmed => "confirmed",
            Self::Cancelled => "cancelled",
            Self::CheckedIn => "checked_in",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// What happened to a booking, oldest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BookingAction {
    Booked,
    Rescheduled,
    Cancelled,
    CheckedIn,
}

impl BookingAction {
    pub const ALL: [Self; 4] = [
        Self::Booked,
        Self::Rescheduled,
        Self::Cancelled,
        Self::CheckedIn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Booked => "booked",
            Self::Rescheduled => "rescheduled",
            Self::Cancelled => "cancelled",
            Self::CheckedIn => "checked_in",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BookingChange {
    pub at: BeijingTime,
    pub action: BookingAction,
    /// The visit's start after this change.
    pub slot_starts_at: BeijingTime,
}

/// What the server answers to a booking, a look-up, a reschedule or a cancel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BookingReceipt {
    pub code: BookingCode,
    pub status: BookingStatus,
    pub project: Project,
    pub flat: FlatId,
    pub buyer_name: String,
    pub phone_masked: String,
    pub party_size: u8,
    pub notes: String,
    pub slot: Slot,
    /// Until then the booking can be moved or cancelled.
    pub change_deadline: BeijingTime,
    pub history: Vec<BookingChange>,
    /// What the sales office told the buyer about a change it made (moved, cancelled).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub office_notice: Option<String>,
    /// Defects recorded for the flat at this visit; filled by the look-up.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub defects: Vec<crate::defect::Defect>,
}

impl BookingReceipt {
    pub fn can_change(&self, now: BeijingTime) -> bool {
        self.status == BookingStatus::Confirmed && now < self.change_deadline
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u8, d: u8) -> BeijingDate {
        BeijingDate::new(y, m, d).unwrap()
    }

    #[test]
    fn flat_numbers_as_people_type_them() {
        let expected = FlatId {
            building: "3".into(),
            unit: "1".into(),
            room: "1201".into(),
        };
        for (b, u, r) in [
            ("3", "1", "1201"),
            ("3号楼", "1单元", "1201室"),
            (" 3 栋", "１", "１２０１"),
            ("3幢", "1 单元", "1201号"),
        ] {
            assert_eq!(FlatId::parse(b, u, r).unwrap(), expected, "{b} {u} {r}");
        }
        let lettered = FlatId::parse("a2", "2", "b-301").unwrap();
        assert_eq!(
            (lettered.building.as_str(), lettered.room.as_str()),
            ("A2", "B-301")
        );
        assert_eq!(expected.zh(), "3号楼1单元1201室");
        assert_eq!(expected.en(), "Building 3, unit 1, room 1201");
    }

    #[test]
    fn flat_numbers_report_every_bad_part() {
        let errors = FlatId::parse("", "<b>", "123456789").unwrap_err();
        assert_eq!(errors["building"], FieldError::Required);
        assert_eq!(errors["unit"], FieldError::Invalid);
        assert_eq!(errors["room"], FieldError::TooLong);
        assert_eq!(
            FlatId::parse("号楼", "1", "-").unwrap_err(),
            FieldErrors::from([
                ("building".to_string(), FieldError::Required),
                ("room".to_string(), FieldError::Invalid),
            ])
        );
    }

    #[test]
    fn visit_party_is_one_to_three() {
        assert_eq!(VisitPartySize::new(0), Err(FieldError::OutOfRange));
        assert_eq!(VisitPartySize::new(3).unwrap().get(), 3);
        assert_eq!(VisitPartySize::new(4), Err(FieldError::OutOfRange));
        assert_eq!(VisitPartySize::MAX, 3);
    }

    #[test]
    fn notes_are_optional_and_short() {
        assert_eq!(VisitNotes::parse("  ").unwrap().as_str(), "");
        assert_eq!(
            VisitNotes::parse(" 需要轮椅通道 ").unwrap().as_str(),
            "需要轮椅通道"
        );
        assert!(VisitNotes::parse(&"字".repeat(200)).is_ok());
        assert_eq!(
            VisitNotes::parse(&"字".repeat(201)),
            Err(FieldError::TooLong)
        );
        assert_eq!(VisitNotes::parse("a\u{7}b"), Err(FieldError::Invalid));
    }

    #[test]
    fn a_booking_reports_every_bad_field_at_once() {
        let bad = NewBooking {
            project_id: 1,
            building: "".into(),
            unit: "1".into(),
            room: "1201".into(),
            buyer_name: "1".into(),
            phone: "123".into(),
            slot_id: 1,
            party_size: 4,
            notes: "x".repeat(201),
        };
        let fields: Vec<_> = bad.validate().unwrap_err().into_keys().collect();
        assert_eq!(
            fields,
            ["building", "buyer_name", "notes", "party_size", "phone"]
        );
        let good = NewBooking {
            building: "3号楼".into(),
            buyer_name: "张三".into(),
            phone: "13800138000".into(),
            party_size: 2,
            notes: String::new(),
            ..bad
        };
        let valid = good.validate().unwrap();
        assert_eq!(valid.buyer.flat.building, "3");
        assert_eq!(valid.visit.party_size.get(), 2);
        // What the form sends from the checked parts reads back as the same booking.
        let sent = valid.body(good.project_id, 42);
        assert_eq!((sent.slot_id, sent.building.as_str()), (42, "3"));
        assert_eq!(sent.validate(), Ok(valid));
    }

    fn rules() -> BookingRules {
        BookingRules {
            handover_on: date(2026, 12, 20),
            opens_days_before: 30,
            cutoff_hours: 24,
        }
    }

    #[test]
    fn the_window_opens_and_closes_at_beijing_midnight_on_a_utc_clock() {
        let r = rules();
        // Opens at 00:00 on 20 November in Beijing, which is 16:00 UTC on the 19th.
        assert_eq!(r.opens_at().to_rfc3339(), "2026-11-20T00:00:00+08:00");
        let before = BeijingTime::parse_rfc3339("2026-11-19T15:59:59Z").unwrap();
        let at = BeijingTime::parse_rfc3339("2026-11-19T16:00:00Z").unwrap();
        assert!(!r.window_open(before));
        assert!(r.window_open(at));
        // Closes at 00:00 on handover day: 16:00 UTC the day before.
        let last = BeijingTime::parse_rfc3339("2026-12-19T15:59:59Z").unwrap();
        let closed = BeijingTime::parse_rfc3339("2026-12-19T16:00:00Z").unwrap();
        assert!(r.window_open(last));
        assert!(!r.window_open(closed));
    }

    #[test]
    fn changes_stop_at_the_cutoff() {
        let r = rules();
        // A 09:00 visit on 1 December; with 24 hours' cut-off the last moment to change it
        // is 08:59:59 on 30 November in Beijing, which is still 29 November in UTC.
        let visit = BeijingTime::from_civil(date(2026, 12, 1), 9, 0).unwrap();
        assert_eq!(
            r.change_deadline(visit).to_rfc3339(),
            "2026-11-30T09:00:00+08:00"
        );
        let just_before = BeijingTime::parse_rfc3339("2026-11-30T00:59:59Z").unwrap();
        let at = BeijingTime::parse_rfc3339("2026-11-30T01:00:00Z").unwrap();
        assert!(r.can_change(visit, just_before));
        assert!(!r.can_change(visit, at));
        // An early-morning visit's cut-off falls the previous evening, across midnight.
        let early = BeijingTime::from_civil(date(2026, 12, 1), 0, 30).unwrap();
        let deadline = r.change_deadline(early);
        assert_eq!(deadline.date(), date(2026, 11, 30));
        assert_eq!(deadline.to_rfc3339(), "2026-11-30T00:30:00+08:00");
    }

    #[test]
    fn statuses_and_actions_round_trip() {
        for s in BookingStatus::ALL {
            assert_eq!(BookingStatus::parse(s.as_str()), Some(s));
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        for a in BookingAction::ALL {
            assert_eq!(BookingAction::parse(a.as_str()), Some(a));
            assert_eq!(serde_json::to_value(a).unwrap(), a.as_str());
        }
    }
}
