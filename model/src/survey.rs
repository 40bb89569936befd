//! The citizen quality-satisfaction survey (市民质量满意度): a versioned definition of
//! questions with simple skip logic, the rules an answer set must meet, and the
//! satisfaction index.
//!
//! The phone applies these rules question by question; the server applies them again to
//! the whole answer set against the exact version that was answered.
//!
//! Split by reason to change: the questions and their rules (`definition`), a response
//! and its check (`response`), the index and the public results (`results`). Everything
//! is reachable from here, as before.

mod definition;
mod response;
mod results;

pub use crate::count::{PublicCount, SMALLEST_PUBLISHED_COUNT};
pub use definition::*;
pub use response::*;
pub use results::*;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{FieldError, FieldErrors};
    use crate::event::Localized;
    use crate::vocab::Town;

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
