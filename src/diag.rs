//! Diagnostics: one type for every problem kubebook reports, and the four ways to print them
//! (rustc-style text with a code frame, JSON, GitHub annotations, JUnit XML).

pub mod codes;

use serde::Serialize;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
}

/// A position in a source file; line and column are 1-based, column counts characters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Hash)]
pub struct Span {
    pub file: PathBuf,
    pub line: usize,
    pub col: usize,
}

impl Span {
    pub fn new(file: impl Into<PathBuf>, line: usize, col: usize) -> Self {
        Span {
            file: file.into(),
            line: line.max(1),
            col: col.max(1),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub level: Level,
    pub code: &'static str,
    pub message: String,
    pub span: Option<Span>,
    /// JSON path of the offending value, for manifest diagnostics.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        debug_assert!(
            codes::get(code).is_some_and(|c| c.severity == Level::Error),
            "{code} is not an error in the registry"
        );
        Diagnostic {
            level: Level::Error,
            code,
            message: message.into(),
            span: None,
            path: None,
            hint: None,
        }
    }
    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        debug_assert!(
            codes::get(code).is_some_and(|c| c.severity == Level::Warning),
            "{code} is not a warning in the registry"
        );
        Diagnostic {
            level: Level::Warning,
            code,
            message: message.into(),
            span: None,
            path: None,
            hint: None,
        }
    }
    pub fn at(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }
    pub fn at_opt(mut self, span: Option<Span>) -> Self {
        self.span = span;
        self
    }
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
    pub fn with_path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }
    pub fn is_error(&self) -> bool {
        self.level == Level::Error
    }
    /// `file:line:col` or an empty string.
    pub fn location(&self) -> String {
        match &self.span {
            Some(s) => format!("{}:{}:{}", s.file.display(), s.line, s.col),
            None => String::new(),
        }
    }
}

/// A list of diagnostics with the texts they point into, so code frames can be printed.
#[derive(Debug, Default, Clone)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    pub fn push(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }
    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.diagnostics.extend(ds);
    }
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }
    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }
    pub fn has_errors(&self) -> bool {
        self.errors() > 0
    }
    /// Stable order: by file, line, column, then code.
    pub fn sort(&mut self) {
        self.diagnostics.sort_by(|a, b| {
            (a.span.as_ref(), a.code, &a.message).cmp(&(b.span.as_ref(), b.code, &b.message))
        });
        self.diagnostics.dedup();
    }
}

/// Source texts by file path, used for code frames. Each text keeps its line index, so
/// finding a diagnostic's line costs a binary search, not a scan of the file (M09).
#[derive(Debug, Default, Clone)]
pub struct Sources {
    texts: HashMap<PathBuf, (String, LineIndex)>,
}

impl Sources {
    pub fn insert(&mut self, file: impl Into<PathBuf>, text: impl Into<String>) {
        let text = text.into();
        let index = LineIndex::new(&text);
        self.texts.insert(file.into(), (text, index));
    }
    pub fn text(&self, file: &Path) -> Option<&str> {
        self.texts.get(file).map(|(t, _)| t.as_str())
    }
    pub fn line(&self, file: &Path, line: usize) -> Option<&str> {
        let (text, index) = self.texts.get(file)?;
        index.line_text(text, line)
    }
}

/// Code frames show at most this many characters of a line (a 1 MB line is not shown whole).
const MAX_FRAME_CHARS: usize = 300;

/// Text safe to print on a terminal: control characters (ESC, BEL, C1 …) other than newline
/// and tab are shown as `\u{1b}` instead of being sent raw, so a chapter or an argument
/// cannot retitle the window or move the cursor (L06).
pub fn terminal_safe(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(is_unsafe_control) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unsafe_control(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

fn is_unsafe_control(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

/// rustc-style rendering:
/// ```text
/// error[K8S001]: unknown field "comand"
///   --> book/06-basics.md:40:11
///    |
/// 40 |           comand: ["sh"]
///    |           ^ did you mean `command`?
/// ```
pub fn render_human(d: &Diagnostic, sources: &Sources, color: bool) -> String {
    let (c_lvl, c_blue, c_bold, c_reset) = if color {
        let lvl = if d.is_error() {
            "\x1b[1;31m"
        } else {
            "\x1b[1;33m"
        };
        (lvl, "\x1b[1;34m", "\x1b[1m", "\x1b[0m")
    } else {
        ("", "", "", "")
    };
    let level = match d.level {
        Level::Error => "error",
        Level::Warning => "warning",
    };
    let mut out = format!(
        "{c_lvl}{level}[{}]{c_reset}{c_bold}: {}{c_reset}\n",
        d.code,
        terminal_safe(&d.message)
    );
    if let Some(span) = &d.span {
        let gutter = span.line.to_string().len();
        let pad = " ".repeat(gutter);
        let _ = writeln!(out, "{pad}{c_blue}-->{c_reset} {}", d.location());
        if let Some(text) = sources.line(&span.file, span.line) {
            let shown: String = text.chars().take(MAX_FRAME_CHARS).collect();
            let text = terminal_safe(&shown).replace('\t', " ");
            let caret_pad: String = text
                .chars()
                .take(span.col.saturating_sub(1))
                .map(|c| if c.is_whitespace() { c } else { ' ' })
                .collect();
            let _ = writeln!(out, "{pad} {c_blue}|{c_reset}");
            let _ = writeln!(out, "{c_blue}{} |{c_reset} {text}", span.line);
            let label = terminal_safe(d.hint.as_deref().unwrap_or("")).into_owned();
            let _ = writeln!(
                out,
                "{pad} {c_blue}|{c_reset} {caret_pad}{c_lvl}^ {label}{c_reset}"
            );
            if let Some(path) = &d.path {
                let _ = writeln!(out, "{pad} {c_blue}={c_reset} at `{path}`");
            }
            return out;
        }
    }
    if let Some(path) = &d.path {
        let _ = writeln!(out, "  = at `{path}`");
    }
    if let Some(hint) = &d.hint {
        let _ = writeln!(out, "  = hint: {}", terminal_safe(hint));
    }
    out
}

pub fn render_json(report: &Report) -> String {
    #[derive(Serialize)]
    struct Out<'a> {
        errors: usize,
        warnings: usize,
        diagnostics: Vec<JsonDiag<'a>>,
    }
    #[derive(Serialize)]
    struct JsonDiag<'a> {
        #[serde(flatten)]
        d: &'a Diagnostic,
        #[serde(skip_serializing_if = "Option::is_none")]
        file: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        line: Option<usize>,
        #[serde(skip_serializing_if = "Option::is_none")]
        col: Option<usize>,
    }
    let out = Out {
        errors: report.errors(),
        warnings: report.warnings(),
        diagnostics: report
            .diagnostics
            .iter()
            .map(|d| JsonDiag {
                d,
                file: d.span.as_ref().map(|s| s.file.display().to_string()),
                line: d.span.as_ref().map(|s| s.line),
                col: d.span.as_ref().map(|s| s.col),
            })
            .collect(),
    };
    serde_json::to_string_pretty(&out).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

/// GitHub Actions workflow commands; `%`, CR and LF are escaped as the runner expects.
pub fn render_github(report: &Report) -> String {
    fn esc(s: &str) -> String {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    }
    fn esc_prop(s: &str) -> String {
        esc(s).replace(':', "%3A").replace(',', "%2C")
    }
    let mut out = String::new();
    for d in &report.diagnostics {
        let kind = if d.is_error() { "error" } else { "warning" };
        let mut msg = format!("[{}] {}", d.code, d.message);
        if let Some(h) = &d.hint {
            msg.push_str(&format!(" (hint: {h})"));
        }
        match &d.span {
            Some(s) => {
                let _ = writeln!(
                    out,
                    "::{kind} file={},line={},col={},title={}::{}",
                    esc_prop(&s.file.display().to_string()),
                    s.line,
                    s.col,
                    esc_prop(d.code),
                    esc(&msg)
                );
            }
            None => {
                let _ = writeln!(out, "::{kind} title={}::{}", esc_prop(d.code), esc(&msg));
            }
        }
    }
    out
}

/// A JUnit test case for one checked unit (a chapter, a resource) from the diagnostics that
/// belong to it: each error is a `<failure>`, the warnings are its `<system-out>`.
pub(crate) fn junit_case(name: impl Into<String>, ds: &[&Diagnostic]) -> crate::xml::Case {
    use crate::xml::{Case, Failure, Outcome};
    let failures: Vec<Failure> = ds
        .iter()
        .filter(|d| d.is_error())
        .map(|d| Failure {
            kind: Some(d.code.to_string()),
            message: d.message.clone(),
            detail: format!("{} {}", d.location(), d.hint.as_deref().unwrap_or("")),
        })
        .collect();
    let warnings: Vec<String> = ds
        .iter()
        .filter(|d| !d.is_error())
        .map(|d| format!("warning[{}] {} {}", d.code, d.location(), d.message))
        .collect();
    let outcome = if failures.is_empty() {
        Outcome::Passed
    } else {
        Outcome::Failed(failures)
    };
    let mut case = Case::new(name, outcome);
    case.output = (!warnings.is_empty()).then(|| warnings.join("\n"));
    case
}

/// Maps byte offsets in a text to 1-based line and character column.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }
    /// Line `line` (1-based) of `text`, without its line ending.
    pub fn line_text<'t>(&self, text: &'t str, line: usize) -> Option<&'t str> {
        let start = *self.starts.get(line.checked_sub(1)?)?;
        let end = self.starts.get(line).map_or(text.len(), |&e| e - 1);
        if start >= text.len() {
            return None;
        }
        let l = text.get(start..end.max(start))?;
        Some(l.strip_suffix('\r').unwrap_or(l))
    }
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.starts[line];
        let col = text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(0);
        (line + 1, col + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::codes;

    #[test]
    fn human_rendering_has_frame_and_caret() {
        let mut s = Sources::default();
        s.insert("a.md", "one\n  comand: x\n");
        let d = Diagnostic::error(codes::K8S001, "unknown field \"comand\"")
            .at(Span::new("a.md", 2, 3))
            .with_hint("did you mean `command`?");
        let out = render_human(&d, &s, false);
        assert!(
            out.contains("error[K8S001]: unknown field \"comand\""),
            "{out}"
        );
        assert!(out.contains("--> a.md:2:3"), "{out}");
        assert!(out.contains("2 |   comand: x"), "{out}");
        assert!(out.contains("  |   ^ did you mean `command`?"), "{out}");
    }

    #[test]
    fn github_escapes_newlines_and_commas() {
        let mut r = Report::default();
        r.push(Diagnostic::warning(codes::LINT005, "a\nb").at(Span::new("x,y.md", 3, 4)));
        let out = render_github(&r);
        assert_eq!(
            out,
            "::warning file=x%2Cy.md,line=3,col=4,title=LINT005::[LINT005] a%0Ab\n"
        );
    }

    #[test]
    fn line_text_matches_lines() {
        for t in ["", "a", "a\n", "a\nb", "a\r\nb\r\n", "\n\n", "x\ny\n\nz"] {
            let li = LineIndex::new(t);
            for (i, want) in t.lines().enumerate() {
                assert_eq!(li.line_text(t, i + 1), Some(want), "{t:?} line {}", i + 1);
            }
            assert_eq!(li.line_text(t, t.lines().count() + 1), None, "{t:?}");
            assert_eq!(li.line_text(t, 0), None);
        }
    }

    #[test]
    fn l06_control_characters_are_escaped_for_terminals() {
        assert_eq!(
            terminal_safe("x\u{1b}]0;pwned\u{7}"),
            "x\\u{1b}]0;pwned\\u{7}"
        );
        assert_eq!(terminal_safe("tab\tand\nnewline"), "tab\tand\nnewline");
        let mut s = Sources::default();
        s.insert("a.md", "evil \u{1b}[2J line\n");
        let d = Diagnostic::error(codes::MD001, "bad \u{9b}").at(Span::new("a.md", 1, 1));
        let out = render_human(&d, &s, false);
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{9b}'),
            "{out:?}"
        );
    }

    #[test]
    fn line_index_counts_chars() {
        let t = "ab\nçd\n";
        let li = LineIndex::new(t);
        assert_eq!(li.line_col(t, 0), (1, 1));
        assert_eq!(li.line_col(t, 3), (2, 1));
        assert_eq!(li.line_col(t, 5), (2, 2));
        assert_eq!(li.line_col(t, 999), (3, 1));
    }
}
