//! Building the app, running cargo, and the test steps that need a server or a browser.

use crate::Result;
use crate::tools::{Browser, Tools};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

/// The workspace root (the folder above xtask/). Read when run (`cargo run` sets it): a
/// shared target folder may hold an xtask built from a clone somewhere else, and the path
/// compiled in would then name that clone.
pub fn root() -> PathBuf {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest_dir
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

pub fn run_cmd(cmd: &mut Command) -> Result {
    let status = cmd
        .status()
        .map_err(|e| format!("{:?}: {e}", cmd.get_program()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{:?} failed: {status}", cmd.get_program()))
    }
}

pub fn cargo(args: &[&str]) -> Result {
    run_cmd(
        Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(args)
            .current_dir(root()),
    )
}

/// `trunk build --release` of both apps (residents' into dist/, staff into dist/staff/),
/// then brotli and gzip copies for the server to send.
pub fn web_app(tools: &Tools) -> Result {
    run_cmd(
        tools
            .command("trunk")
            .args(["build", "--release", "--offline"])
            .current_dir(root()),
    )?;
    stamp_service_worker(&root().join("dist"))?;
    precompress(&root().join("dist"))?;
    // The staff app after the residents' (whose build empties dist/), into dist/staff.
    run_cmd(
        tools
            .command("trunk")
            .args(["build", "--release", "--offline"])
            .current_dir(root().join("staff")),
    )?;
    precompress(&root().join("dist/staff"))
}

/// Writes the build's version and file list into `dist/sw.js`, so that the worker keeps
/// exactly this build's files and a new build is a new worker (see `public/sw.js`).
pub fn stamp_service_worker(dist: &Path) -> Result {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dist).map_err(|e| e.to_string())? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let precompressed = name.ends_with(".br") || name.ends_with(".gz");
        if path.is_file() && !precompressed && name != "sw.js" && name != "robots.txt" {
            files.push(format!("/{name}"));
        }
    }
    files.sort();
    // The names carry Trunk's content hashes; the other files are small, so their
    // contents go in whole.
    let mut hasher = std::hash::DefaultHasher::new();
    for file in &files {
        std::hash::Hash::hash(file, &mut hasher);
        std::hash::Hash::hash(
            &std::fs::read(dist.join(&file[1..])).map_err(|e| e.to_string())?,
            &mut hasher,
        );
    }
    let version = format!("{:016x}", std::hash::Hasher::finish(&hasher));
    let path = dist.join("sw.js");
    let source = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let list = files
        .iter()
        .map(|f| format!("'{f}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let stamped = source
        .replacen(
            "const VERSION = 'dev';",
            &format!("const VERSION = '{version}';"),
            1,
        )
        .replacen(
            "const SHELL = ['/index.html'];",
            &format!("const SHELL = [{list}];"),
            1,
        );
    if !stamped.contains(&version) || !stamped.contains("favicon.svg") {
        return Err(
            "public/sw.js lost its VERSION or SHELL line; the build cannot stamp it".into(),
        );
    }
    std::fs::write(&path, stamped).map_err(|e| e.to_string())
}

const COMPRESSIBLE: &[&str] = &[
    "html",
    "js",
    "wasm",
    "css",
    "svg",
    "txt",
    "json",
    "webmanifest",
];

fn precompress(dist: &Path) -> Result {
    for entry in std::fs::read_dir(dist).map_err(|e| e.to_string())? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !path.is_file() || !COMPRESSIBLE.contains(&ext) {
            continue;
        }
        let raw = std::fs::read(&path).map_err(|e| e.to_string())?;
        std::fs::write(with_suffix(&path, "br"), brotli_bytes(&raw)).map_err(|e| e.to_string())?;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&raw).map_err(|e| e.to_string())?;
        std::fs::write(
            with_suffix(&path, "gz"),
            gz.finish().map_err(|e| e.to_string())?,
        )
        .map_err(|e| e.to_string())?;
    }
    Ok(())
}

pub fn brotli_bytes(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    let _ = brotli::BrotliCompress(&mut &raw[..], &mut out, &params);
    out
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

/// wasm-bindgen-test in headless Chromium, driven by ChromeDriver.
pub fn browser_tests(tools: &Tools, browser: &Browser) -> Result {
    run_cmd(
        tools
            .command(&std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args([
                "test",
                "-p",
                "quality-month-web",
                "--target",
                "wasm32-unknown-unknown",
                "--test",
                "*",
            ])
            .env(
                "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
                "wasm-bindgen-test-runner",
            )
            .env("CHROMEDRIVER", &browser.chromedriver)
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120")
            .current_dir(root()),
    )
}

/// Enough randomness for a test password, without a crate: the clock and the process.
fn rand_seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    h.finish()
}

/// A server of the built app on a free port, with a fresh SQLite database and demo
/// content; stopped when dropped.
pub struct TestServer {
    child: Child,
    pub url: String,
    db_dir: PathBuf,
}

impl TestServer {
    pub fn start(binary: &Path) -> Result<Self> {
        Self::start_with(binary, &[])
    }

    /// As [`TestServer::start`], with more `QM_*` settings.
    pub fn start_with(binary: &Path, settings: &[(&str, &str)]) -> Result<Self> {
        Self::start_with_staff(binary, settings, None)
    }

    /// As [`TestServer::start_with`], with the staff accounts of [`E2E_STAFF`] made first
    /// by `quality-month-server staff add`, each with `password`.
    pub fn start_with_staff(
        binary: &Path,
        settings: &[(&str, &str)],
        password: Option<&str>,
    ) -> Result<Self> {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| e.to_string())?
            .port();
        let db_dir = target_dir().join(format!("qm-server-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&db_dir).map_err(|e| e.to_string())?;
        let database_url = format!("sqlite://{}/e2e.sqlite3", db_dir.display());
        if let Some(password) = password {
            for args in E2E_STAFF {
                add_staff(binary, &database_url, args, password)?;
            }
        }
        let child = Command::new(binary)
            .envs(settings.iter().copied())
            .env("QM_LISTEN", format!("127.0.0.1:{port}"))
            .env("QM_DATABASE_URL", &database_url)
            .env("QM_DIST_DIR", root().join("dist"))
            .env("QM_DEMO", "true")
            .env("QM_DATA_DIR", &db_dir)
            // Every journey comes from 127.0.0.1; the limit is per client address.
            .env("QM_WRITES_PER_MINUTE", "600")
            .env("RUST_LOG", "warn")
            .spawn()
            .map_err(|e| format!("starting {}: {e}", binary.display()))?;
        let server = Self {
            child,
            url: format!("http://127.0.0.1:{port}"),
            db_dir,
        };
        server.wait_healthy(port)?;
        Ok(server)
    }

    fn wait_healthy(&self, port: u16) -> Result {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) {
                let _ = s.write_all(
                    b"GET /api/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                );
                let mut answer = String::new();
                let _ = s.read_to_string(&mut answer);
                if answer.starts_with("HTTP/1.1 200") {
                    return Ok(());
                }
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Err("the server did not become healthy within 30 s".into())
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.db_dir);
    }
}

/// The staff of the end-to-end journeys (`staff.test.js`, `projects.test.js`, `waves.test.js`).
const E2E_STAFF: &[&[&str]] = &[
    &["--login", "admin", "--role", "admin"],
    // A second admin, for the 预看房 journey (`e2e/tests/projects.test.js`).
    &["--login", "district", "--role", "admin"],
    // The survey analyst (`e2e/tests/waves.test.js`).
    &["--login", "analyst", "--role", "analyst"],
    &[
        "--login",
        "nanqiao",
        "--role",
        "organiser",
        "--scope",
        "town:nanqiao",
    ],
    &[
        "--login",
        "door",
        "--role",
        "door",
        "--scope",
        "town:nanqiao",
        "--scope",
        "project:1",
    ],
    // 星澜苑's sales office: the demo's first project.
    &[
        "--login",
        "xinglan",
        "--role",
        "project_office",
        "--scope",
        "project:1",
    ],
];

/// `quality-month-server staff add …`, the password on standard input.
fn add_staff(binary: &Path, database_url: &str, args: &[&str], password: &str) -> Result {
    let mut child = Command::new(binary)
        .env("QM_DATABASE_URL", database_url)
        .args(["staff", "add", "--password-stdin"])
        .args(args)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("staff add: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        writeln!(stdin, "{password}").map_err(|e| e.to_string())?;
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("staff add {args:?} failed: {status}"))
    }
}

/// The journeys in e2e/ (Node's test runner driving Chromium through Playwright).
pub fn e2e(tools: &Tools, browser: &Browser) -> Result {
    cargo(&["build", "-p", "quality-month-server"])?;
    let binary = target_dir().join("debug/quality-month-server");
    // A password made for this run: the staff journeys log in with it.
    let staff_password = format!("e2e-{:016x}", rand_seed());
    let server = TestServer::start_with_staff(&binary, &[], Some(&staff_password))?;
    // Phone verification on (codes to the log; a demo server's code is 123456).
    let verifying = TestServer::start_with(&binary, &[("QM_SMS_SENDER", "log")])?;
    run_cmd(
        tools
            .command("node")
            .args(["--test", "--test-concurrency=1", "tests/"])
            .env("QM_E2E_URL", &server.url)
            .env("QM_E2E_VERIFY_URL", &verifying.url)
            .env("QM_E2E_STAFF_PASSWORD", &staff_password)
            .env("CHROMIUM", &browser.chromium)
            .current_dir(root().join("e2e")),
    )
}
