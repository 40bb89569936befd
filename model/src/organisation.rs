//! Organisations signing up: companies, chambers of commerce, parks' management. Each is
//! named by its 统一社会信用代码 (unified social credit code, GB 32100-2015), whose last
//! character checks the other seventeen, so a phone can say at once that a character was
//! mistyped.

use crate::error::FieldError;
use serde::{Deserialize, Serialize};

slugged! {
    /// Who may sign up for an event: people, organisations, or both.
    Audience {
        Residents => "residents",
        Organisations => "organisations",
        Both => "both",
    }
}

impl Default for Audience {
    /// What every event was before organisations could sign up.
    fn default() -> Self {
        Self::Residents
    }
}

impl Audience {
    pub fn takes_residents(self) -> bool {
        matches!(self, Self::Residents | Self::Both)
    }

    pub fn takes_organisations(self) -> bool {
        matches!(self, Self::Organisations | Self::Both)
    }
}

/// A 统一社会信用代码: 18 characters of the code's alphabet, the last one the check
/// character of the first seventeen.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CreditCode(String);

impl CreditCode {
    pub const LEN: usize = 18;
    /// The code's 31 characters: digits and capitals without I, O, Z, S and V.
    pub const ALPHABET: &'static [u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    /// GB 32100-2015: the weight of each of the first 17 positions is 3^(i) mod 31.
    const WEIGHTS: [u32; 17] = [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ];

    /// Accepts what people type or paste: lower case, spaces, and the full-width
    /// characters of a Chinese keyboard. A wrong last character is `CheckCharacter`:
    /// the phone says a character is mistyped rather than that the code is not one.
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let code: String = input
            .chars()
            .map(|c| match c {
                // Full-width ASCII (U+FF01..U+FF5E) is ASCII shifted by 0xFEE0.
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                _ => c,
            })
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let len = code.chars().count();
        if len == 0 {
            return Err(FieldError::Required);
        }
        if len < Self::LEN {
            return Err(FieldError::TooShort);
        }
        if len > Self::LEN {
            return Err(FieldError::TooLong);
        }
        if !code.bytes().all(|b| Self::ALPHABET.contains(&b)) {
            return Err(FieldError::Invalid);
        }
        if Self::check_character(&code[..17]) != code.as_bytes()[17] {
            return Err(FieldError::CheckCharacter);
        }
        Ok(Self(code))
    }

    /// The check character of 17 characters of the alphabet (demo content makes valid
    /// codes with it). Panics on a character outside the alphabet.
    pub fn check_character(first17: &str) -> u8 {
        let sum: u32 = first17
            .bytes()
            .zip(Self::WEIGHTS)
            .map(|(b, w)| Self::value(b) * w)
            .sum();
        Self::ALPHABET[((31 - sum % 31) % 31) as usize]
    }

    fn value(b: u8) -> u32 {
        Self::ALPHABET
            .iter()
            .position(|&a| a == b)
            .expect("a character of the code's alphabet") as u32
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for CreditCode {
    type Error = &'static str;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s).map_err(|_| "not a unified social credit code")
    }
}

impl From<CreditCode> for String {
    fn from(c: CreditCode) -> Self {
        c.0
    }
}

/// An organisation's registered name: 2 to 60 characters, no markup or control
/// characters (staff lists show it). Brackets, digits and Latin letters are part of many
/// company names (上海某某质量技术有限公司（奉贤分公司）).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrganisationName(String);

impl OrganisationName {
    pub const MAX_CHARS: usize = 60;

    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let collapsed = crate::registration::name_text(input, Self::MAX_CHARS)?;
        let refused = |c: char| c.is_control() || matches!(c, '<' | '>' | '"' | '\\');
        if collapsed.chars().any(refused) || !collapsed.chars().any(char::is_alphabetic) {
            return Err(FieldError::Invalid);
        }
        Ok(Self(collapsed))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// People an organisation sends to one event, its contact included: up to ten.
pub type Attendees = crate::Headcount<10>;

/// The organisation part of a sign-up form as sent (loose, like the rest of it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewOrganisation {
    pub name: String,
    pub credit_code: String,
}

/// An organisation that passed every rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organisation {
    pub name: OrganisationName,
    pub credit_code: CreditCode,
}

/// An organisation as receipts, staff lists and exports show it. Neither part is personal
/// data (both are in the public business register), so both outlive the contact's name
/// and number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationShown {
    pub name: String,
    pub credit_code: String,
}

impl From<&Organisation> for OrganisationShown {
    fn from(o: &Organisation) -> Self {
        Self {
            name: o.name.as_str().to_string(),
            credit_code: o.credit_code.as_str().to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Codes as published on business licences (Huawei, Alibaba, Tencent, Baidu, SAIC).
    const PUBLISHED: [&str; 5] = [
        "914403001922038216",
        "91330100716105852F",
        "9144030071526726XG",
        "91110000802100433B",
        "91310000132200821H",
    ];

    #[test]
    fn published_codes_pass_the_check() {
        for code in PUBLISHED {
            assert_eq!(CreditCode::parse(code).unwrap().as_str(), code);
        }
    }

    #[test]
    fn every_single_character_change_of_a_published_code_is_caught() {
        for code in PUBLISHED {
            for at in 0..CreditCode::LEN {
                for &other in CreditCode::ALPHABET {
                    if other == code.as_bytes()[at] {
                        continue;
                    }
                    let mut typo = code.as_bytes().to_vec();
                    typo[at] = other;
                    let typo = String::from_utf8(typo).unwrap();
                    assert_eq!(
                        CreditCode::parse(&typo),
                        Err(FieldError::CheckCharacter),
                        "{typo} (from {code})"
                    );
                }
            }
        }
    }

    #[test]
    fn codes_are_read_as_people_type_them() {
        assert_eq!(
            CreditCode::parse(" 9133 0100 7161 0585 2f ")
                .unwrap()
                .as_str(),
            "91330100716105852F"
        );
        // A Chinese keyboard's full-width characters, its dash too.
        assert_eq!(
            CreditCode::parse("９１３３０１００－７１６１０５８５２Ｆ")
                .unwrap()
                .as_str(),
            "91330100716105852F"
        );
    }

    #[test]
    fn codes_of_the_wrong_shape_say_what_is_wrong() {
        assert_eq!(CreditCode::parse("  "), Err(FieldError::Required));
        assert_eq!(
            CreditCode::parse("9133010071610585"),
            Err(FieldError::TooShort)
        );
        assert_eq!(
            CreditCode::parse("91330100716105852FF"),
            Err(FieldError::TooLong)
        );
        // I, O, Z, S and V are not in the alphabet.
        assert_eq!(
            CreditCode::parse("91330100716105852O"),
            Err(FieldError::Invalid)
        );
        assert_eq!(
            CreditCode::parse("<script>alert(1)</"),
            Err(FieldError::Invalid)
        );
    }

    #[test]
    fn a_made_code_is_valid() {
        let first = "91310120MA1HK4K43";
        let code = format!("{first}{}", char::from(CreditCode::check_character(first)));
        assert!(CreditCode::parse(&code).is_ok(), "{code}");
    }

    #[test]
    fn organisation_names() {
        for name in [
            "上海贤达质量技术有限公司",
            "上海某某检测（奉贤分公司）",
            "奉贤区工商联 No.3 商会",
            "ABB (China) Ltd.",
        ] {
            assert!(OrganisationName::parse(name).is_ok(), "{name}");
        }
        assert_eq!(OrganisationName::parse(" "), Err(FieldError::Required));
        assert_eq!(OrganisationName::parse("某"), Err(FieldError::TooShort));
        assert_eq!(
            OrganisationName::parse(&"质".repeat(61)),
            Err(FieldError::TooLong)
        );
        for bad in ["<b>公司</b>", "12345", "公司\u{0}"] {
            assert_eq!(
                OrganisationName::parse(bad),
                Err(FieldError::Invalid),
                "{bad}"
            );
        }
    }

    #[test]
    fn audiences() {
        assert!(Audience::default().takes_residents());
        assert!(!Audience::Residents.takes_organisations());
        assert!(!Audience::Organisations.takes_residents());
        assert!(Audience::Both.takes_residents() && Audience::Both.takes_organisations());
        assert_eq!(Audience::parse("both"), Some(Audience::Both));
        assert_eq!(Attendees::MAX, 10);
    }
}
