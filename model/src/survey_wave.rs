//! Running survey waves as staff: a wave's life (draft → open → closed → published), its
//! name and dates, the versions of its questions, answers entered from paper, and the
//! free-text comments analysts read, tag and hide.

use crate::error::{FieldError, FieldErrors};
use crate::event::Localized;
use crate::staff::check_localized;
use crate::survey::{DefinitionError, MAX_QUESTIONS, SurveyDefinition};
use crate::time::{BeijingDate, BeijingTime};
use serde::{Deserialize, Serialize};

slugged! {
    /// A wave's life. Residents see an open wave (between its dates); nobody but staff
    /// sees a draft or a closed wave; published results are public for good.
    WaveStatus {
        Draft => "draft",
        Open => "open",
        Closed => "closed",
        Published => "published",
    }
}

impl WaveStatus {
    /// The only moves: draft → open → closed → published. A published wave is never
    /// unpublished (its address is cited), and a closed wave is not reopened (the phone
    /// hashes that kept one answer per phone are gone when it closes).
    pub fn may_become(self, next: Self) -> bool {
        matches!(
            (self, next),
            (Self::Draft, Self::Open)
                | (Self::Open, Self::Closed)
                | (Self::Closed, Self::Published)
        )
    }

    /// New versions of the questions: while drafting, and typo fixes while open.
    pub fn takes_versions(self) -> bool {
        matches!(self, Self::Draft | Self::Open)
    }

    /// Paper questionnaires keep arriving from community centres after the wave ends
    /// online; they may be entered until the results are published.
    pub fn takes_paper(self) -> bool {
        matches!(self, Self::Open | Self::Closed)
    }
}

slugged! {
    /// How an answer set reached us.
    Channel {
        Online => "online",
        Paper => "paper",
    }
}

slugged! {
    /// What a free-text comment is about, as the quality office files them.
    CommentTag {
        PropertyManagement => "property_management",
        Housing => "housing",
        Food => "food",
        Products => "products",
        PublicServices => "public_services",
        Environment => "environment",
        Praise => "praise",
        Other => "other",
    }
}

/// A wave's name and dates, as staff write them. Answers are taken from the start of
/// `opens_on` to the end of `closes_on`, Beijing time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaveDetails {
    pub wave: Localized,
    pub opens_on: BeijingDate,
    pub closes_on: BeijingDate,
}

/// Longest a wave may run.
pub const MAX_WAVE_DAYS: i64 = 366;

impl WaveDetails {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        check_localized(&mut errors, "wave", &self.wave, 80, true);
        let days = self.closes_on.start().unix() - self.opens_on.start().unix();
        if days < 0 {
            errors.insert("closes_on".into(), FieldError::OutOfRange);
        } else if days / 86_400 + 1 > MAX_WAVE_DAYS {
            errors.insert("closes_on".into(), FieldError::TooLong);
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    pub fn opens_at(&self) -> BeijingTime {
        self.opens_on.start()
    }

    /// The first moment answers are no longer taken: the start of the next day.
    pub fn closes_at(&self) -> BeijingTime {
        self.closes_on.add_days(1).start()
    }
}

/// Reads a definition as staff write it (JSON, in the app or uploaded) and checks it with
/// the residents' rules. The version in the text is ignored: the server numbers versions.
pub fn read_definition(json: &str) -> Result<SurveyDefinition, DefinitionProblem> {
    let definition: SurveyDefinition =
        serde_json::from_str(json).map_err(|e| DefinitionProblem::Syntax {
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })?;
    if definition.questions.is_empty() {
        return Err(DefinitionProblem::Empty);
    }
    if definition.questions.len() > MAX_QUESTIONS {
        return Err(DefinitionProblem::TooMany);
    }
    let mut errors = definition.validate().err().unwrap_or_default();
    errors.extend(staff_rules(&definition));
    if errors.is_empty() {
        Ok(definition)
    } else {
        Err(DefinitionProblem::Rules(errors))
    }
}

/// Ids the API's error fields use for themselves.
const RESERVED_IDS: [&str; 3] = ["definition", "phone", "version"];

/// What staff must write on top of the residents' rules (kept off stored definitions, so
/// an old one still loads): both texts, plain ids, and the `town` question every answer
/// is filed under, required, offering exactly the district's towns.
fn staff_rules(definition: &SurveyDefinition) -> Vec<DefinitionError> {
    use crate::survey::{Dimension, QuestionKind};
    let mut errors = Vec::new();
    for q in &definition.questions {
        let plain = (1..=40).contains(&q.id.len())
            && q.id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !plain || RESERVED_IDS.contains(&q.id.as_str()) {
            errors.push(DefinitionError::BadId(q.id.clone()));
        }
        if q.text.zh.trim().is_empty() || q.text.en.trim().is_empty() {
            errors.push(DefinitionError::NoText(q.id.clone()));
        }
    }
    let towns_offered = definition.question("town").is_some_and(|q| {
        let QuestionKind::Single { options } = &q.kind else {
            return false;
        };
        let mut offered: Vec<&str> = options.iter().map(|o| o.value.as_str()).collect();
        offered.sort_unstable();
        let mut all: Vec<&str> = crate::vocab::Town::ALL.iter().map(|t| t.slug()).collect();
        all.sort_unstable();
        q.required && q.show_if.is_none() && q.dimension == Dimension::Respondent && offered == all
    });
    if !towns_offered {
        errors.push(DefinitionError::NoTownQuestion);
    }
    errors
}

/// The questions of `new` whose shape differs from `old`'s (or that one has and the other
/// not): what an open wave's new version may not do. Only the texts of questions and
/// options may change.
pub fn shape_changes(old: &SurveyDefinition, new: &SurveyDefinition) -> Vec<DefinitionError> {
    use crate::survey::{Question, QuestionKind};
    fn shape(q: &Question) -> impl PartialEq + '_ {
        let kind = match &q.kind {
            QuestionKind::Single { options } => (
                "single",
                options.iter().map(|o| o.value.as_str()).collect::<Vec<_>>(),
                0,
                0,
            ),
            QuestionKind::Multiple { options, max } => (
                "multiple",
                options.iter().map(|o| o.value.as_str()).collect(),
                *max,
                0,
            ),
            QuestionKind::Scale5 => ("scale5", Vec::new(), 0, 0),
            QuestionKind::Rating10 => ("rating10", Vec::new(), 0, 0),
            QuestionKind::Text { max_chars } => ("text", Vec::new(), 0, *max_chars),
        };
        (&q.id, q.dimension, kind, q.required, &q.show_if)
    }
    let ids = |d: &SurveyDefinition| d.questions.iter().map(|q| q.id.clone()).collect::<Vec<_>>();
    let mut changed: Vec<String> = new
        .questions
        .iter()
        .filter(|q| old.question(&q.id).is_none_or(|o| shape(o) != shape(q)))
        .map(|q| q.id.clone())
        .collect();
    changed.extend(ids(old).into_iter().filter(|id| new.question(id).is_none()));
    if changed.is_empty() && ids(old) != ids(new) {
        // Same questions in another order: the phone's progress and skip logic change.
        changed.extend(new.questions.first().map(|q| q.id.clone()));
    }
    changed
        .into_iter()
        .map(DefinitionError::ShapeChanged)
        .collect()
}

/// The first version of a wave started from nothing: the respondent's town and one
/// question per rated dimension, for the analyst to build on.
pub fn starter_definition() -> SurveyDefinition {
    use crate::survey::{Choice, Dimension, Question, QuestionKind};
    use crate::vocab::{Lang, Town};
    let text = |zh: &str, en: &str| Localized {
        zh: zh.into(),
        en: en.into(),
    };
    let scale = |id: &str, dimension, zh: &str, en: &str| Question {
        id: id.into(),
        dimension,
        text: text(zh, en),
        kind: QuestionKind::Scale5,
        required: true,
        show_if: None,
    };
    let towns = Town::ALL
        .iter()
        .map(|t| Choice {
            value: t.slug().into(),
            label: text(t.name(Lang::Zh), t.name(Lang::En)),
        })
        .collect();
    SurveyDefinition {
        version: 1,
        questions: vec![
            Question {
                id: "town".into(),
                dimension: Dimension::Respondent,
                text: text("您居住在哪个镇（街道）？", "Which town do you live in?"),
                kind: QuestionKind::Single { options: towns },
                required: true,
                show_if: None,
            },
            scale(
                "product",
                Dimension::Product,
                "您对日常消费品的质量满意吗？",
                "How satisfied are you with the quality of everyday products?",
            ),
            scale(
                "service",
                Dimension::Service,
                "您对生活服务的质量满意吗？",
                "How satisfied are you with the quality of everyday services?",
            ),
            scale(
                "construction",
                Dimension::Construction,
                "您对住宅工程质量满意吗？",
                "How satisfied are you with the construction quality of housing?",
            ),
            scale(
                "environment",
                Dimension::Environment,
                "您对居住环境质量满意吗？",
                "How satisfied are you with your living environment?",
            ),
        ],
    }
}

/// Why a definition text was refused.
#[derive(Debug, Clone, PartialEq)]
pub enum DefinitionProblem {
    /// Not JSON of the definition's shape.
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    Empty,
    TooMany,
    /// Broken rules, by question.
    Rules(Vec<DefinitionError>),
}

impl DefinitionProblem {
    /// As the API reports it: rule problems by question id, the rest under `definition`.
    pub fn fields(&self) -> FieldErrors {
        match self {
            Self::Rules(errors) => DefinitionError::by_question(errors),
            Self::Syntax { .. } => FieldErrors::from([("definition".into(), FieldError::Invalid)]),
            Self::Empty => FieldErrors::from([("definition".into(), FieldError::Required)]),
            Self::TooMany => FieldErrors::from([("definition".into(), FieldError::TooLong)]),
        }
    }
}

/// `PUT /api/staff/surveys/{id}/definition`: the definition as written, kept as text so
/// that a syntax error can name its line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DefinitionText {
    pub json: String,
}

/// One stored version of a wave's questions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaveVersion {
    pub version: u32,
    pub saved_at: BeijingTime,
    /// Answers given to this version.
    pub responses: u32,
}

/// A wave as staff see it: `GET /api/staff/surveys/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffWave {
    pub id: i64,
    pub details: WaveDetails,
    pub status: WaveStatus,
    /// Oldest first; the last is what residents are given.
    pub versions: Vec<WaveVersion>,
    pub definition: SurveyDefinition,
    pub online: u32,
    pub paper: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_at: Option<BeijingTime>,
}

impl StaffWave {
    /// Whether residents can answer it at `now` (open, and between its dates).
    pub fn answerable(&self, now: BeijingTime) -> bool {
        self.status == WaveStatus::Open
            && self.details.opens_at() <= now
            && now < self.details.closes_at()
    }
}

/// `POST /api/staff/surveys/{id}/status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    pub to: WaveStatus,
}

/// `POST /api/staff/surveys`: a new draft, empty or copied from a past wave's latest
/// questions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewWave {
    pub details: WaveDetails,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copy_of: Option<i64>,
}

/// A free-text answer as analysts read it. Never public, never exported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comment {
    pub response: i64,
    pub question: String,
    pub day: BeijingDate,
    pub channel: Channel,
    pub text: String,
    pub tags: Vec<CommentTag>,
    pub hidden: bool,
}

/// A comment as analysts read it: any run of seven or more digits (a phone number, an ID
/// card, a flat's code written out) shows only its first three and last four, as phone
/// numbers show everywhere else. Full-width digits count too.
pub fn mask_numbers(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if !digit(chars[i]) {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let end = (i..chars.len())
            .find(|&j| !digit(chars[j]))
            .unwrap_or(chars.len());
        let run = &chars[i..end];
        if run.len() >= 7 {
            out.extend(&run[..3]);
            out.extend(std::iter::repeat_n('*', run.len() - 7));
            out.extend(&run[run.len() - 4..]);
        } else {
            out.extend(run);
        }
        i = end;
    }
    out
}

/// `PUT /api/staff/surveys/{id}/comments/{response}/{question}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentMarks {
    pub tags: Vec<CommentTag>,
    pub hidden: bool,
}

/// A published wave in the public list of results: `GET /api/surveys/published`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedWave {
    pub id: i64,
    pub wave: Localized,
    pub opens_on: BeijingDate,
    pub closes_on: BeijingDate,
    /// `None` for the open wave, whose figures move in steps while it runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_at: Option<BeijingTime>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use WaveStatus::*;

    #[test]
    fn a_wave_moves_only_forward_one_step_at_a_time() {
        for &from in WaveStatus::ALL {
            for &to in WaveStatus::ALL {
                let allowed = matches!(
                    (from, to),
                    (Draft, Open) | (Open, Closed) | (Closed, Published)
                );
                assert_eq!(from.may_become(to), allowed, "{from:?} → {to:?}");
            }
        }
    }

    fn details(opens: &str, closes: &str) -> WaveDetails {
        WaveDetails {
            wave: Localized {
                zh: "2027年度".into(),
                en: "2027".into(),
            },
            opens_on: BeijingDate::parse(opens).unwrap(),
            closes_on: BeijingDate::parse(closes).unwrap(),
        }
    }

    #[test]
    fn dates_run_forward_and_within_a_year() {
        assert_eq!(details("2027-03-01", "2027-03-01").validate(), Ok(()));
        let d = details("2027-03-01", "2027-03-01");
        assert_eq!(d.closes_at().unix() - d.opens_at().unix(), 86_400);
        assert_eq!(
            details("2027-03-02", "2027-03-01").validate().unwrap_err()["closes_on"],
            FieldError::OutOfRange
        );
        assert_eq!(
            details("2027-01-01", "2028-01-02").validate().unwrap_err()["closes_on"],
            FieldError::TooLong
        );
        let mut empty = details("2027-03-01", "2027-04-01");
        empty.wave.en.clear();
        assert_eq!(
            empty.validate().unwrap_err()["wave.en"],
            FieldError::Required
        );
    }

    #[test]
    fn numbers_in_comments_are_masked() {
        assert_eq!(
            mask_numbers("请回电13800138000，谢谢"),
            "请回电138****8000，谢谢"
        );
        assert_eq!(
            mask_numbers("３号楼１３８００１３８０００"),
            "３号楼１３８****８０００"
        );
        assert_eq!(
            mask_numbers("2号楼1203室，电梯坏了3天"),
            "2号楼1203室，电梯坏了3天"
        );
    }

    #[test]
    fn the_starter_is_a_valid_definition() {
        let json = serde_json::to_string(&starter_definition()).unwrap();
        assert_eq!(read_definition(&json), Ok(starter_definition()));
    }

    #[test]
    fn staff_write_plain_ids_both_texts_and_the_town_question() {
        let mut d = starter_definition();
        d.questions[1].id = "Product Quality".into();
        d.questions[2].text.en.clear();
        d.questions[0].required = false;
        let json = serde_json::to_string(&d).unwrap();
        let Err(DefinitionProblem::Rules(errors)) = read_definition(&json) else {
            panic!("refused");
        };
        assert!(errors.contains(&DefinitionError::BadId("Product Quality".into())));
        assert!(errors.contains(&DefinitionError::NoText("service".into())));
        assert!(errors.contains(&DefinitionError::NoTownQuestion));
    }

    #[test]
    fn an_open_wave_takes_new_words_not_new_shapes() {
        let old = starter_definition();
        let mut typo = old.clone();
        typo.questions[1].text.zh = "您对日常消费品的质量是否满意？".into();
        assert!(shape_changes(&old, &typo).is_empty());
        let mut reshaped = old.clone();
        reshaped.questions[2].kind = crate::survey::QuestionKind::Rating10;
        reshaped.questions.remove(4);
        assert_eq!(
            shape_changes(&old, &reshaped),
            [
                DefinitionError::ShapeChanged("service".into()),
                DefinitionError::ShapeChanged("environment".into())
            ]
        );
    }

    #[test]
    fn a_definition_text_names_its_problems() {
        match read_definition("{\"version\": 1,\n \"questions\": [}") {
            Err(DefinitionProblem::Syntax { line, .. }) => assert_eq!(line, 2),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            read_definition(r#"{"version":1,"questions":[]}"#),
            Err(DefinitionProblem::Empty)
        );
        let json = r#"{"version":1,"questions":[
            {"id":"a","dimension":"product","text":{"zh":"甲","en":"A"},"type":"single","options":[],"required":true},
            {"id":"b","dimension":"product","text":{"zh":"乙","en":"B"},"type":"scale5","required":true,
             "show_if":{"question":"ghost","any_of":[1]}}]}"#;
        let problem = read_definition(json).unwrap_err();
        assert_eq!(
            problem.fields(),
            FieldErrors::from([
                ("a".to_string(), FieldError::NoOptions),
                ("b".to_string(), FieldError::UnknownReference),
                ("town".to_string(), FieldError::Required),
            ])
        );
    }
}
