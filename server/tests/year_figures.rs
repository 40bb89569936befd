//! The year in numbers against a hand-computed fixture, by town and in total; who may read
//! them; and the workbook.

mod common;

use common::inspections::{booking, created, fixture};
use common::projects::{defect, office, visited};
use common::{TestApp, event, loc, phone};
use model::survey::{Dimension, Question, QuestionKind, SurveyDefinition};
use model::survey_wave::WaveStatus;
use model::year_figures::{
    Counting, InspectionFigures, KindCount, OrganisationFigures, Rate, TownFigures,
};
use model::{
    Audience, BeijingDate, BeijingTime, Category, NewOrganisation, NewRegistration,
    OrganisationYear, RegistrationCode, Role, Scope, Town, YearFigures,
};
use quality_month_server::store::{Actor, NewSurvey, now_unix};
use reqwest::StatusCode;
use serde_json::json;

on_both_databases!(
    the_figures_equal_a_hand_count_by_town_and_in_total,
    organisers_read_their_towns_only_and_bad_ranges_are_refused,
);

const C1: &str = "91330100716105852F";
const C2: &str = "9144030071526726XG";
const C3: &str = "91110000802100433B";

fn today() -> BeijingDate {
    BeijingTime::from_unix(now_unix()).date()
}

fn door() -> Actor {
    Actor {
        id: 1,
        login: "door".into(),
        client: "test".into(),
    }
}

/// A published event for residents and organisations, `days` from today at 10:00.
async fn held(app: &TestApp, town: Town, category: Category, days: i64, capacity: u32) -> i64 {
    let starts_at = BeijingTime::from_civil(today().add_days(days), 10, 0).unwrap();
    let mut e = event(town, category, 0, capacity);
    e.starts_at = starts_at;
    e.ends_at = starts_at.add_secs(7200);
    e.audience = Audience::Both;
    app.add_event(e).await
}

/// A sign-up a day before `event` starts: a resident, or an organisation (name, code).
async fn sign_up(
    app: &TestApp,
    event: i64,
    i: usize,
    party_size: i64,
    organisation: Option<&str>,
) -> RegistrationCode {
    let starts = app.store.staff_event(event).await.unwrap().draft.starts_at;
    let registration = NewRegistration {
        name: "张伟".into(),
        phone: phone(i),
        party_size,
        organisation: organisation.map(|code| NewOrganisation {
            name: format!("上海{}质量有限公司", &code[14..]),
            credit_code: code.into(),
        }),
    }
    .validate()
    .unwrap();
    app.store
        .register(event, &registration, None, starts.unix() - 86_400)
        .await
        .unwrap()
        .value
        .code
}

async fn check_in(app: &TestApp, event: i64, code: &RegistrationCode) {
    let starts = app.store.staff_event(event).await.unwrap().draft.starts_at;
    app.store
        .check_in(event, code.as_str(), &door(), starts.unix() + 600)
        .await
        .unwrap();
}

/// The events and sign-ups of the hand count (see the test).
async fn events_fixture(app: &TestApp) {
    // E1, Nanqiao training 30 days ago, with check-ins.
    let e1 = held(app, Town::Nanqiao, Category::Training, -30, 10).await;
    let at = app
        .store
        .staff_event(e1)
        .await
        .unwrap()
        .draft
        .starts_at
        .unix();
    let cancelled = sign_up(app, e1, 9, 1, None).await;
    let phone9 = model::PhoneNumber::parse(&phone(9)).unwrap();
    app.store
        .cancel_registration(&cancelled, &phone9, None, at - 3600)
        .await
        .unwrap();
    let org1 = sign_up(app, e1, 1, 3, Some(C1)).await;
    sign_up(app, e1, 2, 2, Some(C2)).await;
    let r1 = sign_up(app, e1, 3, 2, None).await;
    sign_up(app, e1, 4, 1, None).await;
    sign_up(app, e1, 5, 3, None).await; // 8 of 10 taken: waitlisted
    check_in(app, e1, &org1).await;
    check_in(app, e1, &r1).await;
    let name = model::PersonName::parse("李娜").unwrap();
    let walk_in_phone = model::PhoneNumber::parse(&phone(6)).unwrap();
    app.store
        .walk_in(e1, &name, &walk_in_phone, 1, &door(), at + 900)
        .await
        .unwrap();

    // E2, Nanqiao clinic 20 days ago, nobody checked in.
    let e2 = held(app, Town::Nanqiao, Category::Clinic, -20, 10).await;
    sign_up(app, e2, 1, 2, Some(C1)).await;
    sign_up(app, e2, 7, 4, Some(C3)).await;
    sign_up(app, e2, 3, 2, None).await;
    sign_up(app, e2, 4, 3, None).await; // waitlisted

    // E3, Situan training 10 days ago, with check-ins.
    let e3 = held(app, Town::Situan, Category::Training, -10, 20).await;
    let org2 = sign_up(app, e3, 2, 5, Some(C2)).await;
    let r7 = sign_up(app, e3, 8, 1, None).await;
    check_in(app, e3, &org2).await;
    check_in(app, e3, &r7).await;

    // Not held: cancelled, before the range, not over yet, to come.
    let e4 = held(app, Town::Situan, Category::Clinic, -15, 10).await;
    sign_up(app, e4, 1, 2, Some(C1)).await;
    app.store
        .cancel_event(e4, "场地检修", &door(), now_unix())
        .await
        .unwrap();
    let e5 = held(app, Town::Nanqiao, Category::Training, -90, 10).await;
    let early = sign_up(app, e5, 1, 1, Some(C1)).await;
    check_in(app, e5, &early).await;
    sign_up(app, e5, 3, 1, None).await;
    let mut running = event(Town::Nanqiao, Category::Training, 0, 10);
    running.starts_at = BeijingTime::from_unix(now_unix() - 600);
    running.audience = Audience::Both;
    let e6 = app.add_event(running).await;
    let now_there = sign_up(app, e6, 3, 2, None).await;
    app.store
        .check_in(e6, now_there.as_str(), &door(), now_unix())
        .await
        .unwrap();
    let e7 = held(app, Town::Situan, Category::Clinic, 3, 10).await;
    sign_up(app, e7, 8, 1, None).await;
}

/// A Nanqiao project: one visit with two defects (one repaired), one no-show, one
/// cancelled booking.
async fn inspections_fixture(app: &TestApp) {
    let f = fixture(app, 3, &[(48, 5)]).await;
    let office = office(app, f.project).await;
    let code = visited(app, f.project, f.slots[0], 0).await;
    let no_show = created(app.book(&booking(f.project, 1, f.slots[0]), None).await).await;
    sqlx::query("UPDATE bookings SET no_show_at = 1 WHERE code = $1")
        .bind(no_show["code"].as_str())
        .execute(&app.db)
        .await
        .unwrap();
    let gone = created(app.book(&booking(f.project, 2, f.slots[0]), None).await).await;
    let r = app
        .booking_action(
            gone["code"].as_str().unwrap(),
            "cancel",
            json!({"phone": phone(2)}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let path = format!("/api/inspections/bookings/{code}/defects");
    created(app.post_json(&path, &defect(0, &[]), None).await).await;
    let repaired = created(app.post_json(&path, &defect(0, &[]), None).await).await;
    let r = office
        .post(
            &format!(
                "/api/staff/projects/{}/defects/{}/status",
                f.project, repaired["id"]
            ),
            &json!({"status": "repaired", "note": "已重新打胶"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
}

/// A wave of one product question: ten Nanqiao residents rate it 4 (index 75), two in
/// Situan rate it 2 (25); all twelve: (10 × 75 + 2 × 25) / 12 = 66.7.
async fn survey_fixture(app: &TestApp) -> i64 {
    let definition = SurveyDefinition {
        version: 1,
        questions: vec![Question {
            id: "p1".into(),
            dimension: Dimension::Product,
            text: loc("产品质量", "Products"),
            kind: QuestionKind::Scale5,
            required: false,
            show_if: None,
        }],
    };
    let now = now_unix();
    let wave = app
        .store
        .insert_survey(
            &NewSurvey {
                wave: loc("本年度调查", "This year's survey"),
                opens_at: BeijingTime::from_unix(now - 86_400),
                closes_at: BeijingTime::from_unix(now + 30 * 86_400),
                status: WaveStatus::Open,
            },
            &definition,
            now,
        )
        .await
        .unwrap();
    for (town, rating, times) in [("nanqiao", 4, 10), ("situan", 2, 2)] {
        for _ in 0..times {
            let body = json!({"version": 1, "town": town, "answers": {"p1": rating}});
            let r = app
                .post_json(&format!("/api/surveys/{wave}/responses"), &body, None)
                .await;
            assert_eq!(r.status(), StatusCode::CREATED);
        }
    }
    wave
}

fn by_kind(training: u32, clinic: u32) -> Vec<KindCount> {
    Category::ALL
        .iter()
        .map(|&category| KindCount {
            category,
            events: match category {
                Category::Training => training,
                Category::Clinic => clinic,
                _ => 0,
            },
        })
        .collect()
}

fn organisation(code: &str, participations: u32, attendees: u32) -> OrganisationYear {
    OrganisationYear {
        name: format!("上海{}质量有限公司", &code[14..]),
        credit_code: code.into(),
        participations,
        attendees,
    }
}

async fn the_figures_equal_a_hand_count_by_town_and_in_total(app: TestApp) {
    events_fixture(&app).await;
    inspections_fixture(&app).await;
    let wave = survey_fixture(&app).await;
    app.add_staff("admin", Role::Admin, &[]).await;
    let admin = app.login("admin").await;
    let range = format!("from={}&to={}", today().add_days(-60), today().add_days(7));
    let get = |query: String| {
        let admin = &admin;
        async move {
            let r = admin.get(&format!("/api/staff/year?{query}")).await;
            assert_eq!(r.status(), StatusCode::OK);
            r.json::<YearFigures>().await.unwrap()
        }
    };
    let index = |f: &YearFigures| -> Vec<(i64, u32, Option<f64>)> {
        f.surveys
            .iter()
            .map(|w| (w.wave, w.responses, w.index.map(|e| e.value)))
            .collect()
    };
    let visits = InspectionFigures {
        booked: 2,
        visited: 1,
        no_shows: 1,
        defects: 2,
        open: 1,
        repaired: 1,
        confirmed: 0,
    };

    // District. Held: E1, E2, E3. Organisations: C1 at E1 (checked in, 3) and E2
    // (signed up, 2), C3 at E2 (4), C2 at E3 (checked in, 5); C2's no-show at E1 does not
    // count. Residents: E1 2 + walk-in 1, E2 2 (sign-ups), E3 1. Waitlisted 2 of 11
    // sign-ups (the walk-in never waited); no-shows (E1, E3) 2 of 6.
    let f = get(range.clone()).await;
    assert_eq!(
        (f.from, f.to, f.town),
        (today().add_days(-60), today().add_days(7), None)
    );
    assert_eq!(f.events.total, 3);
    assert_eq!(f.events.by_kind, by_kind(2, 1));
    assert_eq!(
        f.organisations,
        OrganisationFigures {
            participations: 4,
            organisations: 3,
            attendees: 14
        }
    );
    assert_eq!(f.residents, 6);
    assert_eq!(
        f.counted,
        Counting {
            from_checkins: 2,
            from_signups: 1
        }
    );
    assert_eq!(f.waitlist, Rate { count: 2, of: 11 });
    assert_eq!(f.no_shows, Rate { count: 2, of: 6 });
    assert_eq!(f.inspections, visits);
    assert_eq!(index(&f), [(wave, 12, Some(66.7))]);
    assert_eq!(f.surveys[0].name, loc("本年度调查", "This year's survey"));
    let row = |town, events, org_participations, residents, visits, survey_responses| TownFigures {
        town,
        events,
        org_participations,
        residents,
        visits,
        survey_responses,
    };
    let towns: Vec<TownFigures> = Town::ALL
        .iter()
        .map(|&t| match t {
            Town::Nanqiao => row(t, 2, 3, 5, 1, 10),
            Town::Situan => row(t, 1, 1, 1, 0, 2),
            _ => row(t, 0, 0, 0, 0, 0),
        })
        .collect();
    assert_eq!(f.by_town, towns);

    // Nanqiao: E1 and E2.
    let f = get(format!("{range}&town=nanqiao")).await;
    assert_eq!(f.town, Some(Town::Nanqiao));
    assert_eq!((f.events.total, &f.events.by_kind), (2, &by_kind(1, 1)));
    assert_eq!(
        f.organisations,
        OrganisationFigures {
            participations: 3,
            organisations: 2,
            attendees: 9
        }
    );
    assert_eq!(f.residents, 5);
    assert_eq!(
        f.counted,
        Counting {
            from_checkins: 1,
            from_signups: 1
        }
    );
    assert_eq!(
        (f.waitlist, f.no_shows),
        (Rate { count: 2, of: 9 }, Rate { count: 2, of: 4 })
    );
    assert_eq!(f.inspections, visits);
    assert_eq!(index(&f), [(wave, 10, Some(75.0))]);
    assert!(f.by_town.is_empty());
    // Nanqiao's organiser sees how many answered, but not the index of a wave still open:
    // live results are the survey staff's.
    app.add_staff("nanqiao", Role::Organiser, &[Scope::Town(Town::Nanqiao)])
        .await;
    let organiser = app.login("nanqiao").await;
    let theirs: YearFigures = organiser
        .get(&format!("/api/staff/year?{range}&town=nanqiao"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(index(&theirs), [(wave, 10, None)]);
    assert_eq!(theirs.residents, f.residents);

    // Situan: E3 only; two survey responses are too few for an index.
    let f = get(format!("{range}&town=situan")).await;
    assert_eq!((f.events.total, &f.events.by_kind), (1, &by_kind(1, 0)));
    assert_eq!(
        f.organisations,
        OrganisationFigures {
            participations: 1,
            organisations: 1,
            attendees: 5
        }
    );
    assert_eq!(f.residents, 1);
    assert_eq!(
        f.counted,
        Counting {
            from_checkins: 1,
            from_signups: 0
        }
    );
    assert_eq!(
        (f.waitlist, f.no_shows),
        (Rate { count: 0, of: 2 }, Rate { count: 0, of: 2 })
    );
    assert_eq!(f.inspections, InspectionFigures::default());
    assert_eq!(index(&f), [(wave, 2, None)]);

    // The list behind the organisations: most participations first.
    let list = |query: String| {
        let admin = &admin;
        async move {
            let r = admin
                .get(&format!("/api/staff/year/organisations?{query}"))
                .await;
            assert_eq!(r.status(), StatusCode::OK);
            r.json::<Vec<OrganisationYear>>().await.unwrap()
        }
    };
    assert_eq!(
        list(range.clone()).await,
        [
            organisation(C1, 2, 5),
            organisation(C2, 1, 5),
            organisation(C3, 1, 4)
        ]
    );
    assert_eq!(
        list(format!("{range}&town=nanqiao")).await,
        [organisation(C1, 2, 5), organisation(C3, 1, 4)]
    );

    // The workbook: the figures, the towns, the organisations.
    let r = admin.get(&format!("/api/staff/year.xlsx?{range}")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let bytes = r.bytes().await.unwrap();
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let sheets = book.worksheets();
    assert_eq!(sheets.len(), 3);
    let value = |label: &str| {
        sheets[0]
            .1
            .rows()
            .find(|row| row[0].to_string().starts_with(label))
            .map(|row| row[1].to_string())
            .unwrap_or_else(|| panic!("no row {label}"))
    };
    assert_eq!(value("举办活动"), "3");
    assert_eq!(value("企业参与（家次）"), "4");
    assert_eq!(value("参与企业"), "3");
    assert_eq!(value("居民参与"), "6");
    assert_eq!(value("缺席率"), "33.3");
    assert_eq!(value("已验房"), "1");
    assert_eq!(value("满意度指数"), "66.7");
    let nanqiao = sheets[1]
        .1
        .rows()
        .find(|row| row[0] == "南桥镇")
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect::<Vec<_>>();
    assert_eq!(nanqiao, ["南桥镇", "2", "3", "5", "1", "10"]);
    let first = sheets[2].1.rows().nth(1).unwrap();
    assert_eq!(
        (first[1].to_string(), first[2].to_string()),
        (C1.to_string(), "2".to_string())
    );
}

async fn organisers_read_their_towns_only_and_bad_ranges_are_refused(app: TestApp) {
    events_fixture(&app).await;
    app.add_staff("admin", Role::Admin, &[]).await;
    app.add_staff("situan", Role::Organiser, &[Scope::Town(Town::Situan)])
        .await;
    app.add_staff("door", Role::Door, &[Scope::Town(Town::Situan)])
        .await;
    app.add_staff("analyst", Role::Analyst, &[]).await;
    let admin = app.login("admin").await;
    let organiser = app.login("situan").await;
    let range = format!("from={}&to={}", today().add_days(-60), today());

    // The organiser reads Situan as the admin does, and nothing else.
    let situan = format!("/api/staff/year?{range}&town=situan");
    let theirs: YearFigures = organiser.get(&situan).await.json().await.unwrap();
    let admins: YearFigures = admin.get(&situan).await.json().await.unwrap();
    assert_eq!(theirs, admins);
    assert_eq!(theirs.events.total, 1);
    for path in [
        format!("/api/staff/year?{range}&town=nanqiao"),
        format!("/api/staff/year?{range}"),
        format!("/api/staff/year/organisations?{range}&town=nanqiao"),
        format!("/api/staff/year.xlsx?{range}&town=nanqiao"),
        format!("/api/staff/year.xlsx?{range}"),
    ] {
        let r = organiser.get(&path).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{path}");
    }
    let r = organiser
        .get(&format!("/api/staff/year.xlsx?{range}&town=situan"))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    for login in ["door", "analyst"] {
        let r = app.login(login).await.get(&situan).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{login}");
    }
    assert_eq!(app.get(&situan).await.status(), StatusCode::UNAUTHORIZED);

    // Bad ranges and towns are the asker's mistake.
    for query in [
        "from=2026-02-30".to_string(),
        "from=2026-03-02&to=2026-03-01".to_string(),
        "from=2022-01-01&to=2026-01-01".to_string(),
        "to=soon".to_string(),
        "town=atlantis".to_string(),
    ] {
        let r = admin.get(&format!("/api/staff/year?{query}")).await;
        let (code, _) = common::error_code(r, StatusCode::BAD_REQUEST).await;
        assert_eq!(code, "invalid_query", "{query}");
    }
    // No range: this calendar year up to today.
    let f: YearFigures = admin.get("/api/staff/year").await.json().await.unwrap();
    assert_eq!(
        (f.from, f.to),
        (BeijingDate::new(today().year, 1, 1).unwrap(), today())
    );
}
