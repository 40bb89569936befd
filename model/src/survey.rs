//! The citizen quality-satisfaction survey (市民质量满意度): a versioned definition of
//! questions with simple skip logic, the rules an answer set must meet, and the
//! satisfaction index.
//!
//! The phone applies these rules question by question; the server applies them again to
//! the whole answer set against the exact version that was answered.

pub use crate::count::{PublicCount, SMALLEST_PUBLISHED_COUNT};
use crate::error::{FieldError, FieldErrors};
use crate::event::Localized;
use crate::registration::PhoneNumber;
use crate::time::BeijingTime;
use crate::vocab::Town;
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

/// A 5-point answer on the index's 0–100 scale: 1 → 0, 2 → 25, 3 → 50, 4 → 75, 5 → 100.
/// "Don't know" and anything else has no score.
pub fn scale_score(value: &AnswerValue) -> Option<f64> {
    match value {
        AnswerValue::Number(n) if (1..=5).contains(n) => Some((*n - 1) as f64 * 25.0),
        _ => None,
    }
}

impl SurveyDefinition {
    /// One response's scored answers per rated dimension: (sum of scores, how many).
    pub fn scores(&self, answers: &Answers) -> BTreeMap<Dimension, (f64, u32)> {
        let mut out: BTreeMap<Dimension, (f64, u32)> = BTreeMap::new();
        for q in &self.questions {
            if q.kind != QuestionKind::Scale5 || !Dimension::RATED.contains(&q.dimension) {
                continue;
            }
            if let Some(score) = answers.get(&q.id).and_then(scale_score) {
                let e = out.entry(q.dimension).or_default();
                e.0 += score;
                e.1 += 1;
            }
        }
        out
    }
}

/// The satisfaction index of a group of responses.
///
/// - A dimension's index is the mean score of every 5-point answer to that dimension's
///   questions, over all responses (`scale_score`; "don't know" left out). A dimension
///   with no scored answer has no index.
/// - The overall index is the mean of the dimension indices that exist, each weighing the
///   same, so a dimension with more questions does not count more.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SatisfactionIndex {
    /// Dimension → index, for the dimensions with at least one scored answer.
    pub by_dimension: BTreeMap<Dimension, f64>,
    pub overall: Option<f64>,
}

impl SatisfactionIndex {
    pub fn compute<'a>(
        definition: &SurveyDefinition,
        responses: impl IntoIterator<Item = &'a Answers>,
    ) -> Self {
        let mut sums: BTreeMap<Dimension, (f64, u32)> = BTreeMap::new();
        for answers in responses {
            for (d, (sum, n)) in definition.scores(answers) {
                let e = sums.entry(d).or_default();
                e.0 += sum;
                e.1 += n;
            }
        }
        let means: BTreeMap<Dimension, f64> = sums
            .into_iter()
            .map(|(d, (sum, n))| (d, sum / f64::from(n)))
            .collect();
        // Rounded for showing only after the overall mean is taken from exact values.
        let overall =
            (!means.is_empty()).then(|| round1(means.values().sum::<f64>() / means.len() as f64));
        Self {
            by_dimension: means.into_iter().map(|(d, m)| (d, round1(m))).collect(),
            overall,
        }
    }
}

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

/// How often each answer was given to one closed question (single, scale, rating,
/// multiple); keys are the answer values as text (`"4"`, `"dont_know"`, `"leaks"`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Distribution {
    pub question: String,
    pub dimension: Dimension,
    pub answered: PublicCount,
    pub counts: BTreeMap<String, PublicCount>,
}

/// Results for one town, or for `"other"`: the towns with fewer than
/// [`SMALLEST_REPORTED_GROUP`] responses together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupResult {
    pub town: String,
    pub responses: PublicCount,
    pub index: SatisfactionIndex,
}

/// `GET /api/surveys/{id}/results`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveyResults {
    pub survey_id: i64,
    pub responses: PublicCount,
    pub index: SatisfactionIndex,
    pub distributions: Vec<Distribution>,
    pub by_town: Vec<GroupResult>,
}

/// No group smaller than this is reported on its own, so nobody can be singled out.
pub const SMALLEST_REPORTED_GROUP: u32 = 10;

/// The key of [`Distribution::counts`] for an answer.
fn count_key(value: &AnswerValue) -> Vec<String> {
    match value {
        AnswerValue::Number(n) => vec![n.to_string()],
        AnswerValue::Text(t) => vec![t.clone()],
        AnswerValue::Many(vs) => vs.clone(),
    }
}

impl SurveyResults {
    /// Aggregates responses (town slug, answers) against `definition`'s questions. Towns
    /// with fewer than [`SMALLEST_REPORTED_GROUP`] responses are folded into `"other"`,
    /// together with the smallest other towns while `"other"` is still that small, so
    /// that no small group can be read off the figures, not even by subtraction. With
    /// fewer responses than that in all, no town is shown.
    pub fn compute(
        survey_id: i64,
        definition: &SurveyDefinition,
        responses: &[(String, Answers)],
    ) -> Self {
        let distributions = definition
            .questions
            .iter()
            .filter(|q| !matches!(q.kind, QuestionKind::Text { .. }))
            .map(|q| {
                let mut counts: BTreeMap<String, u32> = BTreeMap::new();
                let mut answered = 0;
                for (_, answers) in responses {
                    if let Some(v) = answers.get(&q.id) {
                        answered += 1;
                        for key in count_key(v) {
                            *counts.entry(key).or_insert(0) += 1;
                        }
                    }
                }
                Distribution {
                    question: q.id.clone(),
                    dimension: q.dimension,
                    answered: PublicCount::of(answered),
                    counts: counts
                        .into_iter()
                        .map(|(k, n)| (k, PublicCount::of(n)))
                        .collect(),
                }
            })
            .collect();
        let mut towns: BTreeMap<&str, Vec<&Answers>> = BTreeMap::new();
        for (town, answers) in responses {
            towns.entry(town.as_str()).or_default().push(answers);
        }
        let (shown, folded) = fold_small_towns(towns);
        let mut by_town: Vec<GroupResult> = shown
            .into_iter()
            .map(|(town, list)| GroupResult {
                town: town.to_string(),
                responses: PublicCount::of(list.len() as u32),
                index: SatisfactionIndex::compute(definition, list),
            })
            .collect();
        if folded.len() as u32 >= SMALLEST_REPORTED_GROUP {
            by_town.push(GroupResult {
                town: OTHER_TOWNS.to_string(),
                responses: PublicCount::of(folded.len() as u32),
                index: SatisfactionIndex::compute(definition, folded),
            });
        }
        Self {
            survey_id,
            responses: PublicCount::of(responses.len() as u32),
            index: SatisfactionIndex::compute(definition, responses.iter().map(|(_, a)| a)),
            distributions,
            by_town,
        }
    }
}

/// Splits responses grouped by town into the towns shown alone and the rest, folded
/// together. Towns under [`SMALLEST_REPORTED_GROUP`] are folded. While the folded group
/// is non-empty but still under it, the smallest shown town joins it too: otherwise the
/// small towns' figures could be worked out as the overall minus the towns shown. A
/// folded group still under the threshold (too few in all) is shown nowhere.
pub fn fold_small_towns<T>(towns: BTreeMap<&str, Vec<T>>) -> (Vec<(&str, Vec<T>)>, Vec<T>) {
    let (mut shown, other): (Vec<_>, Vec<_>) = towns
        .into_iter()
        .partition(|(_, list)| list.len() as u32 >= SMALLEST_REPORTED_GROUP);
    let mut folded: Vec<T> = other.into_iter().flat_map(|(_, list)| list).collect();
    while !folded.is_empty() && (folded.len() as u32) < SMALLEST_REPORTED_GROUP {
        let Some(smallest) = (0..shown.len()).min_by_key(|&i| (shown[i].1.len(), shown[i].0))
        else {
            break;
        };
        folded.extend(shown.remove(smallest).1);
    }
    (shown, folded)
}

/// The group of towns too small to show alone.
pub const OTHER_TOWNS: &str = "other";

/// One decimal, as the results show it.
fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Localized {
        Localized {
            zh: s.into(),
            en: s.into(),
        }
    }

    fn options(values: &[&str]) -> Vec<Choice> {
        values
            .iter()
            .map(|v| Choice {
                value: v.to_string(),
                label: text(v),
            })
            .collect()
    }

    fn q(id: &str, dimension: Dimension, kind: QuestionKind) -> Question {
        Question {
            id: id.into(),
            dimension,
            text: text(id),
            kind,
            required: true,
            show_if: None,
        }
    }

    /// Town, two construction scales, a follow-up shown for 1 or 2, priorities, comment.
    fn definition() -> SurveyDefinition {
        let mut follow_up = q(
            "construction_issue",
            Dimension::Construction,
            QuestionKind::Single {
                options: options(&["leaks", "cracks", "other"]),
            },
        );
        follow_up.show_if = Some(ShowIf {
            question: "construction_quality".into(),
            any_of: vec![AnswerValue::Number(1), AnswerValue::Number(2)],
        });
        let mut comment = q(
            "comment",
            Dimension::Overall,
            QuestionKind::Text { max_chars: 10 },
        );
        comment.required = false;
        SurveyDefinition {
            version: 1,
            questions: vec![
                q(
                    "town",
                    Dimension::Respondent,
                    QuestionKind::Single {
                        options: options(&["nanqiao", "jinhui"]),
                    },
                ),
                q("product_quality", Dimension::Product, QuestionKind::Scale5),
                q(
                    "construction_quality",
                    Dimension::Construction,
                    QuestionKind::Scale5,
                ),
                follow_up,
                q("overall", Dimension::Overall, QuestionKind::Rating10),
                q(
                    "priorities",
                    Dimension::Overall,
                    QuestionKind::Multiple {
                        options: options(&["a", "b", "c", "d"]),
                        max: 3,
                    },
                ),
                comment,
            ],
        }
    }

    fn answers(pairs: &[(&str, AnswerValue)]) -> Answers {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    use AnswerValue::{Many, Number, Text};

    fn complete(construction: i64) -> Answers {
        answers(&[
            ("town", Text("nanqiao".into())),
            ("product_quality", Number(4)),
            ("construction_quality", Number(construction)),
            ("overall", Number(8)),
            ("priorities", Many(vec!["a".into(), "c".into()])),
        ])
    }

    #[test]
    fn a_sound_definition_validates() {
        assert_eq!(definition().validate(), Ok(()));
    }

    #[test]
    fn definition_errors_are_all_reported() {
        let mut d = definition();
        d.questions.push(q(
            "town",
            Dimension::Respondent,
            QuestionKind::Single { options: vec![] },
        ));
        d.questions[3].show_if = Some(ShowIf {
            question: "nope".into(),
            any_of: vec![Number(1)],
        });
        d.questions[5].kind = QuestionKind::Multiple {
            options: options(&["a"]),
            max: 3,
        };
        let errors = d.validate().unwrap_err();
        assert!(errors.contains(&DefinitionError::DuplicateId("town".into())));
        assert!(errors.contains(&DefinitionError::NoOptions("town".into())));
        assert!(errors.contains(&DefinitionError::UnknownCondition {
            question: "construction_issue".into(),
            refers_to: "nope".into()
        }));
        assert!(errors.contains(&DefinitionError::BadMaximum("priorities".into())));
    }

    #[test]
    fn impossible_conditions_and_cycles_are_refused() {
        let mut d = definition();
        d.questions[3].show_if = Some(ShowIf {
            question: "construction_quality".into(),
            any_of: vec![Number(9)],
        });
        assert_eq!(
            d.validate(),
            Err(vec![DefinitionError::ImpossibleCondition {
                question: "construction_issue".into()
            }])
        );
        let mut d = definition();
        d.questions[1].show_if = Some(ShowIf {
            question: "construction_quality".into(),
            any_of: vec![Number(1)],
        });
        d.questions[2].show_if = Some(ShowIf {
            question: "product_quality".into(),
            any_of: vec![Number(1)],
        });
        let errors = d.validate().unwrap_err();
        assert!(errors.contains(&DefinitionError::Cycle("product_quality".into())));
        assert!(errors.contains(&DefinitionError::Cycle("construction_quality".into())));
    }

    #[test]
    fn skip_logic_shows_the_follow_up_only_when_dissatisfied() {
        let d = definition();
        let ids = |a: &Answers| d.shown(a).map(|q| q.id.clone()).collect::<Vec<_>>();
        assert!(!ids(&complete(4)).contains(&"construction_issue".to_string()));
        assert!(ids(&complete(2)).contains(&"construction_issue".to_string()));
        assert!(ids(&complete(1)).contains(&"construction_issue".to_string()));
        // "Don't know" is not dissatisfied.
        let mut a = complete(3);
        a.insert("construction_quality".into(), Text(DONT_KNOW.into()));
        assert!(!ids(&a).contains(&"construction_issue".to_string()));
    }

    #[test]
    fn answers_are_checked_against_the_definition() {
        let d = definition();
        assert_eq!(d.check_answers(&complete(4)), Ok(()));
        let mut follow = complete(1);
        follow.insert("construction_issue".into(), Text("leaks".into()));
        assert_eq!(d.check_answers(&follow), Ok(()));

        // Required follow-up missing once it is shown.
        assert_eq!(
            d.check_answers(&complete(2)),
            Err(FieldErrors::from([(
                "construction_issue".to_string(),
                FieldError::Required
            )]))
        );
        let mut bad = complete(4);
        bad.insert("construction_issue".into(), Text("leaks".into())); // hidden
        bad.insert("ghost".into(), Number(1)); // unknown
        bad.insert("product_quality".into(), Number(6)); // out of range
        bad.insert(
            "priorities".into(),
            Many(vec!["a".into(), "b".into(), "c".into(), "d".into()]),
        ); // too many
        bad.insert("comment".into(), Text("x".repeat(11))); // too long
        bad.remove("overall"); // required
        let errors = d.check_answers(&bad).unwrap_err();
        assert_eq!(errors["construction_issue"], FieldError::Unexpected);
        assert_eq!(errors["ghost"], FieldError::Unexpected);
        assert_eq!(errors["product_quality"], FieldError::OutOfRange);
        assert_eq!(errors["priorities"], FieldError::TooMany);
        assert_eq!(errors["comment"], FieldError::TooLong);
        assert_eq!(errors["overall"], FieldError::Required);
        assert_eq!(errors.len(), 6);
    }

    #[test]
    fn answers_have_the_right_shape_per_kind() {
        let d = definition();
        let q = |id| d.question(id).unwrap();
        assert_eq!(check(q("town"), &Number(1)), Err(FieldError::OutOfRange));
        assert_eq!(
            check(q("town"), &Text("paris".into())),
            Err(FieldError::OutOfRange)
        );
        assert_eq!(check(q("overall"), &Number(0)), Ok(()));
        assert_eq!(
            check(q("overall"), &Number(11)),
            Err(FieldError::OutOfRange)
        );
        assert_eq!(check(q("product_quality"), &Text(DONT_KNOW.into())), Ok(()));
        assert_eq!(
            check(q("priorities"), &Many(vec!["a".into(), "a".into()])),
            Err(FieldError::Invalid)
        );
        assert_eq!(
            check(q("priorities"), &Many(vec!["z".into()])),
            Err(FieldError::OutOfRange)
        );
    }

    #[test]
    fn answers_travel_as_documented() {
        let a: Answers = serde_json::from_str(
            r#"{"town":"nanqiao","product_quality":4,"q":"dont_know","priorities":["a","b"]}"#,
        )
        .unwrap();
        assert_eq!(a["town"], Text("nanqiao".into()));
        assert_eq!(a["product_quality"], Number(4));
        assert_eq!(a["priorities"], Many(vec!["a".into(), "b".into()]));
        let json = serde_json::to_value(definition().questions[5].clone()).unwrap();
        assert_eq!(json["type"], "multiple");
        assert_eq!(json["max"], 3);
    }

    #[test]
    fn a_response_is_checked_whole() {
        let d = definition();
        let good = NewResponse {
            version: 1,
            answers: complete(4),
            town: "nanqiao".into(),
            phone: Some(" +86 138 0013 8000 ".into()),
        };
        let checked = good.check(Some(&d)).unwrap();
        assert_eq!(checked.town, Town::Nanqiao);
        assert_eq!(checked.phone.unwrap().as_str(), "13800138000");
        let bad = NewResponse {
            town: "atlantis".into(),
            phone: Some("12".into()),
            ..good
        };
        let errors = bad.check(None).unwrap_err();
        assert_eq!(
            errors,
            FieldErrors::from([
                ("phone".to_string(), FieldError::Invalid),
                ("town".to_string(), FieldError::Invalid),
                ("version".to_string(), FieldError::Invalid),
            ])
        );
    }

    #[test]
    fn the_index_on_fixed_data() {
        let d = definition();
        // Product: 4, 5, 2 → 75, 100, 25 → 66.7.
        // Construction: 1, don't know, 3 → 0, 50 → 25.0.
        // Overall: (66.7 + 25.0) / 2 = 45.8 (from the unrounded 66.666… and 25).
        let mut r1 = complete(1);
        r1.insert("product_quality".into(), Number(4));
        let mut r2 = complete(3);
        r2.insert("product_quality".into(), Number(5));
        r2.insert("construction_quality".into(), Text(DONT_KNOW.into()));
        let mut r3 = complete(3);
        r3.insert("product_quality".into(), Number(2));
        let index = SatisfactionIndex::compute(&d, [&r1, &r2, &r3]);
        assert_eq!(index.by_dimension[&Dimension::Product], 66.7);
        assert_eq!(index.by_dimension[&Dimension::Construction], 25.0);
        assert!(!index.by_dimension.contains_key(&Dimension::Service));
        assert_eq!(index.overall, Some(45.8));
        assert_eq!(scale_score(&Number(1)), Some(0.0));
        assert_eq!(scale_score(&Number(5)), Some(100.0));
        assert_eq!(scale_score(&Text(DONT_KNOW.into())), None);
        assert_eq!(SatisfactionIndex::compute(&d, []).overall, None);
    }
}
