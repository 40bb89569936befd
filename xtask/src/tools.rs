//! Installs what the build and the tests need, once per machine, at the versions that
//! are known to work here (../shared/TOOLCHAIN.md).

use crate::Result;
use crate::build::{root, run_cmd, target_dir};
use std::path::PathBuf;
use std::process::Command;

const TRUNK_VERSION: &str = "0.21.14";
/// Debian's binaryen (108) breaks the wasm; 132 from npm is known good.
const BINARYEN_VERSION: &str = "132";

pub struct Tools {
    /// Folders to put first on PATH: cargo's bin and binaryen's.
    pub path: Vec<PathBuf>,
    /// Where npm packages for the build and tests live.
    pub node_dir: PathBuf,
}

impl Tools {
    pub fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        cmd.env("PATH", self.path_var());
        cmd
    }

    pub fn path_var(&self) -> String {
        let mut parts: Vec<String> = self.path.iter().map(|p| p.display().to_string()).collect();
        parts.push(std::env::var("PATH").unwrap_or_default());
        parts.join(":")
    }
}

fn cargo_bin() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cargo"))
        .join("bin")
}

fn output_of(cmd: &mut Command) -> Option<String> {
    cmd.output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
}

/// wasm32 target, Trunk, wasm-bindgen (the version in Cargo.lock), binaryen's wasm-opt.
pub fn ensure_build_tools() -> Result<Tools> {
    let node_dir = target_dir().join("qm-tools");
    let tools = Tools {
        path: vec![cargo_bin(), node_dir.join("node_modules/.bin")],
        node_dir,
    };

    let targets = output_of(Command::new("rustup").args(["target", "list", "--installed"]))
        .unwrap_or_default();
    if !targets
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        run_cmd(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }

    let trunk = output_of(tools.command("trunk").arg("--version")).unwrap_or_default();
    if !trunk.contains(TRUNK_VERSION) {
        println!("installing trunk {TRUNK_VERSION} (about 10 minutes, once per machine)");
        run_cmd(tools.command("cargo").args([
            "install",
            "--locked",
            "trunk",
            "--version",
            TRUNK_VERSION,
        ]))?;
    }

    let wanted = wasm_bindgen_version()?;
    let installed = output_of(tools.command("wasm-bindgen").arg("--version")).unwrap_or_default();
    if !installed.contains(&wanted) {
        println!("installing wasm-bindgen-cli {wanted} (about 3 minutes, once per machine)");
        run_cmd(tools.command("cargo").args([
            "install",
            "wasm-bindgen-cli",
            "--version",
            &wanted,
        ]))?;
    }

    let wasm_opt = output_of(tools.command("wasm-opt").arg("--version")).unwrap_or_default();
    if !wasm_opt.contains(&format!("version {BINARYEN_VERSION}")) {
        npm_install(&tools, &[&format!("binaryen@{BINARYEN_VERSION}")])?;
    }
    Ok(tools)
}

fn npm_install(tools: &Tools, packages: &[&str]) -> Result {
    std::fs::create_dir_all(&tools.node_dir).map_err(|e| e.to_string())?;
    if !tools.node_dir.join("package.json").exists() {
        std::fs::write(tools.node_dir.join("package.json"), "{\"private\":true}\n")
            .map_err(|e| e.to_string())?;
    }
    run_cmd(
        tools
            .command("npm")
            .args(["install", "--no-audit", "--no-fund", "--save-exact"])
            .args(packages)
            .current_dir(&tools.node_dir),
    )
}

/// Lighthouse 12 (13 needs Node 22; Debian's is 20), for `cargo xtask bench`; gives its CLI.
pub fn ensure_lighthouse(tools: &Tools) -> Result<PathBuf> {
    const LIGHTHOUSE_VERSION: &str = "12.8.2";
    let cli = tools.node_dir.join("node_modules/.bin/lighthouse");
    let installed =
        output_of(tools.command(&cli.display().to_string()).arg("--version")).unwrap_or_default();
    if installed.trim() != LIGHTHOUSE_VERSION {
        npm_install(tools, &[&format!("lighthouse@{LIGHTHOUSE_VERSION}")])?;
    }
    Ok(cli)
}

/// The exact wasm-bindgen version the lock file chose: the CLI must match it.
fn wasm_bindgen_version() -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).map_err(|e| e.to_string())?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\""
            && let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = \""))
        {
            return Ok(v.trim_end_matches('"').to_string());
        }
    }
    Err("wasm-bindgen not found in Cargo.lock".into())
}

pub struct Browser {
    pub chromium: PathBuf,
    pub chromedriver: PathBuf,
}

/// Debian's Chromium and ChromeDriver, and the npm packages of the end-to-end tests.
pub fn ensure_browser(tools: &Tools) -> Result<Browser> {
    let browser = Browser {
        chromium: PathBuf::from("/usr/bin/chromium"),
        chromedriver: PathBuf::from("/usr/bin/chromedriver"),
    };
    if !browser.chromium.exists() || !browser.chromedriver.exists() {
        println!("installing chromium and chromium-driver from Debian");
        let install = || {
            run_cmd(Command::new("apt-get").args(["install", "-y", "chromium", "chromium-driver"]))
        };
        if install().is_err() {
            run_cmd(Command::new("apt-get").arg("update"))?;
            install()?;
        }
    }
    let e2e = root().join("e2e");
    if !e2e.join("node_modules/playwright-core").exists() {
        run_cmd(
            tools
                .command("npm")
                .args(["ci", "--no-audit", "--no-fund"])
                .current_dir(&e2e),
        )?;
    }
    Ok(browser)
}

/// `wrk`, the load generator of the benchmark, from Debian.
pub fn ensure_wrk() -> Result {
    if Command::new("wrk").arg("-v").output().is_err() {
        let install = || run_cmd(Command::new("apt-get").args(["install", "-y", "wrk"]));
        if install().is_err() {
            run_cmd(Command::new("apt-get").arg("update"))?;
            install()?;
        }
    }
    Ok(())
}
