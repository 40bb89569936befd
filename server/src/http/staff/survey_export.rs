//! A wave's responses for a statistician, anonymised: no phone hash, no reference, no
//! time finer than the day, towns under ten responses folded into `other`, free text left
//! out (it may name someone); with a codebook (every column, every code, the index
//! formula) so that each published figure can be computed again.

use super::export::file;
use crate::error::{AppError, AppResult};
use axum::response::Response;
use model::survey::{
    AnswerValue, DONT_KNOW, OTHER_TOWNS, Question, QuestionKind, SurveyDefinition, fold_small_towns,
};
use model::survey_analysis::AnalysedResponse;
use std::collections::BTreeMap;

/// One cell: numbers stay numbers in the spreadsheet.
enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

impl Cell {
    fn as_text(&self) -> String {
        match self {
            Self::Text(t) => t.clone(),
            Self::Number(n) => n.to_string(),
            Self::Empty => String::new(),
        }
    }
}

struct Table {
    header: Vec<String>,
    rows: Vec<Vec<Cell>>,
}

/// The questions that become columns: every version's, the latest's order first; the town
/// question is the `town` column. An id that is free text in any version is left out
/// whole, so no version's comments can slip into a column of another.
fn columns(definitions: &[SurveyDefinition]) -> Vec<&Question> {
    let text: Vec<&str> = definitions
        .iter()
        .flat_map(|d| &d.questions)
        .filter(|q| matches!(q.kind, QuestionKind::Text { .. }))
        .map(|q| q.id.as_str())
        .collect();
    let mut out: Vec<&Question> = Vec::new();
    for d in definitions.iter().rev() {
        for q in &d.questions {
            if q.id != "town" && !text.contains(&q.id.as_str()) && out.iter().all(|c| c.id != q.id)
            {
                out.push(q);
            }
        }
    }
    out
}

/// An answer as its column holds it: only values the question can have.
fn cell(q: &Question, answer: Option<&AnswerValue>) -> Cell {
    match (&q.kind, answer) {
        (QuestionKind::Scale5 | QuestionKind::Rating10, Some(AnswerValue::Number(n))) => {
            Cell::Number(*n as f64)
        }
        (QuestionKind::Scale5, Some(AnswerValue::Text(t))) if t == DONT_KNOW => {
            Cell::Text(t.clone())
        }
        (QuestionKind::Single { options }, Some(AnswerValue::Text(t)))
            if options.iter().any(|o| o.value == *t) =>
        {
            Cell::Text(t.clone())
        }
        _ => Cell::Empty,
    }
}

fn option_values(q: &Question) -> Vec<String> {
    match &q.kind {
        QuestionKind::Multiple { options, .. } => options.iter().map(|o| o.value.clone()).collect(),
        _ => Vec::new(),
    }
}

fn responses_table(definitions: &[SurveyDefinition], responses: &[AnalysedResponse]) -> Table {
    let columns = columns(definitions);
    let mut towns: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, r) in responses.iter().enumerate() {
        towns.entry(r.town.as_str()).or_default().push(i);
    }
    let (shown, folded) = fold_small_towns(towns);
    let mut town_of = vec![OTHER_TOWNS; responses.len()];
    for (town, rows) in &shown {
        for &i in rows {
            town_of[i] = town;
        }
    }
    debug_assert!(folded.iter().all(|&i| town_of[i] == OTHER_TOWNS));
    let mut header: Vec<String> = ["row", "day", "channel", "town"].map(String::from).to_vec();
    for q in &columns {
        match &q.kind {
            QuestionKind::Multiple { .. } => {
                header.extend(option_values(q).iter().map(|v| format!("{}.{v}", q.id)))
            }
            _ => header.push(q.id.clone()),
        }
    }
    // Rows in an order that says nothing of who answered when within a day, and that is
    // the same in every export: by day, town as shown, channel, then the answers.
    let mut order: Vec<usize> = (0..responses.len()).collect();
    let key = |i: usize| {
        let r = &responses[i];
        (
            r.day,
            town_of[i],
            r.channel.as_str(),
            serde_json::to_string(&r.answers).unwrap_or_default(),
        )
    };
    order.sort_by_cached_key(|&i| key(i));
    let rows = order
        .into_iter()
        .enumerate()
        .map(|(n, i)| {
            let r = &responses[i];
            let mut row = vec![
                Cell::Number((n + 1) as f64),
                Cell::Text(r.day.to_string()),
                Cell::Text(r.channel.as_str().into()),
                Cell::Text(town_of[i].into()),
            ];
            for q in &columns {
                let answer = r.answers.get(&q.id);
                match (&q.kind, answer) {
                    (QuestionKind::Multiple { .. }, Some(AnswerValue::Many(chosen))) => row.extend(
                        option_values(q)
                            .iter()
                            .map(|v| Cell::Number(if chosen.contains(v) { 1.0 } else { 0.0 })),
                    ),
                    (QuestionKind::Multiple { .. }, _) => {
                        row.extend(option_values(q).iter().map(|_| Cell::Empty))
                    }
                    (_, answer) => row.push(cell(q, answer)),
                }
            }
            row
        })
        .collect();
    Table { header, rows }
}

const FORMULA: [&str; 6] = [
    "指数 Index: a 5-point answer scores 1→0, 2→25, 3→50, 4→75, 5→100; dont_know (不了解) and blanks have no score.",
    "维度指数 Dimension index: the mean score of every scored answer to the dimension's scale5 questions, over all responses.",
    "总指数 Overall index: the mean of the dimension indices that exist (product, service, construction, environment), each weighing the same.",
    "置信区间 95% interval: respondent i contributes z_i = (y_i − R·x_i)/x̄ (y_i: sum of their scores in the dimension, x_i: how many, R: the index, x̄: mean of x_i); Var(R) = Σz_i²/(n(n−1)); interval R ± 1.96·√Var, cut to 0–100. Overall: z_i is the mean of the respondent's dimension z's.",
    "town: towns with fewer than 10 responses are folded into 'other', with the smallest other towns while 'other' has fewer than 10 (folding is decided per export, on the answers in at that moment). Questions of multiple choice are one 0/1 column per option. Free-text answers are not exported.",
    "row: a number within this file, rows sorted by day, town, channel and answers; day: Beijing date of the answer; channel: online or paper (typed in by staff).",
];

fn kind_name(kind: &QuestionKind) -> &'static str {
    match kind {
        QuestionKind::Single { .. } => "single",
        QuestionKind::Scale5 => "scale5",
        QuestionKind::Rating10 => "rating10",
        QuestionKind::Multiple { .. } => "multiple",
        QuestionKind::Text { .. } => "text",
    }
}

fn codebook_table(definitions: &[SurveyDefinition]) -> Table {
    let header = [
        "column",
        "question",
        "dimension",
        "type",
        "text_zh",
        "text_en",
        "code",
        "label_zh",
        "label_en",
    ]
    .map(String::from)
    .to_vec();
    let text = |s: &str| Cell::Text(s.to_string());
    let mut rows = vec![vec![
        text("town"),
        text("town"),
        text("respondent"),
        text("single"),
        text("镇（街道），小于10份合并为 other"),
        text("Town; under 10 responses folded into other"),
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
    ]];
    for q in columns(definitions) {
        let dimension = serde_json::to_value(q.dimension)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default();
        let base = |column: String, code: &str, zh: &str, en: &str| {
            vec![
                Cell::Text(column),
                text(&q.id),
                Cell::Text(dimension.clone()),
                text(kind_name(&q.kind)),
                text(&q.text.zh),
                text(&q.text.en),
                text(code),
                text(zh),
                text(en),
            ]
        };
        match &q.kind {
            QuestionKind::Single { options } => rows.extend(
                options
                    .iter()
                    .map(|o| base(q.id.clone(), &o.value, &o.label.zh, &o.label.en)),
            ),
            QuestionKind::Multiple { options, .. } => rows.extend(options.iter().map(|o| {
                base(
                    format!("{}.{}", q.id, o.value),
                    "1",
                    &o.label.zh,
                    &o.label.en,
                )
            })),
            QuestionKind::Scale5 => {
                let labels = [
                    ("1", "非常不满意", "Very dissatisfied"),
                    ("2", "不满意", "Dissatisfied"),
                    ("3", "一般", "Neither"),
                    ("4", "满意", "Satisfied"),
                    ("5", "非常满意", "Very satisfied"),
                    (DONT_KNOW, "不了解", "Don't know"),
                ];
                rows.extend(
                    labels
                        .iter()
                        .map(|(code, zh, en)| base(q.id.clone(), code, zh, en)),
                )
            }
            QuestionKind::Rating10 => rows.push(base(q.id.clone(), "0–10", "0–10分", "0 to 10")),
            QuestionKind::Text { .. } => {}
        }
    }
    rows.push(Vec::new());
    rows.extend(FORMULA.iter().map(|f| vec![text(f)]));
    Table { header, rows }
}

fn csv_bytes(table: &Table) -> AppResult<Vec<u8>> {
    let internal = |e: csv::Error| AppError::Internal(e.to_string());
    // A byte-order mark, so that Excel opens the Chinese as UTF-8.
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    writer.write_record(&table.header).map_err(internal)?;
    for row in &table.rows {
        writer
            .write_record(row.iter().map(Cell::as_text))
            .map_err(internal)?;
    }
    writer
        .into_inner()
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// The responses as CSV (`what` = `responses`) or the codebook as CSV (`codebook`).
pub fn csv(
    id: i64,
    what: &str,
    definitions: &[SurveyDefinition],
    responses: &[AnalysedResponse],
) -> AppResult<Response> {
    let table = match what {
        "codebook" => codebook_table(definitions),
        _ => responses_table(definitions, responses),
    };
    file(
        csv_bytes(&table)?,
        "text/csv; charset=utf-8",
        format!("survey-{id}-{what}.csv"),
    )
}

/// Both sheets in one workbook.
pub fn xlsx(
    id: i64,
    definitions: &[SurveyDefinition],
    responses: &[AnalysedResponse],
) -> AppResult<Response> {
    use rust_xlsxwriter::{Format, Workbook};
    let internal = |e: rust_xlsxwriter::XlsxError| AppError::Internal(e.to_string());
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    for (name, table) in [
        ("responses", responses_table(definitions, responses)),
        ("codebook", codebook_table(definitions)),
    ] {
        let sheet = book.add_worksheet();
        sheet.set_name(name).map_err(internal)?;
        for (col, h) in (0u16..).zip(&table.header) {
            sheet
                .write_string_with_format(0, col, h, &bold)
                .map_err(internal)?;
        }
        for (row, cells) in (1u32..).zip(&table.rows) {
            for (col, cell) in (0u16..).zip(cells) {
                match cell {
                    Cell::Text(t) => sheet.write_string(row, col, t).map(|_| ()),
                    Cell::Number(n) => sheet.write_number(row, col, *n).map(|_| ()),
                    Cell::Empty => Ok(()),
                }
                .map_err(internal)?;
            }
        }
    }
    file(
        book.save_to_buffer().map_err(internal)?,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        format!("survey-{id}.xlsx"),
    )
}
