//! Reminders, with the clock in the test's hands (`reminders::run_once` at chosen times):
//! once per item even with two instances' workers, none for cancelled items or for phones
//! and items that turned them off, never in the quiet hours, the promotion notice, and
//! the staff's figures and time of day.

mod common;

use common::inspections::{booking, fixture_with};
use common::{TestApp, event, phone, test_settings};
use model::reminder::ReminderItem;
use model::reminder::ReminderKind;
use model::{BeijingDate, BeijingTime, Category, Role, Scope, Town};
use quality_month_server::reminders::{link_token, run_once};
use quality_month_server::store::Decided;
use quality_month_server::store::now_unix;
use quality_month_server::verification::sender::Sender;
use quality_month_server::{Settings, Store};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn verifying() -> Settings {
    Settings {
        sms: Some(Sender::Log),
        ..test_settings()
    }
}

on_both_databases!(with verifying;
    a_reminder_is_queued_once_even_with_two_workers,
    cancelled_items_and_phones_or_items_turned_off_get_none,
    quiet_hours_hold_reminders_and_the_evening_one_never_comes_with_the_two_hour_one,
    a_promoted_sign_up_is_told_at_once,
    staff_choose_the_time_and_see_what_went_out,
    a_reminder_for_an_event_cancelled_meanwhile_is_not_queued,
    a_reminder_the_gateway_did_not_take_before_the_quiet_hours_is_dropped,
);

const PUBLIC: &str = "https://zlm.example.gov.cn";
const NAMES: [&str; 5] = ["张伟", "李娜", "王芳", "刘洋", "陈静"];

/// 10:00 Beijing, `days` after today.
fn morning_in(days: i64, hour: u8) -> BeijingTime {
    let today = BeijingTime::from_unix(now_unix()).date();
    BeijingTime::from_civil(today.add_days(days), hour, 0).unwrap()
}

fn at(date: BeijingDate, hour: u8, minute: u8) -> i64 {
    BeijingTime::from_civil(date, hour, minute).unwrap().unix()
}

impl TestApp {
    async fn sign_up(&self, event: i64, i: usize) -> Value {
        let r = self
            .post_proved(
                &phone(i),
                &format!("/api/events/{event}/registrations"),
                &json!({"name": NAMES[i % NAMES.len()], "phone": phone(i), "party_size": 1}),
            )
            .await;
        let status = r.status();
        let answer: Value = r.json().await.unwrap();
        assert!(status.is_success(), "{status} {answer}");
        answer
    }

    /// Messages queued to `phone` whose text contains `marker`.
    async fn messages(&self, phone: &str, marker: &str) -> Vec<String> {
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT body FROM notifications WHERE recipient = $1 ORDER BY id")
                .bind(phone)
                .fetch_all(&self.db)
                .await
                .unwrap();
        rows.into_iter()
            .map(|(b,)| b)
            .filter(|b| b.contains(marker))
            .collect()
    }

    async fn reminders(&self, now: i64) -> u32 {
        run_once(&self.store, &self.secret, PUBLIC, now)
            .await
            .unwrap()
            .queued
    }

    async fn event_at(&self, starts_at: BeijingTime, capacity: u32) -> i64 {
        let mut e = event(Town::Nanqiao, Category::Clinic, 0, capacity);
        e.starts_at = starts_at;
        e.ends_at = starts_at.add_secs(7200);
        self.add_event(e).await
    }
}

async fn a_reminder_is_queued_once_even_with_two_workers(app: TestApp) {
    let starts = morning_in(3, 10);
    let id = app.event_at(starts, 10).await;
    for i in 0..3 {
        app.sign_up(id, i).await;
    }
    let eve = starts.date().add_days(-1);
    assert_eq!(app.reminders(at(eve, 17, 59)).await, 0, "not due yet");

    // A second instance: its own pool on the same database, its worker at the same time.
    let other = Store::connect(&app.database_url, 4).await.unwrap();
    let now = at(eve, 18, 0);
    let (a, b) = tokio::join!(
        run_once(&app.store, &app.secret, PUBLIC, now),
        run_once(&other, &app.secret, PUBLIC, now),
    );
    assert_eq!(a.unwrap().queued + b.unwrap().queued, 3);
    assert_eq!(app.reminders(at(eve, 18, 1)).await, 0, "decided already");
    assert_eq!(app.reminders(at(eve, 20, 0)).await, 0);
    for i in 0..3 {
        let sent = app.messages(&phone(i), "提醒").await;
        assert_eq!(sent.len(), 1, "phone {i}: {sent:?}");
        // What, when, where, the code, the pass, and the way out.
        let text = &sent[0];
        assert!(text.contains("测试活动") && text.contains(" 10:00") && text.contains("会场"));
        assert!(text.contains(&format!("{PUBLIC}/mine")), "{text}");
        assert!(text.contains(&format!("{PUBLIC}/reminders/v1.r")), "{text}");
    }
}

async fn cancelled_items_and_phones_or_items_turned_off_get_none(app: TestApp) {
    let starts = morning_in(3, 10);
    let id = app.event_at(starts, 10).await;
    let signups: Vec<Value> = futures::future::join_all((0..4).map(|i| app.sign_up(id, i))).await;

    // 0 cancels; 1 turns this event's reminders off by the link; 2 turns its phone off in
    // 我的; 3 hears.
    let code0 = signups[0]["code"].as_str().unwrap();
    let r = app
        .post_proved(
            &phone(0),
            &format!("/api/registrations/{code0}/cancel"),
            &json!({"phone": phone(0)}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let (reg1,): (i64,) = sqlx::query_as("SELECT id FROM registrations WHERE phone = $1")
        .bind(phone(1))
        .fetch_one(&app.db)
        .await
        .unwrap();
    let link = link_token(&app.secret, ReminderItem::Registration, reg1, starts.unix());
    let r = app
        .post_json(
            &format!("/api/reminders/{link}"),
            &json!({"whole_phone": false, "on": false}),
            None,
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let state: Value = r.json().await.unwrap();
    assert_eq!(state["item_off"], true);
    assert_eq!(state["phone_off"], false);
    assert_eq!(state["title"]["zh"], "测试活动");
    // An altered link names nothing.
    let forged = link.replacen(&format!("r{reg1}"), &format!("r{}", reg1 + 1), 1);
    let r = app.get(&format!("/api/reminders/{forged}")).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // Nobody silences another's phone: the switch needs that phone's proof.
    let body = json!({"phone": phone(2), "on": false});
    let r = app.post_json("/api/reminders/phone", &body, None).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = app
        .post_proved(&phone(3), "/api/reminders/phone", &body)
        .await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = app
        .post_proved(&phone(2), "/api/reminders/phone", &body)
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap()["on"], false);
    // The wish is kept, readable again from 我的.
    let r = app
        .post_proved(
            &phone(2),
            "/api/reminders/phone",
            &json!({"phone": phone(2)}),
        )
        .await;
    assert_eq!(r.json::<Value>().await.unwrap()["on"], false);

    let eve = starts.date().add_days(-1);
    assert_eq!(app.reminders(at(eve, 18, 0)).await, 1);
    for (i, expected) in [(0, 0), (1, 0), (2, 0), (3, 1)] {
        assert_eq!(
            app.messages(&phone(i), "提醒").await.len(),
            expected,
            "phone {i}"
        );
    }
    // The phone that turned reminders off is counted as such, and no number is kept.
    let (off,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM reminders WHERE outcome = 'turned_off'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(off, 1);
    let (kept,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM reminder_optouts WHERE phone_key LIKE $1")
            .bind(format!("%{}%", phone(2)))
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(kept, 0, "the opt-out list holds no readable number");
}

async fn quiet_hours_hold_reminders_and_the_evening_one_never_comes_with_the_two_hour_one(
    app: TestApp,
) {
    // A visit at 14:00 in three days, and one at 09:00 the day after.
    let afternoon = morning_in(3, 14);
    let early = morning_in(4, 9);
    let f = fixture_with(
        &app,
        2,
        &[(72, 5), (72 + 19, 5)],
        30,
        60,
        afternoon.unix() - 72 * 3600,
    )
    .await;
    for (flat, slot) in [(0, f.slots[0]), (1, f.slots[1])] {
        let r = app
            .post_proved(
                &phone(flat),
                "/api/inspections/bookings",
                &booking(f.project, flat, slot),
            )
            .await;
        assert_eq!(
            r.status(),
            StatusCode::CREATED,
            "{}",
            r.text().await.unwrap()
        );
    }
    // The office wants its evening reminder at 20:30.
    app.add_staff("xinglan", Role::ProjectOffice, &[Scope::Project(f.project)])
        .await;
    let office = app.login("xinglan").await;
    let r = office
        .send(
            Method::PUT,
            &format!("/api/staff/projects/{}/reminders", f.project),
            &json!({"evening_at": "20:30"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);

    let eve = afternoon.date().add_days(-1);
    assert_eq!(app.reminders(at(eve, 20, 29)).await, 0);
    // The server was down at 20:30; by 21:05 the quiet hours have begun.
    assert_eq!(app.reminders(at(eve, 21, 5)).await, 0);
    assert_eq!(app.reminders(at(afternoon.date(), 7, 59)).await, 0);
    // 08:00: the 14:00 visit's evening reminder goes now; the 09:00 visit of tomorrow is
    // not due yet.
    assert_eq!(app.reminders(at(afternoon.date(), 8, 0)).await, 1);
    assert_eq!(app.reminders(at(afternoon.date(), 11, 59)).await, 0);
    assert_eq!(
        app.reminders(at(afternoon.date(), 12, 0)).await,
        1,
        "two hours before"
    );
    assert_eq!(app.messages(&phone(0), "提醒").await.len(), 2);

    // The 09:00 visit: evening reminder at 20:30, two-hour one due at 07:00, sent at 08:00.
    assert_eq!(app.reminders(at(afternoon.date(), 20, 30)).await, 1);
    assert_eq!(app.reminders(at(early.date(), 7, 0)).await, 0);
    assert_eq!(app.reminders(at(early.date(), 8, 0)).await, 1);
    assert_eq!(app.reminders(at(early.date(), 8, 40)).await, 0);
    let sent = app.messages(&phone(1), "提醒").await;
    assert_eq!(sent.len(), 2);
    assert!(
        sent[0].contains("预看房") && sent[0].contains("09:00"),
        "{}",
        sent[0]
    );
    assert!(sent[0].contains(&format!("{PUBLIC}/mine")));
}

async fn a_promoted_sign_up_is_told_at_once(app: TestApp) {
    let id = app.event_at(morning_in(5, 10), 1).await;
    let first = app.sign_up(id, 0).await;
    let waiting = app.sign_up(id, 1).await;
    assert_eq!(waiting["status"], "waitlisted");
    assert!(app.messages(&phone(1), "名额").await.is_empty());
    let code = first["code"].as_str().unwrap();
    let r = app
        .post_proved(
            &phone(0),
            &format!("/api/registrations/{code}/cancel"),
            &json!({"phone": phone(0)}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let told = app.messages(&phone(1), "名额").await;
    assert_eq!(told.len(), 1, "{told:?}");
    assert!(told[0].contains(waiting["code"].as_str().unwrap()));
    assert!(app.messages(&phone(0), "名额").await.is_empty());
}

async fn staff_choose_the_time_and_see_what_went_out(app: TestApp) {
    let starts = morning_in(3, 10);
    let id = app.event_at(starts, 10).await;
    let other_town = {
        let mut e = event(Town::Zhelin, Category::Clinic, 0, 10);
        e.starts_at = starts;
        e.ends_at = starts.add_secs(3600);
        app.add_event(e).await
    };
    for i in 0..3 {
        app.sign_up(id, i).await;
    }
    app.add_staff("nanqiao", Role::Organiser, &[Scope::Town(Town::Nanqiao)])
        .await;
    app.add_staff("door", Role::Door, &[Scope::Town(Town::Nanqiao)])
        .await;
    let organiser = app.login("nanqiao").await;
    let door = app.login("door").await;

    let path = format!("/api/staff/events/{id}/reminders");
    let r = door
        .send(Method::PUT, &path, &json!({"evening_at": "19:00"}))
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "the door only sees");
    let r = organiser
        .send(
            Method::PUT,
            &format!("/api/staff/events/{other_town}/reminders"),
            &json!({"evening_at": "19:00"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "another town's event");
    let r = organiser
        .send(Method::PUT, &path, &json!({"evening_at": "22:00"}))
        .await;
    assert!(r.status().is_client_error(), "a time in the quiet hours");
    let r = organiser
        .send(Method::PUT, &path, &json!({"evening_at": "19:00"}))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(app.audit_rows("reminders.time").await, 1);

    let figures = |list: Vec<Value>| {
        list.into_iter()
            .find(|f| f["subject"] == format!("event:{id}"))
            .expect("the event is listed")
    };
    let before: Value = figures(door.get("/api/staff/reminders").await.json().await.unwrap());
    assert_eq!(before["evening_at"], "19:00");
    assert_eq!(before["next_due"], 3);
    let eve = starts.date().add_days(-1);
    assert_eq!(
        before["next_due_at"],
        json!(BeijingTime::from_unix(at(eve, 19, 0)))
    );
    let listed: Vec<Value> = door.get("/api/staff/reminders").await.json().await.unwrap();
    assert!(
        listed
            .iter()
            .all(|f| f["subject"] != format!("event:{other_town}")),
        "another town's event is not the door's"
    );

    assert_eq!(app.reminders(at(eve, 18, 0)).await, 0, "moved to 19:00");
    assert_eq!(app.reminders(at(eve, 19, 0)).await, 3);
    // The gateway takes one, refuses one for good; the third still waits.
    let ids: Vec<(i64,)> = sqlx::query_as(
        "SELECT notification_id FROM reminders WHERE outcome = 'queued' ORDER BY id",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    app.store
        .notification_sent(ids[0].0, now_unix())
        .await
        .unwrap();
    app.store
        .notification_failed(ids[1].0, "gateway answered 400", None, now_unix())
        .await
        .unwrap();
    let after = figures(
        organiser
            .get("/api/staff/reminders")
            .await
            .json()
            .await
            .unwrap(),
    );
    assert_eq!(
        (&after["sent"], &after["failed"], &after["waiting"]),
        (&json!(1), &json!(1), &json!(1))
    );
    assert_eq!(after["next_due"], 0);
}

async fn a_reminder_for_an_event_cancelled_meanwhile_is_not_queued(app: TestApp) {
    let starts = morning_in(3, 10);
    let id = app.event_at(starts, 10).await;
    app.sign_up(id, 0).await;
    let eve = starts.date().add_days(-1);
    let now = at(eve, 18, 0);
    // The worker has read its list; staff cancel the event before it decides.
    let candidates = app
        .store
        .reminder_candidates(now, now + 2 * 86_400)
        .await
        .unwrap();
    assert_eq!(candidates.len(), 1);
    app.store
        .cancel_event(
            id,
            "场地维修",
            &quality_month_server::store::Actor::command_line(),
            now,
        )
        .await
        .unwrap();
    let decided = app
        .store
        .decide_reminder(&candidates[0], ReminderKind::DayBefore, Some("提醒"), now)
        .await
        .unwrap();
    assert_eq!(decided, Decided::Nothing);
    assert!(app.messages(&phone(0), "提醒：").await.is_empty());
}

async fn a_reminder_the_gateway_did_not_take_before_the_quiet_hours_is_dropped(app: TestApp) {
    let starts = morning_in(3, 14);
    let id = app.event_at(starts, 10).await;
    app.sign_up(id, 0).await;
    let eve = starts.date().add_days(-1);
    assert_eq!(app.reminders(at(eve, 18, 0)).await, 1);
    // The gateway is down until after 21:00: the message is dropped, not sent at night.
    let leased = app
        .store
        .lease_due_notifications(at(eve, 21, 1), 50)
        .await
        .unwrap();
    assert!(
        leased.iter().all(|m| !m.body.contains("提醒：")),
        "a reminder is not sent in the quiet hours"
    );
    let (outcome,): (String,) = sqlx::query_as("SELECT outcome FROM reminders")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(outcome, "failed");
}
