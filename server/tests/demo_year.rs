//! The demo's past year: of the size the district's report gives (more than 200 events,
//! about 2,500 organisations' participations, nearly 5,000 residents), its books balanced,
//! its old personal data already erased, and out of the residents' upcoming list.

mod common;

use common::TestApp;
use model::CreditCode;
use quality_month_server::store::now_unix;
use serde_json::Value;

on_both_databases!(
    the_demo_holds_a_year_of_the_reports_size,
    the_demo_year_balances_and_keeps_no_old_personal_data,
);

const DAY: i64 = 86_400;

/// Sign-ups to events held (published, over) in the year before `$1`, from `$2`.
const HELD: &str = "FROM registrations r JOIN events e ON e.id = r.event_id \
     WHERE e.status = 'published' AND e.ends_at < $1 AND e.starts_at >= $2 \
       AND r.status = 'registered'";

/// Attended: checked in, or signed up where the door recorded no check-ins at all.
const ATTENDED: &str = "AND (r.checked_in_at IS NOT NULL OR NOT EXISTS \
     (SELECT 1 FROM registrations c WHERE c.event_id = e.id AND c.checked_in_at IS NOT NULL))";

async fn count(app: &TestApp, sql: &str, now: i64) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql)
        .bind(now)
        .bind(now - 365 * DAY)
        .fetch_one(&app.db)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    n
}

async fn the_demo_holds_a_year_of_the_reports_size(app: TestApp) {
    let now = now_unix();
    quality_month_server::demo::seed_if_empty(&app.store, now)
        .await
        .unwrap();

    let held = count(
        &app,
        "SELECT COUNT(*) FROM events \
         WHERE status = 'published' AND ends_at < $1 AND starts_at >= $2",
        now,
    )
    .await;
    assert!(held > 200, "{held} events held");

    let organisations = format!("SELECT COUNT(*) {HELD} AND r.org_code IS NOT NULL");
    let signed_up = count(&app, &organisations, now).await;
    let attended = count(&app, &format!("{organisations} {ATTENDED}"), now).await;
    for n in [signed_up, attended] {
        assert!(
            (2_000..=3_000).contains(&n),
            "{n} organisations' participations"
        );
    }
    assert!(attended < signed_up, "some did not come");
    let distinct = count(
        &app,
        &format!("SELECT COUNT(DISTINCT r.org_code) {HELD} AND r.org_code IS NOT NULL"),
        now,
    )
    .await;
    assert!(
        (200..=400).contains(&distinct) && signed_up > 5 * distinct,
        "{distinct} organisations, many taking part several times"
    );

    let residents = format!(
        "SELECT CAST(COALESCE(SUM(r.party_size), 0) AS BIGINT) {HELD} AND r.org_code IS NULL"
    );
    let signed_up = count(&app, &residents, now).await;
    let attended = count(&app, &format!("{residents} {ATTENDED}"), now).await;
    for n in [signed_up, attended] {
        assert!((4_000..=6_000).contains(&n), "{n} resident participants");
    }

    let codes: Vec<(String,)> =
        sqlx::query_as("SELECT DISTINCT org_code FROM registrations WHERE org_code IS NOT NULL")
            .fetch_all(&app.db)
            .await
            .unwrap();
    for (code,) in &codes {
        assert!(CreditCode::parse(code).is_ok(), "{code}");
    }
}

async fn the_demo_year_balances_and_keeps_no_old_personal_data(app: TestApp) {
    let now = now_unix();
    quality_month_server::demo::seed_if_empty(&app.store, now)
        .await
        .unwrap();

    // Places taken are the places of those registered, walk-ins included.
    let unbalanced = count(
        &app,
        "SELECT COUNT(*) FROM events e WHERE e.ends_at < $1 AND e.starts_at >= $2 \
           AND EXISTS (SELECT 1 FROM registrations r WHERE r.event_id = e.id) \
           AND e.taken <> (SELECT CAST(COALESCE(SUM(r.party_size), 0) AS BIGINT) \
             FROM registrations r WHERE r.event_id = e.id AND r.status = 'registered')",
        now,
    )
    .await;
    assert_eq!(unbalanced, 0);

    // A year as it goes: no-shows, walk-ins, doors without check-ins, people left waiting,
    // cancelled events.
    let registered = count(
        &app,
        &format!("SELECT COUNT(*) {HELD} AND r.walk_in = 0"),
        now,
    )
    .await;
    let missed = count(
        &app,
        &format!(
            "SELECT COUNT(*) {HELD} AND r.walk_in = 0 AND r.checked_in_at IS NULL \
             AND EXISTS (SELECT 1 FROM registrations c \
               WHERE c.event_id = e.id AND c.checked_in_at IS NOT NULL)"
        ),
        now,
    )
    .await;
    let share = missed as f64 / registered as f64;
    assert!((0.05..0.15).contains(&share), "no-shows {share}");
    let walk_ins = count(
        &app,
        &format!("SELECT COUNT(*) {HELD} AND r.walk_in = 1"),
        now,
    )
    .await;
    assert!(walk_ins > 0);
    let unrecorded = count(
        &app,
        "SELECT COUNT(*) FROM events e WHERE e.status = 'published' AND e.ends_at < $1 \
           AND e.starts_at >= $2 AND NOT EXISTS (SELECT 1 FROM registrations r \
             WHERE r.event_id = e.id AND r.checked_in_at IS NOT NULL)",
        now,
    )
    .await;
    assert!(unrecorded > 0, "some doors kept their list on paper");
    let waited = count(
        &app,
        "SELECT COUNT(*) FROM registrations r JOIN events e ON e.id = r.event_id \
         WHERE e.ends_at < $1 AND e.starts_at >= $2 AND r.status = 'waitlisted'",
        now,
    )
    .await;
    assert!((1..=100).contains(&waited), "{waited} waited in vain");
    let cancelled = count(
        &app,
        "SELECT COUNT(*) FROM events WHERE status = 'cancelled' AND ends_at < $1 AND starts_at >= $2",
        now,
    )
    .await;
    assert_eq!(cancelled, 2);

    // Sign-ups older than the retention window are already erased, organisations kept.
    let named = count(
        &app,
        "SELECT COUNT(*) FROM registrations r JOIN events e ON e.id = r.event_id \
         WHERE e.ends_at < $1 - 90 * 86400 AND $2 < $1 \
           AND (r.name <> '' OR r.phone NOT LIKE 'erased:%')",
        now,
    )
    .await;
    assert_eq!(named, 0, "no name or number of an event over 90 days ago");
    let old_organisations = count(
        &app,
        "SELECT COUNT(*) FROM registrations r JOIN events e ON e.id = r.event_id \
         WHERE e.ends_at < $1 - 90 * 86400 AND e.starts_at >= $2 AND r.org_code IS NOT NULL",
        now,
    )
    .await;
    assert!(old_organisations > 1_000);

    // The residents' list shows what is still to come, none of the past year.
    let list: Vec<Value> = app.get("/api/events").await.json().await.unwrap();
    assert!(!list.is_empty());
    for e in &list {
        let ends = model::BeijingTime::parse_rfc3339(e["ends_at"].as_str().unwrap()).unwrap();
        assert!(ends.unix() >= now, "{e}");
    }
}
