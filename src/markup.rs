//! The theme's partials: the fragments of a chapter page that kubebook makes (headings,
//! callouts, interview questions, code blocks, lab cards, steps, the interview summary),
//! rendered from data with Tera. The markup lives in `templates/partials/` of the theme; a
//! theme that lacks one gets the default theme's, embedded here. The DOM they produce is what
//! `book.js` reads (its header lists the classes).

use crate::diag::{Diagnostic, codes};
use serde::Serialize;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::OnceLock;

macro_rules! partials {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../themes/default/templates/partials/", $name)))),*]
    };
}

/// Every partial by name, with the default theme's text.
const EMBEDDED: &[(&str, &str)] = partials!(
    "heading.html",
    "interview.html",
    "question.html",
    "callout.html",
    "code.html",
    "broken.html",
    "lab-file.html",
    "lab-card.html",
    "lab-commands.html",
    "lab-steps.html",
    "interview-summary.html",
);

/// The loaded partials of one theme.
pub struct Partials {
    tera: tera::Tera,
    /// A hash of every partial's text: part of a rendered chapter's cache key in `serve`.
    digest: u64,
}

impl Partials {
    /// The partials of the theme at `root/theme_dir`, each falling back to the default's.
    pub fn load(root: &Path, theme_dir: &str) -> Result<Partials, Diagnostic> {
        let dir = root.join(theme_dir).join("templates/partials");
        let mut texts = Vec::with_capacity(EMBEDDED.len());
        for (name, fallback) in EMBEDDED {
            let path = dir.join(name);
            let text = match crate::fsx::read_input(root, &path) {
                Ok(t) => t,
                Err(crate::fsx::InputError::NotFound) => fallback.to_string(),
                Err(e) => {
                    return Err(Diagnostic::error(
                        codes::THEME001,
                        format!("cannot read {}: {e}", path.display()),
                    )
                    .with_hint("theme files are regular files inside the project"));
                }
            };
            texts.push((format!("partials/{name}"), text));
        }
        Self::from_texts(texts).map_err(|e| {
            Diagnostic::error(codes::THEME002, format!("theme partial error: {e}"))
                .with_hint(format!("check the templates in {}", dir.display()))
        })
    }

    /// The default theme's partials (tests, and books whose theme has none).
    pub fn embedded() -> &'static Partials {
        static DEFAULT: OnceLock<Partials> = OnceLock::new();
        DEFAULT.get_or_init(|| {
            let texts = EMBEDDED
                .iter()
                .map(|(n, t)| (format!("partials/{n}"), t.to_string()))
                .collect();
            Self::from_texts(texts).expect("the default theme's partials parse")
        })
    }

    fn from_texts(texts: Vec<(String, String)>) -> Result<Partials, String> {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        texts.hash(&mut h);
        let mut tera = tera::Tera::new();
        tera.add_raw_templates(texts.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|e| error_chain(&e))?;
        Ok(Partials {
            tera,
            digest: h.finish(),
        })
    }

    pub fn digest(&self) -> u64 {
        self.digest
    }

    /// Render `partials/NAME` with `data`. A theme's partial that fails (an unknown variable,
    /// say) gives an error naming it; the caller reports it as a diagnostic.
    /// Render `partials/NAME` with `data`, and `id_prefix`: what goes before every id the
    /// partial writes (empty on a chapter's page, `STEM--` in the one-page book).
    pub fn render(
        &self,
        name: &str,
        data: &impl Serialize,
        id_prefix: &str,
    ) -> Result<String, Diagnostic> {
        let fail = |msg: String| {
            Diagnostic::error(
                codes::THEME003,
                format!("rendering partials/{name} failed: {msg}"),
            )
            .with_hint("the variables each partial gets are listed in docs/authoring.md (Themes)")
        };
        let mut ctx = tera::Context::from_serialize(data).map_err(|e| fail(error_chain(&e)))?;
        ctx.insert("id_prefix", id_prefix);
        self.tera
            .render(&format!("partials/{name}"), &ctx)
            .map_err(|e| fail(error_chain(&e)))
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut msg = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        msg.push_str(&format!(": {s}"));
        src = s.source();
    }
    msg
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_default_partial_renders_and_escapes() {
        let p = Partials::embedded();
        let h = p
            .render(
                "heading.html",
                &json!({"level": 2, "id": "a&b", "classes": "", "inner_html": "<em>x</em>"}),
                "",
            )
            .unwrap();
        assert_eq!(
            h,
            "<h2 id=\"a&amp;b\"><a class=\"anchor\" href=\"#a&amp;b\" aria-hidden=\"true\" tabindex=\"-1\">#</a><em>x</em></h2>\n"
        );
        let c = p
            .render(
                "lab-commands.html",
                &json!({"lab": "l", "block": {"class": "lab-cleanup", "title": "Clean up", "commands": ["a <b>", "c"]}}),
                "",
            )
            .unwrap();
        assert!(
            c.contains("<span class=\"cmd\">a &lt;b&gt;</span>\n<span class=\"prompt\""),
            "{c}"
        );
    }

    #[test]
    fn a_broken_theme_partial_is_a_diagnostic() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("t/templates/partials")).unwrap();
        std::fs::write(
            dir.path().join("t/templates/partials/callout.html"),
            "{% if %}",
        )
        .unwrap();
        let Err(d) = Partials::load(dir.path(), "t") else {
            panic!("a partial that does not parse must be refused");
        };
        assert_eq!(d.code, codes::THEME002);
        std::fs::write(
            dir.path().join("t/templates/partials/callout.html"),
            "{{ nope.deeper }}",
        )
        .unwrap();
        let p = Partials::load(dir.path(), "t").unwrap();
        assert_ne!(p.digest(), Partials::embedded().digest());
        let e = p.render("callout.html", &json!({}), "").unwrap_err();
        assert_eq!(e.code, codes::THEME003);
        assert!(e.message.contains("partials/callout.html"), "{}", e.message);
    }
}
