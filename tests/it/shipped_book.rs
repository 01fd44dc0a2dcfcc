//! The book kubebook ships: it must check clean (no errors, no warnings), build, and stay
//! original prose (the copy checker from ../shared/tools, when it is there).

use crate::common;
use common::skipped;
use std::path::Path;
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn shipped_book_checks_clean() {
    let out = common::kubebook_cmd()
        .args(["check", "--deny-warnings"])
        .arg(root())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("checked 15 chapters"), "{stderr}");
}

#[test]
fn shipped_book_builds_every_page() {
    let dest = tempfile::tempdir().unwrap();
    let site = dest.path().join("site");
    let out = common::kubebook_cmd()
        .args(["build", "--dest"])
        .arg(&site)
        .arg(root())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let chapters = std::fs::read_dir(root().join("book"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".md"))
        .count();
    assert_eq!(chapters, 15);
    for e in std::fs::read_dir(root().join("book"))
        .unwrap()
        .filter_map(Result::ok)
    {
        let name = e.file_name().to_string_lossy().to_string();
        if let Some(stem) = name.strip_suffix(".md") {
            assert!(site.join(format!("{stem}.html")).is_file(), "{stem}.html");
        }
    }
    // The two summary chapters are generated from the others.
    let review = std::fs::read_to_string(site.join("09-review-part-one.html")).unwrap();
    assert!(review.matches("class=\"qa\"").count() > 50);
    let review = std::fs::read_to_string(site.join("15-kubernetes-questions.html")).unwrap();
    assert!(review.matches("class=\"qa\"").count() > 30);
}

#[test]
fn shipped_book_is_original_prose() {
    let tool = root().join("../shared/tools/copycheck.py");
    if !tool.is_file() {
        skipped("../shared/tools/copycheck.py not found");
        return;
    }
    let out = Command::new("python3")
        .arg(&tool)
        .arg(root().join("book"))
        .output();
    let Ok(out) = out else {
        skipped("python3 not available");
        return;
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "copied passages:\n{stdout}");
    assert!(stdout.contains("0 runs of 12+ words copied"), "{stdout}");
}
