//! `book/book.toml`: strict, so a misspelled key is an error naming the key and its line.

use crate::diag::codes;
use crate::diag::{Diagnostic, LineIndex, Span};
use serde::Deserialize;
use std::path::Path;

/// The Kubernetes minor version this binary carries schemas for (the k8s-openapi feature).
pub(crate) const SCHEMA_KUBERNETES_VERSION: &str = "1.37";

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub book: BookSection,
    /// What a lab's `requires=` item links to on its card: where the reader learns to set it
    /// up. A URL, or a chapter file with an optional anchor (`13-tools.md#helm`).
    #[serde(default)]
    pub needs: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BookSection {
    pub title: String,
    #[serde(default)]
    pub authors: Vec<String>,
    #[serde(default)]
    pub description: String,
    #[serde(default = "default_language")]
    pub language: String,
    /// Kubernetes minor version every manifest is validated against, e.g. "1.37".
    pub kubernetes: String,
    /// Home of the book's sources, linked from the header.
    #[serde(default)]
    pub repository: Option<String>,
    /// "Edit this page" URL; `{path}` is replaced by the chapter's path below the project root.
    #[serde(default)]
    pub edit_url: Option<String>,
    /// Absolute URL the site is published at; used for sitemap.xml.
    #[serde(default)]
    pub site_url: Option<String>,
    /// Theme directory relative to the project root.
    #[serde(default = "default_theme")]
    pub theme: String,
}

/// The spans of the `[book]` values that `Config::check` judges.
#[derive(Deserialize, Default)]
struct ValueSpans {
    #[serde(default)]
    book: BookSpans,
}

#[derive(Deserialize, Default)]
struct BookSpans {
    title: Option<toml::Spanned<toml::Value>>,
    kubernetes: Option<toml::Spanned<toml::Value>>,
}

fn default_language() -> String {
    "en".into()
}
fn default_theme() -> String {
    "themes/default".into()
}

impl Config {
    /// Parse book.toml text; `file` is used for diagnostics only.
    pub fn parse(text: &str, file: &Path) -> Result<Config, Diagnostic> {
        let cfg: Config = toml::from_str(text).map_err(|e| {
            let span = e.span().map(|r| {
                let (line, col) = LineIndex::new(text).line_col(text, r.start);
                Span::new(file, line, col)
            });
            let msg = e.message().trim().to_string();
            let hint = if msg.contains("unknown field") {
                "allowed keys under [book]: title, authors, description, language, kubernetes, repository, edit-url, site-url, theme; tables: [book], [needs]"
            } else {
                "see docs/authoring.md, section book.toml"
            };
            Diagnostic::error(codes::CFG001, format!("invalid book.toml: {msg}"))
                .at_opt(span.or_else(|| Some(Span::new(file, 1, 1))))
                .with_hint(hint)
        })?;
        cfg.check(text, file)?;
        Ok(cfg)
    }

    fn check(&self, text: &str, file: &Path) -> Result<(), Diagnostic> {
        // Where a value stands, from the TOML parser (a `[book]` table, a dotted
        // `book.title = …` or an inline table alike); read only when there is an error.
        let value_span = |key: &str| {
            let spans: ValueSpans = toml::from_str(text).unwrap_or_default();
            let value = match key {
                "title" => spans.book.title,
                _ => spans.book.kubernetes,
            };
            let off = value.map_or(0, |v| v.span().start);
            let (line, col) = LineIndex::new(text).line_col(text, off);
            Span::new(file, line, col)
        };
        if self.book.title.trim().is_empty() {
            return Err(Diagnostic::error(codes::CFG002, "book.title is empty")
                .at(value_span("title"))
                .with_hint("give the book a title"));
        }
        let v = self.book.kubernetes.trim();
        if v != SCHEMA_KUBERNETES_VERSION {
            return Err(Diagnostic::error(
                codes::CFG003,
                format!(
                    "book.kubernetes = \"{v}\" but this kubebook validates against Kubernetes {SCHEMA_KUBERNETES_VERSION}"
                ),
            )
            .at(value_span("kubernetes"))
            .with_hint(format!(
                "set kubernetes = \"{SCHEMA_KUBERNETES_VERSION}\" or use a kubebook built for {v}"
            )));
        }
        Ok(())
    }

    /// The path part of `site-url`, with a slash at each end ("/kubebook/" for
    /// `https://kubebook.github.io/kubebook`): where the site's root is on its host. None
    /// without a site-url, or when it has no usable path.
    pub fn site_path(&self) -> Option<String> {
        let url = self.book.site_url.as_deref()?.trim();
        let path = match url.split_once("://") {
            // Past the host; a URL with no path is published at the host root.
            Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
            None if url.starts_with('/') => url,
            None => return None,
        };
        // A query or fragment is no part of where the files are.
        let path = path.split(['?', '#']).next().unwrap_or("/");
        let trimmed = path.trim_matches('/');
        Some(if trimmed.is_empty() {
            "/".to_string()
        } else {
            format!("/{trimmed}/")
        })
    }

    pub fn edit_url_for(&self, rel_path: &str) -> Option<String> {
        self.book
            .edit_url
            .as_ref()
            .map(|t| t.replace("{path}", rel_path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(t: &str) -> Result<Config, Diagnostic> {
        Config::parse(t, Path::new(crate::project::paths::BOOK_TOML))
    }

    #[test]
    fn site_path_is_the_site_urls_path_with_slashes() {
        let with = |url: &str| {
            parse(&format!(
                "[book]\ntitle = \"T\"\nkubernetes = \"1.37\"\nsite-url = \"{url}\"\n"
            ))
            .unwrap()
            .site_path()
        };
        assert_eq!(
            with("https://kubebook.github.io/kubebook/").as_deref(),
            Some("/kubebook/")
        );
        assert_eq!(with("https://h.example/a/b?x=1").as_deref(), Some("/a/b/"));
        assert_eq!(with("https://h.example").as_deref(), Some("/"));
        assert_eq!(with("/docs").as_deref(), Some("/docs/"));
        assert_eq!(with("docs").as_deref(), None);
        let none = parse("[book]\ntitle = \"T\"\nkubernetes = \"1.37\"\n").unwrap();
        assert_eq!(none.site_path(), None);
    }

    #[test]
    fn minimal_config() {
        let c = parse("[book]\ntitle = \"T\"\nkubernetes = \"1.37\"\n").unwrap();
        assert_eq!(c.book.language, "en");
        assert_eq!(c.book.theme, "themes/default");
    }

    #[test]
    fn unknown_key_names_key_and_line() {
        let e = parse("[book]\ntitle = \"T\"\nkubernetes = \"1.37\"\ntitel = \"x\"\n").unwrap_err();
        assert_eq!(e.code, codes::CFG001);
        assert!(e.message.contains("titel"), "{}", e.message);
        assert_eq!(e.location(), "book/book.toml:4:1");
    }

    #[test]
    fn wrong_type_is_error() {
        let e = parse("[book]\ntitle = 3\nkubernetes = \"1.37\"\n").unwrap_err();
        assert_eq!(e.location(), "book/book.toml:2:9");
    }

    #[test]
    fn wrong_kubernetes_version() {
        let e = parse("[book]\ntitle = \"T\"\nkubernetes = \"1.20\"\n").unwrap_err();
        assert_eq!(e.code, codes::CFG003);
        assert_eq!(e.location(), "book/book.toml:3:14");
    }

    #[test]
    fn a_judged_value_is_placed_however_the_table_is_written() {
        // A key of another table with the same start, before [book], is not it.
        let e = parse(
            "[needs]\nkubernetes-x = \"a.md\"\n[book]\ntitle = \"T\"\nkubernetes = \"1.20\"\n",
        )
        .unwrap_err();
        assert_eq!(e.location(), "book/book.toml:5:14");
        let e = parse("book.title = \"  \"\nbook.kubernetes = \"1.37\"\n").unwrap_err();
        assert_eq!(e.code, codes::CFG002);
        assert_eq!(e.location(), "book/book.toml:1:14");
        let e = parse("book = { title = \"T\", kubernetes = \"1.9\" }\n").unwrap_err();
        assert_eq!(e.code, codes::CFG003);
        assert_eq!(e.location(), "book/book.toml:1:36");
    }
}
