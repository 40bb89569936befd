//! Buyer list import, for `cargo xtask bench`: a sales office uploads a 5,000-row XLSX
//! (base64, as the staff app sends it) to the real server over a real socket; timed are
//! the dry run, the commit into an empty list, and a re-import that changes a tenth of the
//! flats and drops a few. SQLite, and PostgreSQL when `QM_BENCH_POSTGRES_URL` is set.
//! Prints figures; asserts only that every flat arrived.

#[path = "support/mod.rs"]
mod support;

use base64::Engine;
use model::{BeijingTime, BookingRules, Grant, Localized, Role, Scope, Town};
use quality_month_server::Store;
use quality_month_server::store::{NewProject, now_unix};
use std::time::Instant;

const ROWS: usize = 5_000;
const PASSWORD: &str = "office-bench-password-2026";

#[tokio::main]
async fn main() {
    println!("\nBuyer list import: {ROWS} rows of XLSX over HTTP, release build");
    let dir = std::env::temp_dir().join(format!("qm-import-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    run(
        "SQLite",
        &format!("sqlite://{}/bench.sqlite3", dir.display()),
    )
    .await;
    std::fs::remove_dir_all(&dir).ok();
    match std::env::var("QM_BENCH_POSTGRES_URL") {
        Ok(admin) => {
            let name = format!("qm_import_bench_{}", std::process::id());
            support::admin_execute(&admin, &format!("CREATE DATABASE {name}")).await;
            run("PostgreSQL", &support::replace_database(&admin, &name)).await;
            support::admin_execute(
                &admin,
                &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            )
            .await;
        }
        Err(_) => println!("(QM_BENCH_POSTGRES_URL not set: PostgreSQL skipped)"),
    }
}

/// A sheet as sales offices keep it; `changed`: every tenth flat has a new phone, and the
/// last `dropped` flats are left out.
fn sheet(changed: bool, dropped: usize) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let s = book.add_worksheet();
    for (col, h) in (0u16..).zip(["楼栋", "单元", "房号", "买受人", "手机号码"]) {
        s.write_string(0, col, h).unwrap();
    }
    for i in 0..ROWS - dropped {
        let row = u32::try_from(i + 1).unwrap();
        let phone = 13_000_000_000u64 + i as u64 + if changed && i % 10 == 0 { 500_000 } else { 0 };
        s.write_number(row, 0, (i / 200 + 1) as f64).unwrap();
        s.write_number(row, 1, (i / 100 % 2 + 1) as f64).unwrap();
        s.write_number(row, 2, (100 * (i % 100 / 4 + 1) + i % 4 + 1) as f64)
            .unwrap();
        s.write_string(row, 3, "王芳").unwrap();
        s.write_number(row, 4, phone as f64).unwrap();
    }
    book.save_to_buffer().unwrap()
}

async fn run(label: &str, url: &str) {
    let store = Store::connect(url, 16).await.expect("connect");
    store.migrate().await.expect("migrate");
    let today = BeijingTime::from_unix(now_unix()).date();
    let text = |s: &str| Localized {
        zh: s.into(),
        en: s.into(),
    };
    let rules = BookingRules {
        handover_on: today.add_days(30),
        opens_days_before: 60,
        cutoff_hours: 24,
    };
    let project = store
        .insert_project(
            &NewProject {
                town: Town::Nanqiao,
                name: text("基准楼盘"),
                developer: text("开发商"),
                address: text("地址"),
                rules,
            },
            now_unix(),
        )
        .await
        .unwrap();
    let grant = Grant {
        role: Role::ProjectOffice,
        scopes: vec![Scope::Project(project)],
    };
    let hash = quality_month_server::staff::passwords::hash(PASSWORD);
    store
        .create_account("office", &hash, &grant, None, now_unix())
        .await
        .unwrap();
    let (base, _server) = support::serve(&store).await;
    let client = reqwest::Client::new();
    let cookie = support::log_in(&client, &base, "office", PASSWORD).await;
    let post = |bytes: Vec<u8>, commit: bool| {
        let (client, base, cookie) = (client.clone(), base.clone(), cookie.clone());
        async move {
            let body = serde_json::json!({
                "file_name": "名单.xlsx",
                "content_base64": base64::engine::general_purpose::STANDARD.encode(bytes),
                "commit": commit,
            });
            let started = Instant::now();
            let r = client
                .post(format!("{base}/api/staff/projects/{project}/buyers/import"))
                .header("origin", &base)
                .header("cookie", cookie)
                .json(&body)
                .send()
                .await
                .unwrap();
            assert!(r.status().is_success(), "{}", r.status());
            let report: serde_json::Value = r.json().await.unwrap();
            (started.elapsed(), report)
        }
    };
    let first = sheet(false, 0);
    let (dry, report) = post(first.clone(), false).await;
    assert_eq!(report["problems"], serde_json::json!([]));
    let (commit, report) = post(first, true).await;
    assert_eq!(report["added"], ROWS);
    let (again, report) = post(sheet(true, 50), true).await;
    println!(
        "{label:<10} dry run {:>6.0} ms · commit into an empty list {:>6.0} ms · re-import ({} changed, {} removed) {:>6.0} ms",
        dry.as_secs_f64() * 1000.0,
        commit.as_secs_f64() * 1000.0,
        report["changed"],
        report["removed"],
        again.as_secs_f64() * 1000.0,
    );
}
