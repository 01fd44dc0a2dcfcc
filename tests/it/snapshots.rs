//! Snapshot tests (insta): HTML fragments of a fixture book, its search index, sitemap and
//! code colours, `labs list`/`show`/`export` of it, and the diagnostics of `check` and
//! `validate` in every format, compared with the reviewed files in `tests/it/snapshots/`. They pin the
//! exact markup, so moving it into templates must keep every byte.
//!
//! After an intended change: `INSTA_UPDATE=always cargo test --test it snapshots::`, then
//! review the diff of `tests/it/snapshots/` (or `cargo insta review` with cargo-insta) and
//! commit it. CI never writes snapshots.

use crate::common;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// `tests/fixtures/snapshot-book` built once per test process (into Cargo's test temp dir,
/// so nothing is written next to the fixture).
fn site() -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| {
        let site = Path::new(env!("CARGO_TARGET_TMPDIR")).join("kubebook-it/snapshot-site");
        let out = common::kubebook_cmd()
            .args(["build", "--dest"])
            .arg(&site)
            .arg(fixture("snapshot-book"))
            .output()
            .expect("run kubebook build");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        site
    })
}

fn page(name: &str) -> String {
    std::fs::read_to_string(site().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The start of the one element whose start tag begins with `open` (e.g.
/// `<aside class="callout callout-note"`); panics unless there is exactly one.
fn start_of(html: &str, open: &str) -> usize {
    let mut hits = html.match_indices(open).map(|(i, _)| i);
    let Some(start) = hits.next() else {
        panic!("no element starts with {open:?}")
    };
    assert!(
        hits.next().is_none(),
        "more than one element starts with {open:?}"
    );
    start
}

/// The end (exclusive) of the element starting at `start`: its matching end tag, counting
/// nested elements of the same name. kubebook escapes text, so `<` only starts tags.
fn end_of(html: &str, start: usize) -> usize {
    let name: String = html[start + 1..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let (open, close) = (format!("<{name}"), format!("</{name}>"));
    let mut depth = 0usize;
    let mut i = start;
    while i < html.len() {
        let rest = &html[i..];
        if rest.starts_with(&close) {
            depth -= 1;
            if depth == 0 {
                return i + close.len();
            }
            i += close.len();
        } else if rest.starts_with(&open)
            && rest[open.len()..].starts_with(|c: char| c == '>' || c.is_ascii_whitespace())
        {
            depth += 1;
            i += open.len();
        } else {
            i += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
    panic!("<{name}> at byte {start} is never closed")
}

/// The element whose start tag begins with `open`, start tag to end tag.
fn element<'a>(html: &'a str, open: &str) -> &'a str {
    let start = start_of(html, open);
    &html[start..end_of(html, start)]
}

/// From the element starting with `first` through the end of the one starting with `last`.
fn elements<'a>(html: &'a str, first: &str, last: &str) -> &'a str {
    let (a, b) = (start_of(html, first), start_of(html, last));
    assert!(a <= b, "{first:?} comes after {last:?}");
    &html[a..end_of(html, b)]
}

#[test]
fn the_fragment_selector_counts_nesting_and_refuses_ambiguity() {
    let html = "<div class=\"a\"><div>x</div><divider></divider></div><div class=\"b\"></div>";
    assert_eq!(
        element(html, "<div class=\"a\""),
        "<div class=\"a\"><div>x</div><divider></divider></div>"
    );
    assert_eq!(elements(html, "<div class=\"a\"", "<div class=\"b\""), html);
    let twice = std::panic::catch_unwind(|| element("<p>1</p><p>2</p>", "<p>"));
    assert!(twice.is_err());
}

#[test]
fn html_lab_card() {
    let html = page("01-pods.html");
    insta::assert_snapshot!(
        "html_lab_card",
        elements(
            &html,
            "<div class=\"lab-card\" id=\"lab-ch01-first-pod\"",
            "<div class=\"lab-cleanup\" data-lab=\"ch01-first-pod\""
        )
    );
}

#[test]
fn html_interview_questions() {
    let html = page("01-pods.html");
    insta::assert_snapshot!(
        "html_interview_questions",
        element(&html, "<section class=\"interview\" aria-labelledby=")
    );
}

#[test]
fn html_interview_summary() {
    let html = page("02-setup.html");
    insta::assert_snapshot!(
        "html_interview_summary",
        element(&html, "<section class=\"interview interview-summary\"")
    );
}

#[test]
fn html_callouts() {
    let html = page("01-pods.html");
    let note = element(&html, "<aside class=\"callout callout-note\"");
    let tip = element(&html, "<aside class=\"callout callout-tip\"");
    insta::assert_snapshot!("html_callouts", format!("{note}\n{tip}"));
}

#[test]
fn html_headings_and_anchors() {
    let html = page("01-pods.html");
    let parts = [
        element(&html, "<header class=\"chapter-header\""),
        element(&html, "<h2 id=\"running\""),
        element(&html, "<h3 id=\"what-is-a-pod\""),
        element(&html, "<h3 id=\"what-is-a-pod-1\""),
        element(&html, "<nav class=\"toc\""),
    ];
    insta::assert_snapshot!("html_headings_and_anchors", parts.join("\n"));
}

#[test]
fn html_code_block() {
    let html = page("01-pods.html");
    insta::assert_snapshot!(
        "html_code_block",
        element(&html, "<pre class=\"code\"><code class=\"language-bash\"")
    );
}

#[test]
fn html_page_templates_for_the_script() {
    // The legend of placeholders and the "Needs" links, which book.js puts on the lab card.
    let html = page("01-pods.html");
    let parts = [
        element(&html, "<template id=\"kb-placeholders\""),
        element(&html, "<template id=\"kb-needs\""),
    ];
    insta::assert_snapshot!("html_page_templates_for_the_script", parts.join("\n"));
}

/// Run kubebook in `dir` with `args`; exit status, stdout and stderr as one text.
fn run_in(dir: &Path, args: &[&str]) -> String {
    let out = common::kubebook_cmd()
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run kubebook");
    let text = format!(
        "$ kubebook {}\nexit status: {}\n--- stdout ---\n{}--- stderr ---\n{}",
        args.join(" "),
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // Paths are relative (`book/…`, `./…`); no absolute path may leak into a snapshot.
    let root = env!("CARGO_MANIFEST_DIR");
    assert!(
        !text.contains(root),
        "an absolute path in the output:\n{text}"
    );
    text
}

#[test]
fn diagnostics_check_human() {
    let text = run_in(&fixture("broken"), &["check", "."]);
    insta::assert_snapshot!("diagnostics_check_human", text);
}

#[test]
fn diagnostics_check_json() {
    let text = run_in(&fixture("broken"), &["check", "--format", "json", "."]);
    insta::assert_snapshot!("diagnostics_check_json", text);
}

#[test]
fn diagnostics_check_github() {
    let text = run_in(&fixture("broken"), &["check", "--format", "github", "."]);
    insta::assert_snapshot!("diagnostics_check_github", text);
}

#[test]
fn diagnostics_validate_text() {
    let text = run_in(&fixture("bad-manifests"), &["validate", "."]);
    insta::assert_snapshot!("diagnostics_validate_text", text);
}

#[test]
fn diagnostics_validate_json() {
    let text = run_in(&fixture("bad-manifests"), &["validate", "-o", "json", "."]);
    insta::assert_snapshot!("diagnostics_validate_json", text);
}

#[test]
fn diagnostics_validate_github() {
    let text = run_in(
        &fixture("bad-manifests"),
        &[
            "validate",
            "-o",
            "github",
            "deployment.yaml",
            "service.yaml",
        ],
    );
    insta::assert_snapshot!("diagnostics_validate_github", text);
}

#[test]
fn diagnostics_check_junit() {
    let text = run_in(&fixture("broken"), &["check", "--format", "junit", "."]);
    insta::assert_snapshot!("diagnostics_check_junit", text);
}

#[test]
fn diagnostics_validate_junit() {
    let text = run_in(&fixture("bad-manifests"), &["validate", "-o", "junit", "."]);
    insta::assert_snapshot!("diagnostics_validate_junit", text);
}

/// The search index as book.js reads it (pretty-printed, so a change reviews line by line).
#[test]
fn site_search_index() {
    let js = page("search-index.js");
    let json = js
        .strip_prefix("window.KUBEBOOK_SEARCH=")
        .and_then(|j| j.strip_suffix(";\n"))
        .unwrap_or_else(|| panic!("not the index script: {js}"));
    let value: serde_json::Value = serde_json::from_str(json).expect("the index is JSON");
    insta::assert_snapshot!(
        "site_search_index",
        serde_json::to_string_pretty(&value).expect("JSON")
    );
}

#[test]
fn site_sitemap() {
    insta::assert_snapshot!("site_sitemap", page("sitemap.xml"));
}

/// The code colours, generated from syntect's themes and raised to WCAG AA contrast: a
/// syntect upgrade or a change of the contrast rule shows here first.
#[test]
fn site_highlight_css() {
    let name = std::fs::read_dir(site())
        .expect("site")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with("highlight-") && n.ends_with(".css"))
        .expect("a highlight-HASH.css");
    insta::assert_snapshot!("site_highlight_css", page(&name));
}

#[test]
fn labs_list_and_show() {
    let dir = fixture("snapshot-book");
    let list = run_in(&dir, &["labs", "list", "--root", "."]);
    let show = run_in(&dir, &["labs", "show", "ch01-first-pod", "--root", "."]);
    insta::assert_snapshot!("labs_list_and_show", format!("{list}\n{show}"));
}

/// What `labs export` writes: every file, and run.sh whole.
#[test]
fn labs_export() {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("kubebook-it/snapshot-export");
    let _ = std::fs::remove_dir_all(&out);
    let status = common::kubebook_cmd()
        .args(["labs", "export"])
        .arg(&out)
        .args(["--root"])
        .arg(fixture("snapshot-book"))
        .status()
        .expect("run kubebook labs export");
    assert!(status.success());
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(&out)
                .expect("below out")
                .to_path_buf()
        })
        .collect();
    files.sort();
    let mut text = String::new();
    for f in &files {
        let body = std::fs::read_to_string(out.join(f)).expect("read an exported file");
        text.push_str(&format!("=== {} ===\n{body}", f.display()));
    }
    insta::assert_snapshot!("labs_export", text);
}
