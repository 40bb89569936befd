//! The satisfaction index and the public results: distributions, towns, and the folding
//! that keeps small groups from being read.

use super::definition::{AnswerValue, Answers, Dimension, QuestionKind, SurveyDefinition};
use crate::count::PublicCount;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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
