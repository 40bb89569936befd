//! The staff API: sessions, roles and scopes, the audit log, running events, check-in.

mod common;

use common::staff::{PASSWORD, draft};
use common::{TestApp, error_code, phone};
use model::{Role, Scope, Town};
use quality_month_server::store::now_unix;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

on_both_databases!(
    every_staff_path_needs_a_session,
    roles_and_scopes_are_checked_on_every_call,
    sessions_end_on_logout_everywhere_idle_and_age,
    a_write_from_another_site_is_refused,
    wrong_passwords_throttle_the_guesser_not_the_owner,
    every_write_is_audited_and_the_log_cannot_be_changed,
    capacity_stays_above_taken_and_more_places_go_to_the_waitlist,
    cancelling_tells_everyone_signed_up_and_shows_the_reason,
    the_exports_read_back_with_every_sign_up,
    fifty_parallel_scans_check_in_once,
    the_door_is_told_plainly_what_a_code_is,
    admins_manage_accounts_and_a_disabled_one_is_out,
    an_admin_sets_up_a_second_factor_before_anything_else,
    parallel_guesses_get_no_more_tries_than_sequential_ones,
    strangers_cannot_lock_the_owner_out_of_a_browser_it_used_before,
    demo_staff_log_in_with_the_passwords_shown_once,
);

async fn every_staff_path_needs_a_session(app: TestApp) {
    let paths = [
        (Method::GET, "/api/staff/me"),
        (Method::GET, "/api/staff/events"),
        (Method::POST, "/api/staff/events"),
        (Method::GET, "/api/staff/events/1"),
        (Method::PATCH, "/api/staff/events/1"),
        (Method::POST, "/api/staff/events/1/publish"),
        (Method::POST, "/api/staff/events/1/unpublish"),
        (Method::POST, "/api/staff/events/1/cancel"),
        (Method::GET, "/api/staff/events/1/registrations"),
        (Method::GET, "/api/staff/events/1/registrations?format=xlsx"),
        (
            Method::POST,
            "/api/staff/events/1/registrations/ABCD2345/phone",
        ),
        (Method::POST, "/api/staff/events/1/walk-ins"),
        (Method::POST, "/api/staff/checkins"),
        (Method::GET, "/api/staff/audit"),
        (Method::GET, "/api/staff/accounts"),
        (Method::POST, "/api/staff/accounts"),
        (Method::PATCH, "/api/staff/accounts/1"),
        (Method::DELETE, "/api/staff/session"),
        (Method::POST, "/api/staff/sessions/end-all"),
        (Method::GET, "/api/staff/projects"),
        (Method::POST, "/api/staff/projects"),
        (Method::GET, "/api/staff/projects/1"),
        (Method::PATCH, "/api/staff/projects/1"),
        (Method::POST, "/api/staff/projects/1/staff"),
        (Method::PUT, "/api/staff/projects/1/plan"),
        (Method::POST, "/api/staff/projects/1/buyers/import"),
        (Method::GET, "/api/staff/projects/1/visits?day=2026-12-01"),
        (Method::POST, "/api/staff/projects/1/checkins"),
        (Method::POST, "/api/staff/projects/1/no-shows"),
        (Method::GET, "/api/staff/projects/1/defects"),
        (
            Method::POST,
            "/api/staff/projects/1/visits/ABCD2345/defects",
        ),
        (Method::POST, "/api/staff/projects/1/defects/1/status"),
        (Method::GET, "/api/staff/coverage"),
        (Method::GET, "/api/staff/coverage.xlsx"),
    ];
    for (method, path) in paths {
        for cookie in [None, Some("__Host-qm_staff=forged")] {
            let mut req = app
                .client
                .request(method.clone(), app.url(path))
                .header("origin", &app.address)
                .json(&json!({}));
            if let Some(c) = cookie {
                req = req.header("cookie", c);
            }
            let r = req.send().await.unwrap();
            let (code, _) = error_code(r, StatusCode::UNAUTHORIZED).await;
            assert_eq!(code, "login_required", "{method} {path}");
        }
    }
}

async fn roles_and_scopes_are_checked_on_every_call(app: TestApp) {
    app.add_staff("admin", Role::Admin, &[]).await;
    app.add_staff("nanqiao", Role::Organiser, &[Scope::Town(Town::Nanqiao)])
        .await;
    app.add_staff("door", Role::Door, &[Scope::Town(Town::Nanqiao)])
        .await;
    app.add_staff("analyst", Role::Analyst, &[]).await;
    let admin = app.login("admin").await;
    let nq = app.login("nanqiao").await;
    let door = app.login("door").await;
    let analyst = app.login("analyst").await;
    let haiwan = admin.create_event(&draft("haiwan", 5, 10)).await;
    let nanqiao = nq.create_event(&draft("nanqiao", 5, 10)).await;
    for id in [haiwan, nanqiao] {
        let r = admin
            .post(&format!("/api/staff/events/{id}/publish"), &json!({}))
            .await;
        assert_eq!(r.status(), StatusCode::OK);
    }
    let forbidden = async |r: reqwest::Response, what: &str| {
        let (code, _) = error_code(r, StatusCode::FORBIDDEN).await;
        assert_eq!(code, "forbidden", "{what}");
    };
    // An organiser of 南桥镇 cannot touch a 海湾镇 event, nor make one.
    let h = format!("/api/staff/events/{haiwan}");
    forbidden(nq.get(&h).await, "read haiwan").await;
    forbidden(
        nq.send(Method::PATCH, &h, &draft("haiwan", 5, 20)).await,
        "edit haiwan",
    )
    .await;
    forbidden(
        nq.post(&format!("{h}/cancel"), &json!({"reason": "x"}))
            .await,
        "cancel",
    )
    .await;
    forbidden(
        nq.get(&format!("{h}/registrations?format=csv")).await,
        "export",
    )
    .await;
    forbidden(
        nq.post("/api/staff/events", &draft("haiwan", 5, 10)).await,
        "create",
    )
    .await;
    // …nor move its own event to another town.
    let n = format!("/api/staff/events/{nanqiao}");
    forbidden(
        nq.send(Method::PATCH, &n, &draft("haiwan", 5, 10)).await,
        "move",
    )
    .await;
    let listed: Vec<Value> = nq.get("/api/staff/events").await.json().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["id"], nanqiao);
    // Door staff check in, and edit nothing.
    forbidden(
        door.send(Method::PATCH, &n, &draft("nanqiao", 5, 20)).await,
        "door edit",
    )
    .await;
    forbidden(
        door.post(&format!("{n}/publish"), &json!({})).await,
        "door publish",
    )
    .await;
    forbidden(
        door.get(&format!("{n}/registrations?format=xlsx")).await,
        "door export",
    )
    .await;
    forbidden(
        door.post("/api/staff/events", &draft("nanqiao", 5, 10))
            .await,
        "door create",
    )
    .await;
    assert_eq!(door.get(&n).await.status(), StatusCode::OK);
    assert_eq!(
        door.get(&format!("{n}/registrations")).await.status(),
        StatusCode::OK
    );
    forbidden(
        door.post(
            "/api/staff/checkins",
            &json!({"code": "ABCD2345", "event_id": haiwan}),
        )
        .await,
        "door elsewhere",
    )
    .await;
    // Analysts have no events; only admins see accounts and the audit log.
    forbidden(analyst.get("/api/staff/events").await, "analyst events").await;
    for who in [&nq, &door, &analyst] {
        forbidden(who.get("/api/staff/audit").await, "audit").await;
        forbidden(who.get("/api/staff/accounts").await, "accounts").await;
    }
    let audit = admin.get("/api/staff/audit").await;
    assert_eq!(audit.status(), StatusCode::OK);
    assert_eq!(
        audit.headers()["cache-control"],
        "no-store",
        "no browser keeps staff answers"
    );
    assert_eq!(admin.get(&h).await.status(), StatusCode::OK);
    // An organiser of one event (not of its town) runs that event, and only it.
    app.add_staff("haiwan-day", Role::Organiser, &[Scope::Event(haiwan)])
        .await;
    let one = app.login("haiwan-day").await;
    let r = one.send(Method::PATCH, &h, &draft("haiwan", 5, 20)).await;
    assert_eq!(r.status(), StatusCode::OK);
    forbidden(
        one.send(Method::PATCH, &n, &draft("nanqiao", 5, 20)).await,
        "other event",
    )
    .await;
}

async fn sessions_end_on_logout_everywhere_idle_and_age(app: TestApp) {
    app.add_staff("nanqiao", Role::Organiser, &[Scope::Town(Town::Nanqiao)])
        .await;
    let laptop = app.login("nanqiao").await;
    let phone_session = app.login("nanqiao").await;
    let me: Value = laptop.get("/api/staff/me").await.json().await.unwrap();
    assert_eq!(me["login"], "nanqiao");
    assert_eq!(me["role"], "organiser");
    assert_eq!(me["scopes"], json!(["town:nanqiao"]));
    // Logging out ends this session only.
    let r = laptop
        .send(Method::DELETE, "/api/staff/session", &json!({}))
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        laptop.get("/api/staff/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        phone_session.get("/api/staff/me").await.status(),
        StatusCode::OK
    );
    // "Log out everywhere" ends them all.
    let third = app.login("nanqiao").await;
    let r = third.post("/api/staff/sessions/end-all", &json!({})).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    for s in [&phone_session, &third] {
        assert_eq!(
            s.get("/api/staff/me").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    // Idle for 31 minutes, or logged in 12 hours ago and busy ever since: out.
    let idle = app.login("nanqiao").await;
    let old = app.login("nanqiao").await;
    let now = now_unix();
    let hash = |c: &str| {
        use sha2::Digest;
        let token = c.split_once('=').unwrap().1;
        sha2::Sha256::digest(token.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    sqlx::query("UPDATE staff_sessions SET last_seen_at = $1 WHERE token_hash = $2")
        .bind(now - 31 * 60)
        .bind(hash(&idle.cookie))
        .execute(&app.db)
        .await
        .unwrap();
    sqlx::query("UPDATE staff_sessions SET created_at = $1 WHERE token_hash = $2")
        .bind(now - 12 * 3600 - 1)
        .bind(hash(&old.cookie))
        .execute(&app.db)
        .await
        .unwrap();
    assert_eq!(
        idle.get("/api/staff/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        old.get("/api/staff/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    // A session used within the idle time stays.
    let busy = app.login("nanqiao").await;
    assert_eq!(busy.get("/api/staff/me").await.status(), StatusCode::OK);
}

async fn a_write_from_another_site_is_refused(app: TestApp) {
    app.add_staff("admin", Role::Admin, &[]).await;
    let admin = app.login("admin").await;
    for origin in [Some("https://evil.example"), Some("null"), None] {
        let mut req = app
            .client
            .post(app.url("/api/staff/events"))
            .header("cookie", &admin.cookie)
            .json(&draft("nanqiao", 5, 10));
        if let Some(o) = origin {
            req = req.header("origin", o);
        }
        let (code, _) = error_code(req.send().await.unwrap(), StatusCode::FORBIDDEN).await;
        assert_eq!(code, "forbidden", "{origin:?}");
    }
    let events: Vec<Value> = admin.get("/api/staff/events").await.json().await.unwrap();
    assert!(events.is_empty(), "nothing was created");
    // A login form posted from another site does not log anyone in either.
    let r = app
        .client
        .post(app.url("/api/staff/session"))
        .header("origin", "https://evil.example")
        .json(&json!({"login": "admin", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

async fn wrong_passwords_throttle_the_guesser_not_the_owner(app: TestApp) {
    app.add_staff("nanqiao", Role::Organiser, &[Scope::Town(Town::Nanqiao)])
        .await;
    let guesser = "203.0.113.9";
    for _ in 0..5 {
        let r = app
            .try_login("nanqiao", "wrong-password-123", guesser)
            .await;
        let (code, _) = error_code(r, StatusCode::UNAUTHORIZED).await;
        assert_eq!(code, "wrong_login");
    }
    // The sixth try is refused before the password is looked at, even the right one.
    let r = app.try_login("nanqiao", PASSWORD, guesser).await;
    assert!(r.headers().get("retry-after").is_some());
    let (code, _) = error_code(r, StatusCode::TOO_MANY_REQUESTS).await;
    assert_eq!(code, "rate_limited");
    // The owner, elsewhere, logs in.
    let r = app.try_login("nanqiao", PASSWORD, "198.51.100.20").await;
    assert_eq!(r.status(), StatusCode::OK);
    // An unknown login gets the same answer as a wrong password.
    let r = app.try_login("nobody", PASSWORD, "198.51.100.21").await;
    let (code, _) = error_code(r, StatusCode::UNAUTHORIZED).await;
    assert_eq!(code, "wrong_login");
}

async fn every_write_is_audited_and_the_log_cannot_be_changed(app: TestApp) {
    app.add_staff("admin", Role::Admin, &[]).await;
    let admin = app.login("admin").await;
    let id = admin.create_event(&draft("nanqiao", 5, 10)).await;
    let e = format!("/api/staff/events/{id}");
    admin
        .send(Method::PATCH, &e, &draft("nanqiao", 5, 12))
        .await;
    admin.post(&format!("{e}/publish"), &json!({})).await;
    let r = app.register(id, "张三", &phone(1), 1).await;
    let code = r.json::<Value>().await.unwrap()["code"]
        .as_str()
        .unwrap()
        .to_string();
    let revealed: Value = admin
        .post(&format!("{e}/registrations/{code}/phone"), &json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(revealed["phone"], phone(1));
    let listed: Vec<Value> = admin
        .get(&format!("{e}/registrations"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        listed[0]["phone_masked"], "139****0001",
        "lists show masked phones"
    );
    admin
        .post(
            "/api/staff/checkins",
            &json!({"code": code, "event_id": id}),
        )
        .await;
    admin
        .post(&format!("{e}/cancel"), &json!({"reason": "台风"}))
        .await;
    for action in [
        "session.login",
        "event.create",
        "event.update",
        "event.publish",
        "registration.reveal_phone",
        "registration.check_in",
        "event.cancel",
    ] {
        assert_eq!(app.audit_rows(action).await, 1, "{action}");
    }
    let update: Vec<Value> = admin
        .get("/api/staff/audit?action=event.update")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(update.len(), 1);
    assert_eq!(update[0]["actor"], "admin");
    assert!(
        update[0]["before"]
            .as_str()
            .unwrap()
            .contains("\"capacity\":10")
    );
    assert!(
        update[0]["after"]
            .as_str()
            .unwrap()
            .contains("\"capacity\":12")
    );
    let log = serde_json::to_string(
        &admin
            .get("/api/staff/audit")
            .await
            .json::<Value>()
            .await
            .unwrap(),
    )
    .unwrap();
    assert!(!log.contains(&phone(1)), "no phone number in the audit log");
    // The database itself refuses to change or remove a row.
    assert!(
        sqlx::query("UPDATE audit_log SET actor = 'someone else'")
            .execute(&app.db)
            .await
            .is_err()
    );
    assert!(
        sqlx::query("DELETE FROM audit_log")
            .execute(&app.db)
            .await
            .is_err()
    );
    assert_eq!(app.audit_rows("event.create").await, 1);
}

async fn capacity_stays_above_taken_and_more_places_go_to_the_waitlist(app: TestApp) {
    app.add_staff("nanqiao", Role::Organiser, &[Scope::Town(Town::Nanqiao)])
        .await;
    let nq = app.login("nanqiao").await;
    let id = nq.create_event(&draft("nanqiao", 5, 3)).await;
    let e = format!("/api/staff/events/{id}");
    nq.post(&format!("{e}/publish"), &json!({})).await;
    for i in 0..3 {
        assert_eq!(
            app.register(id, "李四", &phone(i), 1).await.status(),
            StatusCode::CREATED
        );
    }
    for i in 3..6 {
        app.register(id, "王五", &phone(i), 1).await;
    }
    assert_eq!(app.count_registrations(id, "waitlisted").await, 3);
    let r = nq.send(Method::PATCH, &e, &draft("nanqiao", 5, 2)).await;
    let (code, _) = error_code(r, StatusCode::CONFLICT).await;
    assert_eq!(code, "capacity_below_taken");
    assert_eq!(app.taken(id).await, 3);
    let r = nq.send(Method::PATCH, &e, &draft("nanqiao", 5, 5)).await;
    let after: Value = r.json().await.unwrap();
    assert_eq!(after["taken"], 5);
    assert_eq!(after["waitlisted"], 1);
    // The first two who waited got the places, in order.
    let people: Vec<Value> = nq
        .get(&format!("{e}/registrations"))
        .await
        .json()
        .await
        .unwrap();
    let status: Vec<&str> = people
        .iter()
        .map(|p| p["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        status,
        [
            "registered",
            "registered",
            "registered",
            "registered",
            "registered",
            "waitlisted"
        ]
    );
}

async fn cancelling_tells_everyone_signed_up_and_shows_the_reason(app: TestApp) {
    app.add_staff("nanqiao", Role::Organiser, &[Scope::Town(Town::Nanqiao)])
        .await;
    let nq = app.login("nanqiao").await;
    let id = nq.create_event(&draft("nanqiao", 5, 1)).await;
    let e = format!("/api/staff/events/{id}");
    nq.post(&format!("{e}/publish"), &json!({})).await;
    let r = app.register(id, "张三", &phone(1), 1).await;
    let code = r.json::<Value>().await.unwrap()["code"]
        .as_str()
        .unwrap()
        .to_string();
    app.register(id, "李四", &phone(2), 1).await; // waitlisted
    let r = nq
        .post(&format!("{e}/cancel"), &json!({"reason": " "}))
        .await;
    let (c, body) = error_code(r, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(
        (c.as_str(), &body["error"]["fields"]["reason"]),
        ("validation", &json!("required"))
    );
    let r = nq
        .post(
            &format!("{e}/cancel"),
            &json!({"reason": "台风预警，活动取消"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let (told,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM notifications WHERE body LIKE '%台风预警，活动取消%'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(told, 2, "the registrant and the waitlisted person");
    // The resident's look-up (what 我的 shows) carries the reason.
    let r = app
        .post_json(
            &format!("/api/registrations/{code}/lookup"),
            &json!({"phone": phone(1)}),
            None,
        )
        .await;
    let receipt: Value = r.json().await.unwrap();
    assert_eq!(receipt["event"]["status"], "cancelled");
    assert_eq!(receipt["event"]["cancel_reason"], "台风预警，活动取消");
    // Cancelling twice is refused; so is publishing what is cancelled.
    let r = nq
        .post(&format!("{e}/cancel"), &json!({"reason": "again"}))
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let r = nq.post(&format!("{e}/publish"), &json!({})).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
}

async fn the_exports_read_back_with_every_sign_up(app: TestApp) {
    use calamine::Reader;
    app.add_staff("nanqiao", Role::Organiser, &[Scope::Town(Town::Nanqiao)])
        .await;
    let nq = app.login("nanqiao").await;
    let id = nq.create_event(&draft("nanqiao", 5, 2)).await;
    let e = format!("/api/staff/events/{id}");
    nq.post(&format!("{e}/publish"), &json!({})).await;
    for (i, name) in ["张三", "李四", "王五"].iter().enumerate() {
        app.register(id, name, &phone(i), 1).await;
    }
    let r = nq.get(&format!("{e}/registrations?format=xlsx")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains(".xlsx")
    );
    let bytes = r.bytes().await.unwrap();
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(rows[0][0], "贤城质量义诊");
    assert_eq!(rows[2][1], "单位 Organisation");
    assert_eq!(rows[2][3], "姓名 Name");
    let people: Vec<(&str, &str, &str)> = rows[3..]
        .iter()
        .map(|r| (r[3].as_str(), r[4].as_str(), r[6].as_str()))
        .collect();
    assert_eq!(
        people,
        [
            ("张三", "139****0000", "已报名 registered"),
            ("李四", "139****0001", "已报名 registered"),
            ("王五", "139****0002", "候补 waitlisted")
        ]
    );
    let r = nq.get(&format!("{e}/registrations?format=csv")).await;
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = r.bytes().await.unwrap();
    assert!(
        csv.starts_with(b"\xEF\xBB\xBF"),
        "a BOM, so Excel reads UTF-8"
    );
    let text = std::str::from_utf8(&csv[3..]).unwrap();
    assert_eq!(text.lines().count(), 4);
    assert!(text.lines().nth(3).unwrap().contains("王五"));
    assert!(!text.contains(&phone(0)), "phones stay masked");
    assert_eq!(app.audit_rows("registrations.export").await, 2);
    let r = nq.get(&format!("{e}/registrations?format=pdf")).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

async fn fifty_parallel_scans_check_in_once(app: TestApp) {
    app.add_staff("door", Role::Door, &[Scope::Town(Town::Nanqiao)])
        .await;
    app.add_staff("nanqiao", Role::Organiser, &[Scope::Town(Town::Nanqiao)])
        .await;
    let nq = app.login("nanqiao").await;
    let id = nq.create_event(&draft("nanqiao", 5, 10)).await;
    nq.post(&format!("/api/staff/events/{id}/publish"), &json!({}))
        .await;
    let r = app.register(id, "张三", &phone(1), 3).await;
    let code = r.json::<Value>().await.unwrap()["code"]
        .as_str()
        .unwrap()
        .to_string();
    let door = std::sync::Arc::new(app.login("door").await);
    let scans = (0..50).map(|_| {
        let door = door.clone();
        let body = json!({"code": code, "event_id": id});
        tokio::spawn(async move {
            let r = door.post("/api/staff/checkins", &body).await;
            assert_eq!(r.status(), StatusCode::OK);
            r.json::<Value>().await.unwrap()
        })
    });
    let results = futures::future::join_all(scans).await;
    let results: Vec<Value> = results.into_iter().map(Result::unwrap).collect();
    let first: Vec<&Value> = results.iter().filter(|r| r["already"] == false).collect();
    assert_eq!(first.len(), 1, "exactly one scan checked them in");
    let times: std::collections::HashSet<&Value> =
        results.iter().map(|r| &r["checked_in_at"]).collect();
    assert_eq!(times.len(), 1, "every scan reports the one check-in time");
    assert_eq!(results[0]["name"], "张三");
    assert_eq!(results[0]["party_size"], 3);
    let event: Value = nq
        .get(&format!("/api/staff/events/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(event["attended"], 3);
    assert_eq!(app.audit_rows("registration.check_in").await, 1);
}

async fn the_door_is_told_plainly_what_a_code_is(app: TestApp) {
    app.add_staff("nanqiao", Role::Organiser, &[Scope::Town(Town::Nanqiao)])
        .await;
    let nq = app.login("nanqiao").await;
    let a = nq.create_event(&draft("nanqiao", 5, 1)).await;
    let b = nq.create_event(&draft("nanqiao", 6, 10)).await;
    for id in [a, b] {
        nq.post(&format!("/api/staff/events/{id}/publish"), &json!({}))
            .await;
    }
    let code_of = async |r: reqwest::Response| {
        r.json::<Value>().await.unwrap()["code"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let at_a = code_of(app.register(a, "张三", &phone(1), 1).await).await;
    let waiting = code_of(app.register(a, "李四", &phone(2), 1).await).await;
    let cancelled = code_of(app.register(b, "王五", &phone(3), 1).await).await;
    app.post_json(
        &format!("/api/registrations/{cancelled}/cancel"),
        &json!({"phone": phone(3)}),
        None,
    )
    .await;
    let scan = async |code: &str, event: i64| {
        nq.post(
            "/api/staff/checkins",
            &json!({"code": code, "event_id": event}),
        )
        .await
    };
    let (c, _) = error_code(scan(&at_a, b).await, StatusCode::CONFLICT).await;
    assert_eq!(c, "wrong_event");
    let (c, _) = error_code(scan(&cancelled, b).await, StatusCode::CONFLICT).await;
    assert_eq!(c, "already_cancelled");
    let (c, _) = error_code(scan("ZZZZ2222", b).await, StatusCode::NOT_FOUND).await;
    assert_eq!(c, "not_found");
    let w: Value = scan(&waiting, a).await.json().await.unwrap();
    assert_eq!(w["status"], "waitlisted");
    assert!(
        w.get("checked_in_at").is_none(),
        "a waitlisted person is not checked in"
    );
    // A walk-in is registered and checked in at once, if a place is left.
    let walk = json!({"name": "赵六", "phone": phone(9), "party_size": 2});
    let r = nq
        .post(&format!("/api/staff/events/{b}/walk-ins"), &walk)
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let r: Value = r.json().await.unwrap();
    assert_eq!(r["attended"], 2);
    let r = nq
        .post(&format!("/api/staff/events/{a}/walk-ins"), &walk)
        .await;
    let (c, _) = error_code(r, StatusCode::CONFLICT).await;
    assert_eq!(c, "slot_full");
    // A cancelled event lets nobody in.
    nq.post(
        &format!("/api/staff/events/{a}/cancel"),
        &json!({"reason": "台风"}),
    )
    .await;
    let (c, _) = error_code(scan(&at_a, a).await, StatusCode::CONFLICT).await;
    assert_eq!(c, "event_closed");
    let r = nq
        .post(
            &format!("/api/staff/events/{b}/walk-ins"),
            &json!({"name": "", "phone": "12", "party_size": 9}),
        )
        .await;
    let (_, body) = error_code(r, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(body["error"]["fields"].as_object().unwrap().len(), 3);
}

async fn admins_manage_accounts_and_a_disabled_one_is_out(app: TestApp) {
    app.add_staff("admin", Role::Admin, &[]).await;
    let admin = app.login("admin").await;
    let weak = json!({"login": "haiwan", "password": "1qaz2wsx3edc", "role": "organiser", "scopes": ["town:haiwan"]});
    let (_, body) = error_code(
        admin.post("/api/staff/accounts", &weak).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(body["error"]["fields"]["password"], "common");
    let short = json!({"login": "haiwan", "password": "short", "role": "organiser"});
    let (_, body) = error_code(
        admin.post("/api/staff/accounts", &short).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(body["error"]["fields"]["password"], "too_short");
    let good = json!({"login": "haiwan", "password": PASSWORD, "role": "organiser", "scopes": ["town:haiwan"]});
    let r = admin.post("/api/staff/accounts", &good).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let (_, body) = error_code(
        admin.post("/api/staff/accounts", &good).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(body["error"]["fields"]["login"], "taken");
    let haiwan = app.login("haiwan").await;
    assert_eq!(
        haiwan.get("/api/staff/events").await.status(),
        StatusCode::OK
    );
    // Re-scoped: the session made under the old rights ends.
    let r = admin
        .send(
            Method::PATCH,
            &format!("/api/staff/accounts/{id}"),
            &json!({"scopes": ["town:zhelin"]}),
        )
        .await;
    assert_eq!(
        r.json::<Value>().await.unwrap()["scopes"],
        json!(["town:zhelin"])
    );
    assert_eq!(
        haiwan.get("/api/staff/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    // Disabled: no login.
    admin
        .send(
            Method::PATCH,
            &format!("/api/staff/accounts/{id}"),
            &json!({"disabled": true}),
        )
        .await;
    let r = app.try_login("haiwan", PASSWORD, "198.51.100.7").await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    // One made on the command line (the test's admin), one in the app.
    assert_eq!(app.audit_rows("account.create").await, 2);
    assert_eq!(app.audit_rows("account.change").await, 2);
}

async fn an_admin_sets_up_a_second_factor_before_anything_else(app: TestApp) {
    app.add_staff_without_second_factor("chief", Role::Admin, &[])
        .await;
    let chief = app.login("chief").await;
    for path in [
        "/api/staff/events",
        "/api/staff/audit",
        "/api/staff/accounts",
    ] {
        let (code, _) = error_code(chief.get(path).await, StatusCode::FORBIDDEN).await;
        assert_eq!(code, "second_factor_setup", "{path}");
    }
    let me: Value = chief.get("/api/staff/me").await.json().await.unwrap();
    assert_eq!(me["totp_enabled"], false);
    let setup: Value = chief
        .post("/api/staff/me/second-factor", &json!({}))
        .await
        .json()
        .await
        .unwrap();
    let secret = setup["secret"].as_str().unwrap().to_string();
    assert!(
        setup["otpauth_url"]
            .as_str()
            .unwrap()
            .starts_with("otpauth://totp/")
    );
    let r = chief
        .post(
            "/api/staff/me/second-factor/confirm",
            &json!({"otp": "000000"}),
        )
        .await;
    let (_, body) = error_code(r, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(body["error"]["fields"]["otp"], "invalid");
    let now = now_unix() as u64;
    let code = quality_month_server::staff::second_factor::code_at(&secret, "chief", now).unwrap();
    let r = chief
        .post("/api/staff/me/second-factor/confirm", &json!({"otp": code}))
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        chief.get("/api/staff/me").await.status(),
        StatusCode::UNAUTHORIZED,
        "sessions end"
    );
    // From now on: password and code. Without the code, the app is told to ask for it.
    let r = app.try_login("chief", PASSWORD, "198.51.100.30").await;
    let (c, _) = error_code(r, StatusCode::UNAUTHORIZED).await;
    assert_eq!(c, "second_factor_required");
    // The code that confirmed the secret is used up; so is any code once it logged in.
    let r = app
        .try_login_with("chief", PASSWORD, Some(&code), "198.51.100.30")
        .await;
    let (c, _) = error_code(r, StatusCode::UNAUTHORIZED).await;
    assert_eq!(c, "wrong_login");
    let later =
        quality_month_server::staff::second_factor::code_at(&secret, "chief", now + 30).unwrap();
    let r = app
        .try_login_with("chief", PASSWORD, Some(&later), "198.51.100.30")
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = app
        .try_login_with("chief", PASSWORD, Some(&later), "198.51.100.31")
        .await;
    let (c, _) = error_code(r, StatusCode::UNAUTHORIZED).await;
    assert_eq!(c, "wrong_login", "a code replayed elsewhere");
    assert_eq!(app.audit_rows("account.second_factor").await, 1);
}

async fn parallel_guesses_get_no_more_tries_than_sequential_ones(app: TestApp) {
    app.add_staff("nanqiao", Role::Organiser, &[Scope::Town(Town::Nanqiao)])
        .await;
    let app = std::sync::Arc::new(app);
    let guesses = (0..12).map(|i| {
        let app = app.clone();
        tokio::spawn(async move {
            app.try_login("nanqiao", &format!("wrong-password-{i:03}"), "203.0.113.77")
                .await
                .status()
        })
    });
    let answers: Vec<StatusCode> = futures::future::join_all(guesses)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    let looked_at = answers
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let refused = answers
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!((looked_at, refused), (5, 7), "{answers:?}");
}

async fn strangers_cannot_lock_the_owner_out_of_a_browser_it_used_before(app: TestApp) {
    app.add_staff("nanqiao", Role::Organiser, &[Scope::Town(Town::Nanqiao)])
        .await;
    // The organiser's laptop logged in last week: the server marked it as theirs.
    let r = app.try_login("nanqiao", PASSWORD, "198.51.100.40").await;
    let device = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("__Host-qm_device="))
        .expect("a device cookie");
    for attribute in ["HttpOnly", "Secure", "SameSite=Strict"] {
        assert!(device.contains(attribute), "{device}");
    }
    let device = device.split(';').next().unwrap().to_string();
    // Guessers everywhere have used up the login's allowance (a hundred misses).
    sqlx::query(
        "INSERT INTO staff_login_failures (key, failures, last_failed_at, blocked_until) \
         VALUES ('login:nanqiao', 100, $1, $2) \
         ON CONFLICT (key) DO UPDATE SET failures = 100, last_failed_at = $1, blocked_until = $2",
    )
    .bind(now_unix())
    .bind(now_unix() + 900)
    .execute(&app.db)
    .await
    .unwrap();
    let from = |cookie: Option<&str>| {
        let mut req = app
            .client
            .post(app.url("/api/staff/session"))
            .header("origin", &app.origin)
            .header("x-forwarded-for", "198.51.100.40")
            .json(&json!({"login": "nanqiao", "password": PASSWORD}));
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        req.send()
    };
    // A new browser waits; the owner's own browser gets in.
    assert_eq!(
        from(None).await.unwrap().status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(from(Some(&device)).await.unwrap().status(), StatusCode::OK);
    // A forged or another login's device cookie is a stranger's.
    app.add_staff("haiwan", Role::Organiser, &[Scope::Town(Town::Haiwan)])
        .await;
    let r = app.try_login("haiwan", PASSWORD, "198.51.100.41").await;
    let other = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string())
        .find(|c| c.starts_with("__Host-qm_device="))
        .unwrap();
    assert_eq!(
        from(Some(&other)).await.unwrap().status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    let forged = format!("{device}x");
    assert_eq!(
        from(Some(&forged)).await.unwrap().status(),
        StatusCode::TOO_MANY_REQUESTS
    );
}

async fn demo_staff_log_in_with_the_passwords_shown_once(app: TestApp) {
    let seeded = quality_month_server::demo::seed_if_empty(&app.store, now_unix())
        .await
        .unwrap();
    let made: Vec<(&str, Role)> = seeded.accounts.iter().map(|a| (a.login, a.role)).collect();
    assert_eq!(
        made,
        [
            ("admin", Role::Admin),
            ("nanqiao", Role::Organiser),
            ("door", Role::Door),
            ("xinglan", Role::ProjectOffice),
            ("analyst", Role::Analyst)
        ]
    );
    for (i, a) in seeded.accounts.iter().enumerate() {
        let r = app
            .try_login(a.login, &a.password, &format!("198.51.100.{}", 50 + i))
            .await;
        assert_eq!(r.status(), StatusCode::OK, "{}", a.login);
        let stored = app.store.account_by_login(a.login).await.unwrap().unwrap();
        assert!(
            stored.password_hash.starts_with("$argon2id$"),
            "never kept as typed"
        );
    }
    // The organiser runs 南桥镇's demo events, and only those.
    let nq = app
        .login_with("nanqiao", &seeded.accounts[1].password)
        .await;
    let events: Vec<Value> = nq.get("/api/staff/events").await.json().await.unwrap();
    assert!(!events.is_empty());
    assert!(events.iter().all(|e| e["town"] == "nanqiao"));
    // Tomorrow's training has sign-ups whose reminders are due this evening (or went).
    let reminders: Vec<Value> = nq.get("/api/staff/reminders").await.json().await.unwrap();
    let tomorrow = reminders
        .iter()
        .find(|r| r["name"]["zh"].as_str().unwrap().contains("质量管理小组"))
        .expect("tomorrow's training is on the reminders page");
    assert_eq!(
        tomorrow["next_due"].as_u64().unwrap()
            + tomorrow["sent"].as_u64().unwrap()
            + tomorrow["waiting"].as_u64().unwrap(),
        3
    );
    // 星澜苑's sales office sees its project, last week's visits and defects in every state.
    let office = app
        .login_with("xinglan", &seeded.accounts[3].password)
        .await;
    let projects: Vec<Value> = office
        .get("/api/staff/projects")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(projects.len(), 1);
    assert!(
        projects[0]["draft"]["name"]["zh"]
            .as_str()
            .unwrap()
            .contains("星澜苑")
    );
    let id = projects[0]["id"].as_i64().unwrap();
    let defects: Vec<Value> = office
        .get(&format!("/api/staff/projects/{id}/defects"))
        .await
        .json()
        .await
        .unwrap();
    let mut states: Vec<&str> = defects
        .iter()
        .map(|d| d["status"].as_str().unwrap())
        .collect();
    states.sort_unstable();
    states.dedup();
    assert_eq!(states, ["confirmed", "in_progress", "open", "repaired"]);
    // The analyst finds last year's wave published and this year's open, with comments.
    let analyst = app
        .login_with("analyst", &seeded.accounts[4].password)
        .await;
    let waves: Vec<Value> = analyst
        .get("/api/staff/surveys")
        .await
        .json()
        .await
        .unwrap();
    let statuses: Vec<&str> = waves
        .iter()
        .map(|w| w["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["open", "published"]);
    let comments: Vec<Value> = analyst
        .get(&format!("/api/staff/surveys/{}/comments", waves[0]["id"]))
        .await
        .json()
        .await
        .unwrap();
    assert!(!comments.is_empty(), "the demo has comments to read");
    let again = quality_month_server::demo::seed_if_empty(&app.store, now_unix())
        .await
        .unwrap();
    assert!(again.accounts.is_empty(), "made once, printed once");
}

#[tokio::test]
async fn the_sweep_forgets_old_login_failures_and_sessions_but_not_live_ones() {
    let app = common::spawn_app(common::Db::Sqlite).await.unwrap();
    app.add_staff("nanqiao", Role::Organiser, &[Scope::Town(Town::Nanqiao)])
        .await;
    let live = app.login("nanqiao").await;
    let now = now_unix();
    let old = now - 3 * 86_400;
    sqlx::query(
        "INSERT INTO staff_login_failures (key, failures, last_failed_at, blocked_until) \
         VALUES ('login:gone', 3, $1, 0), ('login:recent', 3, $2, 0)",
    )
    .bind(old)
    .bind(now - 60)
    .execute(&app.db)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO staff_sessions (token_hash, account_id, created_at, last_seen_at, ended_at) \
         VALUES ('ended-long-ago', 1, $1, $1, $1)",
    )
    .bind(old)
    .execute(&app.db)
    .await
    .unwrap();
    let swept = quality_month_server::sweep::sweep_once(&app.store, now, 90)
        .await
        .unwrap();
    assert_eq!((swept.staff_login_failures, swept.staff_sessions), (1, 1));
    let keys: Vec<(String,)> = sqlx::query_as("SELECT key FROM staff_login_failures ORDER BY key")
        .fetch_all(&app.db)
        .await
        .unwrap();
    assert!(keys.iter().any(|(k,)| k == "login:recent"));
    assert!(!keys.iter().any(|(k,)| k == "login:gone"));
    assert_eq!(
        live.get("/api/staff/me").await.status(),
        StatusCode::OK,
        "a live session stays"
    );
}
