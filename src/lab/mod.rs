//! The lab model: a lab is the run of code blocks in one chapter that share `lab=ID`.
//! The site, `check` and the cluster runner all read this model.

pub mod attributes;
pub mod columns;
pub mod console;
pub mod export;
pub mod fence;
pub mod matcher;
pub mod requirements;
pub mod runtime;
pub mod safety;

use crate::diag::codes;
use crate::diag::{Diagnostic, Span};
use attributes::Scope;
use console::Step;
use fence::Info;
use serde::Serialize;
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

/// A fenced code block as found in a chapter, with where it stands.
#[derive(Debug, Clone)]
pub struct CodeBlock {
    pub info: Info,
    /// The raw info string (for diagnostics).
    pub info_raw: String,
    pub content: String,
    pub file: PathBuf,
    /// 1-based line of the opening fence.
    pub fence_line: usize,
    /// 1-based column of the opening fence (container indentation + 1).
    pub fence_col: usize,
    /// Columns of container indentation stripped from each content line.
    pub indent: usize,
}

impl CodeBlock {
    /// 1-based line of the block's first content line.
    pub fn content_line(&self) -> usize {
        self.fence_line + 1
    }
    /// Span of a position inside the block content (1-based line and column there).
    pub fn span_in(&self, line: usize, col: usize) -> Span {
        Span::new(
            &self.file,
            self.content_line() + line - 1,
            col + self.indent,
        )
    }
    /// Span of an attribute in the info string.
    pub fn attr_span(&self, key: &str) -> Span {
        self.info_span(self.info.get(key).map(|a| a.col).unwrap_or(0))
    }
    /// Span of a character offset in the info string.
    pub fn info_span(&self, offset: usize) -> Span {
        Span::new(
            &self.file,
            self.fence_line,
            info_column(self.fence_col, offset),
        )
    }
}

/// Column of a character of a fence's info string: the info starts after the three
/// backticks of the opening fence.
pub fn info_column(fence_col: usize, offset: usize) -> usize {
    fence_col + 3 + offset
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum BlockKind {
    /// A `console` block: commands to run.
    Console { steps: Vec<Step> },
    /// A file written to the lab's working directory (`file=NAME`).
    File { name: String },
    /// Shown only (e.g. a fragment); not part of the run.
    Snippet,
}

#[derive(Debug, Clone, Serialize)]
pub struct LabBlock {
    pub lang: String,
    pub kind: BlockKind,
    pub content: String,
    pub hidden: bool,
    /// `needs-kind="why"`: the block's steps need a container runtime for a reason the
    /// commands do not show (a Pod expected to crash, an image pull that must fail); on the
    /// control plane they are reported needs-kind, not run.
    pub needs_kind: Option<String>,
    /// `retry`: every step is re-run until it matches or the block's time is up, also steps
    /// that change things (an apply a webhook or policy may still refuse for a moment).
    pub retry: bool,
    #[serde(skip)]
    pub timeout: Duration,
    /// Markdown line of the block's first content line.
    pub line: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Lab {
    pub id: String,
    pub chapter: String,
    pub chapter_number: u32,
    pub title: String,
    pub requires: Vec<String>,
    pub skip_ci: Option<String>,
    pub serial: bool,
    pub file: PathBuf,
    pub line: usize,
    pub blocks: Vec<LabBlock>,
}

impl Lab {
    pub fn files(&self) -> impl Iterator<Item = (&str, &LabBlock)> {
        self.blocks.iter().filter_map(|b| match &b.kind {
            BlockKind::File { name } => Some((name.as_str(), b)),
            _ => None,
        })
    }
    pub fn steps(&self) -> impl Iterator<Item = (&LabBlock, &Step)> {
        self.blocks.iter().flat_map(|b| match &b.kind {
            BlockKind::Console { steps } => steps.iter().map(move |s| (b, s)).collect::<Vec<_>>(),
            _ => Vec::new(),
        })
    }
    /// A fingerprint of what a run executes: requirements, files, steps and their expected
    /// output. A record of a run holds it, so a lab edited since its run is not shown as
    /// verified (prose around the blocks may change freely).
    pub fn digest(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        for r in &self.requires {
            h.update(r.as_bytes());
            h.update([0]);
        }
        for b in self
            .blocks
            .iter()
            .filter(|b| !matches!(b.kind, BlockKind::Snippet))
        {
            if let BlockKind::File { name } = &b.kind {
                h.update(name.as_bytes());
            }
            h.update([1]);
            h.update(b.content.as_bytes());
            h.update([2, u8::from(b.retry), u8::from(b.needs_kind.is_some())]);
        }
        h.finalize()[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// Labs that need no cluster (`requires=host`).
    pub fn host_only(&self) -> bool {
        self.requires.iter().any(|r| r == "host")
    }
}

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
const MAX_TIMEOUT: Duration = Duration::from_secs(3600);

pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 63
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

/// A file name must stay inside the lab directory: relative, no `..`, no backslashes.
/// Files `kubebook labs export` writes beside a lab's own files; a lab cannot use them (L07).
pub const EXPORT_FILES: &[&str] = &["run.sh", "README.txt"];

pub fn safe_file_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 200
        && !name.starts_with('/')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
        && name
            .split('/')
            .all(|seg| !seg.is_empty() && !seg.starts_with('.'))
}

pub fn parse_timeout(v: &str) -> Option<Duration> {
    let (num, mult) = if let Some(n) = v.strip_suffix("ms") {
        (n, 0.001)
    } else if let Some(n) = v.strip_suffix('s') {
        (n, 1.0)
    } else if let Some(n) = v.strip_suffix('m') {
        (n, 60.0)
    } else {
        (v, 1.0)
    };
    let n: f64 = num.parse().ok()?;
    (n.is_finite() && n > 0.0)
        .then(|| Duration::from_secs_f64(n * mult))
        .filter(|d| *d <= MAX_TIMEOUT)
}

/// Per-chapter input to `collect`.
pub struct ChapterBlocks<'a> {
    pub stem: &'a str,
    pub number: u32,
    pub blocks: &'a [CodeBlock],
}

/// Build the labs of the book from the code blocks of every chapter, reporting structural
/// problems (LAB001…).
pub fn collect(chapters: &[ChapterBlocks]) -> (Vec<Lab>, Vec<Diagnostic>) {
    let mut c = Collector::default();
    for ch in chapters {
        for b in ch.blocks {
            c.block(ch, b);
        }
    }
    (c.labs, c.diags)
}

/// The labs found so far, while `collect` walks the blocks in book order.
#[derive(Default)]
struct Collector {
    diags: Vec<Diagnostic>,
    labs: Vec<Lab>,
    /// Lab id → its index in `labs`.
    index: HashMap<String, usize>,
    /// (lab index, file name) of every file seen: a set, so a lab of many files stays linear.
    file_names: std::collections::HashSet<(usize, String)>,
}

impl Collector {
    fn error(
        &mut self,
        code: &'static str,
        message: impl Into<String>,
        at: Span,
        hint: impl Into<String>,
    ) {
        self.diags
            .push(Diagnostic::error(code, message).at(at).with_hint(hint));
    }

    /// One code block: a block of a lab joins it (or starts it); any other block only has
    /// its attributes checked.
    fn block(&mut self, ch: &ChapterBlocks, b: &CodeBlock) {
        let info = &b.info;
        if let Err(e) = fence::check_known(info) {
            let names: Vec<&str> = attributes::names().collect();
            self.error(
                codes::LAB001,
                e.message,
                b.info_span(e.col),
                format!("attributes: {}", names.join(", ")),
            );
            return;
        }
        let Some(id) = info.value("lab") else {
            self.outside_lab(b);
            return;
        };
        if !valid_id(id) {
            self.error(
                codes::LAB003,
                format!("lab id `{id}` is not valid"),
                b.attr_span("lab"),
                "use lower-case letters, digits and dashes, at most 63 characters (e.g. ch06-first-pod)",
            );
            return;
        }
        let Some(lab) = self.lab_of(ch, b, id) else {
            return;
        };
        let timeout = self.timeout(b);
        let kind = if info.lang == "console" {
            self.console(b, lab)
        } else if let Some(name) = info.value("file") {
            self.file(b, lab, id, name)
        } else {
            Some(BlockKind::Snippet)
        };
        let Some(kind) = kind else { return };
        self.labs[lab].blocks.push(LabBlock {
            lang: info.lang.clone(),
            kind,
            content: b.content.clone(),
            hidden: info.has("hidden"),
            needs_kind: info.value("needs-kind").map(str::to_string),
            retry: info.has("retry"),
            timeout,
            line: b.content_line(),
        });
    }

    /// A block without `lab=` may carry only the attributes of any block (LAB002).
    fn outside_lab(&mut self, b: &CodeBlock) {
        for a in attributes::ATTRIBUTES
            .iter()
            .filter(|a| a.scope != Scope::AnyBlock)
        {
            if b.info.has(a.name) {
                self.error(
                    codes::LAB002,
                    format!("`{}` is only meaningful on a lab block", a.name),
                    b.attr_span(a.name),
                    "add lab=ID to the block, or remove the attribute",
                );
            }
        }
    }

    /// The index of lab `id`: the lab a later block joins, or a new one its first block
    /// starts. `None` when the id belongs to another chapter (LAB004).
    fn lab_of(&mut self, ch: &ChapterBlocks, b: &CodeBlock, id: &str) -> Option<usize> {
        let Some(&i) = self.index.get(id) else {
            return Some(self.start_lab(ch, b, id));
        };
        if self.labs[i].chapter != ch.stem {
            let first = self.labs[i].file.display().to_string();
            self.error(
                codes::LAB004,
                format!("lab id `{id}` is already used in {first}"),
                b.attr_span("lab"),
                "lab ids are unique in the book; prefix them with the chapter (chNN-…)",
            );
            return None;
        }
        // What describes the lab as a whole is read from its first block only (LAB005).
        let first_line = self.labs[i].line;
        for a in attributes::in_scope(Scope::Lab) {
            if b.info.has(a.name) {
                self.error(
                    codes::LAB005,
                    format!("`{}` belongs on the lab's first block", a.name),
                    b.attr_span(a.name),
                    format!("move it to the first block of lab `{id}` (line {first_line})"),
                );
            }
        }
        Some(i)
    }

    /// A new lab from its first block.
    fn start_lab(&mut self, ch: &ChapterBlocks, b: &CodeBlock, id: &str) -> usize {
        let info = &b.info;
        let requires = self.requirements(b);
        self.labs.push(Lab {
            id: id.to_string(),
            chapter: ch.stem.to_string(),
            chapter_number: ch.number,
            title: info.value("title").unwrap_or(id).to_string(),
            requires,
            skip_ci: info.value("skip-ci").map(str::to_string),
            serial: info.has("serial"),
            file: b.file.clone(),
            line: b.fence_line,
            blocks: Vec::new(),
        });
        self.index.insert(id.to_string(), self.labs.len() - 1);
        self.labs.len() - 1
    }

    /// `requires=a,b`, each name checked against the catalogue (LAB006).
    fn requirements(&mut self, b: &CodeBlock) -> Vec<String> {
        let requires: Vec<String> = b
            .info
            .value("requires")
            .map(|r| {
                r.split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        for r in &requires {
            if requirements::find(r).is_none() {
                let known: Vec<&str> = requirements::names().collect();
                let guess = crate::suggest::closest(r, known.iter().copied())
                    .map(|s| format!("did you mean `{s}`? "))
                    .unwrap_or_default();
                self.error(
                    codes::LAB006,
                    format!("unknown requirement `{r}`"),
                    b.attr_span("requires"),
                    format!("{guess}known requirements: {}", known.join(", ")),
                );
            }
        }
        requires
    }

    /// `timeout=`, or the default when it is absent or malformed (LAB007).
    fn timeout(&mut self, b: &CodeBlock) -> Duration {
        let Some(v) = b.info.value("timeout") else {
            return DEFAULT_TIMEOUT;
        };
        parse_timeout(v).unwrap_or_else(|| {
            self.error(
                codes::LAB007,
                format!("timeout `{v}` is not a duration"),
                b.attr_span("timeout"),
                "write e.g. timeout=90s or timeout=5m (at most 60m)",
            );
            DEFAULT_TIMEOUT
        })
    }

    /// A console block's steps, each checked against what the runner refuses (LAB014).
    /// `None` when the block does not parse (LAB009).
    fn console(&mut self, b: &CodeBlock, lab: usize) -> Option<BlockKind> {
        if b.info.has("file") {
            self.error(
                codes::LAB008,
                "a console block cannot be a file",
                b.attr_span("file"),
                "use a yaml/bash/… block for the file and a console block for the commands",
            );
        }
        let steps = match console::parse(&b.content) {
            Ok(steps) => steps,
            Err(e) => {
                self.error(
                    codes::LAB009,
                    format!("malformed console block: {}", e.message),
                    b.span_in(e.line + 1, 1),
                    e.hint,
                );
                return None;
            }
        };
        // skip-ci labs never run unattended, so the runner's rules do not apply.
        if self.labs[lab].skip_ci.is_none() {
            for st in &steps {
                if let Some(why) = safety::refuse(&st.command) {
                    self.error(
                        codes::LAB014,
                        format!("`kubebook labs run` refuses this command: {why}"),
                        b.span_in(st.line + 1, 1),
                        "labs run in a namespace of their own on a throw-away cluster; clean up what the lab created instead",
                    );
                }
            }
        }
        Some(BlockKind::Console { steps })
    }

    /// A file of the lab: a safe, unreserved name not used before in the lab (LAB010,
    /// LAB011). `None` when the name is refused.
    fn file(&mut self, b: &CodeBlock, lab: usize, id: &str, name: &str) -> Option<BlockKind> {
        let at = b.attr_span("file");
        if !safe_file_name(name) {
            self.error(
                codes::LAB010,
                format!("file name `{name}` is not allowed"),
                at,
                "use a relative name inside the lab directory: letters, digits, - _ . and /; no `..`, no leading /",
            );
            return None;
        }
        if EXPORT_FILES.contains(&name) {
            self.error(
                codes::LAB010,
                format!("file name `{name}` is reserved"),
                at,
                "`kubebook labs export` writes the lab's run.sh and README.txt itself; name the file differently",
            );
            return None;
        }
        if !self.file_names.insert((lab, name.to_string())) {
            self.error(
                codes::LAB011,
                format!("lab `{id}` already has a file named `{name}`"),
                at,
                "file names are unique within a lab",
            );
            return None;
        }
        Some(BlockKind::File {
            name: name.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(info: &str, content: &str, line: usize) -> CodeBlock {
        CodeBlock {
            info: fence::parse(info).unwrap(),
            info_raw: info.into(),
            content: content.into(),
            file: PathBuf::from("book/01-a.md"),
            fence_line: line,
            fence_col: 1,
            indent: 0,
        }
    }

    #[test]
    fn file_names() {
        assert!(safe_file_name("pod.yaml"));
        assert!(safe_file_name("base/kustomization.yaml"));
        for bad in [
            "../x",
            "/etc/passwd",
            "a/../b",
            "a\\b",
            "",
            "C:x",
            ".hidden",
            "a//b",
            "./x",
        ] {
            assert!(!safe_file_name(bad), "{bad}");
        }
    }

    #[test]
    fn timeouts() {
        assert_eq!(parse_timeout("90s"), Some(Duration::from_secs(90)));
        assert_eq!(parse_timeout("2m"), Some(Duration::from_secs(120)));
        assert_eq!(parse_timeout("-1s"), None);
        assert_eq!(parse_timeout("99999m"), None);
        assert_eq!(parse_timeout("abc"), None);
    }

    #[test]
    fn collects_a_lab() {
        let blocks = vec![
            block(
                "yaml lab=ch01-a file=pod.yaml title=\"A lab\" requires=host",
                "kind: Pod\n",
                3,
            ),
            block(
                "console lab=ch01-a timeout=90s",
                "$ kubectl apply -f pod.yaml\npod/x created\n",
                10,
            ),
            block("yaml", "a: 1\n", 20),
        ];
        let (labs, diags) = collect(&[ChapterBlocks {
            stem: "01-a",
            number: 1,
            blocks: &blocks,
        }]);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(labs.len(), 1);
        assert_eq!(labs[0].title, "A lab");
        assert_eq!(labs[0].files().count(), 1);
        assert_eq!(labs[0].steps().count(), 1);
        assert_eq!(labs[0].blocks[1].timeout, Duration::from_secs(90));
    }

    #[test]
    fn reports_structure_errors() {
        let a = vec![block("yaml lab=dup file=a.yaml", "x: 1\n", 3)];
        let b = vec![
            block("yaml lab=dup", "x: 1\n", 3),
            block("yaml lab=b2 file=../x", "x: 1\n", 5),
            block("yaml lab=b2 file=a.yaml", "x: 1\n", 7),
            block("yaml lab=b2 file=a.yaml", "x: 1\n", 9),
            block("console lab=b2", "oops\n$ x\n", 11),
            block("yaml file=x.yaml", "x: 1\n", 15),
            block("yaml lab=Bad_Id", "x: 1\n", 17),
            block("yaml lab=b3 requires=space", "x: 1\n", 19),
            block("yaml lab=b3 fiel=x", "x: 1\n", 21),
        ];
        let (_, diags) = collect(&[
            ChapterBlocks {
                stem: "01-a",
                number: 1,
                blocks: &a,
            },
            ChapterBlocks {
                stem: "02-b",
                number: 2,
                blocks: &b,
            },
        ]);
        let codes: Vec<&str> = diags.iter().map(|d| d.code).collect();
        assert_eq!(
            codes,
            vec![
                codes::LAB004,
                codes::LAB010,
                codes::LAB011,
                codes::LAB009,
                codes::LAB002,
                codes::LAB003,
                codes::LAB006,
                codes::LAB001
            ]
        );
        assert_eq!(diags[3].location(), "book/01-a.md:12:1");
        assert_eq!(diags[0].location(), "book/01-a.md:3:9");
    }
}
