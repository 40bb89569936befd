//! Running a housing project's pre-inspection (预看房) as its sales office: the project's
//! details, its visit plan, its buyer list import, the day's visits at the door, and the
//! district's coverage figures. The rules both the staff app and the server apply.

use crate::error::{FieldError, FieldErrors};
use crate::event::Localized;
use crate::inspection::{BookingStatus, FlatId, Slot};
use crate::staff::{Role, check_localized, check_text};
use crate::time::{BeijingDate, BeijingTime};
use crate::vocab::Town;
use serde::{Deserialize, Serialize};

/// What the office writes about a project (create, and edit as a whole).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectDraft {
    pub town: Town,
    pub name: Localized,
    pub developer: Localized,
    pub address: Localized,
    pub handover_on: BeijingDate,
    /// Bookings open this many days before the handover day.
    pub opens_days_before: u32,
    /// Visits are booked, moved and cancelled until this many hours before they start.
    pub change_cutoff_hours: u32,
    /// What to bring, where to meet, shown on the booking pass.
    pub instructions: Localized,
    /// The sales office's number for questions (a mobile or a landline such as 021-5718 8888).
    pub contact_phone: String,
}

/// At most a year of bookings, and changes up to a week before a visit.
pub const MAX_OPENS_DAYS_BEFORE: u32 = 365;
pub const MAX_CUTOFF_HOURS: u32 = 168;

impl ProjectDraft {
    /// Every bad field at once, named as the form names them (`name.zh`, `contact_phone`…).
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        check_localized(&mut errors, "name", &self.name, 60, true);
        check_localized(&mut errors, "developer", &self.developer, 80, true);
        check_localized(&mut errors, "address", &self.address, 120, true);
        check_localized(&mut errors, "instructions", &self.instructions, 1000, false);
        if let Some(p) = check_contact_phone(&self.contact_phone) {
            errors.insert("contact_phone".into(), p);
        }
        if self.opens_days_before == 0 || self.opens_days_before > MAX_OPENS_DAYS_BEFORE {
            errors.insert("opens_days_before".into(), FieldError::OutOfRange);
        }
        if self.change_cutoff_hours > MAX_CUTOFF_HOURS {
            errors.insert("change_cutoff_hours".into(), FieldError::OutOfRange);
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// A phone number as offices print it: digits with spaces, dashes or brackets, 7–20 long.
fn check_contact_phone(input: &str) -> Option<FieldError> {
    let v = input.trim();
    if let Some(p) = check_text(v, 20, true) {
        return Some(p);
    }
    let digits = v.chars().filter(char::is_ascii_digit).count();
    let only_phone_chars = v
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '+' | '(' | ')'));
    (!only_phone_chars || digits < 7).then_some(FieldError::Invalid)
}

/// A project as the staff app shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffProject {
    pub id: i64,
    pub draft: ProjectDraft,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<VisitPlan>,
    /// Flats on the buyer list.
    pub flats: u32,
    /// Defects the buyers recorded or reopened that the office has not taken up yet
    /// (待处理): the office's own notice, whatever its contact number can receive.
    #[serde(default)]
    pub waiting_for_office: u32,
    /// Accounts whose scopes name this project.
    pub staff: Vec<AssignedStaff>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignedStaff {
    pub id: i64,
    pub login: String,
    pub role: Role,
}

/// `POST /api/staff/projects/{id}/staff`: put an account on the project or take it off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffAssignment {
    pub account_id: i64,
    pub assigned: bool,
}

/// A visiting window of the plan, in minutes after midnight, and the flats it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanWindow {
    pub start_minute: u16,
    pub end_minute: u16,
    pub capacity: u32,
}

/// How a project's slots are made: on which weekdays (Monday = 0), in which windows, except
/// on closed dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitPlan {
    pub weekdays: Vec<u8>,
    pub windows: Vec<PlanWindow>,
    #[serde(default)]
    pub closed: Vec<BeijingDate>,
}

/// One slot a plan makes, before it is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlannedSlot {
    pub starts_at: BeijingTime,
    pub ends_at: BeijingTime,
    pub capacity: u32,
}

pub const MAX_WINDOWS: usize = 12;
pub const MAX_FLATS_PER_WINDOW: u32 = 200;

impl VisitPlan {
    /// Errors named `weekdays`, `windows`, `windows.N.start`, `windows.N.capacity`, `closed`.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut days = self.weekdays.clone();
        days.sort_unstable();
        days.dedup();
        if days.is_empty() {
            errors.insert("weekdays".into(), FieldError::Required);
        } else if days.len() != self.weekdays.len() || days.iter().any(|d| *d > 6) {
            errors.insert("weekdays".into(), FieldError::Invalid);
        }
        if self.windows.is_empty() {
            errors.insert("windows".into(), FieldError::Required);
        } else if self.windows.len() > MAX_WINDOWS {
            errors.insert("windows".into(), FieldError::TooMany);
        }
        let mut sorted: Vec<(usize, &PlanWindow)> = self.windows.iter().enumerate().collect();
        sorted.sort_by_key(|(_, w)| w.start_minute);
        let mut previous_end = 0;
        for (i, w) in sorted {
            if w.end_minute <= w.start_minute || w.end_minute > 24 * 60 {
                errors.insert(format!("windows.{i}.end"), FieldError::OutOfRange);
            } else if w.start_minute < previous_end {
                // Two windows that overlap would make two slots at once for one door.
                errors.insert(format!("windows.{i}.start"), FieldError::Invalid);
            }
            if w.capacity == 0 || w.capacity > MAX_FLATS_PER_WINDOW {
                errors.insert(format!("windows.{i}.capacity"), FieldError::OutOfRange);
            }
            previous_end = previous_end.max(w.end_minute);
        }
        if self.closed.len() > 366 {
            errors.insert("closed".into(), FieldError::TooMany);
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Slots on the days from `first` to `last`, both included, in time order.
    pub fn slots(&self, first: BeijingDate, last: BeijingDate) -> Vec<PlannedSlot> {
        let mut windows = self.windows.clone();
        windows.sort_by_key(|w| w.start_minute);
        let mut out = Vec::new();
        let mut day = first;
        while day <= last {
            if self.weekdays.contains(&day.weekday().0) && !self.closed.contains(&day) {
                let midnight = day.start();
                for w in &windows {
                    out.push(PlannedSlot {
                        starts_at: midnight.add_secs(i64::from(w.start_minute) * 60),
                        ends_at: midnight.add_secs(i64::from(w.end_minute) * 60),
                        capacity: w.capacity,
                    });
                }
            }
            day = day.add_days(1);
        }
        out
    }
}

/// `PUT /api/staff/projects/{id}/plan`. With `commit: false` nothing changes and the
/// answer says what would; a commit that would take away booked visits needs a decision
/// for each of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanChange {
    pub plan: VisitPlan,
    pub commit: bool,
    #[serde(default)]
    pub decisions: Vec<VisitDecision>,
}

/// What happens to one booked visit whose slot goes away: moved to the slot starting at
/// `move_to`, or cancelled (`None`); either way the buyer gets a notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitDecision {
    pub code: String,
    #[serde(default)]
    pub move_to: Option<BeijingTime>,
}

/// What a plan change does (or did, when `committed`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanOutcome {
    pub committed: bool,
    pub slots_added: u32,
    pub slots_removed: u32,
    pub slots_changed: u32,
    /// Booked visits in slots the new plan has no place for.
    pub displaced: Vec<Visit>,
    /// The future slots of the new plan with a place left: where a displaced visit can go.
    pub free: Vec<Slot>,
}

/// Which column of the uploaded sheet holds what (0 = the first column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnMapping {
    pub building: usize,
    pub unit: usize,
    pub room: usize,
    pub name: usize,
    pub phone: usize,
}

impl ColumnMapping {
    pub const FIELDS: [&'static str; 5] = ["building", "unit", "room", "name", "phone"];

    /// Guesses from the header row as sales offices write it (楼栋, 单元, 房号, 姓名, 手机…).
    pub fn guess(headers: &[String]) -> Option<Self> {
        let find = |words: &[&str]| {
            headers.iter().position(|h| {
                let h = h.trim().to_lowercase();
                words.iter().any(|w| h.contains(w))
            })
        };
        Some(Self {
            building: find(&["楼栋", "栋", "幢", "楼号", "building"])?,
            unit: find(&["单元", "unit"])?,
            room: find(&["房号", "室", "房间", "room"])?,
            name: find(&["姓名", "业主", "买受人", "购房人", "name"])?,
            phone: find(&["手机", "电话", "联系方式", "phone", "mobile"])?,
        })
    }

    fn column(self, field: &str) -> usize {
        match field {
            "building" => self.building,
            "unit" => self.unit,
            "room" => self.room,
            "name" => self.name,
            _ => self.phone,
        }
    }
}

/// `POST /api/staff/projects/{id}/buyers/import`: the file as uploaded (base64), how to
/// read it, and whether to apply it. Without a mapping the server guesses one from the
/// header row and says which.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BuyerImport {
    pub file_name: String,
    pub content_base64: String,
    #[serde(default)]
    pub mapping: Option<ColumnMapping>,
    pub commit: bool,
    /// For flats with a booked visit that the new list leaves out.
    #[serde(default)]
    pub removals: Vec<RemovalDecision>,
}

/// Keep the flat (and its booking) on the list, or drop it and cancel its booking with a
/// notice to the buyer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemovalDecision {
    pub flat: FlatId,
    pub cancel_booking: bool,
}

/// One bad cell: the sheet's row number (the header is row 1), the field, the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowProblem {
    pub row: u32,
    pub column: String,
    pub reason: FieldError,
}

/// What an import found (a dry run) or did (`committed`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportReport {
    pub committed: bool,
    pub headers: Vec<String>,
    #[serde(default)]
    pub mapping: Option<ColumnMapping>,
    /// Data rows read (blank rows are skipped).
    pub rows: u32,
    pub problems: Vec<RowProblem>,
    /// Flats, compared with the list as it stands.
    pub added: u32,
    pub changed: u32,
    pub removed: u32,
    pub unchanged: u32,
    /// Flats the new list leaves out that hold a booked visit.
    pub booked_removals: Vec<Visit>,
}

/// At most this many buyers per flat (joint owners).
pub const MAX_BUYERS_PER_FLAT: usize = 4;

/// One buyer row that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuyerRow {
    pub flat: FlatId,
    pub name: String,
    pub phone: crate::registration::PhoneNumber,
}

/// Checks the data rows of a sheet (those under the header, which is the sheet's row
/// `header_row`, counted from 1) under a mapping: every bad cell, and the good rows.
pub fn check_buyer_rows(
    rows: &[Vec<String>],
    mapping: ColumnMapping,
    header_row: u32,
) -> (Vec<BuyerRow>, Vec<RowProblem>) {
    let mut good: Vec<BuyerRow> = Vec::with_capacity(rows.len());
    let mut problems = Vec::new();
    let mut seen = std::collections::HashSet::<(FlatId, String)>::new();
    let mut per_flat = std::collections::HashMap::<FlatId, usize>::new();
    for (i, cells) in rows.iter().enumerate() {
        let row = u32::try_from(i)
            .unwrap_or(u32::MAX)
            .saturating_add(header_row)
            .saturating_add(1);
        let cell = |field: &str| {
            cells
                .get(mapping.column(field))
                .map(|c| c.trim())
                .unwrap_or("")
        };
        if ColumnMapping::FIELDS.iter().all(|f| cell(f).is_empty()) {
            continue;
        }
        let mut bad = |column: &str, reason: FieldError| {
            problems.push(RowProblem {
                row,
                column: column.into(),
                reason,
            })
        };
        let flat = FlatId::parse(cell("building"), cell("unit"), cell("room"));
        if let Err(errors) = &flat {
            for (field, reason) in errors {
                bad(field, *reason);
            }
        }
        let name = check_text(cell("name"), 40, true);
        if let Some(reason) = name {
            bad("name", reason);
        }
        let phone = crate::registration::PhoneNumber::parse(cell("phone"));
        if let Err(reason) = &phone {
            bad("phone", *reason);
        }
        let (Ok(flat), None, Ok(phone)) = (flat, name, phone) else {
            continue;
        };
        if !seen.insert((flat.clone(), phone.as_str().into())) {
            bad("phone", FieldError::Duplicate);
            continue;
        }
        let count = per_flat.entry(flat.clone()).or_default();
        *count += 1;
        if *count > MAX_BUYERS_PER_FLAT {
            bad("room", FieldError::TooMany);
            continue;
        }
        good.push(BuyerRow {
            flat,
            name: cell("name").to_string(),
            phone,
        });
    }
    (good, problems)
}

/// Where a booked visit stands at the door.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VisitState {
    Booked,
    CheckedIn,
    NoShow,
    Cancelled,
}

impl VisitState {
    pub fn of(status: BookingStatus, no_show: bool) -> Self {
        match status {
            BookingStatus::Cancelled => Self::Cancelled,
            BookingStatus::CheckedIn => Self::CheckedIn,
            BookingStatus::Confirmed if no_show => Self::NoShow,
            BookingStatus::Confirmed => Self::Booked,
        }
    }
}

/// One booked visit as staff see it: the buyer masked, the notes whole (wheelchair…).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Visit {
    pub code: String,
    pub flat: FlatId,
    pub buyer_name: String,
    pub phone_masked: String,
    pub party_size: u8,
    pub notes: String,
    pub starts_at: BeijingTime,
    pub ends_at: BeijingTime,
    pub state: VisitState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checked_in_at: Option<BeijingTime>,
}

/// `POST /api/staff/projects/{id}/checkins` and `…/no-shows`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitCode {
    pub code: String,
}

/// A check-in's answer: the visit, and whether it was already checked in before.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VisitCheckin {
    pub visit: Visit,
    pub already: bool,
}

/// One project's figures for the district office.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectCoverage {
    pub project_id: i64,
    pub name: Localized,
    pub town: Town,
    pub flats: u32,
    pub booked: u32,
    pub visited: u32,
    pub no_shows: u32,
    pub defects: u32,
    /// Recorded or being repaired.
    pub open: u32,
    /// Repaired, waiting for the buyer.
    pub repaired: u32,
    pub confirmed: u32,
    /// Median days from a defect's record to its first repair; `None` before any repair.
    pub median_days_to_repair: Option<f64>,
}

impl ProjectCoverage {
    /// Flats visited, as a percentage of the flats on the list (0 for an empty list).
    pub fn visited_percent(&self) -> f64 {
        if self.flats == 0 {
            0.0
        } else {
            f64::from(self.visited) / f64::from(self.flats) * 100.0
        }
    }
}

/// `GET /api/staff/coverage`: per project, and all projects together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Coverage {
    pub projects: Vec<ProjectCoverage>,
    pub total: ProjectCoverage,
}

/// 张** for 张三丰: the family name and how long the name is, enough to greet someone at
/// the door.
pub fn mask_name(name: &str) -> String {
    let mut chars = name.trim().chars();
    match chars.next() {
        Some(first) => std::iter::once(first)
            .chain(chars.map(|_| '*'))
            .collect::<String>(),
        None => String::new(),
    }
}

/// The median of some day counts, `None` for none.
pub fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(row: &[&str]) -> Vec<String> {
        row.iter().map(|c| c.to_string()).collect()
    }

    const MAPPING: ColumnMapping = ColumnMapping {
        building: 0,
        unit: 1,
        room: 2,
        name: 3,
        phone: 4,
    };

    #[test]
    fn the_mapping_is_guessed_from_headers_offices_write() {
        let headers = cells(&["序号", "楼栋号", "单元", "房号", "买受人姓名", "手机号码"]);
        assert_eq!(
            ColumnMapping::guess(&headers),
            Some(ColumnMapping {
                building: 1,
                unit: 2,
                room: 3,
                name: 4,
                phone: 5
            })
        );
        assert_eq!(ColumnMapping::guess(&cells(&["a", "b"])), None);
    }

    #[test]
    fn every_bad_cell_is_named_by_row_and_column() {
        let rows = vec![
            cells(&["3", "1", "1201", "张三", "13800138000"]),
            cells(&["3", "1", "", "李四", "12345"]),
            cells(&["", "", "", "", ""]),
            cells(&["3", "1", "1201", "张三", "138 0013 8000"]),
            cells(&["3", "1", "1201", "王五", "13900139000"]),
        ];
        let (good, problems) = check_buyer_rows(&rows, MAPPING, 1);
        assert_eq!(good.len(), 2, "joint buyers of one flat are both kept");
        let expected = [
            (3, "room", FieldError::Required),
            (3, "phone", FieldError::Invalid),
            (5, "phone", FieldError::Duplicate),
        ];
        let got: Vec<(u32, &str, FieldError)> = problems
            .iter()
            .map(|p| (p.row, p.column.as_str(), p.reason))
            .collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn a_plan_with_overlapping_windows_or_no_weekday_is_refused() {
        let plan = VisitPlan {
            weekdays: vec![],
            windows: vec![
                PlanWindow {
                    start_minute: 540,
                    end_minute: 600,
                    capacity: 4,
                },
                PlanWindow {
                    start_minute: 570,
                    end_minute: 630,
                    capacity: 0,
                },
            ],
            closed: vec![],
        };
        let errors = plan.validate().unwrap_err();
        assert_eq!(errors.get("weekdays"), Some(&FieldError::Required));
        assert_eq!(errors.get("windows.1.start"), Some(&FieldError::Invalid));
        assert_eq!(
            errors.get("windows.1.capacity"),
            Some(&FieldError::OutOfRange)
        );
    }

    #[test]
    fn a_plan_makes_slots_on_open_weekdays_only() {
        let monday = BeijingDate::new(2026, 11, 30).unwrap();
        let plan = VisitPlan {
            weekdays: vec![0, 2],
            windows: vec![
                PlanWindow {
                    start_minute: 840,
                    end_minute: 900,
                    capacity: 2,
                },
                PlanWindow {
                    start_minute: 540,
                    end_minute: 600,
                    capacity: 4,
                },
            ],
            closed: vec![monday.add_days(2)],
        };
        let slots = plan.slots(monday, monday.add_days(7));
        let starts: Vec<String> = slots.iter().map(|s| s.starts_at.to_rfc3339()).collect();
        assert_eq!(
            starts,
            [
                "2026-11-30T09:00:00+08:00",
                "2026-11-30T14:00:00+08:00",
                "2026-12-07T09:00:00+08:00",
                "2026-12-07T14:00:00+08:00"
            ]
        );
        assert_eq!(slots[0].capacity, 4);
    }

    #[test]
    fn the_median_of_repair_days() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), Some(2.5));
    }
}
