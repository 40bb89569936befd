//! Live results for staff while a wave runs: the index with its 95 % confidence interval,
//! overall and by town, respondent group and channel, responses per day, and the change
//! against the previous wave.
//!
//! The interval treats the respondent as the unit. A dimension's index is a ratio (the
//! sum of its scores over the number of scored answers, [`SatisfactionIndex`]); its
//! variance is estimated by linearisation: respondent *i* contributes
//! `z_i = (y_i − R·x_i) / x̄`, where `y_i` is the sum of their scores in the dimension,
//! `x_i` how many they scored, `R` the index and `x̄` the mean of `x_i`, and
//! `Var(R) = Σ z_i² / (n (n − 1))`. The overall index is the mean of the dimension
//! indices, so its `z_i` is the mean of the respondent's dimension `z`s. The interval is
//! `R ± 1.96 √Var`, cut to 0–100; with fewer than two respondents there is none.
//!
//! [`SatisfactionIndex`]: crate::survey::SatisfactionIndex

use crate::event::Localized;
use crate::survey::{
    Answers, Dimension, OTHER_TOWNS, QuestionKind, SurveyDefinition, fold_small_towns,
};
use crate::survey_wave::Channel;
use crate::time::BeijingDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The normal quantile of a two-sided 95 % interval.
pub const Z95: f64 = 1.96;

/// One response as the analysis reads it: no phone, no time finer than the day.
#[derive(Debug, Clone, PartialEq)]
pub struct AnalysedResponse {
    pub town: String,
    pub channel: Channel,
    pub day: BeijingDate,
    pub answers: Answers,
}

/// An index with its 95 % interval (`low`–`high`, none for fewer than two respondents),
/// rounded to one decimal as shown.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    pub value: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct IndexEstimate {
    pub by_dimension: BTreeMap<Dimension, Estimate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overall: Option<Estimate>,
}

/// One group of respondents (a town, an age band, a channel).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    /// The town slug (or `"other"`), the option value, or the channel.
    pub key: String,
    /// The option's text; `None` for towns and channels, which the apps name themselves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<Localized>,
    pub responses: u32,
    pub index: IndexEstimate,
}

/// The respondents split one way.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Breakdown {
    /// `"town"`, `"channel"`, or the id of a respondent question (`"age_band"`).
    pub by: String,
    /// The question's text; `None` for town and channel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<Localized>,
    pub groups: Vec<Group>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayCount {
    pub day: BeijingDate,
    pub online: u32,
    pub paper: u32,
}

/// The change of one index against the previous wave. `significant` when the change is
/// larger than the 95 % margin of the difference, `1.96 √(SE₁² + SE₂²)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// `None`: the overall index.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dimension: Option<Dimension>,
    pub previous: f64,
    pub current: f64,
    pub change: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub margin: Option<f64>,
    pub significant: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub wave: i64,
    pub name: Localized,
    pub responses: u32,
    pub changes: Vec<Change>,
}

/// `GET /api/staff/surveys/{id}/analysis`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WaveAnalysis {
    pub responses: u32,
    pub by_day: Vec<DayCount>,
    pub index: IndexEstimate,
    pub breakdowns: Vec<Breakdown>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<Comparison>,
}

/// An index before rounding, with its standard error.
#[derive(Debug, Clone, Copy)]
struct Exact {
    value: f64,
    se: Option<f64>,
}

impl Exact {
    fn shown(self) -> Estimate {
        let margin = self.se.map(|se| Z95 * se);
        Estimate {
            value: round1(self.value),
            low: margin.map(|m| round1((self.value - m).max(0.0))),
            high: margin.map(|m| round1((self.value + m).min(100.0))),
        }
    }
}

/// Each rated dimension's index and the overall (key `None`), with standard errors.
fn exact(
    definition: &SurveyDefinition,
    responses: &[&Answers],
) -> BTreeMap<Option<Dimension>, Exact> {
    let n = responses.len();
    let scores: Vec<_> = responses.iter().map(|a| definition.scores(a)).collect();
    let se_of = |z: &[f64]| {
        (n >= 2).then(|| (z.iter().map(|z| z * z).sum::<f64>() / (n * (n - 1)) as f64).sqrt())
    };
    let mut out = BTreeMap::new();
    // Per respondent, the sum of their dimension z's, for the overall index.
    let mut overall_z = vec![0.0; n];
    let mut dimensions = 0;
    let mut sum_of_indices = 0.0;
    for d in Dimension::RATED {
        let (y, x): (Vec<f64>, Vec<f64>) = scores
            .iter()
            .map(|s| {
                s.get(&d)
                    .map_or((0.0, 0.0), |&(sum, k)| (sum, f64::from(k)))
            })
            .unzip();
        let total_x: f64 = x.iter().sum();
        if total_x == 0.0 {
            continue;
        }
        let ratio = y.iter().sum::<f64>() / total_x;
        let mean_x = total_x / n as f64;
        let z: Vec<f64> = y
            .iter()
            .zip(&x)
            .map(|(y, x)| (y - ratio * x) / mean_x)
            .collect();
        for (o, z) in overall_z.iter_mut().zip(&z) {
            *o += z;
        }
        dimensions += 1;
        sum_of_indices += ratio;
        out.insert(
            Some(d),
            Exact {
                value: ratio,
                se: se_of(&z),
            },
        );
    }
    if dimensions > 0 {
        let k = f64::from(dimensions);
        let z: Vec<f64> = overall_z.iter().map(|z| z / k).collect();
        out.insert(
            None,
            Exact {
                value: sum_of_indices / k,
                se: se_of(&z),
            },
        );
    }
    out
}

fn shown(exact: &BTreeMap<Option<Dimension>, Exact>) -> IndexEstimate {
    IndexEstimate {
        by_dimension: exact
            .iter()
            .filter_map(|(d, e)| d.map(|d| (d, e.shown())))
            .collect(),
        overall: exact.get(&None).map(|e| e.shown()),
    }
}

fn group(
    definition: &SurveyDefinition,
    key: &str,
    label: Option<Localized>,
    list: &[&AnalysedResponse],
) -> Group {
    let answers: Vec<&Answers> = list.iter().map(|r| &r.answers).collect();
    Group {
        key: key.to_string(),
        label,
        responses: list.len() as u32,
        index: shown(&exact(definition, &answers)),
    }
}

impl WaveAnalysis {
    /// The analysis of `responses` against `definition` (the wave's latest version), and
    /// against the previous wave when there is one: (id, name, its latest definition, its
    /// responses).
    pub fn compute(
        definition: &SurveyDefinition,
        responses: &[AnalysedResponse],
        previous: Option<(i64, &Localized, &SurveyDefinition, &[AnalysedResponse])>,
    ) -> Self {
        let all: Vec<&Answers> = responses.iter().map(|r| &r.answers).collect();
        let current = exact(definition, &all);
        let mut days: BTreeMap<BeijingDate, DayCount> = BTreeMap::new();
        for r in responses {
            let day = days.entry(r.day).or_insert(DayCount {
                day: r.day,
                online: 0,
                paper: 0,
            });
            match r.channel {
                Channel::Online => day.online += 1,
                Channel::Paper => day.paper += 1,
            }
        }
        let mut breakdowns = vec![Self::by_town(definition, responses)];
        breakdowns.extend(Self::by_respondent(definition, responses));
        breakdowns.push(Breakdown {
            by: "channel".into(),
            label: None,
            groups: Channel::ALL
                .iter()
                .map(|c| {
                    let list: Vec<_> = responses.iter().filter(|r| r.channel == *c).collect();
                    group(definition, c.as_str(), None, &list)
                })
                .filter(|g| g.responses > 0)
                .collect(),
        });
        let previous = previous.map(|(wave, name, def, list)| {
            let answers: Vec<&Answers> = list.iter().map(|r| &r.answers).collect();
            let before = exact(def, &answers);
            let changes = current
                .iter()
                .filter_map(|(d, now)| {
                    let then = before.get(d)?;
                    let margin = now
                        .se
                        .zip(then.se)
                        .map(|(a, b)| Z95 * (a * a + b * b).sqrt());
                    let change = now.value - then.value;
                    Some(Change {
                        dimension: *d,
                        previous: round1(then.value),
                        current: round1(now.value),
                        change: round1(change),
                        margin: margin.map(round1),
                        significant: margin.is_some_and(|m| change.abs() > m),
                    })
                })
                .collect();
            Comparison {
                wave,
                name: name.clone(),
                responses: list.len() as u32,
                changes,
            }
        });
        Self {
            responses: responses.len() as u32,
            by_day: days.into_values().collect(),
            index: shown(&current),
            breakdowns,
            previous,
        }
    }

    /// Towns under the reporting threshold folded together, as everywhere else.
    fn by_town(definition: &SurveyDefinition, responses: &[AnalysedResponse]) -> Breakdown {
        let mut towns: BTreeMap<&str, Vec<&AnalysedResponse>> = BTreeMap::new();
        for r in responses {
            towns.entry(r.town.as_str()).or_default().push(r);
        }
        let (shown, folded) = fold_small_towns(towns);
        let mut groups: Vec<Group> = shown
            .iter()
            .map(|(town, list)| group(definition, town, None, list))
            .collect();
        if folded.len() as u32 >= crate::survey::SMALLEST_REPORTED_GROUP {
            groups.push(group(definition, OTHER_TOWNS, None, &folded));
        }
        Breakdown {
            by: "town".into(),
            label: None,
            groups,
        }
    }

    /// One breakdown per single-choice question about the respondent (age band…), the
    /// town question aside: the town is kept on every response.
    fn by_respondent(
        definition: &SurveyDefinition,
        responses: &[AnalysedResponse],
    ) -> Vec<Breakdown> {
        definition
            .questions
            .iter()
            .filter(|q| q.dimension == Dimension::Respondent && q.id != "town")
            .filter_map(|q| match &q.kind {
                QuestionKind::Single { options } => Some((q, options)),
                _ => None,
            })
            .map(|(q, options)| Breakdown {
                by: q.id.clone(),
                label: Some(q.text.clone()),
                groups: options
                    .iter()
                    .map(|o| {
                        let list: Vec<_> = responses
                            .iter()
                            .filter(|r| {
                                matches!(r.answers.get(&q.id), Some(crate::survey::AnswerValue::Text(v)) if *v == o.value)
                            })
                            .collect();
                        group(definition, &o.value, Some(o.label.clone()), &list)
                    })
                    .filter(|g| g.responses > 0)
                    .collect(),
            })
            .collect()
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::{AnswerValue, Question, SatisfactionIndex};

    fn scale(id: &str, dimension: Dimension) -> Question {
        Question {
            id: id.into(),
            dimension,
            text: Localized {
                zh: id.into(),
                en: id.into(),
            },
            kind: QuestionKind::Scale5,
            required: false,
            show_if: None,
        }
    }

    fn definition() -> SurveyDefinition {
        SurveyDefinition {
            version: 1,
            questions: vec![
                scale("p1", Dimension::Product),
                scale("p2", Dimension::Product),
                scale("s1", Dimension::Service),
            ],
        }
    }

    fn response(pairs: &[(&str, i64)], channel: Channel) -> AnalysedResponse {
        AnalysedResponse {
            town: "nanqiao".into(),
            channel,
            day: BeijingDate::parse("2027-03-01").unwrap(),
            answers: pairs
                .iter()
                .map(|(k, v)| (k.to_string(), AnswerValue::Number(*v)))
                .collect(),
        }
    }

    /// Worked by hand. Scores: A p1 5→100, p2 4→75, s1 3→50; B p1 3→50, s1 5→100;
    /// C p2 2→25, s1 4→75.
    /// Product: y = 175, 50, 25; x = 2, 1, 1; R = 250/4 = 62.5; x̄ = 4/3;
    ///   z = (175−125)·¾ = 37.5, (50−62.5)·¾ = −9.375, (25−62.5)·¾ = −28.125;
    ///   Σz² = 1406.25 + 87.890625 + 791.015625 = 2285.15625; Var = 2285.15625 / 6
    ///   = 380.859375; SE = 19.5156…; margin = 38.25; interval 24.25–100.75 → 24.2–100 (24.249…).
    /// Service: y = 50, 100, 75; x = 1, 1, 1; R = 75; z = −25, 25, 0; Var = 1250/6
    ///   = 208.33…; SE = 14.4338; margin = 28.29; interval 46.7–103.3 → 46.7–100.
    /// Overall: (62.5 + 75)/2 = 68.75 → 68.8; z = (37.5−25)/2 = 6.25,
    ///   (−9.375+25)/2 = 7.8125, (−28.125+0)/2 = −14.0625;
    ///   Σz² = 39.0625 + 61.03515625 + 197.75390625 = 297.8515625; Var = 49.6419…;
    ///   SE = 7.0457; margin = 13.81;
    ///   interval 54.94–82.56 → 54.9–82.6.
    fn fixture() -> Vec<AnalysedResponse> {
        vec![
            response(&[("p1", 5), ("p2", 4), ("s1", 3)], Channel::Online),
            response(&[("p1", 3), ("s1", 5)], Channel::Paper),
            response(&[("p2", 2), ("s1", 4)], Channel::Online),
        ]
    }

    #[test]
    fn intervals_equal_the_hand_computed_fixture() {
        let a = WaveAnalysis::compute(&definition(), &fixture(), None);
        let product = a.index.by_dimension[&Dimension::Product];
        assert_eq!(
            (product.value, product.low, product.high),
            (62.5, Some(24.2), Some(100.0))
        );
        let service = a.index.by_dimension[&Dimension::Service];
        assert_eq!(
            (service.value, service.low, service.high),
            (75.0, Some(46.7), Some(100.0))
        );
        let overall = a.index.overall.unwrap();
        assert_eq!(
            (overall.value, overall.low, overall.high),
            (68.8, Some(54.9), Some(82.6))
        );
    }

    #[test]
    fn the_index_is_the_public_one() {
        let list = fixture();
        let a = WaveAnalysis::compute(&definition(), &list, None);
        let public = SatisfactionIndex::compute(&definition(), list.iter().map(|r| &r.answers));
        assert_eq!(a.index.overall.map(|e| e.value), public.overall);
        for (d, v) in public.by_dimension {
            assert_eq!(a.index.by_dimension[&d].value, v);
        }
    }

    #[test]
    fn groups_by_channel_and_day() {
        let a = WaveAnalysis::compute(&definition(), &fixture(), None);
        let channel = a.breakdowns.iter().find(|b| b.by == "channel").unwrap();
        let counts: Vec<_> = channel
            .groups
            .iter()
            .map(|g| (g.key.as_str(), g.responses))
            .collect();
        assert_eq!(counts, [("online", 2), ("paper", 1)]);
        // One paper respondent: an index, but no interval.
        let paper = &channel.groups[1].index.by_dimension[&Dimension::Product];
        assert_eq!((paper.value, paper.low), (50.0, None));
        assert_eq!(
            a.by_day,
            [DayCount {
                day: BeijingDate::parse("2027-03-01").unwrap(),
                online: 2,
                paper: 1
            }]
        );
        // Three responses from one town: under the threshold, shown nowhere alone.
        let towns = &a.breakdowns[0];
        assert_eq!(towns.by, "town");
        assert!(towns.groups.iter().all(|g| g.key != "nanqiao"));
    }

    /// Previous wave: A′ p1 3→50, s1 3→50; B′ p1 2→25, s1 4→75; C′ p1 4→75, s1 2→25.
    /// Product 50, z = 0, −25, 25 → SE 14.4338. Service 50, SE 14.4338. Overall 50,
    /// z = 0, 0, 0 → SE 0.
    /// Product change +12.5, margin 1.96·√(19.5156² + 14.4338²) = 1.96·24.2737 = 47.58:
    /// not significant. Overall change +18.75 → 18.8, margin 1.96·√(7.0457² + 0) = 13.81:
    /// significant.
    #[test]
    fn the_change_against_the_previous_wave() {
        let before = vec![
            response(&[("p1", 3), ("s1", 3)], Channel::Online),
            response(&[("p1", 2), ("s1", 4)], Channel::Online),
            response(&[("p1", 4), ("s1", 2)], Channel::Online),
        ];
        let name = Localized {
            zh: "上一轮".into(),
            en: "Last".into(),
        };
        let a = WaveAnalysis::compute(
            &definition(),
            &fixture(),
            Some((7, &name, &definition(), &before)),
        );
        let c = a.previous.unwrap();
        assert_eq!((c.wave, c.responses), (7, 3));
        let product = c
            .changes
            .iter()
            .find(|c| c.dimension == Some(Dimension::Product))
            .unwrap();
        assert_eq!(
            (product.previous, product.current, product.change),
            (50.0, 62.5, 12.5)
        );
        assert_eq!((product.margin, product.significant), (Some(47.6), false));
        let overall = c.changes.iter().find(|c| c.dimension.is_none()).unwrap();
        assert_eq!(
            (
                overall.previous,
                overall.change,
                overall.margin,
                overall.significant
            ),
            (50.0, 18.8, Some(13.8), true)
        );
    }
}
