//! The build pipeline: load → render every chapter → collect labs → check links and
//! manifests → one `Output` that `site` writes and `check` reports.

use crate::book::{self, Book};
use crate::diag::codes;
use crate::diag::{Diagnostic, Report, Span};
use crate::lab::{self, ChapterBlocks, Lab};
use crate::markdown::{self, ChapterQuestions, Question, RenderContext, Rendered};
use crate::markup::Partials;
use crate::project::{Project, paths};
use crate::validate::{self, CheckStats};
use std::collections::{HashMap, HashSet};
use std::path::Path;

pub struct Output {
    pub book: Book,
    /// One per chapter, same order as `book.chapters`; directives already expanded.
    pub rendered: Vec<Rendered>,
    pub labs: Vec<Lab>,
    pub report: Report,
    pub stats: CheckStats,
    /// Lab id → "verified on …" badge of its last passing run.
    pub verified: HashMap<String, String>,
    /// Every recorded run (`labs/verified.json`), passed or failed.
    pub records: crate::verified::Records,
}

impl Output {
    /// Every interview question of the book in chapter order (summary chapters excluded:
    /// their questions are copies).
    pub fn questions(&self) -> Vec<&Question> {
        self.rendered
            .iter()
            .flat_map(|r| r.questions.iter())
            .collect()
    }
}

/// Rendered chapters kept between rebuilds (`serve`): a chapter whose source is unchanged
/// is not parsed again.
#[derive(Default)]
pub struct Cache {
    chapters: HashMap<String, (u64, Rendered)>,
    /// Highlighted code blocks: an edited chapter reuses the blocks it still has.
    highlighter: crate::markdown::Highlighter,
    /// Each lab's digest at the last run: the first guess at which records are current.
    lab_digests: Option<HashMap<String, String>>,
}

/// What a chapter's HTML depends on besides other chapters: its source and number, the
/// badges, and the theme's partials (summary chapters add the questions they show).
fn fingerprint(c: &book::Chapter, verified: &HashMap<String, String>, partials: u64) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    c.source.hash(&mut h);
    c.number.hash(&mut h);
    partials.hash(&mut h);
    let mut v: Vec<_> = verified.iter().collect();
    v.sort();
    v.hash(&mut h);
    h.finish()
}

/// Run the whole pipeline. `Err` only when the book cannot be loaded at all; otherwise the
/// report inside `Output` says whether there were errors.
pub fn run(root: &Path) -> Result<Output, Report> {
    run_cached(root, &mut Cache::default())
}

/// Every check of a build, without producing the site: chapters are read for their blocks,
/// headings and links but not highlighted or turned into HTML, so the cost is linear in the
/// book's size. `Output::rendered` holds no HTML.
pub fn check(root: &Path) -> Result<Output, Report> {
    let book = book::load(root)?;
    let mut report = Report::default();
    report.extend(book.warnings.iter().cloned());
    let records = read_verified(root, &mut report);
    check_config_links(&book, &mut report);
    let verified = HashMap::new();
    let rendered = render_all(&book, &verified, None, &mut Cache::default());
    finish(root, book, rendered, report, verified, records)
}

/// The pipeline, reusing chapters rendered by an earlier run when their source is unchanged.
pub fn run_cached(root: &Path, cache: &mut Cache) -> Result<Output, Report> {
    let book = book::load(root)?;
    let partials = Partials::load(root, &book.config.book.theme).map_err(|d| {
        let mut r = Report::default();
        r.push(d);
        r
    })?;
    let texts: Vec<&str> = book.chapters.iter().map(|c| c.source.as_str()).collect();
    cache.highlighter.warm_up(&texts);
    let mut report = Report::default();
    report.extend(book.warnings.iter().cloned());
    let records = read_verified(root, &mut report);
    check_config_links(&book, &mut report);
    // Badges come from the records, but whether a record still describes its lab (its
    // digest) is known only once the chapters are rendered and the labs collected. So render
    // with the digests of the last run (serve) or with every record (first run), and render
    // again in the rare case that guess was wrong: a lab edited since its recorded run.
    let mut verified = badges(&records, cache.lab_digests.as_ref());
    let mut rendered = render_all(&book, &verified, Some(&partials), cache);
    let digests: HashMap<String, String> = lab::collect(&chapter_blocks(&book, &rendered))
        .0
        .iter()
        .map(|l| (l.id.clone(), l.digest()))
        .collect();
    let current = badges(&records, Some(&digests));
    cache.lab_digests = Some(digests);
    if current != verified {
        verified = current;
        rendered = render_all(&book, &verified, Some(&partials), cache);
    }
    finish(root, book, rendered, report, verified, records)
}

/// What build and check share once the chapters are read: links, directives, labs and the
/// validation of every manifest.
fn finish(
    root: &Path,
    book: Book,
    mut rendered: Vec<Rendered>,
    mut report: Report,
    verified: HashMap<String, String>,
    records: crate::verified::Records,
) -> Result<Output, Report> {
    for r in &mut rendered {
        report.extend(r.diagnostics.drain(..));
    }
    check_links(&book, &rendered, &mut report);
    check_needs(&book, &rendered, &mut report);
    let blocks = chapter_blocks(&book, &rendered);
    let (labs, lab_diags) = lab::collect(&blocks);
    report.extend(lab_diags);
    let all_blocks: Vec<&lab::CodeBlock> =
        rendered.iter().flat_map(|r| r.code_blocks.iter()).collect();
    let stats = validate::check_book(root, &all_blocks, &labs, &mut report);
    report.sort();
    Ok(Output {
        book,
        rendered,
        labs,
        report,
        stats,
        verified,
        records,
    })
}

/// Each lab's badge: its strongest passed proof, counting only records of the lab as it is
/// now when its digest is known.
fn badges(
    records: &crate::verified::Records,
    digests: Option<&HashMap<String, String>>,
) -> HashMap<String, String> {
    records
        .iter()
        .filter_map(|(id, r)| {
            let r = match digests.and_then(|d| d.get(id)) {
                Some(d) => r.current(d),
                None => r.clone(),
            };
            Some((id.clone(), r.badge()?))
        })
        .collect()
}

fn chapter_blocks<'a>(book: &'a Book, rendered: &'a [Rendered]) -> Vec<ChapterBlocks<'a>> {
    book.chapters
        .iter()
        .zip(rendered)
        .map(|(c, r)| ChapterBlocks {
            stem: &c.stem,
            number: c.number,
            blocks: &r.code_blocks,
        })
        .collect()
}

/// Render every chapter on all cores, reusing cached ones, and remember them for the next run.
/// Chapters with an interview summary come second: they show the questions of the others.
fn render_all(
    book: &Book,
    verified: &HashMap<String, String>,
    partials: Option<&Partials>,
    cache: &mut Cache,
) -> Vec<Rendered> {
    let digest = partials.map_or(0, Partials::digest);
    let summary = |c: &book::Chapter| c.source.contains("{{#interview");
    let ctx = RenderContext {
        kubernetes: &book.config.book.kubernetes,
        verified,
        partials,
        questions: &[],
        highlighter: &cache.highlighter,
    };
    let first: Vec<(usize, u64)> = book
        .chapters
        .iter()
        .enumerate()
        .filter(|(_, c)| !summary(c))
        .map(|(i, c)| (i, fingerprint(c, verified, digest)))
        .collect();
    let mut done = render_some(book, &ctx, cache, &first);
    let questions: Vec<ChapterQuestions> = first
        .iter()
        .zip(&done)
        .map(|(&(i, _), r)| {
            let c = &book.chapters[i];
            ChapterQuestions {
                stem: &c.stem,
                number: c.number,
                title: &c.title,
                questions: &r.questions,
            }
        })
        .collect();
    let shown = {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for q in questions.iter().flat_map(|c| c.questions) {
            (&q.id, &q.anchor, &q.question, &q.answer_html).hash(&mut h);
        }
        h.finish()
    };
    let second: Vec<(usize, u64)> = book
        .chapters
        .iter()
        .enumerate()
        .filter(|(_, c)| summary(c))
        .map(|(i, c)| (i, fingerprint(c, verified, digest) ^ shown))
        .collect();
    let ctx = RenderContext {
        questions: &questions,
        ..ctx
    };
    let later = render_some(book, &ctx, cache, &second);
    drop(questions);
    let mut slots: Vec<Option<(u64, Rendered)>> = (0..book.chapters.len()).map(|_| None).collect();
    for (&(i, p), r) in first.iter().chain(&second).zip(done.drain(..).chain(later)) {
        slots[i] = Some((p, r));
    }
    let rendered: Vec<(u64, Rendered)> = slots.into_iter().flatten().collect();
    if partials.is_some() {
        cache.chapters = book
            .chapters
            .iter()
            .zip(&rendered)
            .map(|(c, (p, r))| (c.stem.clone(), (*p, r.clone())))
            .collect();
    }
    rendered.into_iter().map(|(_, r)| r).collect()
}

/// Render the chapters `todo` (index, fingerprint) on all cores, in that order; a chapter
/// whose fingerprint matches the cache is taken from it.
fn render_some(
    book: &Book,
    ctx: &RenderContext,
    cache: &Cache,
    todo: &[(usize, u64)],
) -> Vec<Rendered> {
    let render = |&(i, p): &(usize, u64)| {
        let c = &book.chapters[i];
        match cache.chapters.get(&c.stem) {
            Some((cp, r)) if *cp == p => r.clone(),
            _ => markdown::render(c, ctx),
        }
    };
    crate::par::map_each(todo, render)
}

/// `labs/verified.json`, written by `kubebook labs run --record`.
fn read_verified(root: &Path, report: &mut Report) -> crate::verified::Records {
    let path = Project::new(root).path(paths::VERIFIED);
    let text = match crate::fsx::read_input(root, &path) {
        Ok(t) => t,
        Err(crate::fsx::InputError::NotFound) => return Default::default(),
        Err(e) => {
            report.push(
                Diagnostic::error(
                    codes::LAB020,
                    format!("cannot read {}: {e}", paths::VERIFIED),
                )
                .at(Span::new(paths::VERIFIED, 1, 1))
                .with_hint("it is a regular file written by `kubebook labs run --record`"),
            );
            return Default::default();
        }
    };
    match crate::verified::parse(&text) {
        Ok(records) => records,
        Err(e) => {
            report.push(
                Diagnostic::error(
                    codes::LAB020,
                    format!("{} is not valid: {e}", paths::VERIFIED),
                )
                .at(Span::new(paths::VERIFIED, e.line(), e.column()))
                .with_hint(
                    "it is written by `kubebook labs run --record`; delete it to start over",
                ),
            );
            Default::default()
        }
    }
}

/// book.toml's URLs end up in every page's header and footer: the same scheme warning as a
/// chapter link (MD007).
fn check_config_links(book: &Book, report: &mut Report) {
    let b = &book.config.book;
    let keys = [
        ("repository", b.repository.as_deref()),
        ("edit-url", b.edit_url.as_deref()),
        ("site-url", b.site_url.as_deref()),
    ];
    let text = book.sources.text(Path::new(paths::BOOK_TOML)).unwrap_or("");
    for (key, url) in keys {
        let Some(scheme) = url.and_then(markdown::dangerous_scheme) else {
            continue;
        };
        let line = text
            .lines()
            .position(|l| l.trim_start().starts_with(key))
            .map_or(1, |i| i + 1);
        report.push(
            Diagnostic::warning(
                codes::MD007,
                format!("book.toml `{key}` is a `{scheme}:` URL"),
            )
            .at(Span::new(paths::BOOK_TOML, line, 1))
            .with_hint("it is linked from every page; use an https:// URL"),
        );
    }
}

/// "Did you mean" for broken links within a budget of candidates looked at per book, so a
/// chapter of thousands of broken anchors against thousands of headings costs linear time:
/// the first ones get a suggestion, the rest a general hint (M08).
struct Suggester {
    left: usize,
}

/// Candidates compared per book, in all (each comparison is a short edit distance).
const SUGGESTION_BUDGET: usize = 50_000;

impl Suggester {
    fn new() -> Suggester {
        Suggester {
            left: SUGGESTION_BUDGET,
        }
    }

    fn closest<'a>(
        &mut self,
        word: &str,
        candidates: impl ExactSizeIterator<Item = &'a str>,
    ) -> Option<&'a str> {
        if candidates.len() > self.left {
            self.left = 0;
            return None;
        }
        self.left -= candidates.len();
        crate::suggest::closest(word, candidates)
    }
}

fn check_links(book: &Book, rendered: &[Rendered], report: &mut Report) {
    let anchors: HashMap<&str, HashSet<String>> = book
        .chapters
        .iter()
        .zip(rendered)
        .map(|(c, r)| {
            let mut ids: HashSet<String> = r.headings.iter().map(|h| h.id.clone()).collect();
            ids.extend(r.labs.iter().map(|l| format!("lab-{l}")));
            ids.insert("top".into());
            (c.file_name.as_str(), ids)
        })
        .collect();
    let mut suggester = Suggester::new();
    for (c, r) in book.chapters.iter().zip(rendered) {
        for link in &r.links {
            if link.image {
                if let Some(p) = &link.local_path {
                    let decoded = p.replace("%20", " ");
                    if let Err(why) = crate::fsx::image_file(&book.root, &decoded) {
                        report.push(
                            Diagnostic::error(
                                codes::MD003,
                                format!("image `{p}` is not published: {why}"),
                            )
                            .at(link.span.clone())
                            .with_hint(
                                "images live in book/images/ and are linked as images/NAME.svg",
                            ),
                        );
                    }
                }
                continue;
            }
            let target = if link.chapter.is_empty() {
                c.file_name.as_str()
            } else {
                link.chapter.as_str()
            };
            let Some(ids) = anchors.get(target) else {
                let known: Vec<&str> = anchors.keys().copied().collect();
                let hint = suggester
                    .closest(target, known.iter().copied())
                    .map(|s| format!("did you mean `{s}`?"))
                    .unwrap_or_else(|| {
                        "link to a chapter by its file name, e.g. 06-kubernetes-basics.md".into()
                    });
                report.push(
                    Diagnostic::error(
                        codes::MD001,
                        format!("link to `{target}`, which is not a chapter of this book"),
                    )
                    .at(link.span.clone())
                    .with_hint(hint),
                );
                continue;
            };
            if let Some(a) = &link.anchor
                && !a.is_empty()
                && !ids.contains(a)
            {
                let hint = suggester
                    .closest(a, ids.iter().map(String::as_str))
                    .map(|s| format!("did you mean `#{s}`?"))
                    .unwrap_or_else(|| {
                        format!("anchors are heading slugs; see the headings of {target}")
                    });
                report.push(
                    Diagnostic::error(codes::MD002, format!("`{target}` has no anchor `#{a}`"))
                        .at(link.span.clone())
                        .with_hint(hint),
                );
            }
        }
    }
}

/// book.toml `[needs]` targets are linked from lab cards: a chapter (and anchor) that exists,
/// or a URL of a safe scheme. The same codes as a chapter's own links.
/// A `[needs]` key no lab can name is a typo: its link would never be shown.
fn unknown_need(need: &str) -> Option<Diagnostic> {
    if lab::requirements::find(need).is_some() {
        return None;
    }
    let known: Vec<&str> = lab::requirements::names().collect();
    let guess = crate::suggest::closest(need, known.iter().copied())
        .map(|s| format!("did you mean `{s}`? "))
        .unwrap_or_default();
    Some(
        Diagnostic::error(
            codes::LAB006,
            format!("book.toml [needs] `{need}` is not a requirement a lab can name"),
        )
        .with_hint(format!("{guess}known requirements: {}", known.join(", "))),
    )
}

fn check_needs(book: &Book, rendered: &[Rendered], report: &mut Report) {
    let text = book.sources.text(Path::new(paths::BOOK_TOML)).unwrap_or("");
    let at = |need: &str| {
        let line = text
            .lines()
            .position(|l| l.trim_start().starts_with(need) && l.contains('='))
            .map_or(1, |i| i + 1);
        Span::new(paths::BOOK_TOML, line, 1)
    };
    for (need, target) in &book.config.needs {
        if let Some(d) = unknown_need(need) {
            report.push(d.at(at(need)));
            continue;
        }
        if let Some(scheme) = markdown::dangerous_scheme(target) {
            report.push(
                Diagnostic::warning(
                    codes::MD007,
                    format!("book.toml [needs] `{need}` is a `{scheme}:` URL"),
                )
                .at(at(need))
                .with_hint("it is linked from lab cards, so it is left out; use an https:// URL"),
            );
            continue;
        }
        let (file, anchor) = target.split_once('#').unwrap_or((target, ""));
        if target.contains("://") || !file.ends_with(".md") {
            continue;
        }
        let Some((_, r)) = book
            .chapters
            .iter()
            .zip(rendered)
            .find(|(c, _)| c.file_name == file)
        else {
            report.push(
                Diagnostic::error(
                    codes::MD001,
                    format!("book.toml [needs] `{need}` links to `{file}`, which is not a chapter of this book"),
                )
                .at(at(need))
                .with_hint("name a chapter by its file name, e.g. 13-tools.md#helm"),
            );
            continue;
        };
        if !anchor.is_empty() && !r.headings.iter().any(|h| h.id == anchor) {
            report.push(
                Diagnostic::error(
                    codes::MD002,
                    format!("book.toml [needs] `{need}`: `{file}` has no anchor `#{anchor}`"),
                )
                .at(at(need))
                .with_hint(format!(
                    "anchors are heading slugs; see the headings of {file}"
                )),
            );
        }
    }
}
