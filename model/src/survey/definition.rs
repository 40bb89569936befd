//! A wave's questions: their kinds, skip logic, the rules a definition must meet, and
//! whether an answer set meets the definition.

use crate::error::{FieldError, FieldErrors};
use crate::event::Localized;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// What a question is about; the index is computed per dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    Product,
    Service,
    Construction,
    Environment,
    Overall,
    /// Who answers (town, age band): not part of any index.
    Respondent,
}

impl Dimension {
    /// The dimensions that have a satisfaction index of their own.
    pub const RATED: [Self; 4] = [
        Self::Product,
        Self::Service,
        Self::Construction,
        Self::Environment,
    ];
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub value: String,
    pub label: Localized,
}

/// The kinds of question, with what each accepts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum QuestionKind {
    /// One of the options.
    Single { options: Vec<Choice> },
    /// 非常不满意 (1) … 非常满意 (5), or `"dont_know"` (不了解).
    Scale5,
    /// 0 to 10.
    Rating10,
    /// Up to `max` of the options.
    Multiple { options: Vec<Choice>, max: u8 },
    /// Short free text, at most `max_chars`.
    Text { max_chars: u16 },
}

/// Show a question only when an earlier answer is one of some values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShowIf {
    pub question: String,
    pub any_of: Vec<AnswerValue>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub id: String,
    pub dimension: Dimension,
    pub text: Localized,
    #[serde(flatten)]
    pub kind: QuestionKind,
    pub required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_if: Option<ShowIf>,
}

/// One version of a wave's questions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyDefinition {
    pub version: u32,
    pub questions: Vec<Question>,
}

/// An answer as sent: a number (scale, rating), a text (single choice, `"dont_know"`,
/// free text) or a list (multiple choice).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AnswerValue {
    Number(i64),
    Text(String),
    Many(Vec<String>),
}

/// The scale's "don't know" (不了解), excluded from every index.
pub const DONT_KNOW: &str = "dont_know";

pub type Answers = BTreeMap<String, AnswerValue>;

/// Why a definition cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DefinitionError {
    DuplicateId(String),
    NoOptions(String),
    /// `show_if` names a question that does not exist or does not come earlier.
    UnknownCondition {
        question: String,
        refers_to: String,
    },
    /// `show_if` lists a value the referenced question cannot have.
    ImpossibleCondition {
        question: String,
    },
    /// Questions whose conditions refer to each other in a loop.
    Cycle(String),
    BadMaximum(String),
    /// A question without its Chinese or English text (checked on what staff write).
    NoText(String),
    /// An id that is not 1–40 of `a-z`, `0-9`, `_`, or one the API uses for itself.
    BadId(String),
    /// The `town` question missing, optional, or with options that are not the towns.
    NoTownQuestion,
    /// While the wave is open only texts may change: not ids, kinds, options, dimensions
    /// or skip logic (answers already in are scored against them).
    ShapeChanged(String),
}

impl DefinitionError {
    /// The question the problem is in.
    pub fn question(&self) -> &str {
        match self {
            Self::DuplicateId(q)
            | Self::NoOptions(q)
            | Self::Cycle(q)
            | Self::BadMaximum(q)
            | Self::NoText(q)
            | Self::BadId(q)
            | Self::ShapeChanged(q)
            | Self::UnknownCondition { question: q, .. }
            | Self::ImpossibleCondition { question: q } => q,
            Self::NoTownQuestion => "town",
        }
    }

    /// The problem as an API field reason.
    pub fn reason(&self) -> FieldError {
        match self {
            Self::DuplicateId(_) => FieldError::Duplicate,
            Self::NoOptions(_) => FieldError::NoOptions,
            Self::UnknownCondition { .. } => FieldError::UnknownReference,
            Self::ImpossibleCondition { .. } | Self::BadMaximum(_) => FieldError::OutOfRange,
            Self::Cycle(_) => FieldError::Cycle,
            Self::NoText(_) | Self::NoTownQuestion => FieldError::Required,
            Self::BadId(_) | Self::ShapeChanged(_) => FieldError::Invalid,
        }
    }

    /// Every problem keyed by its question's id (the first problem of each question), as
    /// the API reports them.
    pub fn by_question(errors: &[Self]) -> FieldErrors {
        let mut out = FieldErrors::new();
        for e in errors {
            out.entry(e.question().to_string()).or_insert(e.reason());
        }
        out
    }
}

/// Largest definition (questions) a wave may have: a paper questionnaire of four pages.
pub const MAX_QUESTIONS: usize = 80;

impl SurveyDefinition {
    /// Checks the definition when it is loaded: unique ids, options where needed, and skip
    /// logic that refers to existing questions, with possible values, without loops.
    pub fn validate(&self) -> Result<(), Vec<DefinitionError>> {
        let mut errors = Vec::new();
        let mut seen = BTreeSet::new();
        for q in &self.questions {
            if !seen.insert(q.id.as_str()) {
                errors.push(DefinitionError::DuplicateId(q.id.clone()));
            }
            match &q.kind {
                QuestionKind::Single { options } if options.is_empty() => {
                    errors.push(DefinitionError::NoOptions(q.id.clone()))
                }
                QuestionKind::Multiple { options, max } => {
                    if options.is_empty() {
                        errors.push(DefinitionError::NoOptions(q.id.clone()));
                    } else if *max == 0 || usize::from(*max) > options.len() {
                        errors.push(DefinitionError::BadMaximum(q.id.clone()));
                    }
                }
                _ => {}
            }
        }
        for q in &self.questions {
            let Some(cond) = &q.show_if else { continue };
            match self.question(&cond.question) {
                None => errors.push(DefinitionError::UnknownCondition {
                    question: q.id.clone(),
                    refers_to: cond.question.clone(),
                }),
                Some(target) => {
                    if cond.any_of.is_empty()
                        || cond.any_of.iter().any(|v| check(target, v).is_err())
                    {
                        errors.push(DefinitionError::ImpossibleCondition {
                            question: q.id.clone(),
                        });
                    }
                }
            }
        }
        errors.extend(self.cycles().into_iter().map(DefinitionError::Cycle));
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Questions on a loop of conditions (each would wait for another to be shown).
    fn cycles(&self) -> Vec<String> {
        let mut out = Vec::new();
        for q in &self.questions {
            let mut at = q;
            let mut steps = 0;
            while let Some(cond) = &at.show_if {
                let Some(next) = self.question(&cond.question) else {
                    break;
                };
                steps += 1;
                if next.id == q.id {
                    out.push(q.id.clone());
                    break;
                }
                if steps > self.questions.len() {
                    break;
                }
                at = next;
            }
        }
        out
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    /// Whether `q` is shown, given the answers so far: a question without a condition is;
    /// one with a condition is when its question is shown and answered with a listed value.
    pub fn is_shown(&self, q: &Question, answers: &Answers) -> bool {
        self.shown_within(q, answers, self.questions.len())
    }

    fn shown_within(&self, q: &Question, answers: &Answers, depth: usize) -> bool {
        let Some(cond) = &q.show_if else { return true };
        if depth == 0 {
            return false;
        }
        let Some(target) = self.question(&cond.question) else {
            return false;
        };
        self.shown_within(target, answers, depth - 1)
            && answers
                .get(&target.id)
                .is_some_and(|a| cond.any_of.contains(a))
    }

    /// The questions to ask, in order, given the answers so far.
    pub fn shown<'a>(&'a self, answers: &'a Answers) -> impl Iterator<Item = &'a Question> + 'a {
        self.questions.iter().filter(|q| self.is_shown(q, answers))
    }

    /// Checks a whole answer set, reporting every problem by question id: unknown
    /// questions, answers to hidden questions, values out of range, too many choices and
    /// required questions left out.
    pub fn check_answers(&self, answers: &Answers) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        for (id, value) in answers {
            match self.question(id) {
                None => {
                    errors.insert(id.clone(), FieldError::Unexpected);
                }
                Some(q) if !self.is_shown(q, answers) => {
                    errors.insert(id.clone(), FieldError::Unexpected);
                }
                Some(q) => {
                    if let Err(e) = check(q, value) {
                        errors.insert(id.clone(), e);
                    }
                }
            }
        }
        for q in self.shown(answers) {
            if q.required && !answers.contains_key(&q.id) {
                errors.insert(q.id.clone(), FieldError::Required);
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// Whether `value` is a possible answer to `q`.
pub fn check(q: &Question, value: &AnswerValue) -> Result<(), FieldError> {
    let has = |options: &[Choice], v: &str| options.iter().any(|o| o.value == v);
    match (&q.kind, value) {
        (QuestionKind::Single { options }, AnswerValue::Text(v)) if has(options, v) => Ok(()),
        (QuestionKind::Scale5, AnswerValue::Number(n)) if (1..=5).contains(n) => Ok(()),
        (QuestionKind::Scale5, AnswerValue::Text(v)) if v == DONT_KNOW => Ok(()),
        (QuestionKind::Rating10, AnswerValue::Number(n)) if (0..=10).contains(n) => Ok(()),
        (QuestionKind::Multiple { options, max }, AnswerValue::Many(vs)) => {
            let distinct: BTreeSet<&String> = vs.iter().collect();
            if vs.is_empty() || distinct.len() != vs.len() {
                Err(FieldError::Invalid)
            } else if vs.len() > usize::from(*max) {
                Err(FieldError::TooMany)
            } else if vs.iter().all(|v| has(options, v)) {
                Ok(())
            } else {
                Err(FieldError::OutOfRange)
            }
        }
        (QuestionKind::Text { max_chars }, AnswerValue::Text(v)) => {
            if v.chars().count() > usize::from(*max_chars) {
                Err(FieldError::TooLong)
            } else if v.chars().any(|c| c.is_control() && c != '\n') {
                Err(FieldError::Invalid)
            } else {
                Ok(())
            }
        }
        (QuestionKind::Single { .. } | QuestionKind::Scale5 | QuestionKind::Rating10, _)
        | (QuestionKind::Multiple { .. }, _) => Err(FieldError::OutOfRange),
        (QuestionKind::Text { .. }, _) => Err(FieldError::Invalid),
    }
}
