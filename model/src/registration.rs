//! Signing up for an event: the rules a name, a phone number, a party size and a
//! registration code must meet. The web app applies them before sending and the server
//! again on arrival, so both give the same answer.

use crate::error::{FieldError, FieldErrors};
use crate::event::EventSummary;
use crate::organisation::{
    Attendees, CreditCode, NewOrganisation, Organisation, OrganisationName, OrganisationShown,
};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A mainland China mobile number, 11 digits starting 13–19.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    /// Accepts what people type: spaces and dashes, and a `+86` / `86` prefix.
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(FieldError::Required);
        }
        if trimmed.chars().count() > 20 {
            return Err(FieldError::TooLong);
        }
        let mut digits: String = trimmed
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '\u{3000}'))
            .collect();
        if let Some(rest) = digits
            .strip_prefix("+86")
            .or_else(|| digits.strip_prefix("0086"))
        {
            digits = rest.to_string();
        } else if digits.len() == 13 && digits.starts_with("86") {
            digits = digits[2..].to_string();
        }
        let b = digits.as_bytes();
        let valid = b.len() == 11
            && b.iter().all(u8::is_ascii_digit)
            && b[0] == b'1'
            && (b'3'..=b'9').contains(&b[1]);
        if valid {
            Ok(Self(digits))
        } else {
            Err(FieldError::Invalid)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// 138****1234: how a number is shown anywhere but where staff need it whole.
    pub fn masked(&self) -> String {
        mask_phone(&self.0)
    }
}

/// Read back (from what a phone kept) through the same rules as typed input, so a kept
/// number is always a valid one.
impl<'de> Deserialize<'de> for PhoneNumber {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(|_| serde::de::Error::custom("not a mobile number"))
    }
}

/// Masks the middle four digits of an 11-digit number; anything else is masked whole.
pub fn mask_phone(phone: &str) -> String {
    if phone.len() == 11 && phone.is_ascii() {
        format!("{}****{}", &phone[..3], &phone[7..])
    } else {
        "*".repeat(phone.chars().count())
    }
}

/// A name as typed, its runs of spaces made one: present, and 2 to `max` characters.
pub(crate) fn name_text(input: &str, max: usize) -> Result<String, FieldError> {
    let collapsed = input.split_whitespace().collect::<Vec<_>>().join(" ");
    match collapsed.chars().count() {
        0 => Err(FieldError::Required),
        n if n > max => Err(FieldError::TooLong),
        1 => Err(FieldError::TooShort),
        _ => Ok(collapsed),
    }
}

/// A person's name as they write it: Chinese, or letters with spaces, `·`, `.`, `-`, `'`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonName(String);

impl PersonName {
    pub const MAX_CHARS: usize = 30;

    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let collapsed = name_text(input, Self::MAX_CHARS)?;
        // Digits, markup and control characters are never part of a name; refusing them
        // also keeps `<script>` out of every list a staff member will read.
        let allowed =
            |c: char| c.is_alphabetic() || matches!(c, ' ' | '·' | '•' | '.' | '-' | '\'');
        if !collapsed.chars().all(allowed) || !collapsed.chars().any(char::is_alphabetic) {
            return Err(FieldError::Invalid);
        }
        Ok(Self(collapsed))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How many people come, the person signing up or booking included, from 1 to `MAX`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Headcount<const MAX: u8>(u8);

/// People coming to an event: up to four.
pub type PartySize = Headcount<4>;

impl<const MAX: u8> Headcount<MAX> {
    pub const MAX: u8 = MAX;

    pub fn new(n: i64) -> Result<Self, FieldError> {
        if (1..=i64::from(MAX)).contains(&n) {
            Ok(Self(n as u8))
        } else {
            Err(FieldError::OutOfRange)
        }
    }

    /// From a form field's text.
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let t = input.trim();
        if t.is_empty() {
            return Err(FieldError::Required);
        }
        t.parse::<i64>()
            .map_err(|_| FieldError::Invalid)
            .and_then(Self::new)
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

/// The 8-character code a person keeps to find and cancel a sign-up. Its alphabet leaves
/// out the characters people confuse when reading a code aloud or off a screen: 0/O, 1/I/L.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String")]
pub struct RegistrationCode(String);

impl RegistrationCode {
    pub const ALPHABET: &'static [u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    pub const LEN: usize = 8;

    /// Accepts lower case and the spaces or dashes people add when copying.
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let code: String = input
            .chars()
            .filter(|c| !matches!(c, ' ' | '-'))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if code.is_empty() {
            return Err(FieldError::Required);
        }
        let valid = code.len() == Self::LEN && code.bytes().all(|b| Self::ALPHABET.contains(&b));
        if valid {
            Ok(Self(code))
        } else {
            Err(FieldError::Invalid)
        }
    }

    /// Builds a code from 8 random numbers (any values; each picks a letter).
    pub fn from_random(random: [u32; Self::LEN]) -> Self {
        let n = Self::ALPHABET.len() as u32;
        Self(
            random
                .iter()
                .map(|r| char::from(Self::ALPHABET[(r % n) as usize]))
                .collect(),
        )
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for RegistrationCode {
    type Error = &'static str;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s).map_err(|_| "not a registration code")
    }
}

impl fmt::Display for RegistrationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The sign-up form as sent. Fields are loose on purpose: the server must answer any body
/// with per-field errors, which needs the body to deserialize first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NewRegistration {
    /// The person signing up, or an organisation's contact.
    pub name: String,
    pub phone: String,
    /// People coming: 1-4 for a person, 1-10 for an organisation.
    pub party_size: i64,
    /// Present when an organisation signs up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<NewOrganisation>,
}

/// A sign-up that passed every rule.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidRegistration {
    pub name: PersonName,
    pub phone: PhoneNumber,
    /// Within [`PartySize`] for a person, [`Attendees`] for an organisation.
    pub party_size: u8,
    pub organisation: Option<Organisation>,
}

impl NewRegistration {
    pub fn validate(&self) -> Result<ValidRegistration, FieldErrors> {
        match &self.organisation {
            None => ValidRegistration::from_parts(
                &self.name,
                &self.phone,
                PartySize::new(self.party_size),
            ),
            Some(org) => ValidRegistration::for_organisation(
                org,
                &self.name,
                &self.phone,
                Attendees::new(self.party_size),
            ),
        }
    }
}

impl ValidRegistration {
    /// Applies every rule and reports every problem at once: the form on the phone and the
    /// server both come here, the form with the party size as typed, the server as sent.
    pub fn from_parts(
        name: &str,
        phone: &str,
        party_size: Result<PartySize, FieldError>,
    ) -> Result<Self, FieldErrors> {
        let party_size = party_size.map(PartySize::get);
        Self::checked(name, phone, party_size, None)
    }

    /// An organisation's sign-up: its name and code, and the contact who answers for it.
    pub fn for_organisation(
        org: &NewOrganisation,
        contact: &str,
        phone: &str,
        attendees: Result<Attendees, FieldError>,
    ) -> Result<Self, FieldErrors> {
        let org = (
            OrganisationName::parse(&org.name),
            CreditCode::parse(&org.credit_code),
        );
        Self::checked(contact, phone, attendees.map(Attendees::get), Some(org))
    }

    fn checked(
        name: &str,
        phone: &str,
        party_size: Result<u8, FieldError>,
        org: Option<(
            Result<OrganisationName, FieldError>,
            Result<CreditCode, FieldError>,
        )>,
    ) -> Result<Self, FieldErrors> {
        let (name, phone) = (PersonName::parse(name), PhoneNumber::parse(phone));
        let mut errors: FieldErrors = [
            ("name", name.as_ref().err()),
            ("phone", phone.as_ref().err()),
            ("party_size", party_size.as_ref().err()),
        ]
        .into_iter()
        .filter_map(|(field, error)| error.map(|&e| (field.to_string(), e)))
        .collect();
        let organisation = match org {
            None => None,
            Some((Ok(name), Ok(credit_code))) => Some(Organisation { name, credit_code }),
            Some((name, code)) => {
                for (field, error) in [
                    ("organisation.name", name.err()),
                    ("organisation.credit_code", code.err()),
                ] {
                    if let Some(e) = error {
                        errors.insert(field.to_string(), e);
                    }
                }
                None
            }
        };
        match (name, phone, party_size) {
            (Ok(name), Ok(phone), Ok(party_size)) if errors.is_empty() => Ok(Self {
                name,
                phone,
                party_size,
                organisation,
            }),
            _ => Err(errors),
        }
    }

    /// The form as it would be sent again (the outbox keeps it so).
    pub fn to_new(&self) -> NewRegistration {
        NewRegistration {
            name: self.name.as_str().to_string(),
            phone: self.phone.as_str().to_string(),
            party_size: i64::from(self.party_size),
            organisation: self.organisation.as_ref().map(|o| NewOrganisation {
                name: o.name.as_str().to_string(),
                credit_code: o.credit_code.as_str().to_string(),
            }),
        }
    }
}

/// Body of look-up and cancel: the phone proves the code is yours, and never travels in a
/// URL.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhoneRequest {
    pub phone: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationStatus {
    Registered,
    Waitlisted,
    Cancelled,
}

impl RegistrationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Registered => "registered",
            Self::Waitlisted => "waitlisted",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Registered, Self::Waitlisted, Self::Cancelled]
            .into_iter()
            .find(|v| v.as_str() == s)
    }

    pub fn is_active(self) -> bool {
        self != Self::Cancelled
    }
}

/// What the server answers to a sign-up, a look-up or a cancel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegistrationReceipt {
    pub code: RegistrationCode,
    pub status: RegistrationStatus,
    /// 1 for the first person waiting; present only while waitlisted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waitlist_position: Option<u32>,
    pub name: String,
    pub phone_masked: String,
    pub party_size: u8,
    pub event: EventSummary,
    /// The organisation that signed up (the name above is its contact's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<OrganisationShown>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_accepts_what_people_type() {
        for input in [
            "13800138000",
            " 138 0013 8000 ",
            "138-0013-8000",
            "+86 138 0013 8000",
            "8613800138000",
            "0086 13800138000",
        ] {
            assert_eq!(
                PhoneNumber::parse(input).unwrap().as_str(),
                "13800138000",
                "{input}"
            );
        }
    }

    #[test]
    fn phone_refuses_what_is_not_a_mobile_number() {
        assert_eq!(PhoneNumber::parse("   "), Err(FieldError::Required));
        for input in [
            "1380013800",
            "138001380001",
            "12800138000",
            "23800138000",
            "1380013800a",
            "021-5742 1234",
            "１３８００１３８０００",
        ] {
            assert_eq!(
                PhoneNumber::parse(input),
                Err(FieldError::Invalid),
                "{input}"
            );
        }
        assert_eq!(
            PhoneNumber::parse(&"1".repeat(21)),
            Err(FieldError::TooLong)
        );
    }

    #[test]
    fn phone_is_masked_for_display() {
        assert_eq!(
            PhoneNumber::parse("13800138000").unwrap().masked(),
            "138****8000"
        );
        assert_eq!(mask_phone("12"), "**");
    }

    #[test]
    fn names_in_chinese_and_latin_letters() {
        for input in [
            "张三",
            "欧阳娜娜",
            "阿卜杜·热合曼",
            "Mary O'Neil",
            "Jean-Luc Picard",
            "  李   四 ",
        ] {
            assert!(PersonName::parse(input).is_ok(), "{input}");
        }
        assert_eq!(PersonName::parse("  李   四 ").unwrap().as_str(), "李 四");
    }

    #[test]
    fn names_refuse_markup_digits_and_extremes() {
        assert_eq!(PersonName::parse(""), Err(FieldError::Required));
        assert_eq!(PersonName::parse("李"), Err(FieldError::TooShort));
        assert_eq!(
            PersonName::parse(&"张".repeat(31)),
            Err(FieldError::TooLong)
        );
        assert!(PersonName::parse(&"张".repeat(30)).is_ok());
        for input in [
            "<script>alert(1)</script>",
            "张三1",
            "Bob; DROP TABLE",
            "--",
            "a\u{0}b",
            "张三<b>",
        ] {
            assert_eq!(
                PersonName::parse(input),
                Err(FieldError::Invalid),
                "{input}"
            );
        }
    }

    #[test]
    fn party_size_is_one_to_four() {
        assert_eq!(PartySize::new(0), Err(FieldError::OutOfRange));
        assert_eq!(PartySize::new(1).unwrap().get(), 1);
        assert_eq!(PartySize::new(4).unwrap().get(), 4);
        assert_eq!(PartySize::new(5), Err(FieldError::OutOfRange));
        assert_eq!(PartySize::new(-1), Err(FieldError::OutOfRange));
        assert_eq!(PartySize::parse(" 2 ").unwrap().get(), 2);
        assert_eq!(PartySize::parse(""), Err(FieldError::Required));
        assert_eq!(PartySize::parse("two"), Err(FieldError::Invalid));
    }

    #[test]
    fn codes_have_no_look_alike_characters() {
        for c in [b'0', b'O', b'1', b'I', b'L'] {
            assert!(!RegistrationCode::ALPHABET.contains(&c));
        }
        assert_eq!(
            RegistrationCode::parse("ab3d-ef7h").unwrap().as_str(),
            "AB3DEF7H"
        );
        assert_eq!(RegistrationCode::parse("AB3DEF7"), Err(FieldError::Invalid));
        assert_eq!(
            RegistrationCode::parse("AB3DEF70"),
            Err(FieldError::Invalid)
        );
        assert_eq!(
            RegistrationCode::parse("ABCDEFGI"),
            Err(FieldError::Invalid)
        );
        assert_eq!(RegistrationCode::parse(""), Err(FieldError::Required));
    }

    #[test]
    fn random_codes_are_valid_codes() {
        let code = RegistrationCode::from_random([0, 1, 2, 30, 31, 99, u32::MAX, 7]);
        assert_eq!(code.as_str().len(), 8);
        assert_eq!(RegistrationCode::parse(code.as_str()), Ok(code));
    }

    #[test]
    fn a_registration_reports_every_bad_field_at_once() {
        let bad = NewRegistration {
            name: "<b>".into(),
            phone: "123".into(),
            party_size: 9,
            organisation: None,
        };
        let errors = bad.validate().unwrap_err();
        assert_eq!(errors.len(), 3);
        assert_eq!(errors["name"], FieldError::Invalid);
        assert_eq!(errors["phone"], FieldError::Invalid);
        assert_eq!(errors["party_size"], FieldError::OutOfRange);

        let good = NewRegistration {
            name: "张三".into(),
            phone: "13800138000".into(),
            party_size: 2,
            organisation: None,
        };
        let valid = good.validate().unwrap();
        assert_eq!(valid.party_size, 2);
        assert_eq!(valid.to_new(), good);
    }

    #[test]
    fn an_organisation_sends_up_to_ten_and_every_bad_field_is_named() {
        let company = NewRegistration {
            name: "王质量".into(),
            phone: "13800138000".into(),
            party_size: 10,
            organisation: Some(NewOrganisation {
                name: "上海贤达质量技术有限公司".into(),
                credit_code: "91330100716105852f".into(),
            }),
        };
        let valid = company.validate().unwrap();
        assert_eq!(valid.party_size, 10);
        let org = valid.organisation.as_ref().unwrap();
        assert_eq!(org.credit_code.as_str(), "91330100716105852F");
        assert_eq!(valid.to_new().validate().unwrap(), valid);

        let mut bad = company.clone();
        bad.party_size = 11;
        bad.organisation = Some(NewOrganisation {
            name: String::new(),
            credit_code: "91330100716105853F".into(),
        });
        let errors = bad.validate().unwrap_err();
        assert_eq!(errors["party_size"], FieldError::OutOfRange);
        assert_eq!(errors["organisation.name"], FieldError::Required);
        assert_eq!(
            errors["organisation.credit_code"],
            FieldError::CheckCharacter
        );
        assert_eq!(errors.len(), 3);
        // A person still brings at most four.
        let mut person = company;
        person.organisation = None;
        assert_eq!(
            person.validate().unwrap_err()["party_size"],
            FieldError::OutOfRange
        );
    }

    #[test]
    fn statuses_round_trip() {
        for s in [
            RegistrationStatus::Registered,
            RegistrationStatus::Waitlisted,
            RegistrationStatus::Cancelled,
        ] {
            assert_eq!(RegistrationStatus::parse(s.as_str()), Some(s));
        }
        assert!(!RegistrationStatus::Cancelled.is_active());
    }
}
