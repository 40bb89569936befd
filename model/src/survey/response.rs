//! A response as a phone (or a paper form's typist) sends it, checked whole against the
//! version it answered.

use super::definition::{Answers, SurveyDefinition};
use crate::error::{FieldError, FieldErrors};
use crate::event::Localized;
use crate::registration::PhoneNumber;
use crate::time::BeijingTime;
use crate::vocab::Town;
use serde::{Deserialize, Serialize};

/// The open wave as the API gives it: its latest version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Survey {
    pub id: i64,
    pub wave: Localized,
    pub opens_at: BeijingTime,
    pub closes_at: BeijingTime,
    pub definition: SurveyDefinition,
}

/// A response as sent. `phone` is optional; when given, it is kept only as a salted hash,
/// to allow one response per phone per wave.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NewResponse {
    pub version: u32,
    pub answers: Answers,
    pub town: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// A response that passed every check.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedResponse {
    pub town: Town,
    pub phone: Option<PhoneNumber>,
}

impl NewResponse {
    /// Checks the response against `definition`, the version it names (`None` when that
    /// version does not exist): the town, the optional phone number and every answer, each
    /// problem by field or question id.
    pub fn check(
        &self,
        definition: Option<&SurveyDefinition>,
    ) -> Result<CheckedResponse, FieldErrors> {
        let mut errors = FieldErrors::new();
        let town = Town::from_slug(&self.town);
        if town.is_none() {
            let e = if self.town.is_empty() {
                FieldError::Required
            } else {
                FieldError::Invalid
            };
            errors.insert("town".into(), e);
        }
        let phone = match self.phone.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(p) => PhoneNumber::parse(p)
                .map_err(|e| errors.insert("phone".into(), e))
                .ok(),
        };
        match definition {
            None => {
                errors.insert("version".into(), FieldError::Invalid);
            }
            Some(d) => {
                if let Err(e) = d.check_answers(&self.answers) {
                    errors.extend(e);
                }
            }
        }
        match town {
            Some(town) if errors.is_empty() => Ok(CheckedResponse { town, phone }),
            _ => Err(errors),
        }
    }
}

/// What the server answers to a stored response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponseReceipt {
    /// A short reference the resident can quote.
    pub reference: String,
    pub survey_id: i64,
    pub version: u32,
}
