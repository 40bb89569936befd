//! `cargo xtask run | test | bench`: everything a newcomer needs, from a fresh machine.

mod bench;
mod build;
mod tools;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <run | test | bench>
  run    install what is missing, build the app (release), serve it on http://127.0.0.1:8080
         with an embedded SQLite database and demo content
  test   fmt, clippy (native and wasm32), model, catalog and server tests (SQLite; PostgreSQL too when
         QM_TEST_POSTGRES_URL is set), browser tests, end-to-end journeys
  bench  first-load transfer size of the app, and GET /api/events under load";

fn main() -> ExitCode {
    let task = std::env::args().nth(1).unwrap_or_default();
    let result = match task.as_str() {
        "run" => run(),
        "test" => test(),
        "bench" => bench::run(),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask {task}: {e}");
            ExitCode::FAILURE
        }
    }
}

pub type Result<T = ()> = std::result::Result<T, String>;

fn run() -> Result {
    let tools = tools::ensure_build_tools()?;
    build::web_app(&tools)?;
    build::cargo(&["build", "--release", "-p", "quality-month-server"])?;
    let server = build::target_dir().join("release/quality-month-server");
    println!("\nQuality Month: http://127.0.0.1:8080  (Ctrl-C stops)\n");
    let status = std::process::Command::new(server)
        .current_dir(build::root())
        // The binary starts empty by default; a newcomer gets the demo content, and phone
        // verification with codes in the server log (the app shows the demo code, 123456).
        .env("QM_DEMO", "1")
        .env("QM_SMS_SENDER", "log")
        .status()
        .map_err(|e| format!("starting the server: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("server exited with {status}"))
    }
}

fn test() -> Result {
    let tools = tools::ensure_build_tools()?;
    let browser = tools::ensure_browser(&tools)?;
    step("format", || {
        build::cargo(&["fmt", "--all", "--", "--check"])
    })?;
    step("clippy (native)", || {
        build::cargo(&[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ])
    })?;
    step("clippy (wasm32)", || {
        build::cargo(&[
            "clippy",
            "--target",
            "wasm32-unknown-unknown",
            "-p",
            "quality-month-web",
            "-p",
            "quality-month-staff",
            "-p",
            "quality-month-model",
            "-p",
            "quality-month-catalog",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ])
    })?;
    if std::env::var_os("QM_TEST_POSTGRES_URL").is_none() {
        println!("note: QM_TEST_POSTGRES_URL is not set; store tests run on SQLite only");
    }
    step("model, server and app logic tests", || {
        build::cargo(&[
            "test",
            "-p",
            "quality-month-model",
            "-p",
            "quality-month-catalog",
            "-p",
            "quality-month-server",
            "-p",
            "quality-month-web",
            "-p",
            "quality-month-staff",
            "--lib",
            "--tests",
        ])
    })?;
    step(
        "browser tests (wasm-bindgen-test, headless Chromium)",
        || build::browser_tests(&tools, &browser),
    )?;
    step("build the app for end-to-end tests", || {
        build::web_app(&tools)
    })?;
    step("end-to-end journeys (headless Chromium)", || {
        build::e2e(&tools, &browser)
    })?;
    println!("\nxtask test: all steps passed");
    Ok(())
}

fn step(name: &str, f: impl FnOnce() -> Result) -> Result {
    println!("\n==> {name}");
    let started = std::time::Instant::now();
    f().map_err(|e| format!("{name}: {e}"))?;
    println!("<== {name}: ok ({:.0} s)", started.elapsed().as_secs_f64());
    Ok(())
}
