//! `cargo xtask bench`: what a phone downloads on first load and on a repeat visit, the
//! Lighthouse mobile scores, how `GET /api/events` holds up under load, and how many
//! bookings per second the store takes. Figures are printed, never asserted.

use crate::Result;
use crate::build::{TestServer, brotli_bytes, cargo, root, run_cmd, target_dir, web_app};
use crate::tools::{ensure_browser, ensure_build_tools, ensure_lighthouse, ensure_wrk};
use std::process::Command;

pub fn run() -> Result {
    let tools = ensure_build_tools()?;
    let browser = ensure_browser(&tools)?;
    let lighthouse = ensure_lighthouse(&tools)?;
    ensure_wrk()?;
    web_app(&tools)?;
    first_load(&root().join("dist"), "the residents' app (dist/)")?;
    // Never loaded by residents: its own bundle, measured on its own.
    first_load(&root().join("dist/staff"), "the staff app (dist/staff/)")?;
    cargo(&["build", "--release", "-p", "quality-month-server"])?;
    let server = TestServer::start(&target_dir().join("release/quality-month-server"))?;
    // Before the load test, so that the scores are not of a server just hammered.
    offline_figures(&tools, &browser, &lighthouse, &server.url)?;
    events_under_load(&server.url)?;
    drop(server);
    booking_throughput()?;
    example("checkin_throughput", false)?;
    // A sales office's 5,000-row buyer list (issue 12: under 2 s).
    example("import_throughput", true)
}

/// Bookings per second into many slots and into one hot slot, on SQLite and, when a
/// PostgreSQL server is named (`QM_BENCH_POSTGRES_URL`, else `QM_TEST_POSTGRES_URL`), on
/// PostgreSQL too. The load generator is `server/examples/booking_throughput.rs`.
fn booking_throughput() -> Result {
    example("booking_throughput", true)
}

/// Runs one of the server's load examples in release mode; `postgres`: also against the
/// PostgreSQL the tests use, when one is named.
fn example(name: &str, postgres: bool) -> Result {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.args([
        "run",
        "--quiet",
        "--release",
        "-p",
        "quality-month-server",
        "--example",
        name,
    ])
    .current_dir(root());
    if postgres
        && std::env::var_os("QM_BENCH_POSTGRES_URL").is_none()
        && let Some(url) = std::env::var_os("QM_TEST_POSTGRES_URL")
    {
        cmd.env("QM_BENCH_POSTGRES_URL", url);
    }
    run_cmd(&mut cmd)
}

/// Repeat-visit transfer with the service worker, and Lighthouse's mobile scores
/// (`e2e/bench/offline-figures.js`).
fn offline_figures(
    tools: &crate::tools::Tools,
    browser: &crate::tools::Browser,
    lighthouse: &std::path::Path,
    url: &str,
) -> Result {
    run_cmd(
        tools
            .command("node")
            .arg("bench/offline-figures.js")
            .env("QM_E2E_URL", url)
            .env("CHROMIUM", &browser.chromium)
            .env("LIGHTHOUSE", lighthouse)
            .current_dir(root().join("e2e")),
    )
}

/// The files an app's `index.html` loads before the app runs: itself, the js, the wasm,
/// the css.
fn first_load(dist: &std::path::Path, title: &str) -> Result {
    let mut rows = Vec::new();
    for entry in std::fs::read_dir(dist).map_err(|e| e.to_string())? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_string();
        let kind = match path.extension().and_then(|e| e.to_str()) {
            // The service worker comes after the app, in the background.
            _ if name == "sw.js" => continue,
            Some("html") => "html",
            Some("js") => "js",
            Some("wasm") => "wasm",
            Some("css") => "css",
            _ => continue,
        };
        let raw = std::fs::read(&path).map_err(|e| e.to_string())?;
        rows.push((kind, name, raw.len(), brotli_bytes(&raw).len()));
    }
    rows.sort();
    println!("\nFirst load of {title}, brotli quality 11:");
    println!(
        "{:<6} {:<48} {:>10} {:>10}",
        "kind", "file", "raw B", "brotli B"
    );
    for (kind, name, raw, br) in &rows {
        println!("{kind:<6} {name:<48} {raw:>10} {br:>10}");
    }
    let (raw, br) = rows
        .iter()
        .fold((0, 0), |(r, b), row| (r + row.2, b + row.3));
    println!("{:<6} {:<48} {:>10} {:>10}", "total", "", raw, br);
    println!(
        "first load: {:.1} KB raw, {:.1} KB brotli",
        raw as f64 / 1024.0,
        br as f64 / 1024.0
    );
    Ok(())
}

fn events_under_load(url: &str) -> Result {
    println!("\nGET /api/events: wrk, 2 threads, 200 connections, 10 s, after a 3 s warm-up");
    let target = format!("{url}/api/events");
    let _ = Command::new("wrk")
        .args(["-t2", "-c50", "-d3s", &target])
        .output();
    let out = Command::new("wrk")
        .args(["-t2", "-c200", "-d10s", "--latency", &target])
        .output()
        .map_err(|e| format!("wrk: {e}"))?;
    println!("{}", String::from_utf8_lossy(&out.stdout));
    if !out.status.success() {
        return Err(format!(
            "wrk failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(())
}
