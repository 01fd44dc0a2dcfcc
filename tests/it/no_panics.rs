//! Fuzz targets as property tests: every grammar answers arbitrary input with a value or an
//! error (never a panic, never a position outside the input), and the properties that make
//! each one correct hold. Six targets: the fence-attribute grammar, front matter, the console
//! block grammar, the expected-output matcher, YAML with spans, the schema walker.
//!
//! Time-boxed for `cargo test`: each target runs `KUBEBOOK_FUZZ_CASES` cases (default 256; CI
//! or a long local run sets more). The seed corpus in `tests/fuzz-corpus/TARGET/` is replayed
//! on every run, and every crash found becomes a file there (and a named test if it needs
//! more than "does not panic").

use kubebook::book::Chapter;
use kubebook::lab::fence;
use kubebook::markdown::{self, RenderContext};
use proptest::prelude::*;
use std::collections::HashMap;
use targets::*;

/// The targets themselves, shared with the cargo-fuzz targets in fuzz/.
#[path = "fuzz/targets.rs"]
mod targets;

fn chapter(body: &str) -> Chapter {
    kubebook::book::parse_chapter("01-t.md", format!("---\ntitle: T\n---\n{body}"))
        .expect("valid front matter")
}

/// Text made of the characters that matter to these grammars, so shrinking finds real cases.
fn grammar_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("$ ".to_string()),
            Just("\\\n".to_string()),
            Just("? 1\n".to_string()),
            Just("```yaml lab=a file=x.yaml\n".to_string()),
            Just("```\n".to_string()),
            Just("- ".to_string()),
            Just(": ".to_string()),
            Just("&a ".to_string()),
            Just("*a".to_string()),
            Just("<<: ".to_string()),
            Just("[..]".to_string()),
            Just("...\n".to_string()),
            Just("\"".to_string()),
            Just("=".to_string()),
            Just("{{#interview chapters=1-2}}\n".to_string()),
            Just("## Interview questions {.interview}\n".to_string()),
            Just("### Q?\n".to_string()),
            Just("> [!NOTE]\n".to_string()),
            "[a-zA-Z0-9 ]{0,8}",
            "\\PC{0,4}",
            Just("\n".to_string()),
            Just("  ".to_string()),
        ],
        0..60,
    )
    .prop_map(|v| v.concat())
}

/// Cases per target: small by default so `cargo test` stays quick, more when asked.
fn cases() -> u32 {
    std::env::var("KUBEBOOK_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

fn config() -> ProptestConfig {
    // No per-case `timeout`: it makes proptest fork and re-run this binary. Slow paths are
    // caught by the linearity tests of tests/it/redteam.rs instead.
    ProptestConfig {
        cases: cases(),
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn markdown_render(body in grammar_text()) {
        let verified = HashMap::new();
        let r = markdown::render(&chapter(&body), &RenderContext { kubernetes: "1.37", verified: &verified, partials: Some(kubebook::markup::Partials::embedded()), questions: &[], highlighter: &markdown::Highlighter::default() });
        prop_assert!(r.html.len() < 1_000_000);
    }
}

/// Arbitrary JSON shaped like manifests: known keys and Kubernetes-ish scalars.
fn manifest_json() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        prop_oneof![
            Just("100m".to_string()),
            Just("1Gi".to_string()),
            Just("http".to_string()),
            Just("nginx:1.27.3".to_string()),
            "\\PC{0,12}",
        ]
        .prop_map(Value::String),
    ];
    let keys = prop_oneof![
        Just("apiVersion"),
        Just("kind"),
        Just("metadata"),
        Just("name"),
        Just("spec"),
        Just("containers"),
        Just("image"),
        Just("ports"),
        Just("containerPort"),
        Just("resources"),
        Just("limits"),
        Just("cpu"),
        Just("replicas"),
        Just("selector"),
        Just("matchLabels"),
        Just("template"),
        Just("targetPort"),
        Just("rules"),
        Just("x"),
    ];
    leaf.prop_recursive(6, 64, 8, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::vec((keys.clone(), inner), 0..6).prop_map(|kv| {
                Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
            }),
        ]
    })
}

/// A fence info string made of valid attributes, to check that parsing gives them back.
fn valid_info() -> impl Strategy<Value = (String, Vec<(String, Option<String>)>)> {
    let key = "[a-z][a-z0-9_-]{0,8}";
    let value = prop_oneof![
        Just(None),
        "[a-zA-Z0-9./:-]{1,10}".prop_map(Some),
        "[a-zA-Z0-9 \\\\\"=]{0,10}".prop_map(Some),
    ];
    proptest::collection::btree_map(key, value, 0..8)
        .prop_map(|m| ("yaml".to_string(), m.into_iter().collect()))
}

fn quote(v: &str) -> String {
    if !v.is_empty()
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || "./:-".contains(c))
    {
        v.to_string()
    } else {
        format!("\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn fuzz_fence_attributes(s in "\\PC{0,120}", g in grammar_text()) {
        fuzz_fence(&s);
        fuzz_fence(&g);
    }

    #[test]
    fn fence_attributes_round_trip((lang, attrs) in valid_info()) {
        let text: Vec<String> = std::iter::once(lang.clone())
            .chain(attrs.iter().map(|(k, v)| match v {
                Some(v) => format!("{k}={}", quote(v)),
                None => k.clone(),
            }))
            .collect();
        let info = fence::parse(&text.join(" ")).map_err(|e| TestCaseError::fail(e.message))?;
        prop_assert_eq!(info.lang, lang);
        let got: Vec<(String, Option<String>)> =
            info.attrs.into_iter().map(|a| (a.key, a.value)).collect();
        prop_assert_eq!(got, attrs);
    }

    #[test]
    fn fuzz_front_matter_text(fm in grammar_text(), t in "\\PC{0,80}") {
        fuzz_front_matter(&fm);
        fuzz_front_matter(&format!("title: {t}"));
    }

    #[test]
    fn fuzz_console_blocks(b in grammar_text()) {
        fuzz_console(&b);
    }

    #[test]
    fn fuzz_expected_output(e in grammar_text(), a in "\\PC{0,120}") {
        fuzz_matcher(&e, &a);
    }

    #[test]
    fn fuzz_yaml_spans(s in grammar_text(), t in "\\PC{0,200}") {
        fuzz_yaml(&s);
        fuzz_yaml(&t);
    }

    #[test]
    fn fuzz_schema_walker(v in manifest_json()) {
        fuzz_schema(&v);
    }
}

/// Replay the seed corpus (and every crash once found) through its target.
#[test]
fn fuzz_corpus_replays() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-corpus");
    let mut seen = 0;
    for target in targets::TARGETS {
        let dir = root.join(target);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        files.sort();
        assert!(!files.is_empty(), "no seeds for {target}");
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            let outcome = std::panic::catch_unwind(|| targets::run(target, &text));
            assert!(outcome.is_ok(), "{} crashed its target", f.display());
            seen += 1;
        }
    }
    assert!(seen >= 12, "{seen} seeds");
}
