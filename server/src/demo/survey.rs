//! The demo wave of the citizen quality-satisfaction survey (2026年度), 14 questions over
//! the four dimensions, and a few hundred plausible responses spread over the towns (two
//! towns with too few to be shown alone) so that the results page has something to show.

use crate::error::AppResult;
use crate::store::{Actor, NewSurvey, ResultSnapshot, Store, ValidResponse};
use model::survey::{
    AnswerValue, Answers, Choice, DONT_KNOW, Dimension, Question, QuestionKind, ShowIf,
    SurveyDefinition, SurveyResults,
};
use model::survey_wave::WaveStatus;
use model::{BeijingTime, Localized, Town};

fn loc(zh: &str, en: &str) -> Localized {
    Localized {
        zh: zh.into(),
        en: en.into(),
    }
}

fn choices(list: &[(&str, &str, &str)]) -> Vec<Choice> {
    list.iter()
        .map(|&(value, zh, en)| Choice {
            value: value.into(),
            label: loc(zh, en),
        })
        .collect()
}

fn question(id: &str, dimension: Dimension, zh: &str, en: &str, kind: QuestionKind) -> Question {
    Question {
        id: id.into(),
        dimension,
        text: loc(zh, en),
        kind,
        required: true,
        show_if: None,
    }
}

/// The demo wave's questions (version 1).
pub fn definition() -> SurveyDefinition {
    use Dimension::*;
    use QuestionKind::*;
    let towns: Vec<Choice> = Town::ALL
        .iter()
        .map(|t| Choice {
            value: t.slug().into(),
            label: loc(t.name(model::Lang::Zh), t.name(model::Lang::En)),
        })
        .collect();
    let mut issue = question(
        "construction_issue",
        Construction,
        "您遇到的住宅质量问题主要是？",
        "What was the main problem with your home's construction?",
        Single {
            options: choices(&[
                ("leaks", "渗漏水", "Leaks"),
                ("cracks", "墙面、地面开裂", "Cracks in walls or floors"),
                ("windows", "门窗质量", "Windows and doors"),
                ("utilities", "水电管线", "Water and electrical lines"),
                ("other", "其他", "Something else"),
            ]),
        },
    );
    issue.show_if = Some(ShowIf {
        question: "construction_housing".into(),
        any_of: vec![AnswerValue::Number(1), AnswerValue::Number(2)],
    });
    let mut comment = question(
        "comment",
        Overall,
        "对提升奉贤质量，您还有什么建议？（选填）",
        "Anything else you would suggest to improve quality in Fengxian? (optional)",
        Text { max_chars: 200 },
    );
    comment.required = false;
    SurveyDefinition {
        version: 1,
        questions: vec![
            question(
                "town",
                Respondent,
                "您居住在哪个镇、街道？",
                "Which town do you live in?",
                Single { options: towns },
            ),
            question(
                "age_band",
                Respondent,
                "您的年龄段？",
                "Your age?",
                Single {
                    options: choices(&[
                        ("under_30", "30 岁以下", "Under 30"),
                        ("30_44", "30–44 岁", "30–44"),
                        ("45_59", "45–59 岁", "45–59"),
                        ("60_74", "60–74 岁", "60–74"),
                        ("75_plus", "75 岁及以上", "75 or older"),
                    ]),
                },
            ),
            question(
                "product_daily",
                Product,
                "您对日常消费品（家电、服装、日用品）的质量满意吗？",
                "How satisfied are you with the quality of everyday goods (appliances, clothing, household items)?",
                Scale5,
            ),
            question(
                "product_food",
                Product,
                "您对食品、药品的质量安全满意吗？",
                "How satisfied are you with the safety and quality of food and medicines?",
                Scale5,
            ),
            question(
                "service_public",
                Service,
                "您对政务和公共服务（办事、医疗、教育）的质量满意吗？",
                "How satisfied are you with public services (government counters, health care, schools)?",
                Scale5,
            ),
            question(
                "service_life",
                Service,
                "您对生活服务（家政、维修、餐饮）的质量满意吗？",
                "How satisfied are you with everyday services (home help, repairs, restaurants)?",
                Scale5,
            ),
            question(
                "construction_housing",
                Construction,
                "您对新建住宅的工程质量满意吗？",
                "How satisfied are you with the construction quality of new homes?",
                Scale5,
            ),
            issue,
            question(
                "construction_public",
                Construction,
                "您对道路、桥梁等公共工程的质量满意吗？",
                "How satisfied are you with the quality of roads, bridges and other public works?",
                Scale5,
            ),
            question(
                "environment_air_water",
                Environment,
                "您对空气和水环境质量满意吗？",
                "How satisfied are you with the quality of the air and water?",
                Scale5,
            ),
            question(
                "environment_community",
                Environment,
                "您对社区环境和公共设施满意吗？",
                "How satisfied are you with your neighbourhood and its facilities?",
                Scale5,
            ),
            question(
                "overall",
                Overall,
                "总体来说，您给奉贤的质量打几分？（0–10 分）",
                "Overall, how would you rate quality in Fengxian? (0–10)",
                Rating10,
            ),
            question(
                "priorities",
                Overall,
                "您最希望在哪些方面提升质量？（最多选 3 项）",
                "Where should quality improve most? (choose up to 3)",
                Multiple {
                    options: choices(&[
                        ("food", "食品安全", "Food safety"),
                        ("housing", "住房质量", "Housing quality"),
                        (
                            "lifts",
                            "电梯等特种设备安全",
                            "Lifts and other special equipment",
                        ),
                        ("public_services", "公共服务", "Public services"),
                        ("environment", "生态环境", "The environment"),
                        ("consumer_rights", "消费维权", "Consumer rights"),
                    ]),
                    max: 3,
                },
            ),
            comment,
        ],
    }
}

/// Responses per town: most towns well over ten, 柘林镇 and 海湾镇 under it.
const RESPONSES: &[(Town, u32)] = &[
    (Town::Nanqiao, 85),
    (Town::Fengcheng, 48),
    (Town::Zhuanghang, 32),
    (Town::Jinhui, 44),
    (Town::Situan, 30),
    (Town::Qingcun, 38),
    (Town::Zhelin, 7),
    (Town::Haiwan, 5),
];

/// A small deterministic generator, so the demo results are the same on every machine.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }

    /// A 5-point answer leaning towards satisfied, sometimes "don't know".
    fn scale(&mut self, lean: u64) -> AnswerValue {
        match self.roll(20) {
            0 => AnswerValue::Text(DONT_KNOW.into()),
            r => AnswerValue::Number(match r + lean {
                0..=2 => 1,
                3..=5 => 2,
                6..=9 => 3,
                10..=15 => 4,
                _ => 5,
            } as i64),
        }
    }
}

/// Free-text comments some demo respondents leave; the last is the kind analysts hide.
const COMMENTS: &[&str] = &[
    "小区电梯经常停运，希望加强维保检查。",
    "菜场的蔬菜农残检测结果能不能公示？",
    "新房交付时墙面有空鼓，整改很慢。",
    "质量义诊活动很好，希望多办几场。",
    "物业对漏水问题推诿，多次报修没人管。",
    "这个调查有什么用？？？垃圾！！！",
];

/// Last year's wave, published, and this year's, open (the year around now). Returns how
/// many responses in all.
pub(super) async fn seed(store: &Store, now: i64) -> AppResult<usize> {
    let today = BeijingTime::from_unix(now).date();
    let last_year = seed_wave(
        store,
        now,
        loc(
            "2025年度奉贤区市民质量满意度调查",
            "Fengxian residents' quality satisfaction survey 2025",
        ),
        (today.add_days(-395).start(), today.add_days(-305).start()),
        WaveStatus::Published,
        1,
    )
    .await?;
    let this_year = seed_wave(
        store,
        now,
        loc(
            "2026年度奉贤区市民质量满意度调查",
            "Fengxian residents' quality satisfaction survey 2026",
        ),
        (today.add_days(-30).start(), today.add_days(60).start()),
        WaveStatus::Open,
        0,
    )
    .await?;
    Ok(last_year + this_year)
}

/// One wave with plausible answers; `harsher` leans the 5-point answers down (last year
/// was a little worse). A published wave gets its public results at once.
async fn seed_wave(
    store: &Store,
    now: i64,
    wave: Localized,
    (opens_at, closes_at): (BeijingTime, BeijingTime),
    status: WaveStatus,
    harsher: u64,
) -> AppResult<usize> {
    let definition = definition();
    let id = store
        .insert_survey(
            &NewSurvey {
                wave,
                opens_at,
                closes_at,
                // Answers go in while it is open; a past wave is closed after.
                status: WaveStatus::Open,
            },
            &definition,
            now,
        )
        .await?;
    let mut dice = Dice(0x9E37_79B9_7F4A_7C15);
    let mut count = 0;
    for &(town, n) in RESPONSES {
        for _ in 0..n {
            let mut answers = Answers::new();
            answers.insert("town".into(), AnswerValue::Text(town.slug().into()));
            let ages = ["under_30", "30_44", "45_59", "60_74", "75_plus"];
            answers.insert(
                "age_band".into(),
                AnswerValue::Text(ages[dice.roll(5) as usize].into()),
            );
            for (id, lean) in [
                ("product_daily", 3),
                ("product_food", 2),
                ("service_public", 4),
                ("service_life", 2),
                ("construction_housing", 0),
                ("construction_public", 3),
                ("environment_air_water", 1),
                ("environment_community", 3),
            ] {
                answers.insert(id.into(), dice.scale(u64::saturating_sub(lean, harsher)));
            }
            if matches!(answers["construction_housing"], AnswerValue::Number(1 | 2)) {
                let issues = ["leaks", "cracks", "windows", "utilities", "other"];
                answers.insert(
                    "construction_issue".into(),
                    AnswerValue::Text(issues[dice.roll(5) as usize].into()),
                );
            }
            answers.insert(
                "overall".into(),
                AnswerValue::Number(5 + dice.roll(6) as i64),
            );
            let priorities = [
                "food",
                "housing",
                "lifts",
                "public_services",
                "environment",
                "consumer_rights",
            ];
            let first = dice.roll(6) as usize;
            let second = (first + 1 + dice.roll(5) as usize) % 6;
            answers.insert(
                "priorities".into(),
                AnswerValue::Many(vec![priorities[first].into(), priorities[second].into()]),
            );
            if dice.roll(12) == 0 {
                let text = COMMENTS[dice.roll(COMMENTS.len() as u64) as usize];
                answers.insert("comment".into(), AnswerValue::Text(text.into()));
            }
            debug_assert_eq!(definition.check_answers(&answers), Ok(()));
            let response = ValidResponse {
                version: definition.version,
                town,
                answers,
                phone_hash: None,
                entered_by: None,
            };
            // Spread over the days the wave has run, so the staff see answers per day.
            let ran = (now.min(closes_at.unix()) - opens_at.unix()).max(1);
            let at = opens_at.unix() + (dice.roll(ran as u64) as i64);
            store.insert_response(id, &response, None, at).await?;
            count += 1;
        }
    }
    if status == WaveStatus::Published {
        // Closed and published as an analyst would, in the audit log as the demo's doing.
        let demo = Actor::command_line();
        let responses = store.survey_responses(id).await?;
        let results = SurveyResults::compute(id, &definition, &responses);
        let snapshot = ResultSnapshot {
            responses: responses.len() as i64,
            computed_at: now,
            results: serde_json::to_string(&results)
                .map_err(|e| crate::error::AppError::Internal(e.to_string()))?,
        };
        store
            .change_wave_status(id, WaveStatus::Open, WaveStatus::Closed, None, &demo, now)
            .await?;
        store
            .change_wave_status(
                id,
                WaveStatus::Closed,
                WaveStatus::Published,
                Some((&snapshot, snapshot.responses)),
                &demo,
                now,
            )
            .await?;
    }
    Ok(count)
}
