//! The reader in a real browser: runs the Node test suite in tests/browser/ (playwright-core
//! driving Debian's headless Chromium) against the shipped book built by this kubebook
//! binary. Skipped, with a line saying why, when node, /usr/bin/chromium or the npm packages
//! (`npm ci --prefix tests/browser`) are missing; `.ci/run` installs all three.

use crate::common;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

const CHROMIUM: &str = "/usr/bin/chromium";

/// Straight to stderr, past the test harness's capture, so CI logs show it.
fn skip(why: &str) {
    let _ = writeln!(std::io::stderr(), "SKIPPED: {why}");
}

fn node_version() -> Option<String> {
    let out = Command::new("node").arg("--version").output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

#[test]
fn reader_in_headless_chromium() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let Some(version) = node_version() else {
        skip("browser tests need `node` on PATH");
        return;
    };
    let major: u32 = version
        .trim_start_matches('v')
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    if major < 20 {
        skip(&format!(
            "browser tests need Node 20 or newer (playwright-core), found {version}"
        ));
        return;
    }
    if !Path::new(CHROMIUM).exists() {
        skip(&format!(
            "browser tests need {CHROMIUM} (apt-get install chromium)"
        ));
        return;
    }
    if !dir.join("node_modules/playwright-core").is_dir()
        || !dir.join("node_modules/axe-core").is_dir()
    {
        skip("browser tests need their npm packages: npm ci --prefix tests/browser");
        return;
    }
    // `node --test` in tests/browser runs its *.test.mjs files (the same as
    // `node --test tests/browser/` on Node 20; later versions read arguments as globs).
    let out = common::scrub(&mut Command::new("node"))
        .arg("--test")
        .current_dir(&dir)
        .env("KUBEBOOK_BIN", common::BIN)
        .output()
        .expect("run node --test");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "browser tests failed ({}); screenshots and the axe report are in {}\n{stdout}\n{stderr}",
        out.status,
        dir.join("artifacts").display()
    );
    // The summary: "# tests 27", "# pass 27", …
    let summary: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("# ") && !l.starts_with("# Subtest"))
        .collect();
    let _ = writeln!(
        std::io::stderr(),
        "browser tests (node {version}, {CHROMIUM}): {}",
        summary.join(", ").replace("# ", "")
    );
}
