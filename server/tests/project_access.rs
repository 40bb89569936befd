//! Who may do what on a housing project: the district office, its sales office, its door,
//! and nobody else.

mod common;

use common::inspections::{created, fixture};
use common::projects::*;
use common::{TestApp, error_code};
use model::{Role, Scope};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

on_both_databases!(one_office_never_sees_another_projects_buyers_or_defects,);

async fn one_office_never_sees_another_projects_buyers_or_defects(app: TestApp) {
    let a = fixture(&app, 1, &[(48, 2)]).await;
    let b = fixture(&app, 1, &[(48, 2)]).await;
    let office_a = office(&app, a.project).await;
    app.add_staff("door_b", Role::Door, &[Scope::Project(b.project)])
        .await;
    let door_b = app.login("door_b").await;
    app.add_staff(
        "organiser",
        Role::Organiser,
        &[Scope::Town(model::Town::Nanqiao)],
    )
    .await;
    let organiser = app.login("organiser").await;
    let id = b.project;
    let gets = [
        format!("/api/staff/projects/{id}"),
        format!("/api/staff/projects/{id}/visits?day=2026-12-01"),
        format!("/api/staff/projects/{id}/defects"),
        "/api/staff/coverage".to_string(),
    ];
    for path in &gets {
        let (code, _) = error_code(office_a.get(path).await, StatusCode::FORBIDDEN).await;
        assert_eq!(code, "forbidden", "{path}");
        let (code, _) = error_code(organiser.get(path).await, StatusCode::FORBIDDEN).await;
        assert_eq!(code, "forbidden", "{path}");
    }
    let writes = [
        (
            Method::PUT,
            format!("/api/staff/projects/{id}/plan"),
            json!({"plan": plan(&[(540, 600, 1)]), "commit": false}),
        ),
        (
            Method::POST,
            format!("/api/staff/projects/{id}/buyers/import"),
            import("x.csv", HEADER.as_bytes(), false),
        ),
        (
            Method::POST,
            format!("/api/staff/projects/{id}/checkins"),
            json!({"code": "ABCD2345"}),
        ),
        (
            Method::PATCH,
            format!("/api/staff/projects/{id}"),
            project_draft(),
        ),
    ];
    for (method, path, body) in &writes {
        let r = office_a.send(method.clone(), path, body).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{method} {path}");
    }
    // The door of B sees B's day and checks in, but edits nothing.
    assert_eq!(door_b.get(&gets[1]).await.status(), StatusCode::OK);
    let r = door_b.post(&writes[1].1, &writes[1].2).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Only the district office opens projects; it sees them all.
    let r = office_a.post("/api/staff/projects", &project_draft()).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Nor may an office put itself on another project: only the district office assigns.
    let me = app
        .store
        .account_by_login(&format!("office{}", a.project))
        .await
        .unwrap()
        .unwrap()
        .id;
    let assign = json!({"account_id": me, "assigned": true});
    let path = format!("/api/staff/projects/{id}/staff");
    assert_eq!(
        office_a.post(&path, &assign).await.status(),
        StatusCode::FORBIDDEN
    );
    app.add_staff("admin", Role::Admin, &[]).await;
    let admin = app.login("admin").await;

    let made = created(admin.post("/api/staff/projects", &project_draft()).await).await;
    assert_eq!(made["draft"]["contact_phone"], "021-5718 8888");
    let all: Vec<Value> = admin.get("/api/staff/projects").await.json().await.unwrap();
    assert_eq!(all.len(), 3);
    let mut bad = project_draft();
    bad["contact_phone"] = json!("call us");
    bad["name"]["zh"] = json!("");
    let (_, body) = error_code(
        admin.post("/api/staff/projects", &bad).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(
        body["error"]["fields"],
        json!({"contact_phone": "invalid", "name.zh": "required"})
    );
    // Each sees only its own project in the list.
    let listed: Vec<Value> = office_a
        .get("/api/staff/projects")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        listed
            .iter()
            .map(|p| p["id"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        [a.project]
    );
    // The district office does, audited (and the office's sessions end with its old rights).
    let r = admin.post(&path, &assign).await;
    assert_eq!(r.status(), StatusCode::OK);
    let staffed: Value = r.json().await.unwrap();
    assert_eq!(
        staffed["staff"].as_array().unwrap().len(),
        2,
        "B's door and A's office"
    );
    assert_eq!(app.audit_rows("account.change").await, 1);
}
