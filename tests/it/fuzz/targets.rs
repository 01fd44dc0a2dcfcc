//! The six fuzz targets, shared by tests/it/no_panics.rs (proptest, run by `cargo test`) and
//! fuzz/ (cargo-fuzz, nightly). Each takes any text and panics only on a real bug: a panic
//! inside kubebook, or a broken property (a position outside the input, a lost attribute).
#![allow(dead_code)]

use kubebook::lab::{console, fence, matcher};
use kubebook::validate::{schema, yaml};

/// Target names, also the folders of the seed corpus (`tests/fuzz-corpus/NAME/`).
pub const TARGETS: [&str; 6] = [
    "fence",
    "front-matter",
    "console",
    "matcher",
    "yaml",
    "schema",
];

/// Run one target on a whole input (a corpus file or a fuzzer's bytes as text).
pub fn run(target: &str, text: &str) {
    match target {
        // Info strings are one line each.
        "fence" => text.lines().for_each(fuzz_fence),
        "front-matter" => fuzz_front_matter(text),
        "console" => fuzz_console(text),
        // Expected lines, a `----` line, then the actual output.
        "matcher" => {
            let (e, a) = text.split_once("\n----\n").unwrap_or((text, ""));
            fuzz_matcher(e, a);
        }
        "yaml" => fuzz_yaml(text),
        "schema" => {
            if let Ok(docs) = yaml::parse_documents(text) {
                for d in docs {
                    fuzz_schema(&yaml::Document::new(d).value);
                }
            }
        }
        other => panic!("no fuzz target {other}"),
    }
}

pub fn fuzz_fence(s: &str) {
    let width = s.chars().count();
    match fence::parse(s) {
        Ok(info) => {
            assert!(info.attrs.len() <= fence::MAX_ATTRS);
            for a in &info.attrs {
                assert!(a.col <= width, "column past the info string");
            }
            if let Err(e) = fence::check_known(&info) {
                assert!(e.col <= width, "{e:?}");
            }
        }
        Err(e) => assert!(e.col <= width, "error column past the info string: {e:?}"),
    }
}

/// Lines as CommonMark and YAML count them: LF, CRLF and a lone CR each end one.
fn line_count(text: &str) -> usize {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .lines()
        .count()
}

pub fn fuzz_front_matter(fm: &str) {
    let text = format!("---\n{fm}\n---\nBody.\n");
    let lines = line_count(&text);
    match kubebook::book::parse_chapter("01-t.md", text) {
        Ok(c) => {
            assert!(!c.title.is_empty());
            assert_eq!(c.body(), "Body.\n");
        }
        Err(d) => {
            let sp = d.span.expect("front matter errors have a position");
            assert!(
                sp.line <= lines,
                "line {} of {lines}: {}",
                sp.line,
                d.message
            );
        }
    }
}

pub fn fuzz_console(block: &str) {
    let lines = block.lines().count();
    match console::parse(block) {
        Ok(steps) => {
            for st in steps {
                assert!(!st.command.trim().is_empty());
                assert!(st.line < lines.max(1));
            }
        }
        Err(e) => assert!(e.line < lines.max(1), "{e:?}"),
    }
}

pub fn fuzz_matcher(expected: &str, actual: &str) {
    let exp: Vec<String> = expected.lines().map(String::from).collect();
    let _ = matcher::matches(&exp, actual);
    // Every line matches itself once its markup is taken literally by the matcher's rules:
    // plain text with single spaces.
    let plain: String = actual
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ')
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if !plain.is_empty() && plain != "..." {
        assert!(
            matcher::matches(std::slice::from_ref(&plain), &plain),
            "{plain:?}"
        );
        assert!(matcher::line_matches("[..]", &plain));
    }
}

pub fn fuzz_yaml(text: &str) {
    // YAML counts a lone CR as a line break too (chapters are normalised on load).
    let lines = line_count(text) + 1;
    match yaml::parse_documents(text) {
        Ok(docs) => {
            for d in docs {
                let doc = yaml::Document::new(d);
                assert!(doc.start.line <= lines);
                if let Some(obj) = doc.value.as_object() {
                    for k in obj.keys() {
                        let ptr = format!("/{}", yaml::escape_pointer(k));
                        assert!(doc.key_pos(&ptr).line <= lines, "key {k:?}");
                        assert!(doc.pos(&ptr).line <= lines, "value of {k:?}");
                    }
                }
            }
        }
        Err(e) => assert!(e.pos.line <= lines, "{} at line {}", e.message, e.pos.line),
    }
}

/// Validate `value` against the definitions a manifest is most often checked against, and
/// against its own kind when it names one.
pub fn fuzz_schema(value: &serde_json::Value) {
    let s = schema::schema();
    let mut defs: Vec<String> = [
        "io.k8s.api.core.v1.Pod",
        "io.k8s.api.apps.v1.Deployment",
        "io.k8s.api.core.v1.Service",
        "io.k8s.api.networking.v1.Ingress",
    ]
    .iter()
    .map(|d| d.to_string())
    .collect();
    if let (Some(av), Some(k)) = (value["apiVersion"].as_str(), value["kind"].as_str())
        && let Some(info) = s.kinds.get(&format!("{av}/{k}"))
    {
        defs.push(info.definition.clone());
    }
    for d in defs {
        let node = serde_json::json!({ "$ref": format!("#/$defs/{d}") });
        for issue in schema::validate(value, &node) {
            assert!(
                issue.pointer.is_empty() || issue.pointer.starts_with('/'),
                "{issue:?}"
            );
            assert!(!issue.message.is_empty());
        }
    }
}
