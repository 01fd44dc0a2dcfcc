//! Server-side syntax highlighting with class-based HTML: syntect (Oniguruma engine) for
//! every language but YAML and shell, which have fast lexers of their own (`yaml.rs`,
//! `shell.rs`) with syntect's classes. Theme CSS is generated from syntect themes.
//!
//! What a build may reuse, the highlighted blocks, belongs to a [`Highlighter`] that the
//! caller owns (the pipeline's cache, so `serve` keeps it between saves). The one thing
//! shared by the process is syntect's syntax set: it never changes once loaded.

mod shell;
mod yaml;

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Code blocks longer than this are shown plain: highlighting cost grows with size and a
/// pathological line can make regex engines slow.
const MAX_HIGHLIGHT_BYTES: usize = 256 * 1024;
const MAX_LINE_BYTES: usize = 4096;

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(two_face::syntax::extra_newlines)
}

fn syntax_for(lang: &str) -> Option<&'static SyntaxReference> {
    let ss = syntaxes();
    let token = match lang.to_ascii_lowercase().as_str() {
        "" | "text" | "plain" | "txt" | "output" => return None,
        "sh" | "shell" | "bash" | "zsh" => "bash",
        "yml" => "yaml",
        "dockerfile" | "containerfile" => return ss.find_syntax_by_name("Dockerfile"),
        "golang" => "go",
        "py" => "python",
        "rs" => "rust",
        "tpl" | "gotmpl" => return None,
        other => {
            return ss.find_syntax_by_token(other);
        }
    };
    ss.find_syntax_by_token(token)
}

pub(crate) fn escape_html(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// Highlighted blocks by (language, code), for as long as its owner keeps it: `serve`
/// rebuilds a chapter after every save, and most of its code blocks did not change.
#[derive(Default)]
pub struct Highlighter {
    memo: Mutex<HashMap<(String, String), String>>,
    /// The syntect grammars whose compilation has been started (see `warm_up`).
    warming: Mutex<Vec<&'static str>>,
}

/// Past this many blocks the memo starts again (a long `serve` session on a large book).
const MEMO_LIMIT: usize = 20_000;

impl Highlighter {
    /// Highlight `code` as `lang`; the result goes inside `<pre><code>`.
    pub(crate) fn highlight(&self, code: &str, lang: &str) -> String {
        let key = (lang.to_string(), code.to_string());
        if let Some(html) = self.memo.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return html;
        }
        let html = if lang.eq_ignore_ascii_case("console") {
            self.console(code)
        } else {
            highlight_uncached(code, lang)
        };
        if let Ok(mut m) = self.memo.lock() {
            if m.len() >= MEMO_LIMIT {
                m.clear();
            }
            m.insert(key, html.clone());
        }
        html
    }

    /// A shell session: `$ command` lines (and their `\` continuations) are highlighted as
    /// bash with a prompt that copy-paste skips; everything else is output.
    pub(crate) fn console(&self, code: &str) -> String {
        console_html(code, |cmd| self.highlight(cmd, "bash"))
    }

    /// Compile the syntect grammars of the languages a book uses, each on a thread of its
    /// own, while the caller gets on with loading and parsing: a grammar's regexes are
    /// compiled on first use, and the Dockerfile grammar's would otherwise land on one render
    /// thread. Once per grammar and highlighter (YAML and shell have lexers of their own).
    pub(crate) fn warm_up(&self, source_texts: &[&str]) {
        let samples: [(&'static str, &[&str], &'static str); 1] = [(
            "dockerfile",
            &["```dockerfile", "```Dockerfile", "```containerfile"],
            "FROM alpine:3.20 AS build\nRUN echo hi\nCMD [\"sh\"]\n",
        )];
        let Ok(mut started) = self.warming.lock() else {
            return;
        };
        for (lang, fences, sample) in samples {
            if !started.contains(&lang)
                && source_texts
                    .iter()
                    .any(|t| fences.iter().any(|f| t.contains(f)))
            {
                started.push(lang);
                std::thread::spawn(move || {
                    let _ = syntect_html(sample, lang);
                });
            }
        }
    }
}

/// `code` highlighted as `lang` (a console session is the highlighter's: its commands go
/// through the memo).
fn highlight_uncached(code: &str, lang: &str) -> String {
    if matches!(
        lang.to_ascii_lowercase().as_str(),
        "bash" | "sh" | "shell" | "zsh"
    ) {
        return if code.len() > MAX_HIGHLIGHT_BYTES {
            escape_html(code)
        } else {
            shell::highlight(code)
        };
    }
    if lang.eq_ignore_ascii_case("yaml") || lang.eq_ignore_ascii_case("yml") {
        return if code.len() > MAX_HIGHLIGHT_BYTES {
            escape_html(code)
        } else {
            yaml::highlight(code)
        };
    }
    syntect_html(code, lang)
}

/// `code` highlighted by syntect's grammar for `lang` (plain text if it has none).
fn syntect_html(code: &str, lang: &str) -> String {
    let Some(syntax) = syntax_for(lang) else {
        return escape_html(code);
    };
    if code.len() > MAX_HIGHLIGHT_BYTES || code.lines().any(|l| l.len() > MAX_LINE_BYTES) {
        return escape_html(code);
    }
    let mut g = ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes(), CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        if g.parse_html_for_line_which_includes_newline(line).is_err() {
            return escape_html(code);
        }
    }
    g.finalize()
}

/// A shell session's HTML, each command (or continuation line) highlighted by `command`.
fn console_html(code: &str, command: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(code.len() * 2);
    let mut continuing = false;
    for line in code.split_inclusive('\n') {
        let body = line.trim_end_matches('\n');
        let nl = if line.ends_with('\n') { "\n" } else { "" };
        if let Some(cmd) = body
            .strip_prefix("$ ")
            .or_else(|| (body == "$").then_some(""))
        {
            out.push_str(
                "<span class=\"prompt\" aria-hidden=\"true\">$ </span><span class=\"cmd\">",
            );
            out.push_str(command(cmd).trim_end_matches('\n'));
            out.push_str("</span>");
            out.push_str(nl);
            continuing = cmd.ends_with('\\');
        } else if continuing {
            out.push_str("<span class=\"cmd\">");
            out.push_str(command(body).trim_end_matches('\n'));
            out.push_str("</span>");
            out.push_str(nl);
            continuing = body.ends_with('\\');
        } else if body.starts_with("? ") && body[2..].trim().parse::<i32>().is_ok() {
            out.push_str("<span class=\"exit\">");
            out.push_str(&escape_html(body));
            out.push_str("</span>");
            out.push_str(nl);
        } else {
            out.push_str("<span class=\"output\">");
            out.push_str(&escape_html(body));
            out.push_str("</span>");
            out.push_str(nl);
        }
    }
    out
}

/// Code backgrounds of the default theme (`--code-bg` in style.css), light and dark.
pub(crate) const LIGHT_CODE_BG: (u8, u8, u8) = (0xf6, 0xf8, 0xfa);
pub(crate) const DARK_CODE_BG: (u8, u8, u8) = (0x16, 0x1b, 0x22);
/// WCAG AA for normal text.
const MIN_CONTRAST: f64 = 4.5;

/// CSS for the light and the dark code theme, generated from syntect themes (InspiredGitHub,
/// base16-ocean.dark). Each theme is scoped to its page theme, and every colour is nudged
/// just enough to reach WCAG AA contrast on the page's code background (several of the
/// themes' own colours fall short).
pub(crate) fn theme_css() -> String {
    let ts = ThemeSet::load_defaults();
    let mut css = String::from(
        "/* generated from syntect themes: InspiredGitHub (light), base16-ocean.dark (dark); colours adjusted to WCAG AA contrast */\n",
    );
    if let Some(light) = ts.themes.get("InspiredGitHub")
        && let Ok(c) = css_for_theme_with_class_style(light, CLASS_STYLE)
    {
        let c = with_contrast(&strip_background(&c), LIGHT_CODE_BG);
        css.push_str(&scope_rules(&c, ":root:not([data-theme=\"dark\"])"));
    }
    if let Some(dark) = ts.themes.get("base16-ocean.dark")
        && let Ok(c) = css_for_theme_with_class_style(dark, CLASS_STYLE)
    {
        let c = with_contrast(&strip_background(&c), DARK_CODE_BG);
        css.push_str(&scope_rules(&c, ":root[data-theme=\"dark\"]"));
    }
    css
}

fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
    let ch = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b)
}

/// WCAG contrast ratio of two colours.
pub(crate) fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Move `fg` towards black (on a light background) or white (on a dark one) until it reaches
/// the minimum contrast; the hue is kept.
pub(crate) fn readable(fg: (u8, u8, u8), bg: (u8, u8, u8)) -> (u8, u8, u8) {
    let target = if luminance(bg) > 0.5 {
        (0.0, 0.0, 0.0)
    } else {
        (255.0, 255.0, 255.0)
    };
    let mut c = fg;
    for step in 1..=20 {
        if contrast(c, bg) >= MIN_CONTRAST {
            break;
        }
        let t = f64::from(step) / 20.0;
        let mix = |a: u8, b: f64| {
            (f64::from(a) + (b - f64::from(a)) * t)
                .round()
                .clamp(0.0, 255.0) as u8
        };
        c = (
            mix(fg.0, target.0),
            mix(fg.1, target.1),
            mix(fg.2, target.2),
        );
    }
    c
}

/// Rewrite every `color: #rrggbb` of a stylesheet to a readable one on `bg`.
fn with_contrast(css: &str, bg: (u8, u8, u8)) -> String {
    let mut out = String::with_capacity(css.len());
    for line in css.lines() {
        let t = line.trim_start();
        let hex = t.strip_prefix("color: #").map(|h| h.trim_end_matches(';'));
        let parsed = hex.filter(|h| h.len() >= 6).and_then(|h| {
            let p = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).ok();
            Some((p(0)?, p(2)?, p(4)?))
        });
        match parsed {
            Some(fg) => {
                let (r, g, b) = readable(fg, bg);
                out.push_str(&format!(" color: #{r:02x}{g:02x}{b:02x};"));
            }
            None => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

/// The page decides the code background; drop the themes' own `background-color` on the
/// root `.hl-code` rule so both themes sit on the theme's surface colour.
fn strip_background(css: &str) -> String {
    css.lines()
        .filter(|l| !l.trim_start().starts_with("background-color"))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// Prefix every selector of a flat stylesheet with `scope`.
fn scope_rules(css: &str, scope: &str) -> String {
    let mut out = String::with_capacity(css.len() * 2);
    for line in css.lines() {
        let t = line.trim_start();
        if t.starts_with('.') && (t.ends_with('{') || t.ends_with(',')) {
            let sels: Vec<String> = t
                .trim_end_matches(['{', ','])
                .split(',')
                .map(|s| format!("{scope} {}", s.trim()))
                .collect();
            out.push_str(&sels.join(", "));
            out.push_str(if t.ends_with('{') { " {" } else { "," });
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The YAML of the shipped book's chapters, block by block.
    fn book_yaml() -> Vec<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("book");
        let mut blocks = Vec::new();
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "md"))
            .collect();
        paths.sort();
        for p in paths {
            let text = std::fs::read_to_string(p).unwrap();
            let mut current: Option<String> = None;
            for line in text.lines() {
                let fence = line.trim_start();
                match current.as_mut() {
                    Some(b) if fence.starts_with("```") => {
                        blocks.push(std::mem::take(b));
                        current = None;
                    }
                    Some(b) => {
                        b.push_str(line);
                        b.push('\n');
                    }
                    None if fence.starts_with("```yaml") => current = Some(String::new()),
                    None => {}
                }
            }
        }
        blocks
    }

    /// Every shell command of the book: `bash` blocks and the `$ ` lines of console blocks.
    fn book_shell() -> Vec<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("book");
        let mut out = Vec::new();
        for e in std::fs::read_dir(dir).unwrap().filter_map(Result::ok) {
            if e.path().extension().is_none_or(|x| x != "md") {
                continue;
            }
            let text = std::fs::read_to_string(e.path()).unwrap();
            let mut lang: Option<String> = None;
            let mut block = String::new();
            for line in text.lines() {
                let fence = line.trim_start();
                if let Some(info) = fence.strip_prefix("```") {
                    match lang.take() {
                        Some(l) if l == "bash" || l == "sh" => out.push(std::mem::take(&mut block)),
                        Some(_) => block.clear(),
                        None => lang = Some(info.split(' ').next().unwrap_or("").to_string()),
                    }
                    continue;
                }
                match lang.as_deref() {
                    Some("bash" | "sh") => {
                        block.push_str(line);
                        block.push('\n');
                    }
                    Some("console") => {
                        if let Some(cmd) = line.trim_start().strip_prefix("$ ") {
                            out.push(cmd.to_string());
                        }
                    }
                    _ => {}
                }
            }
        }
        out
    }

    /// The shell lexer against syntect's grammar on every command of the book: text kept, and
    /// command names, options and comments marked as syntect marks them.
    #[test]
    fn shell_lexer_agrees_with_syntect_on_the_book() {
        let cmds = book_shell();
        assert!(cmds.len() > 500, "{} commands", cmds.len());
        let (mut same, mut total) = (0usize, 0usize);
        let mut diffs = Vec::new();
        for code in &cmds {
            let ours = shell::highlight(code);
            assert_eq!(yaml::tests::text_of(&ours), *code);
            let theirs = syntect_html(code, "bash");
            for class in [
                "hl-variable hl-function hl-shell",
                "hl-punctuation hl-definition hl-parameter",
                "hl-comment hl-line",
                "hl-punctuation hl-definition hl-string hl-begin",
                "hl-keyword hl-operator hl-logical",
            ] {
                let (a, b) = (tokens(&ours, class), tokens(&theirs, class));
                let a: Vec<String> = a.iter().map(|t| t.trim().to_string()).collect();
                let b: Vec<String> = b.iter().map(|t| t.trim().to_string()).collect();
                total += b.len().max(a.len());
                same += a.iter().zip(&b).filter(|(x, y)| x == y).count();
                if a != b {
                    diffs.push(format!("{code}\n  {class}: ours {a:?}\n  syntect {b:?}"));
                }
            }
        }
        let agreement = same as f64 / total as f64;
        assert!(
            agreement >= 0.97,
            "{same}/{total} tokens agree:\n{}",
            diffs.join("\n")
        );
    }

    /// The texts of the spans whose classes start with `class`.
    fn tokens(html: &str, class: &str) -> Vec<String> {
        let open = format!("<span class=\"{class}");
        html.match_indices(&open)
            .filter_map(|(i, _)| {
                let rest = &html[i..];
                let start = rest.find('>')? + 1;
                let end = rest[start..].find('<')? + start;
                Some(rest[start..end].to_string())
            })
            .collect()
    }

    /// The YAML lexer against syntect's grammar on every YAML block of the book: the text is
    /// kept exactly, and keys, comments, numbers and booleans come out as syntect marks them
    /// (syntect's own slips aside: it splits some flow keys and reads `1.28.0` as a float).
    #[test]
    fn yaml_lexer_agrees_with_syntect_on_the_book() {
        let blocks = book_yaml();
        assert!(blocks.len() > 100, "{} blocks", blocks.len());
        let (mut same, mut total) = (0usize, 0usize);
        let mut diffs = Vec::new();
        for code in &blocks {
            let ours = yaml::highlight(code);
            assert_eq!(yaml::tests::text_of(&ours), *code);
            let theirs = syntect_html(code, "yaml");
            for class in [
                "hl-entity hl-name hl-tag",
                "hl-comment",
                "hl-constant hl-numeric hl-integer",
                "hl-constant hl-language hl-boolean",
                "hl-punctuation hl-definition hl-block hl-sequence",
                "hl-entity hl-other hl-document",
            ] {
                let (a, b) = (tokens(&ours, class), tokens(&theirs, class));
                total += b.len().max(a.len());
                if a == b {
                    same += a.len();
                } else {
                    same += a.iter().zip(&b).filter(|(x, y)| x == y).count();
                    diffs.push(format!("{class}: ours {a:?}\n  syntect {b:?}"));
                }
            }
        }
        let agreement = same as f64 / total as f64;
        assert!(
            agreement >= 0.995,
            "{same}/{total} tokens agree:\n{}",
            diffs.join("\n")
        );
    }

    #[test]
    fn yaml_gets_classes() {
        let h = Highlighter::default().highlight("kind: Pod\n", "yaml");
        assert!(h.contains("class=\"hl-"), "{h}");
        assert!(h.contains("Pod"));
    }

    #[test]
    fn every_promised_language_is_known() {
        for l in [
            "yaml",
            "bash",
            "sh",
            "dockerfile",
            "json",
            "toml",
            "go",
            "python",
            "rust",
        ] {
            assert!(syntax_for(l).is_some(), "{l}");
        }
        assert!(syntax_for("text").is_none());
    }

    #[test]
    fn console_separates_prompt_and_output() {
        let h = Highlighter::default().highlight(
            "$ kubectl get pods \\\n  -o wide\nNAME   READY\n? 1\n",
            "console",
        );
        assert!(h.starts_with("<span class=\"prompt\""), "{h}");
        assert!(
            h.contains("<span class=\"output\">NAME   READY</span>"),
            "{h}"
        );
        assert_eq!(h.matches("class=\"cmd\"").count(), 2, "{h}");
        assert!(h.contains("<span class=\"exit\">? 1</span>"));
    }

    #[test]
    fn escapes_html() {
        assert_eq!(
            Highlighter::default().highlight("<b>&", "text"),
            "&lt;b&gt;&amp;"
        );
    }

    #[test]
    fn the_memo_belongs_to_its_highlighter() {
        let memo_len = |h: &Highlighter| h.memo.lock().map(|m| m.len()).unwrap_or(usize::MAX);
        let a = Highlighter::default();
        let first = a.highlight("$ kubectl get pods\nNAME\n", "console");
        // The session and its one command are remembered, by this highlighter only.
        assert_eq!(memo_len(&a), 2);
        assert_eq!(a.highlight("$ kubectl get pods\nNAME\n", "console"), first);
        assert_eq!(memo_len(&a), 2);
        let b = Highlighter::default();
        assert_eq!(memo_len(&b), 0);
        assert_eq!(b.console("$ kubectl get pods\nNAME\n"), first);
    }

    #[test]
    fn dark_css_is_scoped() {
        let css = theme_css();
        assert!(
            css.contains(":root[data-theme=\"dark\"] .hl-"),
            "{}",
            &css[..css.len().min(500)]
        );
    }
}
