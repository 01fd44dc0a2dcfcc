//! Property tests: the parsers answer arbitrary input with a value or an error, never a panic.

use kubebook::book::Chapter;
use kubebook::lab::{console, fence, matcher};
use kubebook::markdown::{self, RenderContext};
use kubebook::validate::{schema, yaml};
use proptest::prelude::*;
use std::collections::HashMap;

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

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, .. ProptestConfig::default() })]

    #[test]
    fn fence_parser(s in "\\PC{0,80}", g in grammar_text()) {
        let _ = fence::parse(&s).map(|i| fence::check_known(&i));
        let _ = fence::parse(&g);
    }

    #[test]
    fn console_parser(s in grammar_text()) {
        if let Ok(steps) = console::parse(&s) {
            for st in steps {
                prop_assert!(!st.command.is_empty());
            }
        }
    }

    #[test]
    fn yaml_path(s in grammar_text(), t in "\\PC{0,200}") {
        for text in [s, t] {
            if let Ok(docs) = yaml::parse_documents(&text) {
                for d in &docs {
                    let doc = yaml::Document::new(d.clone());
                    let _ = schema::validate(&doc.value, &serde_json::json!({"$ref": "#/$defs/io.k8s.api.core.v1.Pod"}));
                }
            }
        }
    }

    #[test]
    fn matcher(e in grammar_text(), a in "\\PC{0,120}") {
        let exp: Vec<String> = e.lines().map(String::from).collect();
        let _ = matcher::matches(&exp, &a);
    }

    #[test]
    fn markdown_render(body in grammar_text()) {
        let verified = HashMap::new();
        let r = markdown::render(&chapter(&body), &RenderContext { kubernetes: "1.36", verified: &verified });
        prop_assert!(r.html.len() < 1_000_000);
    }
}
