//! Staff: roles and scopes (DESIGN.md "Who is who"), and the staff API's types. The
//! server decides every permission with [`Grant`]; the staff app uses the same rules only
//! to hide what the server would refuse.

use crate::error::{FieldError, FieldErrors};
use crate::event::{EventStatus, Localized};
use crate::organisation::{Audience, OrganisationShown};
use crate::registration::RegistrationStatus;
use crate::time::BeijingTime;
use crate::vocab::{Category, Town};
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything, everywhere; manages accounts and reads the audit log.
    Admin,
    /// Runs the events of some towns.
    Organiser,
    /// A developer's sales office: some housing projects.
    ProjectOffice,
    /// Checks people in at assigned events or projects; edits nothing.
    Door,
    /// Survey waves.
    Analyst,
}

impl Role {
    pub const ALL: &'static [Role] = &[
        Role::Admin,
        Role::Organiser,
        Role::ProjectOffice,
        Role::Door,
        Role::Analyst,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Organiser => "organiser",
            Self::ProjectOffice => "project_office",
            Self::Door => "door",
            Self::Analyst => "analyst",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|r| r.as_str() == s)
    }
}

/// Where a role applies: `town:nanqiao`, `event:12`, `project:3`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Scope {
    Town(Town),
    Event(i64),
    Project(i64),
}

impl Scope {
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let (kind, value) = s.trim().split_once(':').ok_or(FieldError::Invalid)?;
        let id = || {
            value
                .parse::<i64>()
                .ok()
                .filter(|id| *id > 0)
                .ok_or(FieldError::Invalid)
        };
        match kind {
            "town" => Town::from_slug(value)
                .map(Self::Town)
                .ok_or(FieldError::Invalid),
            "event" => id().map(Self::Event),
            "project" => id().map(Self::Project),
            _ => Err(FieldError::Invalid),
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Town(t) => write!(f, "town:{}", t.slug()),
            Self::Event(id) => write!(f, "event:{id}"),
            Self::Project(id) => write!(f, "project:{id}"),
        }
    }
}

impl TryFrom<String> for Scope {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Self::parse(&s).map_err(|_| format!("not a scope: {s}"))
    }
}

impl From<Scope> for String {
    fn from(s: Scope) -> String {
        s.to_string()
    }
}

/// What a staff member may do to one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EventAccess {
    None,
    /// See it, its list, and check people in (door staff).
    CheckIn,
    /// Everything above, and create, edit, publish, cancel, export (organisers, admins).
    Manage,
}

/// What a staff member may do to one housing project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ProjectAccess {
    None,
    /// See the day's visits, check buyers in, mark no-shows, record defects (door staff).
    CheckIn,
    /// Everything above, and edit the project, its plan and buyer list, follow defects
    /// (the project's sales office, admins).
    Manage,
}

/// A role with its scopes: the one place that answers "may this person do that".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    pub role: Role,
    pub scopes: Vec<Scope>,
}

impl Grant {
    pub fn event_access(&self, event_id: Option<i64>, town: Town) -> EventAccess {
        let covers = self.scopes.iter().any(|s| match *s {
            Scope::Town(t) => t == town,
            Scope::Event(id) => Some(id) == event_id,
            Scope::Project(_) => false,
        });
        match self.role {
            Role::Admin => EventAccess::Manage,
            Role::Organiser if covers => EventAccess::Manage,
            Role::Door if covers => EventAccess::CheckIn,
            _ => EventAccess::None,
        }
    }

    pub fn project_access(&self, project_id: i64) -> ProjectAccess {
        let covers = self.scopes.contains(&Scope::Project(project_id));
        match self.role {
            Role::Admin => ProjectAccess::Manage,
            Role::ProjectOffice if covers => ProjectAccess::Manage,
            Role::Door if covers => ProjectAccess::CheckIn,
            _ => ProjectAccess::None,
        }
    }

    /// Whether the role works on housing projects at all (the staff app's menu).
    pub fn works_on_projects(&self) -> bool {
        self.is_admin()
            || (matches!(self.role, Role::ProjectOffice | Role::Door)
                && self.scopes.iter().any(|s| matches!(s, Scope::Project(_))))
    }

    /// Survey waves: drafting, paper entry, analysis, comments, publication, export.
    pub fn works_on_surveys(&self) -> bool {
        matches!(self.role, Role::Admin | Role::Analyst)
    }

    /// Whether the role works on events at all (the staff app's menu).
    pub fn works_on_events(&self) -> bool {
        matches!(self.role, Role::Admin | Role::Organiser | Role::Door)
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}

/// `POST /api/staff/session`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginRequest {
    pub login: String,
    pub password: String,
    /// The six digits of the second factor, for accounts that set one up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub otp: Option<String>,
}

/// `GET /api/staff/me`: who is logged in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMe {
    pub id: i64,
    pub login: String,
    #[serde(flatten)]
    pub grant: Grant,
    pub totp_enabled: bool,
}

/// Logins are what people type: short, no spaces, no markup.
pub fn parse_login(input: &str) -> Result<String, FieldError> {
    let login = input.trim().to_lowercase();
    if login.is_empty() {
        return Err(FieldError::Required);
    }
    if login.chars().count() < 3 {
        return Err(FieldError::TooShort);
    }
    if login.chars().count() > 40 {
        return Err(FieldError::TooLong);
    }
    if !login
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
    {
        return Err(FieldError::Invalid);
    }
    Ok(login)
}

/// Passwords: at least this many characters (a common-password list on the server does
/// the rest).
pub const MIN_PASSWORD_CHARS: usize = 12;

/// `POST /api/staff/me/second-factor`: a new secret to put in an authenticator app,
/// confirmed with a code from it before it counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecondFactorSetup {
    /// Base32, for typing in.
    pub secret: String,
    /// `otpauth://totp/…`, for scanning.
    pub otpauth_url: String,
}

/// `POST /api/staff/me/second-factor/confirm`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OneTimePassword {
    pub otp: String,
}

/// An account as admins see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffAccount {
    pub id: i64,
    pub login: String,
    #[serde(flatten)]
    pub grant: Grant,
    pub disabled: bool,
    pub totp_enabled: bool,
}

/// `POST /api/staff/accounts`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAccount {
    pub login: String,
    pub password: String,
    pub role: Role,
    #[serde(default)]
    pub scopes: Vec<Scope>,
}

/// `PATCH /api/staff/accounts/{id}`: any of these.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountChange {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Vec<Scope>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
}

/// What an organiser writes about an event (create, and edit as a whole).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventDraft {
    pub category: Category,
    pub town: Town,
    pub title: Localized,
    pub description: Localized,
    pub venue: Localized,
    pub address: Localized,
    pub organiser: Localized,
    pub starts_at: BeijingTime,
    pub ends_at: BeijingTime,
    pub capacity: u32,
    /// Sign-ups close then; `None`: at the start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signup_closes_at: Option<BeijingTime>,
    /// Who may sign up.
    #[serde(default)]
    pub audience: Audience,
    /// The host organisation shown on the event page, in both languages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<Localized>,
}

/// Checks a text staff write in both languages, as `name.zh` / `name.en`: present when
/// `required`, at most `max` characters, and no markup (it is shown to residents).
pub(crate) fn check_localized(
    errors: &mut FieldErrors,
    name: &str,
    value: &Localized,
    max: usize,
    required: bool,
) {
    for (lang, v) in [("zh", &value.zh), ("en", &value.en)] {
        if let Some(p) = check_text(v, max, required) {
            errors.insert(format!("{name}.{lang}"), p);
        }
    }
}

pub(crate) fn check_text(value: &str, max: usize, required: bool) -> Option<FieldError> {
    let v = value.trim();
    if v.is_empty() && required {
        Some(FieldError::Required)
    } else if v.chars().count() > max {
        Some(FieldError::TooLong)
    } else if v.contains('<') || v.contains('>') {
        Some(FieldError::Invalid)
    } else {
        None
    }
}

/// Largest capacity of one event (the district's biggest hall, with room to spare).
pub const MAX_EVENT_CAPACITY: u32 = 10_000;

impl EventDraft {
    /// Every bad field at once, named as the form names them (`title.zh`, `capacity`…).
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut text = |name: &str, value: &Localized, max: usize, required: bool| {
            check_localized(&mut errors, name, value, max, required)
        };
        text("title", &self.title, 80, true);
        text("venue", &self.venue, 80, true);
        text("address", &self.address, 120, true);
        text("organiser", &self.organiser, 80, true);
        text("description", &self.description, 2000, false);
        if let Some(host) = &self.host {
            text("host", host, 60, true);
        }
        if self.ends_at.unix() <= self.starts_at.unix() {
            errors.insert("ends_at".into(), FieldError::OutOfRange);
        }
        if self.capacity == 0 || self.capacity > MAX_EVENT_CAPACITY {
            errors.insert("capacity".into(), FieldError::OutOfRange);
        }
        if let Some(closes) = self.signup_closes_at
            && closes.unix() > self.starts_at.unix()
        {
            errors.insert("signup_closes_at".into(), FieldError::OutOfRange);
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// An event as staff see it: what they wrote, and how it stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffEvent {
    pub id: i64,
    #[serde(flatten)]
    pub draft: EventDraft,
    pub status: EventStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_reason: Option<String>,
    /// People with a place.
    pub taken: u32,
    pub waitlisted: u32,
    /// People checked in (a party counts its size).
    pub attended: u32,
}

/// `POST /api/staff/events/{id}/cancel`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancelEvent {
    pub reason: String,
}

impl CancelEvent {
    pub fn validate(&self) -> Result<String, FieldErrors> {
        let reason = self.reason.trim();
        let problem = if reason.is_empty() {
            Some(FieldError::Required)
        } else if reason.chars().count() > 200 {
            Some(FieldError::TooLong)
        } else if reason.contains('<') || reason.contains('>') {
            Some(FieldError::Invalid)
        } else {
            None
        };
        match problem {
            Some(p) => Err(FieldErrors::from([("reason".to_string(), p)])),
            None => Ok(reason.to_string()),
        }
    }
}

/// One sign-up in the organiser's list: the phone masked until someone asks to see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registrant {
    pub code: String,
    /// The organisation that signed up; `name` is then its contact's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<OrganisationShown>,
    pub name: String,
    pub phone_masked: String,
    pub party_size: u8,
    pub status: RegistrationStatus,
    /// Registered at the door, not online.
    pub walk_in: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checked_in_at: Option<BeijingTime>,
    pub signed_up_at: BeijingTime,
}

/// `POST /api/staff/checkins`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckinRequest {
    pub code: String,
    /// The event the door is checking in for: a code of another event is refused.
    pub event_id: i64,
}

/// What the door sees after a scan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckinResult {
    /// The person's name, or an organisation's contact's.
    pub name: String,
    /// The organisation's name, when one signed up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    pub party_size: u8,
    pub status: RegistrationStatus,
    /// When this sign-up was first checked in; `None` for a place still on the waitlist
    /// (nobody is checked in then).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checked_in_at: Option<BeijingTime>,
    /// `false`: this scan checked them in; `true`: an earlier one had.
    pub already: bool,
    /// People checked in at the event so far.
    pub attended: u32,
}

/// `POST /api/staff/events/{id}/walk-ins`: someone registered at the door.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WalkIn {
    pub name: String,
    pub phone: String,
    pub party_size: u8,
}

/// `POST …/registrations/{code}/phone`: the full number, once asked for (audited).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevealedPhone {
    pub phone: String,
}

/// One row of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: BeijingTime,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub client: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_read_and_write_as_text() {
        for s in ["town:nanqiao", "event:12", "project:3"] {
            assert_eq!(Scope::parse(s).unwrap().to_string(), s);
        }
        for bad in [
            "town:atlantis",
            "event:0",
            "event:-1",
            "planet:1",
            "nanqiao",
            "",
        ] {
            assert!(Scope::parse(bad).is_err(), "{bad}");
        }
        let v: Vec<Scope> = serde_json::from_str(r#"["town:haiwan","event:7"]"#).unwrap();
        assert_eq!(v, vec![Scope::Town(Town::Haiwan), Scope::Event(7)]);
    }

    #[test]
    fn each_role_reaches_only_its_scope() {
        let grant = |role, scopes: &[Scope]| Grant {
            role,
            scopes: scopes.to_vec(),
        };
        let nanqiao = [Scope::Town(Town::Nanqiao)];
        assert_eq!(
            grant(Role::Organiser, &nanqiao).event_access(Some(1), Town::Nanqiao),
            EventAccess::Manage
        );
        assert_eq!(
            grant(Role::Organiser, &nanqiao).event_access(Some(1), Town::Haiwan),
            EventAccess::None
        );
        assert_eq!(
            grant(Role::Door, &[Scope::Event(5)]).event_access(Some(5), Town::Haiwan),
            EventAccess::CheckIn
        );
        assert_eq!(
            grant(Role::Door, &[Scope::Event(5)]).event_access(Some(6), Town::Haiwan),
            EventAccess::None
        );
        assert_eq!(
            grant(Role::Admin, &[]).event_access(None, Town::Zhelin),
            EventAccess::Manage
        );
        for role in [Role::Analyst, Role::ProjectOffice] {
            assert_eq!(
                grant(role, &nanqiao).event_access(Some(1), Town::Nanqiao),
                EventAccess::None
            );
        }
    }

    #[test]
    fn logins_are_plain_and_lowercase() {
        assert_eq!(parse_login(" Nanqiao.Org ").unwrap(), "nanqiao.org");
        assert_eq!(parse_login(""), Err(FieldError::Required));
        assert_eq!(parse_login("ab"), Err(FieldError::TooShort));
        assert_eq!(parse_login("a b c"), Err(FieldError::Invalid));
        assert_eq!(parse_login("<script>"), Err(FieldError::Invalid));
    }

    fn draft() -> EventDraft {
        let text = |s: &str| Localized {
            zh: s.into(),
            en: s.into(),
        };
        EventDraft {
            category: Category::Clinic,
            town: Town::Nanqiao,
            title: text("义诊"),
            description: text(""),
            venue: text("公园"),
            address: text("路"),
            organiser: text("局"),
            starts_at: BeijingTime::from_unix(10_000),
            ends_at: BeijingTime::from_unix(20_000),
            capacity: 30,
            signup_closes_at: None,
            audience: Audience::Both,
            host: None,
        }
    }

    #[test]
    fn an_event_draft_reports_every_bad_field() {
        assert_eq!(draft().validate(), Ok(()));
        let mut d = draft();
        d.title.en = "  ".into();
        d.venue.zh = "<b>".into();
        d.ends_at = d.starts_at;
        d.capacity = 0;
        d.signup_closes_at = Some(BeijingTime::from_unix(30_000));
        // A host, once named, is named in both languages.
        d.host = Some(Localized {
            zh: String::new(),
            en: "Fengxian Quality Park".into(),
        });
        let errors = d.validate().unwrap_err();
        assert_eq!(errors["title.en"], FieldError::Required);
        assert_eq!(errors["venue.zh"], FieldError::Invalid);
        assert_eq!(errors["ends_at"], FieldError::OutOfRange);
        assert_eq!(errors["capacity"], FieldError::OutOfRange);
        assert_eq!(errors["signup_closes_at"], FieldError::OutOfRange);
        assert_eq!(errors["host.zh"], FieldError::Required);
        assert_eq!(errors.len(), 6);
    }

    #[test]
    fn a_cancellation_needs_a_reason() {
        let c = |r: &str| CancelEvent { reason: r.into() }.validate();
        assert_eq!(c(" 台风停课 ").unwrap(), "台风停课");
        assert!(c("  ").is_err());
        assert!(c(&"长".repeat(201)).is_err());
    }
}
