//! The satisfaction survey over a real socket, on SQLite and PostgreSQL.

mod common;

use common::{TestApp, error_code, loc};
use futures::future::join_all;
use model::BeijingTime;
use model::survey::{Choice, Dimension, Question, QuestionKind, SurveyDefinition};
use quality_month_server::store::{NewSurvey, now_unix};
use quality_month_server::sweep::sweep_once;
use reqwest::StatusCode;
use serde_json::{Value, json};

const DAY: i64 = 86_400;

async fn open_wave(app: &TestApp, definition: &SurveyDefinition, opens_in_days: i64) -> i64 {
    let now = now_unix();
    app.store
        .insert_survey(
            &NewSurvey {
                wave: loc("测试年度", "Test wave"),
                opens_at: BeijingTime::from_unix(now + opens_in_days * DAY),
                closes_at: BeijingTime::from_unix(now + 30 * DAY),
                status: model::survey_wave::WaveStatus::Open,
            },
            definition,
            now,
        )
        .await
        .unwrap()
}

/// A complete answer set to the demo wave that skips the construction follow-up.
fn demo_answers() -> Value {
    json!({
        "town": "nanqiao", "age_band": "60_74",
        "product_daily": 4, "product_food": 5, "service_public": 4, "service_life": "dont_know",
        "construction_housing": 3, "construction_public": 4,
        "environment_air_water": 2, "environment_community": 5,
        "overall": 8, "priorities": ["food", "lifts"],
    })
}

impl TestApp {
    async fn respond(&self, survey: i64, body: &Value, key: Option<&str>) -> reqwest::Response {
        self.post_json(&format!("/api/surveys/{survey}/responses"), body, key)
            .await
    }

    /// The public results of a wave, as anyone gets them.
    async fn results(&self, survey: i64) -> Value {
        self.get(&format!("/api/surveys/{survey}/results"))
            .await
            .json()
            .await
            .unwrap()
    }

    async fn count_responses(&self) -> i64 {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM survey_responses")
            .fetch_one(&self.db)
            .await
            .unwrap();
        n
    }
}

on_both_databases!(
    a_resident_answers_and_gets_a_reference,
    every_invalid_answer_names_its_question,
    one_response_per_phone_per_wave,
    a_replayed_response_is_stored_once,
    results_equal_a_hand_computed_fixture,
    closed_waves_refuse_and_older_versions_still_count,
    bad_input_is_never_a_server_error,
    phone_hashes_are_erased_when_the_wave_closes,
);

async fn phone_hashes_are_erased_when_the_wave_closes(app: TestApp) {
    let definition = quality_month_server::demo::demo_survey_definition();
    let id = open_wave(&app, &definition, -1).await;
    let body =
        json!({"version": 1, "town": "nanqiao", "answers": demo_answers(), "phone": "13800138000"});
    assert_eq!(
        app.respond(id, &body, None).await.status(),
        StatusCode::CREATED
    );
    let hashes = || async {
        let (n,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM survey_responses WHERE phone_hash IS NOT NULL")
                .fetch_one(&app.db)
                .await
                .unwrap();
        n
    };
    let now = now_unix();
    let swept = sweep_once(&app.store, now, 90).await.unwrap();
    assert_eq!(
        (swept.survey_phone_hashes, hashes().await),
        (0, 1),
        "open: kept"
    );
    sqlx::query("UPDATE surveys SET closes_at = $1 WHERE id = $2")
        .bind(now - 1)
        .bind(id)
        .execute(&app.db)
        .await
        .unwrap();
    let swept = sweep_once(&app.store, now, 90).await.unwrap();
    assert_eq!(
        (swept.survey_phone_hashes, hashes().await),
        (1, 0),
        "closed: erased"
    );
    assert_eq!(
        app.count_responses().await,
        1,
        "the answers themselves stay"
    );
}

async fn a_resident_answers_and_gets_a_reference(app: TestApp) {
    let id = open_wave(
        &app,
        &quality_month_server::demo::demo_survey_definition(),
        -1,
    )
    .await;
    let current: Value = app.get("/api/surveys/current").await.json().await.unwrap();
    assert_eq!(current["id"], id);
    assert_eq!(current["definition"]["version"], 1);
    assert_eq!(
        current["definition"]["questions"].as_array().unwrap().len(),
        14
    );

    let body = json!({"version": 1, "town": "nanqiao", "answers": demo_answers(), "phone": "138 0013 8000"});
    let r = app.respond(id, &body, None).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let receipt: Value = r.json().await.unwrap();
    assert_eq!(receipt["reference"].as_str().unwrap().len(), 8);
    assert_eq!(app.count_responses().await, 1);
    // Anonymous: the number is nowhere in the table, only its hash under a key that the
    // database does not hold (derived for this wave from the server's secret).
    let (hash,): (String,) = sqlx::query_as("SELECT phone_hash FROM survey_responses")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let wave_key = app.secret.derive(&format!("survey-phone:{id}"));
    let expected: String = quality_month_server::secret::keyed(&wave_key, &[b"13800138000"])
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(hash, expected);
    assert!(
        sqlx::query("SELECT phone_salt FROM surveys")
            .fetch_all(&app.db)
            .await
            .is_err(),
        "no salt or key beside the hashes"
    );

    // The follow-up branch: construction rated 不满意 asks, and needs, the follow-up.
    let mut answers = demo_answers();
    answers["construction_housing"] = json!(2);
    let body = json!({"version": 1, "town": "nanqiao", "answers": answers});
    let (code, err) = error_code(
        app.respond(id, &body, None).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(code, "validation");
    assert_eq!(
        err["error"]["fields"],
        json!({"construction_issue": "required"})
    );
    answers["construction_issue"] = json!("leaks");
    let body = json!({"version": 1, "town": "nanqiao", "answers": answers});
    assert_eq!(
        app.respond(id, &body, None).await.status(),
        StatusCode::CREATED
    );
}

async fn every_invalid_answer_names_its_question(app: TestApp) {
    let id = open_wave(
        &app,
        &quality_month_server::demo::demo_survey_definition(),
        -1,
    )
    .await;
    let cases: Vec<(&str, Value, &str)> = vec![
        ("ghost", json!(3), "unexpected"),
        ("product_daily", json!(6), "out_of_range"),
        ("overall", json!(11), "out_of_range"),
        ("construction_issue", json!("leaks"), "unexpected"),
        (
            "priorities",
            json!(["food", "lifts", "housing", "environment"]),
            "too_many",
        ),
        ("town", json!("atlantis"), "out_of_range"),
    ];
    for (question, value, reason) in cases {
        let mut answers = demo_answers();
        answers[question] = value;
        let body = json!({"version": 1, "town": "nanqiao", "answers": answers});
        let (code, err) = error_code(
            app.respond(id, &body, None).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(code, "validation");
        assert_eq!(
            err["error"]["fields"],
            json!({question: reason}),
            "{question}"
        );
    }
    let mut answers = demo_answers();
    answers.as_object_mut().unwrap().remove("overall");
    let body = json!({"version": 1, "town": "nanqiao", "answers": answers});
    let (_, err) = error_code(
        app.respond(id, &body, None).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(err["error"]["fields"], json!({"overall": "required"}));
    let body = json!({"version": 9, "town": "moon", "answers": demo_answers(), "phone": "12"});
    let (_, err) = error_code(
        app.respond(id, &body, None).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(
        err["error"]["fields"],
        json!({"version": "invalid", "town": "invalid", "phone": "invalid"})
    );
    assert_eq!(app.count_responses().await, 0);
}

async fn one_response_per_phone_per_wave(app: TestApp) {
    let id = open_wave(
        &app,
        &quality_month_server::demo::demo_survey_definition(),
        -1,
    )
    .await;
    let body =
        json!({"version": 1, "town": "nanqiao", "answers": demo_answers(), "phone": "13800138000"});
    assert_eq!(
        app.respond(id, &body, None).await.status(),
        StatusCode::CREATED
    );
    let mut again = body.clone();
    again["phone"] = json!("+86 138-0013-8000");
    again["answers"]["overall"] = json!(3);
    let (code, _) = error_code(app.respond(id, &again, None).await, StatusCode::CONFLICT).await;
    assert_eq!(code, "already_responded");
    // Without a phone, or with another, answering is open.
    let mut other = body.clone();
    other["phone"] = json!("13800138001");
    assert_eq!(
        app.respond(id, &other, None).await.status(),
        StatusCode::CREATED
    );
    let mut none = body.clone();
    none.as_object_mut().unwrap().remove("phone");
    assert_eq!(
        app.respond(id, &none, None).await.status(),
        StatusCode::CREATED
    );
    assert_eq!(app.count_responses().await, 3);
}

async fn a_replayed_response_is_stored_once(app: TestApp) {
    let id = open_wave(
        &app,
        &quality_month_server::demo::demo_survey_definition(),
        -1,
    )
    .await;
    let body = json!({"version": 1, "town": "jinhui", "answers": demo_answers()});
    let answers = join_all((0..5).map(|_| app.respond(id, &body, Some("survey-key-0001")))).await;
    let mut references = std::collections::BTreeSet::new();
    for r in answers {
        assert_eq!(r.status(), StatusCode::CREATED);
        let v: Value = r.json().await.unwrap();
        references.insert(v["reference"].as_str().unwrap().to_string());
    }
    assert_eq!(references.len(), 1, "one reference for every retry");
    assert_eq!(app.count_responses().await, 1);
}

/// Town, a product scale, a construction scale and an overall rating.
fn small_definition() -> SurveyDefinition {
    let q = |id: &str, dimension, kind| Question {
        id: id.into(),
        dimension,
        text: loc(id, id),
        kind,
        required: true,
        show_if: None,
    };
    let towns = ["nanqiao", "jinhui", "zhelin", "haiwan"]
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
            ),
            q("product", Dimension::Product, QuestionKind::Scale5),
            q(
                "construction",
                Dimension::Construction,
                QuestionKind::Scale5,
            ),
            q("overall", Dimension::Overall, QuestionKind::Rating10),
        ],
    }
}

async fn results_equal_a_hand_computed_fixture(app: TestApp) {
    let id = open_wave(&app, &small_definition(), -1).await;
    let mut sent = Vec::new();
    // 南桥 ×10: product 5, construction 4.
    for _ in 0..10 {
        sent.push(("nanqiao", json!(5), json!(4)));
    }
    // 金汇 ×10: product 3; construction five "don't know" and five 1.
    for i in 0..10 {
        sent.push((
            "jinhui",
            json!(3),
            if i < 5 { json!("dont_know") } else { json!(1) },
        ));
    }
    // 柘林 ×4 and 海湾 ×3: product 1, construction 5; seven together, too few to show.
    for town in [
        "zhelin", "zhelin", "zhelin", "zhelin", "haiwan", "haiwan", "haiwan",
    ] {
        sent.push((town, json!(1), json!(5)));
    }
    for (town, product, construction) in &sent {
        let body = json!({"version": 1, "town": town, "answers": {
            "town": town, "product": product, "construction": construction, "overall": 7}});
        assert_eq!(
            app.respond(id, &body, None).await.status(),
            StatusCode::CREATED
        );
    }
    let results: Value = app.results(id).await;
    assert_eq!(results["responses"], 27);
    // Product: (10×100 + 10×50 + 7×0) / 27 = 55.56; construction: (10×75 + 5×0 + 7×100) / 22
    // = 65.91; overall: the mean of the two unrounded = 60.73.
    assert_eq!(
        results["index"],
        json!({"by_dimension": {"product": 55.6, "construction": 65.9}, "overall": 60.7})
    );
    // 柘林 and 海湾 are seven together, too few even as "other"; left so, they could be
    // worked out as the total minus the towns shown. So the smallest shown town (金汇,
    // ten, before 南桥 by name) joins them: "other" is 17 and says nothing about either.
    let by_town = results["by_town"].as_array().unwrap();
    assert_eq!(by_town.len(), 2, "{by_town:?}");
    assert_eq!(by_town[0]["town"], "nanqiao");
    assert_eq!(by_town[0]["responses"], 10);
    assert_eq!(
        by_town[0]["index"],
        json!({"by_dimension": {"product": 100.0, "construction": 75.0}, "overall": 87.5})
    );
    assert_eq!(by_town[1]["town"], "other");
    assert_eq!(by_town[1]["responses"], 17);
    // Product: (10×50 + 7×0) / 17 = 29.41; construction: (5×0 + 7×100) / 12 = 58.33;
    // overall: (29.41 + 58.33) / 2 = 43.87.
    assert_eq!(
        by_town[1]["index"],
        json!({"by_dimension": {"product": 29.4, "construction": 58.3}, "overall": 43.9})
    );
    let dist = |q: &str| {
        results["distributions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["question"] == q)
            .unwrap()["counts"]
            .clone()
    };
    // Counts under ten are published as "<10", never exactly.
    assert_eq!(dist("product"), json!({"1": "<10", "3": 10, "5": 10}));
    assert_eq!(
        dist("construction"),
        json!({"1": "<10", "4": 10, "5": "<10", "dont_know": "<10"})
    );
    assert_eq!(dist("overall"), json!({"7": 27}));

    // Three more from 柘林 would make the small towns ten together (柘林 7, 海湾 3), and
    // seven more from 南桥. The first of them leave the results as they were: two
    // results around one response must not tell that response's answers.
    let app = &app;
    let respond = |town: &'static str, product: i64, construction: i64| {
        let body = json!({"version": 1, "town": town, "answers": {
            "town": town, "product": product, "construction": construction, "overall": 7}});
        async move { app.respond(id, &body, None).await.status() }
    };
    assert_eq!(respond("zhelin", 1, 5).await, StatusCode::CREATED);
    let after_one: Value = app.results(id).await;
    assert_eq!(
        after_one, results,
        "one response later, the results are the same"
    );
    for _ in 0..2 {
        assert_eq!(respond("zhelin", 1, 5).await, StatusCode::CREATED);
    }
    for _ in 0..7 {
        assert_eq!(respond("nanqiao", 5, 4).await, StatusCode::CREATED);
    }
    let ten_later: Value = app.results(id).await;
    assert_eq!(
        ten_later, results,
        "ten more, but not yet fifteen minutes later"
    );
    // Fifteen minutes pass.
    sqlx::query("UPDATE survey_result_snapshots SET computed_at = computed_at - 900")
        .execute(&app.db)
        .await
        .unwrap();
    let results: Value = app.results(id).await;
    assert_eq!(results["responses"], 37);
    // The small towns are ten together (柘林 7, 海湾 3): now they are "other" on their
    // own, and 金汇 is shown again.
    let by_town = results["by_town"].as_array().unwrap();
    let towns: Vec<&str> = by_town
        .iter()
        .map(|g| g["town"].as_str().unwrap())
        .collect();
    assert_eq!(towns, ["jinhui", "nanqiao", "other"]);
    assert_eq!(by_town[2]["responses"], 10);
    assert_eq!(
        by_town[2]["index"]["by_dimension"],
        json!({"product": 0.0, "construction": 100.0})
    );
}

async fn closed_waves_refuse_and_older_versions_still_count(app: TestApp) {
    let mut definition = small_definition();
    let not_yet = open_wave(&app, &definition, 2).await;
    let body = json!({"version": 1, "town": "nanqiao", "answers": {
        "town": "nanqiao", "product": 4, "construction": 4, "overall": 7}});
    let (code, _) = error_code(
        app.respond(not_yet, &body, None).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(code, "survey_closed");

    let id = open_wave(&app, &definition, -1).await;
    definition.version = 2;
    definition.questions[3].required = false;
    app.store
        .add_survey_version(id, &definition, now_unix())
        .await
        .unwrap();
    let current: Value = app.get("/api/surveys/current").await.json().await.unwrap();
    assert_eq!(current["definition"]["version"], 2);
    // A phone that loaded version 1 before the change still gets its answer in.
    assert_eq!(
        app.respond(id, &body, None).await.status(),
        StatusCode::CREATED
    );
    let mut v2 = body.clone();
    v2["version"] = json!(2);
    v2["answers"].as_object_mut().unwrap().remove("overall");
    assert_eq!(
        app.respond(id, &v2, None).await.status(),
        StatusCode::CREATED
    );
    assert_eq!(app.count_responses().await, 2);
}

async fn bad_input_is_never_a_server_error(app: TestApp) {
    let id = open_wave(&app, &small_definition(), -1).await;
    let url = app.url(&format!("/api/surveys/{id}/responses"));
    for (body, status, code) in [
        ("{".to_string(), StatusCode::BAD_REQUEST, "malformed_body"),
        (
            r#"{"version":"x","answers":{},"town":"nanqiao"}"#.into(),
            StatusCode::BAD_REQUEST,
            "malformed_body",
        ),
        (
            r#"{"version":1,"answers":[],"town":"nanqiao"}"#.into(),
            StatusCode::BAD_REQUEST,
            "malformed_body",
        ),
        (
            r#"{"version":1,"answers":{"product":{"a":1}},"town":"nanqiao"}"#.into(),
            StatusCode::BAD_REQUEST,
            "malformed_body",
        ),
        (
            format!(
                r#"{{"version":1,"town":"{}","answers":{{}}}}"#,
                "x".repeat(70_000)
            ),
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
        ),
    ] {
        let r = app
            .client
            .post(&url)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(error_code(r, status).await.0, code);
    }
    let body = json!({"version": 1, "town": "nanqiao", "answers": {
        "town": "nanqiao", "product": "<script>", "construction": 4, "overall": 7}});
    let (_, err) = error_code(
        app.respond(id, &body, None).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(err["error"]["fields"], json!({"product": "out_of_range"}));
    for path in [
        "/api/surveys/999999/results".to_string(),
        "/api/surveys/abc/results".into(),
    ] {
        assert_eq!(
            error_code(app.get(&path).await, StatusCode::NOT_FOUND)
                .await
                .0,
            "not_found"
        );
    }
    let r = app.respond(999_999, &body, None).await;
    assert_eq!(error_code(r, StatusCode::NOT_FOUND).await.0, "not_found");
    assert_eq!(app.count_responses().await, 0);
}
