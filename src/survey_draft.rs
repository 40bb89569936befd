//! The survey as it is being answered, kept on the phone after every answer so that
//! closing the app and coming back resumes at the same question. Also the reference of a
//! response already sent, so a wave is not offered twice.

use gloo_storage::{LocalStorage, Storage};
use model::survey::{AnswerValue, Answers, Question, QuestionKind, Survey, SurveyDefinition};
use serde::{Deserialize, Serialize};

use crate::api::IdempotencyKey;

const DRAFT_KEY: &str = "qm.survey.draft";
const DONE_KEY: &str = "qm.survey.done";
/// A definition staff are editing, handed from the staff app to the residents' preview
/// (same origin, same browser); never sent anywhere.
const PREVIEW_KEY: &str = "qm.survey.preview";

/// Keeps `survey` for the residents' app to preview (the staff app's editor).
pub fn keep_preview(survey: &Survey) {
    let _ = LocalStorage::set(PREVIEW_KEY, survey);
}

/// The wave the staff app last asked to preview.
pub fn preview() -> Option<Survey> {
    LocalStorage::get(PREVIEW_KEY).ok()
}

/// Where the person is in the survey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Position {
    Intro,
    Question(String),
    /// A question opened from the check page to change its answer.
    Change(String),
    Check,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub survey_id: i64,
    pub version: u32,
    pub answers: Answers,
    pub at: Position,
    /// Made once for this set of answers; every retry of the submission sends it.
    pub key: IdempotencyKey,
    pub phone: String,
}

impl Draft {
    pub fn new(survey: &Survey) -> Self {
        Self {
            survey_id: survey.id,
            version: survey.definition.version,
            answers: Answers::new(),
            at: Position::Intro,
            key: IdempotencyKey::new(),
            phone: String::new(),
        }
    }

    /// The draft kept for this wave and version, if any.
    pub fn load(survey: &Survey) -> Option<Self> {
        LocalStorage::get::<Self>(DRAFT_KEY)
            .ok()
            .filter(|d| d.survey_id == survey.id && d.version == survey.definition.version)
    }

    pub fn store(&self) {
        let _ = LocalStorage::set(DRAFT_KEY, self);
    }

    pub fn forget() {
        LocalStorage::delete(DRAFT_KEY);
    }

    /// Only the answers to questions still shown: a changed answer can hide a follow-up
    /// answered earlier, and the server refuses answers to hidden questions.
    pub fn shown_answers(&self, definition: &SurveyDefinition) -> Answers {
        self.answers
            .iter()
            .filter(|(id, _)| {
                definition
                    .question(id)
                    .is_some_and(|q| definition.is_shown(q, &self.answers))
            })
            .map(|(id, v)| (id.clone(), v.clone()))
            .collect()
    }
}

/// The reference of the response this phone sent for a wave.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sent {
    pub survey_id: i64,
    pub reference: String,
}

impl Sent {
    /// Marks the wave answered on this phone when the outbox delivers the answers.
    pub fn keep_deliveries(outbox: crate::offline::Outbox) {
        outbox.on_done(|_, done| {
            if let crate::offline::Done::Response(receipt) = done {
                Sent {
                    survey_id: receipt.survey_id,
                    reference: receipt.reference.clone(),
                }
                .store();
            }
        });
    }

    pub fn load(survey_id: i64) -> Option<Self> {
        LocalStorage::get::<Self>(DONE_KEY)
            .ok()
            .filter(|s| s.survey_id == survey_id)
    }

    pub fn store(&self) {
        let _ = LocalStorage::set(DONE_KEY, self);
    }
}

/// The question after `id` that is shown given `answers`, if any.
pub fn next_question<'a>(
    definition: &'a SurveyDefinition,
    answers: &Answers,
    id: &str,
) -> Option<&'a Question> {
    let at = definition.questions.iter().position(|q| q.id == id)?;
    definition.questions[at + 1..]
        .iter()
        .find(|q| definition.is_shown(q, answers))
}

/// The question before `id` that is shown given `answers`, if any.
pub fn previous_question<'a>(
    definition: &'a SurveyDefinition,
    answers: &Answers,
    id: &str,
) -> Option<&'a Question> {
    let at = definition.questions.iter().position(|q| q.id == id)?;
    definition.questions[..at]
        .iter()
        .rev()
        .find(|q| definition.is_shown(q, answers))
}

/// What a form field holds, as the answer it stands for: radio and text fields give text,
/// check boxes a list. `None` when nothing is given.
pub fn to_answer(q: &Question, text: &str, many: &[String]) -> Option<AnswerValue> {
    match &q.kind {
        QuestionKind::Multiple { .. } if many.is_empty() => None,
        QuestionKind::Multiple { .. } => Some(AnswerValue::Many(many.to_vec())),
        _ if text.trim().is_empty() => None,
        QuestionKind::Scale5 | QuestionKind::Rating10 => match text.parse::<i64>() {
            Ok(n) => Some(AnswerValue::Number(n)),
            Err(_) => Some(AnswerValue::Text(text.to_string())),
        },
        QuestionKind::Single { .. } => Some(AnswerValue::Text(text.to_string())),
        QuestionKind::Text { .. } => Some(AnswerValue::Text(text.trim().to_string())),
    }
}

/// The form's text for a stored answer (radio value or free text).
pub fn answer_text(value: Option<&AnswerValue>) -> String {
    match value {
        Some(AnswerValue::Number(n)) => n.to_string(),
        Some(AnswerValue::Text(t)) => t.clone(),
        Some(AnswerValue::Many(_)) | None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::Localized;
    use model::survey::{Dimension, ShowIf};

    fn q(id: &str, kind: QuestionKind) -> Question {
        Question {
            id: id.into(),
            dimension: Dimension::Construction,
            text: Localized {
                zh: id.into(),
                en: id.into(),
            },
            kind,
            required: true,
            show_if: None,
        }
    }

    fn definition() -> SurveyDefinition {
        let mut follow = q("follow", QuestionKind::Text { max_chars: 20 });
        follow.show_if = Some(ShowIf {
            question: "housing".into(),
            any_of: vec![AnswerValue::Number(1)],
        });
        SurveyDefinition {
            version: 1,
            questions: vec![
                q("housing", QuestionKind::Scale5),
                follow,
                q("overall", QuestionKind::Rating10),
            ],
        }
    }

    #[test]
    fn next_and_back_follow_the_skip_logic() {
        let d = definition();
        let mut answers = Answers::new();
        answers.insert("housing".into(), AnswerValue::Number(4));
        assert_eq!(
            next_question(&d, &answers, "housing").unwrap().id,
            "overall"
        );
        assert_eq!(
            previous_question(&d, &answers, "overall").unwrap().id,
            "housing"
        );
        answers.insert("housing".into(), AnswerValue::Number(1));
        assert_eq!(next_question(&d, &answers, "housing").unwrap().id, "follow");
        assert_eq!(
            previous_question(&d, &answers, "overall").unwrap().id,
            "follow"
        );
        assert!(next_question(&d, &answers, "overall").is_none());
        assert!(previous_question(&d, &answers, "housing").is_none());
    }

    #[test]
    fn form_values_become_answers() {
        let d = definition();
        let housing = d.question("housing").unwrap();
        assert_eq!(to_answer(housing, "4", &[]), Some(AnswerValue::Number(4)));
        assert_eq!(
            to_answer(housing, "dont_know", &[]),
            Some(AnswerValue::Text("dont_know".into()))
        );
        assert_eq!(to_answer(housing, "", &[]), None);
        let follow = d.question("follow").unwrap();
        assert_eq!(
            to_answer(follow, "  leaks ", &[]),
            Some(AnswerValue::Text("leaks".into()))
        );
        let many = q(
            "m",
            QuestionKind::Multiple {
                options: vec![],
                max: 2,
            },
        );
        assert_eq!(to_answer(&many, "", &[]), None);
        assert_eq!(
            to_answer(&many, "", &["a".into()]),
            Some(AnswerValue::Many(vec!["a".into()]))
        );
        assert_eq!(answer_text(Some(&AnswerValue::Number(7))), "7");
    }
}
