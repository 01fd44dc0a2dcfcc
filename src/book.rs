//! Loading the book: book.toml, chapter discovery (`book/NN-slug.md`), front matter.

use crate::config::Config;
use crate::diag::codes;
use crate::diag::{Diagnostic, Report, Sources, Span};
use crate::project::{Project, paths};
use crate::validate::yaml::{self, Document};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Chapters larger than this are refused: a book chapter is never this big, a stray binary is.
const MAX_CHAPTER_BYTES: u64 = 8 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct Chapter {
    /// NN from the file name.
    pub number: u32,
    /// `06-kubernetes-basics`
    pub stem: String,
    /// `06-kubernetes-basics.md`
    pub file_name: String,
    /// Path shown in diagnostics, relative to the project root: `book/06-kubernetes-basics.md`.
    pub rel_path: PathBuf,
    pub source: String,
    /// Byte offset where the Markdown body starts (after front matter).
    pub body_offset: usize,
    pub title: String,
    pub part: Option<String>,
    pub description: String,
}

impl Chapter {
    pub fn html_name(&self) -> String {
        format!("{}.html", self.stem)
    }
    pub fn body(&self) -> &str {
        &self.source[self.body_offset..]
    }
}

#[derive(Debug, Clone)]
pub struct Book {
    pub root: PathBuf,
    pub config: Config,
    pub chapters: Vec<Chapter>,
    pub sources: Sources,
    /// Warnings found while loading (e.g. BOOK007), for the pipeline's report.
    pub warnings: Vec<Diagnostic>,
}

/// Load book.toml and every chapter. Problems are collected, not fatal one by one, so an
/// author sees all of them at once; `Err` carries the report when anything is an error.
pub fn load(root: &Path) -> Result<Book, Report> {
    let mut report = Report::default();
    let mut sources = Sources::default();
    let project = Project::new(root);
    let cfg_rel = PathBuf::from(paths::BOOK_TOML);
    let config = match crate::fsx::read_input(root, &project.book_toml()) {
        Ok(t) => {
            sources.insert(&cfg_rel, t.clone());
            match Config::parse(&t, &cfg_rel) {
                Ok(c) => Some(c),
                Err(d) => {
                    report.push(d);
                    None
                }
            }
        }
        Err(e) => {
            let hint = if e == crate::fsx::InputError::NotFound {
                "run kubebook in the directory that holds book/, or pass it as ROOT"
            } else {
                "book/book.toml must be a regular file inside the project"
            };
            report.push(
                Diagnostic::error(
                    codes::CFG000,
                    format!("cannot read {}: {e}", project.book_toml().display()),
                )
                .with_hint(hint),
            );
            None
        }
    };
    let chapters = discover(root, &mut report, &mut sources);
    if chapters.is_empty() && !report.has_errors() {
        report.push(
            Diagnostic::error(codes::BOOK001, "the book has no chapters")
                .with_hint("add book/01-introduction.md (files are named NN-slug.md)"),
        );
    }
    match config {
        Some(config) if !report.has_errors() => Ok(Book {
            root: root.to_path_buf(),
            config,
            chapters,
            sources,
            warnings: report.diagnostics,
        }),
        _ => {
            report.sort();
            Err(report)
        }
    }
}

/// Parse `NN-slug.md` into (NN, stem).
pub fn parse_chapter_name(name: &str) -> Option<(u32, &str)> {
    let stem = name.strip_suffix(".md")?;
    let (num, slug) = stem.split_once('-')?;
    if num.is_empty() || num.len() > 4 || !num.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if slug.is_empty()
        || !slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return None;
    }
    Some((num.parse().ok()?, stem))
}

fn discover(root: &Path, report: &mut Report, sources: &mut Sources) -> Vec<Chapter> {
    let book_dir = Project::new(root).book_dir();
    let mut by_number: BTreeMap<u32, Chapter> = BTreeMap::new();
    let walker = walkdir::WalkDir::new(&book_dir)
        .min_depth(1)
        .max_depth(1)
        .sort_by_file_name();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                report.push(Diagnostic::error(
                    codes::BOOK002,
                    format!("cannot list book/: {e}"),
                ));
                continue;
            }
        };
        let name = entry.file_name().to_string_lossy().to_string();
        let regular = entry.file_type().is_file();
        if !name.ends_with(".md") || (!regular && parse_chapter_name(&name).is_none()) {
            continue;
        }
        let rel = PathBuf::from("book").join(&name);
        let Some((number, stem)) = parse_chapter_name(&name) else {
            report.push(
                Diagnostic::error(
                    codes::BOOK003,
                    format!("`{name}` is not a chapter name"),
                )
                .at(Span::new(&rel, 1, 1))
                .with_hint("name chapters NN-slug.md: digits, a dash, lower-case letters, digits and dashes (e.g. 06-kubernetes-basics.md)"),
            );
            continue;
        };
        let Some(source) = read_chapter(root, entry.path(), &name, &rel, report) else {
            continue;
        };
        sources.insert(&rel, source.clone());
        match chapter_from_source(&name, number, stem, source) {
            Ok(ch) => {
                if let Some(prev) = by_number.get(&number) {
                    report.push(
                        Diagnostic::error(
                            codes::BOOK006,
                            format!(
                                "chapter number {number:02} is used twice: {} and {name}",
                                prev.file_name
                            ),
                        )
                        .at(Span::new(&rel, 1, 1))
                        .with_hint("give every chapter its own NN"),
                    );
                } else {
                    by_number.insert(number, ch);
                }
            }
            Err(d) => report.push(d),
        }
    }
    by_number.into_values().collect()
}

/// A lone CR ends a line for CommonMark and for YAML, but not for `str::lines` and the line
/// index of diagnostics: made an LF (same length, so offsets hold), every part of kubebook
/// counts the same lines. CRLF is left as it is. (Found by fuzzing the front matter: an error
/// was reported on line 7 of a 6-line file.)
pub fn lone_cr_to_lf(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    let mut bytes = text.into_bytes();
    for i in 0..bytes.len() {
        if bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
            bytes[i] = b'\n';
        }
    }
    // Only ASCII bytes changed, so the text is still UTF-8.
    String::from_utf8(bytes).unwrap_or_default()
}

/// A chapter's text under the input rule ([`crate::fsx`]); problems become diagnostics.
fn read_chapter(
    root: &Path,
    path: &Path,
    name: &str,
    rel: &Path,
    report: &mut Report,
) -> Option<String> {
    use crate::fsx::InputError;
    let bytes = match crate::fsx::read_input_bytes(root, path, MAX_CHAPTER_BYTES) {
        Ok(b) => b,
        Err(InputError::TooLarge(_)) => {
            report.push(
                Diagnostic::error(codes::BOOK004, format!("{name} is larger than 8 MiB"))
                    .at(Span::new(rel, 1, 1))
                    .with_hint("split the chapter"),
            );
            return None;
        }
        Err(e @ (InputError::NotRegular(_) | InputError::OutsideProject(_))) => {
            report.push(
                Diagnostic::warning(codes::BOOK007, format!("{name} is skipped: {e}"))
                    .at(Span::new(rel, 1, 1))
                    .with_hint("a chapter is a regular file in book/ (a link must stay inside the project)"),
            );
            return None;
        }
        Err(e) => {
            report.push(
                Diagnostic::error(codes::BOOK002, format!("cannot read {name}: {e}"))
                    .at(Span::new(rel, 1, 1)),
            );
            return None;
        }
    };
    match String::from_utf8(bytes) {
        Ok(s) => Some(lone_cr_to_lf(s)),
        Err(e) => {
            let off = e.utf8_error().valid_up_to();
            let valid = &e.as_bytes()[..off];
            let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
            report.push(
                Diagnostic::error(codes::BOOK005, format!("{name} is not valid UTF-8"))
                    .at(Span::new(rel, line, 1))
                    .with_hint("save the file as UTF-8"),
            );
            None
        }
    }
}

/// A chapter from its file name (`NN-slug.md`) and text: front matter read, body located.
pub fn parse_chapter(file_name: &str, source: String) -> Result<Chapter, Diagnostic> {
    let (number, stem) = parse_chapter_name(file_name).ok_or_else(|| {
        Diagnostic::error(
            codes::BOOK003,
            format!("`{file_name}` is not a chapter name"),
        )
    })?;
    let stem = stem.to_string();
    chapter_from_source(file_name, number, &stem, source)
}

fn chapter_from_source(
    file_name: &str,
    number: u32,
    stem: &str,
    source: String,
) -> Result<Chapter, Diagnostic> {
    let rel = PathBuf::from("book").join(file_name);
    let source = lone_cr_to_lf(source);
    let (fm, body_offset) = front_matter(&source, &rel)?;
    Ok(Chapter {
        number,
        stem: stem.to_string(),
        file_name: file_name.to_string(),
        rel_path: rel,
        source,
        body_offset,
        title: fm.title,
        part: fm.part,
        description: fm.description,
    })
}

#[derive(Debug, Default)]
struct FrontMatter {
    title: String,
    part: Option<String>,
    description: String,
}

/// Split off and read the `---` front matter. Returns it and the body's byte offset.
fn front_matter(source: &str, rel: &Path) -> Result<(FrontMatter, usize), Diagnostic> {
    let src = source.strip_prefix('\u{feff}').unwrap_or(source);
    let bom = source.len() - src.len();
    let (yaml_text, body_start) = front_matter_block(src, rel)?;
    // YAML line 1 is file line 2.
    const LINE_OFFSET: usize = 1;
    let docs = yaml::parse_documents(yaml_text).map_err(|e| {
        fm_error(
            rel,
            e.pos.line + LINE_OFFSET,
            e.pos.col,
            format!("front matter is not valid YAML: {}", e.message),
            "front matter is YAML: `key: value` per line",
        )
    })?;
    let Some(node) = docs.first() else {
        return Err(fm_error(
            rel,
            2,
            1,
            "the front matter is empty".into(),
            "add `title: …`",
        ));
    };
    let doc = Document::new(node.clone());
    let Some(obj) = doc.value.as_object() else {
        return Err(fm_error(
            rel,
            doc.start.line + LINE_OFFSET,
            doc.start.col,
            "front matter must be a mapping of keys to values".into(),
            "write `title: …` on its own line",
        ));
    };
    let mut fm = FrontMatter::default();
    for (k, v) in obj {
        let ptr = format!("/{}", yaml::escape_pointer(k));
        let at = |p: yaml::Pos| (p.line + LINE_OFFSET, p.col);
        front_matter_key(&mut fm, k, v, at(doc.key_pos(&ptr)), at(doc.pos(&ptr)), rel)?;
    }
    if fm.title.is_empty() {
        return Err(fm_error(
            rel,
            2,
            1,
            "the front matter has no title".into(),
            "add `title: Chapter title`",
        ));
    }
    Ok((fm, bom + body_start))
}

fn fm_error(rel: &Path, line: usize, col: usize, msg: String, hint: &str) -> Diagnostic {
    Diagnostic::error(codes::FM001, msg)
        .at(Span::new(rel, line, col))
        .with_hint(hint.to_string())
}

/// The YAML between the opening `---` line and the closing `---` (or `...`) line, and where
/// the body starts after it.
fn front_matter_block<'s>(src: &'s str, rel: &Path) -> Result<(&'s str, usize), Diagnostic> {
    let first_end = src.find('\n').unwrap_or(src.len());
    if src[..first_end].trim_end() != "---" {
        return Err(fm_error(
            rel,
            1,
            1,
            "the chapter has no front matter".into(),
            "start the file with a block like:\n---\ntitle: Chapter title\n---",
        ));
    }
    let after = (first_end + 1).min(src.len());
    let mut pos = after;
    for line in src[after..].split_inclusive('\n') {
        if line.trim_end() == "---" || line.trim_end() == "..." {
            return Ok((&src[after..pos], pos + line.len()));
        }
        pos += line.len();
    }
    Err(fm_error(
        rel,
        1,
        1,
        "the front matter is never closed".into(),
        "end the front matter with a line holding only ---",
    ))
}

/// One `key: value` of the front matter, at (line, column) `key_at` and `value_at`.
fn front_matter_key(
    fm: &mut FrontMatter,
    k: &str,
    v: &serde_json::Value,
    key_at: (usize, usize),
    value_at: (usize, usize),
    rel: &Path,
) -> Result<(), Diagnostic> {
    let text = match v {
        serde_json::Value::String(s) => s.trim().to_string(),
        serde_json::Value::Number(n) => n.to_string(),
        _ => {
            return Err(fm_error(
                rel,
                value_at.0,
                value_at.1,
                format!("front matter `{k}` must be text"),
                "quote the value",
            ));
        }
    };
    match k {
        "title" => fm.title = text,
        "part" => fm.part = Some(text).filter(|t| !t.is_empty()),
        "description" => fm.description = text,
        _ => {
            return Err(fm_error(
                rel,
                key_at.0,
                key_at.1,
                format!("unknown front matter key `{k}`"),
                "allowed keys: title, part, description",
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fm(s: &str) -> Result<(FrontMatter, usize), Diagnostic> {
        front_matter(s, Path::new("book/01-a.md"))
    }

    #[test]
    fn names() {
        assert_eq!(
            parse_chapter_name("06-kubernetes-basics.md"),
            Some((6, "06-kubernetes-basics"))
        );
        assert_eq!(parse_chapter_name("6-x.md"), Some((6, "6-x")));
        assert_eq!(parse_chapter_name("README.md"), None);
        assert_eq!(parse_chapter_name("06-Bad Name.md"), None);
        assert_eq!(parse_chapter_name("99999-x.md"), None);
    }

    #[test]
    fn reads_front_matter() {
        let (f, off) = fm("---\ntitle: A\npart: P\ndescription: D\n---\nbody\n").unwrap();
        assert_eq!(f.title, "A");
        assert_eq!(f.part.as_deref(), Some("P"));
        assert_eq!(
            &"---\ntitle: A\npart: P\ndescription: D\n---\nbody\n"[off..],
            "body\n"
        );
    }

    #[test]
    fn fuzz_lone_cr_counts_as_a_line_break_everywhere() {
        // The crash cargo-fuzz found (tests/fuzz-corpus/front-matter/crash-bom-and-cr.txt):
        // YAML counted a lone CR as a line break, the file's line index did not.
        let c = parse_chapter("01-a.md", "---\rtitle: A\r---\rBody\r".into()).unwrap();
        assert_eq!(c.title, "A");
        assert_eq!(c.body(), "Body\n");
        let e = parse_chapter("01-a.md", "---\ntitle: A\rx: [\n---\n".into()).unwrap_err();
        assert_eq!(e.location(), "book/01-a.md:3:4", "{}", e.message);
        assert_eq!(lone_cr_to_lf("a\r\nb\rc".into()), "a\r\nb\nc");
    }

    #[test]
    fn errors_have_positions() {
        let e = fm("no front matter\n").unwrap_err();
        assert_eq!(e.location(), "book/01-a.md:1:1");
        let e = fm("---\ntitle: A\ntitel: B\n---\n").unwrap_err();
        assert_eq!(e.location(), "book/01-a.md:3:1");
        assert!(e.message.contains("titel"));
        let e = fm("---\ndescription: x\n---\n").unwrap_err();
        assert!(e.message.contains("no title"));
        let e = fm("---\ntitle: [a\n---\n").unwrap_err();
        assert!(e.message.contains("not valid YAML"), "{}", e.message);
        assert_eq!(e.span.unwrap().line, 2);
        let e = fm("---\ntitle: A\n").unwrap_err();
        assert!(e.message.contains("never closed"));
        let e = fm("---\ntitle: {a: b}\n---\n").unwrap_err();
        assert_eq!(e.location(), "book/01-a.md:2:8");
    }
}
