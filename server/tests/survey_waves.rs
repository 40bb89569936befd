//! Survey waves as staff run them (issue 13), over a real socket, on SQLite and PostgreSQL:
//! the wave's life, versions of its questions, paper questionnaires, the analysis with its
//! intervals, the anonymised export, who may do it, and publication.

mod common;

use common::inspections::created;
use common::staff::StaffClient;
use common::{TestApp, error_code, loc, phone};
use model::survey::{
    AnswerValue, Choice, Dimension, Question, QuestionKind, ShowIf, SurveyDefinition,
};
use model::survey_analysis::{Change, Estimate, WaveAnalysis};
use model::survey_wave::{
    Comment, CommentTag, NewWave, PublishedWave, StaffWave, WaveDetails, WaveStatus,
    starter_definition,
};
use model::{BeijingDate, BeijingTime, Role, Scope, Town};
use quality_month_server::store::{NewSurvey, ValidResponse, now_unix};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};

const DAY: i64 = 86_400;

/// A free-text answer that must never leave the building in an export.
const COMMENT: &str = "楼道灯坏了三个月没人修";

/// The survey analyst, logged in.
async fn analyst(app: &TestApp) -> StaffClient {
    app.add_staff("analyst", Role::Analyst, &[]).await;
    app.login("analyst").await
}

fn today() -> BeijingDate {
    BeijingTime::from_unix(now_unix()).date()
}

/// A wave's name and dates: from today, for thirty days.
fn details() -> WaveDetails {
    WaveDetails {
        wave: loc(
            "2027年度市民质量满意度调查",
            "Quality satisfaction survey 2027",
        ),
        opens_on: today(),
        closes_on: today().add_days(30),
    }
}

/// The body of `POST /api/staff/surveys`: a new draft, from the starter questions or a
/// copy of `copy_of`'s latest.
fn new_wave(copy_of: Option<i64>) -> Value {
    serde_json::to_value(NewWave {
        details: details(),
        copy_of,
    })
    .unwrap()
}

async fn create_wave(analyst: &StaffClient, body: &Value) -> StaffWave {
    let r = analyst.post("/api/staff/surveys", body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json().await.unwrap()
}

/// A new wave of the starter questions, opened (answerable from today).
async fn open_starter_wave(analyst: &StaffClient) -> i64 {
    let id = create_wave(analyst, &new_wave(None)).await.id;
    moved(analyst, id, "open").await;
    id
}

async fn move_to(analyst: &StaffClient, id: i64, to: &str) -> reqwest::Response {
    analyst
        .post(
            &format!("/api/staff/surveys/{id}/status"),
            &json!({ "to": to }),
        )
        .await
}

/// Moves the wave, asserting that the move is allowed.
async fn moved(analyst: &StaffClient, id: i64, to: &str) -> StaffWave {
    let r = move_to(analyst, id, to).await;
    assert_eq!(r.status(), StatusCode::OK, "→ {to}");
    r.json().await.unwrap()
}

/// Asserts that the move is refused as the wrong status.
async fn refused(analyst: &StaffClient, id: i64, to: &str) {
    let (code, _) = error_code(move_to(analyst, id, to).await, StatusCode::CONFLICT).await;
    assert_eq!(code, "wrong_status", "→ {to}");
}

async fn staff_wave(analyst: &StaffClient, id: i64) -> StaffWave {
    let r = analyst.get(&format!("/api/staff/surveys/{id}")).await;
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

async fn analysis(analyst: &StaffClient, id: i64) -> WaveAnalysis {
    let r = analyst
        .get(&format!("/api/staff/surveys/{id}/analysis"))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

/// The body of `PUT /api/staff/surveys/{id}/definition`: the definition as JSON text.
fn definition_text(definition: &SurveyDefinition) -> Value {
    json!({ "json": serde_json::to_string(definition).unwrap() })
}

async fn save_definition(analyst: &StaffClient, id: i64, body: &Value) -> reqwest::Response {
    analyst
        .send(
            Method::PUT,
            &format!("/api/staff/surveys/{id}/definition"),
            body,
        )
        .await
}

/// A complete answer set to the starter questions, with `product` as the product rating.
fn starter_answers(product: i64) -> Value {
    json!({
        "town": "nanqiao", "product": product, "service": 4, "construction": 3, "environment": 4,
    })
}

/// A response as the phone (or the paper form's typist) sends it.
fn response(version: u32, town: &str, answers: Value) -> Value {
    json!({ "version": version, "town": town, "answers": answers })
}

async fn respond(app: &TestApp, id: i64, body: &Value) -> reqwest::Response {
    app.post_json(&format!("/api/surveys/{id}/responses"), body, None)
        .await
}

async fn paper(analyst: &StaffClient, id: i64, body: &Value) -> reqwest::Response {
    analyst
        .post(&format!("/api/staff/surveys/{id}/paper"), body)
        .await
}

/// A wave made whole in the store, `opened_days_ago`, running thirty days.
async fn stored_wave(
    app: &TestApp,
    name: &str,
    definition: &SurveyDefinition,
    opened_days_ago: i64,
    status: WaveStatus,
) -> i64 {
    let now = now_unix();
    let opens = now - opened_days_ago * DAY;
    app.store
        .insert_survey(
            &NewSurvey {
                wave: loc(name, name),
                opens_at: BeijingTime::from_unix(opens),
                closes_at: BeijingTime::from_unix(opens + 30 * DAY),
                status,
            },
            definition,
            now,
        )
        .await
        .unwrap()
}

/// The hand-computed fixture's questions (model::survey_analysis tests): two product
/// scales and a service scale, none required. The town travels beside the answers.
fn three_scales() -> SurveyDefinition {
    let scale = |id: &str, dimension| Question {
        id: id.into(),
        dimension,
        text: loc(id, id),
        kind: QuestionKind::Scale5,
        required: false,
        show_if: None,
    };
    SurveyDefinition {
        version: 1,
        questions: vec![
            scale("p1", Dimension::Product),
            scale("p2", Dimension::Product),
            scale("s1", Dimension::Service),
        ],
    }
}

/// Town, a product scale, an overall rating and an optional comment.
fn export_definition() -> SurveyDefinition {
    let q = |id: &str, dimension, kind, required| Question {
        id: id.into(),
        dimension,
        text: loc(id, id),
        kind,
        required,
        show_if: None,
    };
    let towns = ["nanqiao", "jinhui", "zhelin"]
        .iter()
        .map(|t| Choice {
            value: t.to_string(),
            label: loc(t, t),
        })
        .collect();
    SurveyDefinition {
        version: 1,
        questions: vec![
            q(
                "town",
                Dimension::Respondent,
                QuestionKind::Single { options: towns },
                true,
            ),
            q("product", Dimension::Product, QuestionKind::Scale5, true),
            q("overall", Dimension::Overall, QuestionKind::Rating10, true),
            q(
                "comment",
                Dimension::Overall,
                QuestionKind::Text { max_chars: 200 },
                false,
            ),
        ],
    }
}

/// Answer number `i` to the export wave from `town`; every other one gives a phone and a
/// comment. Returns its reference.
async fn answer_export_wave(app: &TestApp, id: i64, i: usize, town: &str) -> String {
    let mut body = response(1, town, json!({"town": town, "product": 4, "overall": 8}));
    if i.is_multiple_of(2) {
        body["phone"] = json!(phone(i));
        body["answers"]["comment"] = json!(COMMENT);
    }
    let receipt = created(respond(app, id, &body).await).await;
    receipt["reference"].as_str().unwrap().to_string()
}

/// A CSV download as text, after its byte-order mark.
async fn csv_text(client: &StaffClient, path: &str) -> String {
    let r = client.get(path).await;
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let bytes = r.bytes().await.unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "a BOM, so Excel reads UTF-8"
    );
    String::from_utf8(bytes[3..].to_vec()).unwrap()
}

/// Every record, the header first; records may differ in length (the codebook's notes).
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|record| record.unwrap().iter().map(String::from).collect())
        .collect()
}

async fn public_waves(app: &TestApp) -> Vec<PublishedWave> {
    let r = app.get("/api/surveys/results").await;
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

async fn assert_not_found(app: &TestApp, path: &str) {
    let (code, _) = error_code(app.get(path).await, StatusCode::NOT_FOUND).await;
    assert_eq!(code, "not_found", "{path}");
}

on_both_databases!(
    a_wave_moves_only_from_draft_to_open_to_closed_to_published,
    answers_to_an_older_version_stay_valid_while_the_wave_is_open,
    a_broken_definition_is_refused_by_question_and_nothing_is_saved,
    paper_forms_are_checked_like_online_ones_and_counted_apart,
    the_analysis_equals_a_hand_computed_fixture,
    the_export_is_anonymous_and_folds_small_towns,
    only_analysts_and_admins_run_waves,
    published_results_stay_as_published_and_closed_ones_are_not_public,
    publication_never_differs_from_the_last_public_step_by_a_few_forms,
    two_analysts_saving_at_once_get_a_version_each,
    analysts_read_tag_and_hide_comments_with_numbers_masked,
);

/// An analyst starts a draft (from nothing, or from last year's questions) and takes it
/// draft → open → closed → published, one step at a time and never back; each step is in
/// the audit log.
async fn a_wave_moves_only_from_draft_to_open_to_closed_to_published(app: TestApp) {
    let analyst = analyst(&app).await;
    let last_year = stored_wave(&app, "去年", &three_scales(), 365, WaveStatus::Published).await;
    let copy = create_wave(&analyst, &new_wave(Some(last_year))).await;
    assert_eq!(copy.status, WaveStatus::Draft);
    assert_eq!(copy.definition, three_scales(), "last year's questions");
    assert_eq!(copy.versions.len(), 1);
    let wave = create_wave(&analyst, &new_wave(None)).await;
    assert_eq!(wave.status, WaveStatus::Draft);
    assert_eq!(
        wave.definition,
        starter_definition(),
        "the starter questions"
    );
    assert_eq!(wave.details, details());
    assert_eq!((wave.online, wave.paper, wave.published_at), (0, 0, None));
    let (code, _) = error_code(
        analyst
            .post("/api/staff/surveys", &new_wave(Some(999_999)))
            .await,
        StatusCode::NOT_FOUND,
    )
    .await;
    assert_eq!(code, "not_found", "a copy of a wave that does not exist");
    let mut backwards = new_wave(None);
    backwards["details"]["closes_on"] = json!(today().add_days(-1));
    let (_, err) = error_code(
        analyst.post("/api/staff/surveys", &backwards).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(err["error"]["fields"], json!({"closes_on": "out_of_range"}));
    let listed: Vec<StaffWave> = analyst
        .get("/api/staff/surveys")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed.len(), 3);

    let id = wave.id;
    for to in ["closed", "published", "draft"] {
        refused(&analyst, id, to).await;
    }
    assert_eq!(moved(&analyst, id, "open").await.status, WaveStatus::Open);
    for to in ["published", "draft", "open"] {
        refused(&analyst, id, to).await;
    }
    assert_eq!(
        moved(&analyst, id, "closed").await.status,
        WaveStatus::Closed
    );
    // Closed: its figures are being read, so neither its questions nor its dates change.
    let (code, _) = error_code(
        save_definition(&analyst, id, &definition_text(&starter_definition())).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(code, "wrong_status");
    let (code, _) = error_code(
        analyst
            .send(
                Method::PATCH,
                &format!("/api/staff/surveys/{id}"),
                &serde_json::to_value(details()).unwrap(),
            )
            .await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(code, "wrong_status");
    // Not reopened: the phone hashes that kept one answer per phone are gone.
    for to in ["open", "draft"] {
        refused(&analyst, id, to).await;
    }
    let published = moved(&analyst, id, "published").await;
    assert_eq!(published.status, WaveStatus::Published);
    assert!(published.published_at.is_some());
    // Published for good: its address is cited.
    for to in ["open", "closed", "draft", "published"] {
        refused(&analyst, id, to).await;
    }
    refused(&analyst, last_year, "open").await;

    for (action, rows) in [
        ("survey.create", 2),
        ("survey.open", 1),
        ("survey.close", 1),
        ("survey.publish", 1),
        ("survey.draft", 0),
        ("survey.version", 0),
        ("survey.update", 0),
    ] {
        assert_eq!(app.audit_rows(action).await, rows, "{action}");
    }
}

/// A typo fixed while the wave is open makes version 2; a phone that loaded version 1
/// before still gets its answers in, checked against version 1; an unknown version is
/// refused.
async fn answers_to_an_older_version_stay_valid_while_the_wave_is_open(app: TestApp) {
    let analyst = analyst(&app).await;
    let id = open_starter_wave(&analyst).await;
    let v1 = response(1, "nanqiao", starter_answers(4));
    created(respond(&app, id, &v1).await).await;

    // While answers come in, a new version may change words, not the questions' shape:
    // making the environment question optional is refused, naming it.
    let mut reshaped = starter_definition();
    reshaped.questions[4].required = false;
    let (_, err) = error_code(
        save_definition(&analyst, id, &definition_text(&reshaped)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(err["error"]["fields"], json!({"environment": "invalid"}));

    // The product question reworded. The text still says version 1: the server numbers
    // versions.
    let mut fixed = starter_definition();
    fixed.questions[1].text = loc(
        "您对日常消费品的质量是否满意？",
        "Are you satisfied with the quality of everyday products?",
    );
    let r = save_definition(&analyst, id, &definition_text(&fixed)).await;
    assert_eq!(r.status(), StatusCode::OK);
    let saved: StaffWave = r.json().await.unwrap();
    assert_eq!(saved.definition.version, 2);
    assert_eq!(saved.definition.questions, fixed.questions);
    assert_eq!(saved.status, WaveStatus::Open);
    let current: Value = app.get("/api/surveys/current").await.json().await.unwrap();
    assert_eq!(current["id"], id);
    assert_eq!(current["definition"]["version"], 2);
    assert_eq!(
        current["definition"]["questions"][1]["text"]["en"],
        "Are you satisfied with the quality of everyday products?"
    );

    // Version 1 still: accepted, and held to its rules; version 2 too.
    created(respond(&app, id, &v1).await).await;
    let mut without_environment = starter_answers(4);
    without_environment
        .as_object_mut()
        .unwrap()
        .remove("environment");
    let (_, err) = error_code(
        respond(&app, id, &response(1, "nanqiao", without_environment)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(err["error"]["fields"], json!({"environment": "required"}));
    created(respond(&app, id, &response(2, "nanqiao", starter_answers(3))).await).await;
    let (code, err) = error_code(
        respond(&app, id, &response(3, "nanqiao", starter_answers(4))).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(code, "validation");
    assert_eq!(err["error"]["fields"], json!({"version": "invalid"}));

    let wave = staff_wave(&analyst, id).await;
    let per_version: Vec<(u32, u32)> = wave
        .versions
        .iter()
        .map(|v| (v.version, v.responses))
        .collect();
    assert_eq!(per_version, [(1, 2), (2, 1)]);
    assert_eq!((wave.online, wave.paper), (3, 0));
    assert_eq!(app.audit_rows("survey.version").await, 1);
}

/// Skip logic naming a question that does not exist, questions waiting on each other, a
/// choice without options, broken JSON: each is refused by question id, and the wave
/// keeps the version it had.
async fn a_broken_definition_is_refused_by_question_and_nothing_is_saved(app: TestApp) {
    let analyst = analyst(&app).await;
    let id = create_wave(&analyst, &new_wave(None)).await.id;
    let condition = |question: &str| {
        Some(ShowIf {
            question: question.into(),
            any_of: vec![AnswerValue::Number(1)],
        })
    };
    let mut unknown = starter_definition();
    unknown.questions.push(Question {
        id: "housing_issue".into(),
        dimension: Dimension::Construction,
        text: loc("哪方面的问题？", "What kind of problem?"),
        kind: QuestionKind::Text { max_chars: 200 },
        required: false,
        show_if: condition("ghost"),
    });
    let mut cycle = starter_definition();
    cycle.questions[1].show_if = condition("service");
    cycle.questions[2].show_if = condition("product");
    let mut no_options = starter_definition();
    no_options.questions.push(Question {
        id: "age_band".into(),
        dimension: Dimension::Respondent,
        text: loc("您的年龄？", "Your age?"),
        kind: QuestionKind::Single { options: vec![] },
        required: true,
        show_if: None,
    });
    let cases = [
        (
            definition_text(&unknown),
            json!({"housing_issue": "unknown_reference"}),
        ),
        (
            definition_text(&cycle),
            json!({"product": "cycle", "service": "cycle"}),
        ),
        (
            definition_text(&no_options),
            json!({"age_band": "no_options"}),
        ),
        (
            json!({"json": "{\"version\": 1,\n \"questions\": [}"}),
            json!({"definition": "invalid"}),
        ),
        (
            json!({"json": "{\"version\": 1, \"questions\": []}"}),
            json!({"definition": "required"}),
        ),
    ];
    for (body, fields) in cases {
        let (code, err) = error_code(
            save_definition(&analyst, id, &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(code, "validation");
        assert_eq!(err["error"]["fields"], fields, "{body}");
    }
    let wave = staff_wave(&analyst, id).await;
    assert_eq!(wave.versions.len(), 1);
    assert_eq!(wave.definition, starter_definition());
    assert_eq!(app.audit_rows("survey.version").await, 0);

    // Mended, it is saved as the next version.
    let mut mended = no_options;
    mended.questions.last_mut().unwrap().kind = QuestionKind::Single {
        options: vec![
            Choice {
                value: "under_60".into(),
                label: loc("60岁以下", "Under 60"),
            },
            Choice {
                value: "60_plus".into(),
                label: loc("60岁及以上", "60 and over"),
            },
        ],
    };
    let r = save_definition(&analyst, id, &definition_text(&mended)).await;
    assert_eq!(r.status(), StatusCode::OK);
    let saved: StaffWave = r.json().await.unwrap();
    assert_eq!(saved.versions.len(), 2);
    assert_eq!(saved.definition.version, 2);
    assert_eq!(saved.definition.questions, mended.questions);
    assert_eq!(app.audit_rows("survey.version").await, 1);
}

/// A paper questionnaire typed in by the analyst meets the same checks as the phone,
/// counts as `paper` in the wave and the analysis, is audited, and is taken while the wave
/// is open or closed, not while it is a draft or once it is published.
async fn paper_forms_are_checked_like_online_ones_and_counted_apart(app: TestApp) {
    let analyst = analyst(&app).await;
    let id = create_wave(&analyst, &new_wave(None)).await.id;
    let good = response(1, "nanqiao", starter_answers(4));
    let (code, _) = error_code(paper(&analyst, id, &good).await, StatusCode::CONFLICT).await;
    assert_eq!(code, "survey_closed", "a draft takes no answers");
    moved(&analyst, id, "open").await;

    // Wrong answers are refused by question, exactly as online.
    let mut out_of_range = good.clone();
    out_of_range["answers"]["product"] = json!(6);
    let mut missing = good.clone();
    missing["answers"]
        .as_object_mut()
        .unwrap()
        .remove("service");
    let mut bad_town = good.clone();
    bad_town["town"] = json!("atlantis");
    for (bad, fields) in [
        (out_of_range, json!({"product": "out_of_range"})),
        (missing, json!({"service": "required"})),
        (bad_town, json!({"town": "invalid"})),
    ] {
        let (code, on_paper) = error_code(
            paper(&analyst, id, &bad).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(code, "validation");
        assert_eq!(on_paper["error"]["fields"], fields);
        let (_, online) = error_code(
            respond(&app, id, &bad).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(online["error"]["fields"], on_paper["error"]["fields"]);
    }
    // Nobody proves a phone number written on a form: it is refused, not kept.
    let mut with_phone = good.clone();
    with_phone["phone"] = json!(phone(1));
    let (_, err) = error_code(
        paper(&analyst, id, &with_phone).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(err["error"]["fields"], json!({"phone": "unexpected"}));

    for _ in 0..2 {
        let receipt = created(paper(&analyst, id, &good).await).await;
        assert_eq!(receipt["reference"].as_str().unwrap().len(), 8);
    }
    created(respond(&app, id, &good).await).await;
    let wave = staff_wave(&analyst, id).await;
    assert_eq!((wave.online, wave.paper), (1, 2));
    let a = analysis(&analyst, id).await;
    assert_eq!(a.responses, 3);
    let channel = a.breakdowns.iter().find(|b| b.by == "channel").unwrap();
    let counts: Vec<(&str, u32)> = channel
        .groups
        .iter()
        .map(|g| (g.key.as_str(), g.responses))
        .collect();
    assert_eq!(counts, [("online", 1), ("paper", 2)]);
    let online: u32 = a.by_day.iter().map(|d| d.online).sum();
    let on_paper: u32 = a.by_day.iter().map(|d| d.paper).sum();
    assert_eq!((online, on_paper), (1, 2));
    assert_eq!(app.audit_rows("survey.paper").await, 2);
    let (typed_in,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM survey_responses WHERE channel = 'paper' AND entered_by IS NOT NULL",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(typed_in, 2, "who typed each form in is kept");

    // Closed online; forms still arrive late from the community centres.
    moved(&analyst, id, "closed").await;
    let (code, _) = error_code(respond(&app, id, &good).await, StatusCode::CONFLICT).await;
    assert_eq!(code, "survey_closed");
    created(paper(&analyst, id, &good).await).await;
    // Once published, nothing more.
    moved(&analyst, id, "published").await;
    let (code, _) = error_code(paper(&analyst, id, &good).await, StatusCode::CONFLICT).await;
    assert_eq!(code, "survey_closed");
    let wave = staff_wave(&analyst, id).await;
    assert_eq!((wave.online, wave.paper), (1, 3));
    assert_eq!(app.audit_rows("survey.paper").await, 3);
}

/// The analysis gives each index with its 95 % interval and the change against the
/// previous wave, equal to the numbers worked by hand in model::survey_analysis's tests.
async fn the_analysis_equals_a_hand_computed_fixture(app: TestApp) {
    let analyst = analyst(&app).await;
    let last = stored_wave(&app, "上一轮", &three_scales(), 60, WaveStatus::Closed).await;
    let this = stored_wave(&app, "本轮", &three_scales(), 1, WaveStatus::Open).await;
    // The last wave, typed in from paper after it closed:
    // A′ p1 3, s1 3; B′ p1 2, s1 4; C′ p1 4, s1 2.
    for answers in [
        json!({"p1": 3, "s1": 3}),
        json!({"p1": 2, "s1": 4}),
        json!({"p1": 4, "s1": 2}),
    ] {
        created(paper(&analyst, last, &response(1, "nanqiao", answers)).await).await;
    }
    // This wave: A online (p1 5, p2 4, s1 3), B on paper (p1 3, s1 5), C online (p2 2, s1 4).
    created(
        respond(
            &app,
            this,
            &response(1, "nanqiao", json!({"p1": 5, "p2": 4, "s1": 3})),
        )
        .await,
    )
    .await;
    created(
        paper(
            &analyst,
            this,
            &response(1, "nanqiao", json!({"p1": 3, "s1": 5})),
        )
        .await,
    )
    .await;
    created(
        respond(
            &app,
            this,
            &response(1, "nanqiao", json!({"p2": 2, "s1": 4})),
        )
        .await,
    )
    .await;

    let interval = |value, low, high| Estimate {
        value,
        low: Some(low),
        high: Some(high),
    };
    let a = analysis(&analyst, this).await;
    assert_eq!(a.responses, 3);
    // Product: R = 250/4 = 62.5, SE 19.5156, margin 38.25 → 24.2–100 (cut at 100).
    // Service: R = 75, SE 14.4338, margin 28.29 → 46.7–100.
    // Overall: (62.5 + 75)/2 = 68.75, SE 7.0457, margin 13.81 → 54.9–82.6.
    assert_eq!(a.index.by_dimension.len(), 2);
    assert_eq!(
        a.index.by_dimension[&Dimension::Product],
        interval(62.5, 24.2, 100.0)
    );
    assert_eq!(
        a.index.by_dimension[&Dimension::Service],
        interval(75.0, 46.7, 100.0)
    );
    assert_eq!(a.index.overall, Some(interval(68.8, 54.9, 82.6)));

    let channel = a.breakdowns.iter().find(|b| b.by == "channel").unwrap();
    let counts: Vec<(&str, u32)> = channel
        .groups
        .iter()
        .map(|g| (g.key.as_str(), g.responses))
        .collect();
    assert_eq!(counts, [("online", 2), ("paper", 1)]);
    // A and C rate service 50 and 75: 62.5 ± 1.96 × 12.5.
    assert_eq!(
        channel.groups[0].index.by_dimension[&Dimension::Service],
        interval(62.5, 38.0, 87.0)
    );
    // B alone: an index, but no interval.
    assert_eq!(
        channel.groups[1].index.by_dimension[&Dimension::Product],
        Estimate {
            value: 50.0,
            low: None,
            high: None
        }
    );
    // Three from one town: under ten, shown nowhere, not even as "other".
    assert_eq!(a.breakdowns[0].by, "town");
    assert!(a.breakdowns[0].groups.is_empty());
    let online: u32 = a.by_day.iter().map(|d| d.online).sum();
    let on_paper: u32 = a.by_day.iter().map(|d| d.paper).sum();
    assert_eq!((online, on_paper), (2, 1));

    // Against the last wave (product 50, service 50, overall 50 with SE 0): the product's
    // +12.5 is within its margin 1.96 × √(19.5156² + 14.4338²) = 47.6, the service's +25
    // within 1.96 × √(2 × 14.4338²) = 40.0, the overall +18.75 beyond 13.8.
    let c = a.previous.expect("compared with the last wave");
    assert_eq!(
        (c.wave, c.responses, c.name),
        (last, 3, loc("上一轮", "上一轮"))
    );
    assert_eq!(
        c.changes,
        [
            Change {
                dimension: None,
                previous: 50.0,
                current: 68.8,
                change: 18.8,
                margin: Some(13.8),
                significant: true,
            },
            Change {
                dimension: Some(Dimension::Product),
                previous: 50.0,
                current: 62.5,
                change: 12.5,
                margin: Some(47.6),
                significant: false,
            },
            Change {
                dimension: Some(Dimension::Service),
                previous: 50.0,
                current: 75.0,
                change: 25.0,
                margin: Some(40.0),
                significant: false,
            },
        ]
    );

    // The last wave on its own: each respondent's product and service cancel out, so the
    // overall index has no spread at all.
    let before = analysis(&analyst, last).await;
    assert_eq!(
        before.index.by_dimension[&Dimension::Product],
        interval(50.0, 21.7, 78.3)
    );
    assert_eq!(before.index.overall, Some(interval(50.0, 50.0, 50.0)));
    assert!(before.previous.is_none(), "no wave before it");
}

/// The export a statistician gets holds no phone, hash, reference, free text or time of
/// day, and no town with fewer than ten answers (nor one that would give such a town away
/// by subtraction); the workbook and the codebook come with it.
async fn the_export_is_anonymous_and_folds_small_towns(app: TestApp) {
    let analyst = analyst(&app).await;
    let id = stored_wave(&app, "导出", &export_definition(), 1, WaveStatus::Open).await;
    let export = format!("/api/staff/surveys/{id}/export.csv");
    let mut references = Vec::new();
    for i in 0..12 {
        references.push(answer_export_wave(&app, id, i, "nanqiao").await);
    }
    for i in 12..15 {
        references.push(answer_export_wave(&app, id, i, "zhelin").await);
    }
    // 南桥 12, 柘林 3: 柘林 is folded into "other", and 南桥 with it, or 柘林's three
    // would be the total minus 南桥.
    let rows = csv_rows(&csv_text(&analyst, &export).await);
    assert_eq!(rows.len(), 16);
    assert!(rows[1..].iter().all(|r| r[3] == "other"), "{rows:?}");

    // 金汇 10 more: 南桥 stands alone; 金汇, the smallest shown, joins 柘林's three.
    for i in 15..25 {
        references.push(answer_export_wave(&app, id, i, "jinhui").await);
    }
    let text = csv_text(&analyst, &export).await;
    let rows = csv_rows(&text);
    assert_eq!(
        rows[0],
        ["row", "day", "channel", "town", "product", "overall"]
    );
    for column in &rows[0] {
        for word in ["phone", "hash", "reference", "comment"] {
            assert!(!column.to_lowercase().contains(word), "{column}");
        }
    }
    let body = &rows[1..];
    assert_eq!(body.len(), 25);
    let mut towns = BTreeMap::new();
    for (i, row) in body.iter().enumerate() {
        assert_eq!(row.len(), 6);
        assert_eq!(row[0], (i + 1).to_string());
        let day = &row[1];
        assert!(
            day.len() == 10 && BeijingDate::parse(day).is_some(),
            "a day, no time: {day}"
        );
        assert!(row.iter().all(|cell| !cell.contains(':')), "{row:?}");
        assert_eq!(
            (row[2].as_str(), row[4].as_str(), row[5].as_str()),
            ("online", "4", "8")
        );
        *towns.entry(row[3].as_str()).or_insert(0) += 1;
    }
    assert_eq!(towns, BTreeMap::from([("nanqiao", 12), ("other", 13)]));
    let hashes: Vec<(String,)> =
        sqlx::query_as("SELECT phone_hash FROM survey_responses WHERE phone_hash IS NOT NULL")
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert_eq!(hashes.len(), 13, "the open wave keeps its phone hashes");
    let secrets = hashes
        .into_iter()
        .map(|(h,)| h)
        .chain(references)
        .chain((0..25).map(phone));
    for secret in secrets {
        assert!(!text.contains(&secret), "{secret} is in the export");
    }
    for never in [COMMENT, "zhelin", "jinhui"] {
        assert!(!text.contains(never), "{never} is in the export");
    }

    use calamine::Reader;
    let r = analyst
        .get(&format!("/api/staff/surveys/{id}/export.xlsx"))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let bytes = r.bytes().await.unwrap();
    assert!(bytes.starts_with(b"PK"), "a zip, as every XLSX is");
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    assert_eq!(book.sheet_names(), ["responses", "codebook"]);
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    let header: Vec<String> = sheet
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(header, rows[0]);
    assert_eq!(sheet.rows().count(), 26);

    let codebook =
        csv_rows(&csv_text(&analyst, &format!("/api/staff/surveys/{id}/codebook.csv")).await);
    assert_eq!(codebook[0][0], "column");
    assert_eq!(codebook[0][1], "question");
    let questions: BTreeSet<&str> = codebook[1..]
        .iter()
        .filter_map(|r| r.get(1))
        .map(String::as_str)
        .filter(|q| !q.is_empty())
        .collect();
    assert_eq!(
        questions,
        BTreeSet::from(["town", "product", "overall"]),
        "every exported question, and free text not"
    );
    assert!(
        codebook
            .iter()
            .any(|r| r.first().is_some_and(|c| c.contains("1.96"))),
        "the interval's formula"
    );
    // Two CSVs, the workbook and the codebook.
    assert_eq!(app.audit_rows("survey.export").await, 4);
}

/// Organisers and door staff see nothing of survey waves and change nothing; analysts
/// and admins list them.
async fn only_analysts_and_admins_run_waves(app: TestApp) {
    let analyst = analyst(&app).await;
    let id = open_starter_wave(&analyst).await;
    app.add_staff("organiser", Role::Organiser, &[Scope::Town(Town::Nanqiao)])
        .await;
    app.add_staff("door", Role::Door, &[Scope::Town(Town::Nanqiao)])
        .await;
    let outsiders = [
        ("organiser", app.login("organiser").await),
        ("door", app.login("door").await),
    ];
    let w = format!("/api/staff/surveys/{id}");
    let reads = [
        "/api/staff/surveys".to_string(),
        w.clone(),
        format!("{w}/analysis"),
        format!("{w}/comments"),
        format!("{w}/export.csv"),
        format!("{w}/export.xlsx"),
        format!("{w}/codebook.csv"),
    ];
    let writes = [
        (
            Method::POST,
            "/api/staff/surveys".to_string(),
            new_wave(None),
        ),
        (
            Method::PATCH,
            w.clone(),
            serde_json::to_value(details()).unwrap(),
        ),
        (
            Method::PUT,
            format!("{w}/definition"),
            definition_text(&starter_definition()),
        ),
        (Method::POST, format!("{w}/status"), json!({"to": "closed"})),
        (
            Method::POST,
            format!("{w}/paper"),
            response(1, "nanqiao", starter_answers(4)),
        ),
    ];
    for (who, client) in &outsiders {
        for path in &reads {
            let (code, _) = error_code(client.get(path).await, StatusCode::FORBIDDEN).await;
            assert_eq!(code, "forbidden", "{who} GET {path}");
        }
        for (method, path, body) in &writes {
            let (code, _) = error_code(
                client.send(method.clone(), path, body).await,
                StatusCode::FORBIDDEN,
            )
            .await;
            assert_eq!(code, "forbidden", "{who} {method} {path}");
        }
    }
    let wave = staff_wave(&analyst, id).await;
    assert_eq!(wave.status, WaveStatus::Open);
    assert_eq!((wave.versions.len(), wave.paper), (1, 0));
    assert_eq!(app.audit_rows("survey.create").await, 1);
    assert_eq!(app.audit_rows("survey.export").await, 0);

    app.add_staff("admin", Role::Admin, &[]).await;
    let admin = app.login("admin").await;
    for client in [&analyst, &admin] {
        let r = client.get("/api/staff/surveys").await;
        assert_eq!(r.status(), StatusCode::OK);
        let listed: Vec<StaffWave> = r.json().await.unwrap();
        assert_eq!(listed.iter().map(|w| w.id).collect::<Vec<_>>(), [id]);
    }
}

/// Once published, a wave is in the public list with its date, and its results are the
/// ones computed at publication, late paper forms included, whatever happens after; a
/// draft's or a closed wave's results are nobody's business.
async fn published_results_stay_as_published_and_closed_ones_are_not_public(app: TestApp) {
    let analyst = analyst(&app).await;
    let id = create_wave(&analyst, &new_wave(None)).await.id;
    let results = format!("/api/surveys/{id}/results");
    assert_not_found(&app, &results).await;
    assert!(public_waves(&app).await.is_empty(), "not a draft");

    moved(&analyst, id, "open").await;
    let listed = public_waves(&app).await;
    assert_eq!(
        listed
            .iter()
            .map(|w| (w.id, w.published_at))
            .collect::<Vec<_>>(),
        [(id, None)],
        "the open wave, its figures moving in steps"
    );
    for _ in 0..12 {
        created(respond(&app, id, &response(1, "nanqiao", starter_answers(5))).await).await;
    }
    moved(&analyst, id, "closed").await;
    assert_not_found(&app, &results).await;
    assert!(public_waves(&app).await.is_empty(), "closed, not published");
    // A form that came in late on paper is counted in the publication.
    created(paper(&analyst, id, &response(1, "nanqiao", starter_answers(1))).await).await;

    let published = moved(&analyst, id, "published").await;
    let at = published.published_at.expect("a publication time");
    let listed = public_waves(&app).await;
    assert_eq!(
        listed
            .iter()
            .map(|w| (w.id, w.published_at))
            .collect::<Vec<_>>(),
        [(id, Some(at))]
    );
    let r = app.get(&results).await;
    assert_eq!(r.status(), StatusCode::OK);
    let first: Value = r.json().await.unwrap();
    // Product: 12 × 100 and one 0 over 13 = 92.3; service 75, construction 50,
    // environment 75; overall (92.31 + 75 + 50 + 75) / 4 = 73.1.
    let index = json!({
        "by_dimension": {"product": 92.3, "service": 75.0, "construction": 50.0, "environment": 75.0},
        "overall": 73.1,
    });
    assert_eq!(first["survey_id"], id);
    assert_eq!(first["responses"], 13);
    assert_eq!(first["index"], index);
    assert_eq!(
        first["by_town"],
        json!([{"town": "nanqiao", "responses": 13, "index": index.clone()}])
    );

    // Nothing moves them: no more paper, no way back, not even the store takes answers,
    // fifteen minutes later.
    let (code, _) = error_code(
        paper(&analyst, id, &response(1, "nanqiao", starter_answers(1))).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(code, "survey_closed");
    refused(&analyst, id, "closed").await;
    for _ in 0..10 {
        let late = ValidResponse {
            version: 1,
            town: Town::Nanqiao,
            answers: serde_json::from_value(starter_answers(1)).unwrap(),
            phone_hash: None,
            entered_by: None,
        };
        assert!(
            app.store
                .insert_response(id, &late, None, now_unix())
                .await
                .is_err(),
            "a published wave takes no answer, even from inside"
        );
    }
    sqlx::query("UPDATE survey_result_snapshots SET computed_at = computed_at - 900")
        .execute(&app.db)
        .await
        .unwrap();
    let later: Value = app.get(&results).await.json().await.unwrap();
    assert_eq!(later, first);
}

/// The open wave's figures were public in steps of ten. Three paper forms typed in after
/// it closed must not show as the difference between the last step and the published
/// results: the last step is what is published. Ten more, and all are counted.
async fn publication_never_differs_from_the_last_public_step_by_a_few_forms(app: TestApp) {
    let analyst = analyst(&app).await;
    let results = |id: i64| format!("/api/surveys/{id}/results");
    let mut published = Vec::new();
    for late_forms in [3, 10] {
        let id = open_starter_wave(&analyst).await;
        for _ in 0..12 {
            created(respond(&app, id, &response(1, "nanqiao", starter_answers(4))).await).await;
        }
        let step: Value = app.get(&results(id)).await.json().await.unwrap();
        assert_eq!(step["responses"], 12, "the first step is public at once");
        moved(&analyst, id, "closed").await;
        for _ in 0..late_forms {
            created(paper(&analyst, id, &response(1, "nanqiao", starter_answers(1))).await).await;
        }
        moved(&analyst, id, "published").await;
        let last: Value = app.get(&results(id)).await.json().await.unwrap();
        published.push((step, last));
    }
    let (step, last) = &published[0];
    assert_eq!(
        last, step,
        "three late forms: the last public step is published"
    );
    let (step, last) = &published[1];
    assert_eq!(last["responses"], 22, "ten late forms: every answer counts");
    assert_ne!(last["index"], step["index"]);
}

/// Two analysts press save together: each gets a version of their own, no error.
async fn two_analysts_saving_at_once_get_a_version_each(app: TestApp) {
    let first = analyst(&app).await;
    let id = create_wave(&first, &new_wave(None)).await.id;
    let mut other = starter_definition();
    other.questions[1].text = loc("产品质量怎么样？", "How is product quality?");
    let (one, two) = (
        definition_text(&starter_definition()),
        definition_text(&other),
    );
    let (a, b) = tokio::join!(
        save_definition(&first, id, &one),
        save_definition(&first, id, &two),
    );
    assert_eq!((a.status(), b.status()), (StatusCode::OK, StatusCode::OK));
    let versions: Vec<u32> = staff_wave(&first, id)
        .await
        .versions
        .iter()
        .map(|v| v.version)
        .collect();
    assert_eq!(versions, [1, 2, 3]);
}

/// Comments are for analysts: read with any phone number masked, tagged, hidden, each
/// mark audited without the text; the public results never carry them.
async fn analysts_read_tag_and_hide_comments_with_numbers_masked(app: TestApp) {
    let analyst = analyst(&app).await;
    let id = stored_wave(&app, "意见", &export_definition(), 1, WaveStatus::Open).await;
    let said = [
        "电梯常坏，请回电13800138000",
        "物业不管漏水",
        "垃圾调查！！！",
    ];
    for text in said {
        let body = response(
            1,
            "nanqiao",
            json!({"town": "nanqiao", "product": 3, "overall": 6, "comment": text}),
        );
        created(respond(&app, id, &body).await).await;
    }
    let path = format!("/api/staff/surveys/{id}/comments");
    let read = async || -> Vec<Comment> {
        let r = analyst.get(&path).await;
        assert_eq!(r.status(), StatusCode::OK);
        r.json().await.unwrap()
    };
    let comments = read().await;
    let texts: Vec<&str> = comments.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "垃圾调查！！！",
            "物业不管漏水",
            "电梯常坏，请回电138****8000"
        ],
        "newest first, the number masked"
    );

    let mark = |c: &Comment, tags: Value, hidden: bool| {
        let path = format!(
            "/api/staff/surveys/{id}/comments/{}/{}",
            c.response, c.question
        );
        let body = json!({"tags": tags, "hidden": hidden});
        let analyst = &analyst;
        async move { analyst.send(Method::PUT, &path, &body).await.status() }
    };
    assert_eq!(
        mark(
            &comments[1],
            json!(["property_management", "housing"]),
            false
        )
        .await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        mark(&comments[0], json!([]), true).await,
        StatusCode::NO_CONTENT
    );
    let marked = read().await;
    assert_eq!(
        marked[1].tags,
        [CommentTag::Housing, CommentTag::PropertyManagement]
    );
    assert!(marked[0].hidden && !marked[1].hidden);
    assert_eq!(app.audit_rows("survey.comment").await, 2);
    let logged: Vec<(String,)> = sqlx::query_as(
        "SELECT COALESCE(after_json, '') FROM audit_log WHERE action = 'survey.comment'",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert!(
        logged
            .iter()
            .all(|(a,)| !a.contains("垃圾") && !a.contains("漏水")),
        "no text in the log"
    );

    // A comment of another wave, or a question that is not free text, is not there.
    let wrong = format!(
        "/api/staff/surveys/{}/comments/{}/comment",
        id + 1000,
        comments[1].response
    );
    assert_eq!(
        analyst
            .send(Method::PUT, &wrong, &json!({"tags": [], "hidden": true}))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let wrong = format!(
        "/api/staff/surveys/{id}/comments/{}/product",
        comments[1].response
    );
    assert_eq!(
        analyst
            .send(Method::PUT, &wrong, &json!({"tags": [], "hidden": true}))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );

    // Never public: the open wave's results carry no text.
    let public = app
        .get(&format!("/api/surveys/{id}/results"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        said.iter().all(|t| !public.contains(&t[..6])),
        "no comment in public results"
    );
}
