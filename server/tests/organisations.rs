//! Organisations signing up: once per organisation per event whoever its contact, only
//! where the event takes organisations, with the code checked; staff see and export them
//! with their code.

mod common;

use common::staff::draft;
use common::{TestApp, error_code, event, phone};
use futures::future::join_all;
use model::{Audience, Category, RegistrationReceipt, RegistrationStatus, Role, Scope, Town};
use reqwest::StatusCode;
use serde_json::{Value, json};

on_both_databases!(
    an_organisation_signs_up_once_per_event_whoever_sends_it,
    each_event_takes_only_its_audience,
    a_mistyped_code_is_refused_and_nothing_is_kept,
    staff_see_and_export_organisations_with_their_code,
);

/// A valid code (Alibaba's, as published) and one of another organisation.
const CODE: &str = "91330100716105852F";
const OTHER_CODE: &str = "91310000132200821H";

fn company(contact: &str, phone: &str, code: &str, attendees: i64) -> Value {
    json!({
        "name": contact,
        "phone": phone,
        "party_size": attendees,
        "organisation": {"name": "上海贤达质量技术有限公司", "credit_code": code},
    })
}

async fn event_for(app: &TestApp, audience: Audience, capacity: u32) -> i64 {
    let mut e = event(Town::Nanqiao, Category::Training, 3, capacity);
    e.audience = audience;
    app.add_event(e).await
}

async fn sign_up(app: &TestApp, id: i64, body: &Value) -> reqwest::Response {
    app.post_json(&format!("/api/events/{id}/registrations"), body, None)
        .await
}

async fn an_organisation_signs_up_once_per_event_whoever_sends_it(app: TestApp) {
    let id = event_for(&app, Audience::Both, 100).await;
    // Ten colleagues of one company send it at once, each from their own phone; the
    // code typed in lower case by some.
    let requests = (0..10).map(|i| {
        let app = &app;
        let code = if i % 2 == 0 {
            CODE.to_string()
        } else {
            CODE.to_lowercase()
        };
        async move { sign_up(app, id, &company("王质量", &phone(i), &code, 6)).await }
    });
    let mut created = 0;
    for r in join_all(requests).await {
        if r.status() == StatusCode::CREATED {
            created += 1;
            let receipt: RegistrationReceipt = r.json().await.unwrap();
            let org = receipt
                .organisation
                .expect("the receipt names the organisation");
            assert_eq!(org.credit_code, CODE);
            assert_eq!(org.name, "上海贤达质量技术有限公司");
            assert_eq!(receipt.party_size, 6);
            assert_eq!(receipt.status, RegistrationStatus::Registered);
        } else {
            let (code, _) = error_code(r, StatusCode::CONFLICT).await;
            assert_eq!(code, "organisation_already_registered");
        }
    }
    assert_eq!(created, 1);
    assert_eq!(app.count_registrations(id, "registered").await, 1);
    assert_eq!(app.taken(id).await, 6, "one company's six attendees, once");

    // Another organisation, and a resident, still sign up.
    let r = sign_up(&app, id, &company("李标准", &phone(20), OTHER_CODE, 2)).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let other: RegistrationReceipt = r.json().await.unwrap();
    let r = app.register(id, "张三", &phone(21), 1).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(app.taken(id).await, 9);

    // A proved phone sending its own sign-up again is given it back; sending one for
    // another organisation, or for itself, is refused and shown nothing of the first.
    let path = format!("/api/events/{id}/registrations");
    let again = company("李标准", &phone(20), OTHER_CODE, 2);
    let r = app.post_proved(&phone(20), &path, &again).await;
    assert_eq!(r.status(), StatusCode::OK);
    let given_back: RegistrationReceipt = r.json().await.unwrap();
    assert_eq!(given_back.code, other.code);
    let r = app
        .post_proved(&phone(20), &path, &company("李标准", &phone(20), CODE, 2))
        .await;
    let (code, body) = error_code(r, StatusCode::CONFLICT).await;
    assert_eq!(code, "already_registered");
    assert!(!body.to_string().contains(other.code.as_str()));
    let person = json!({"name": "李标准", "phone": phone(20), "party_size": 1});
    let r = app.post_proved(&phone(20), &path, &person).await;
    assert_eq!(
        error_code(r, StatusCode::CONFLICT).await.0,
        "already_registered"
    );
    let r = app
        .post_proved(&phone(21), &path, &company("张三", &phone(21), CODE, 1))
        .await;
    assert_eq!(
        error_code(r, StatusCode::CONFLICT).await.0,
        "already_registered"
    );

    // Once the company's sign-up is cancelled, a colleague signs it up again.
    let first: Vec<(String, String)> = sqlx::query_as(
        "SELECT code, phone FROM registrations WHERE event_id = $1 AND org_code = $2",
    )
    .bind(id)
    .bind(CODE)
    .fetch_all(&app.db)
    .await
    .unwrap();
    let (code, first_phone) = &first[0];
    let r = app
        .post_json(
            &format!("/api/registrations/{code}/cancel"),
            &json!({"phone": first_phone}),
            None,
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(app.taken(id).await, 3);
    let r = sign_up(&app, id, &company("赵计量", &phone(30), CODE, 4)).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(app.taken(id).await, 7);
}

async fn each_event_takes_only_its_audience(app: TestApp) {
    let residents = event_for(&app, Audience::Residents, 50).await;
    let organisations = event_for(&app, Audience::Organisations, 50).await;
    let r = sign_up(&app, residents, &company("王质量", &phone(1), CODE, 2)).await;
    assert_eq!(
        error_code(r, StatusCode::CONFLICT).await.0,
        "wrong_audience"
    );
    let r = app.register(organisations, "张三", &phone(2), 1).await;
    assert_eq!(
        error_code(r, StatusCode::CONFLICT).await.0,
        "wrong_audience"
    );
    assert_eq!(app.count_all_registrations().await, 0);
    assert_eq!(
        app.taken(residents).await + app.taken(organisations).await,
        0
    );
    // Each takes its own kind.
    let r = app.register(residents, "张三", &phone(2), 1).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = sign_up(&app, organisations, &company("王质量", &phone(1), CODE, 2)).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    // The public event says who it takes.
    assert_eq!(
        app.event_json(organisations).await["audience"],
        "organisations"
    );
    assert_eq!(app.event_json(residents).await["audience"], "residents");
}

async fn a_mistyped_code_is_refused_and_nothing_is_kept(app: TestApp) {
    let id = event_for(&app, Audience::Both, 50).await;
    // One digit changed: the check character no longer matches.
    let r = sign_up(
        &app,
        id,
        &company("王质量", &phone(1), "91330100716105853F", 11),
    )
    .await;
    let (code, body) = error_code(r, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(code, "validation");
    assert_eq!(
        body["error"]["fields"]["organisation.credit_code"],
        "check_character"
    );
    assert_eq!(body["error"]["fields"]["party_size"], "out_of_range");
    // A person may not bring ten, an organisation may.
    let r = app.register(id, "张三", &phone(2), 10).await;
    assert_eq!(
        error_code(r, StatusCode::UNPROCESSABLE_ENTITY).await.1["error"]["fields"]["party_size"],
        "out_of_range"
    );
    assert_eq!(app.count_all_registrations().await, 0);
    let r = sign_up(&app, id, &company("王质量", &phone(1), CODE, 10)).await;
    assert_eq!(r.status(), StatusCode::CREATED);
}

async fn staff_see_and_export_organisations_with_their_code(app: TestApp) {
    app.add_staff("nanqiao", Role::Organiser, &[Scope::Town(Town::Nanqiao)])
        .await;
    let nq = app.login("nanqiao").await;
    // Staff choose the audience and name a host.
    let mut d = draft("nanqiao", 5, 30);
    d["audience"] = json!("both");
    d["host"] = json!({"zh": "奉贤区工商联", "en": "Fengxian Federation of Industry and Commerce"});
    let id = nq.create_event(&d).await;
    let e = format!("/api/staff/events/{id}");
    nq.post(&format!("{e}/publish"), &json!({})).await;
    let public = app.event_json(id).await;
    assert_eq!(public["audience"], "both");
    assert_eq!(public["host"]["zh"], "奉贤区工商联");

    let r = sign_up(&app, id, &company("王质量", &phone(1), CODE, 3)).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let receipt: RegistrationReceipt = r.json().await.unwrap();
    app.register(id, "张三", &phone(2), 1).await;
    // The door's scan names the organisation and its contact.
    let scan: model::CheckinResult = nq
        .post(
            "/api/staff/checkins",
            &json!({"code": receipt.code.as_str(), "event_id": id}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        scan.organisation.as_deref(),
        Some("上海贤达质量技术有限公司")
    );
    assert_eq!((scan.name.as_str(), scan.party_size), ("王质量", 3));
    let people: Vec<model::Registrant> = nq
        .get(&format!("{e}/registrations"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(people.len(), 2);
    let org = people[0].organisation.as_ref().expect("the organisation");
    assert_eq!(
        (org.name.as_str(), org.credit_code.as_str()),
        ("上海贤达质量技术有限公司", CODE)
    );
    assert_eq!(people[0].name, "王质量");
    assert!(people[1].organisation.is_none());

    // A walk-in is a person: an event for organisations only takes none.
    let mut only = draft("nanqiao", 5, 30);
    only["audience"] = json!("organisations");
    let orgs_only = nq.create_event(&only).await;
    nq.post(
        &format!("/api/staff/events/{orgs_only}/publish"),
        &json!({}),
    )
    .await;
    let walk = json!({"name": "赵大海", "phone": phone(9), "party_size": 1});
    let r = nq
        .post(&format!("/api/staff/events/{orgs_only}/walk-ins"), &walk)
        .await;
    assert_eq!(
        error_code(r, StatusCode::CONFLICT).await.0,
        "wrong_audience"
    );
    assert_eq!(
        app.count_all_registrations().await,
        2,
        "the refused walk-in kept nothing"
    );

    let csv = nq.get(&format!("{e}/registrations?format=csv")).await;
    let text = String::from_utf8(csv.bytes().await.unwrap()[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].contains("统一社会信用代码 Credit code"));
    assert!(lines[1].contains("上海贤达质量技术有限公司") && lines[1].contains(CODE));
    assert!(!lines[2].contains(CODE));
}
