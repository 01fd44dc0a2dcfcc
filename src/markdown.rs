//! One pulldown-cmark pass per chapter: HTML, headings and anchors, links to check, code
//! blocks (for labs and validation), interview questions and search text.

use crate::book::{Chapter, parse_chapter_name};
use crate::diag::codes;
use crate::diag::{Diagnostic, LineIndex, Span};
use crate::highlight::{self, escape_html};
use crate::lab::{CodeBlock, columns, console, fence};
use pulldown_cmark::{BlockQuoteKind, CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// A link or image in the chapter that must be checked once every chapter is known.
#[derive(Debug, Clone)]
pub struct LinkRef {
    /// Chapter file name (`06-basics.md`), empty for a same-page `#anchor`.
    pub chapter: String,
    pub anchor: Option<String>,
    pub span: Span,
    pub image: bool,
    /// For images: the path below book/.
    pub local_path: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Question {
    /// Stable id: `CHAPTER-STEM/QUESTION-SLUG`.
    pub id: String,
    pub anchor: String,
    pub question: String,
    pub answer_html: String,
    pub chapter: String,
    pub chapter_number: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchSection {
    pub title: String,
    pub anchor: String,
    pub text: String,
}

/// `{{#interview chapters=A-B}}` found in the chapter, replaced later by `placeholder`.
#[derive(Debug, Clone)]
pub struct Directive {
    pub placeholder: String,
    pub from: u32,
    pub to: u32,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
    pub links: Vec<LinkRef>,
    pub code_blocks: Vec<CodeBlock>,
    pub questions: Vec<Question>,
    pub sections: Vec<SearchSection>,
    pub directives: Vec<Directive>,
    pub diagnostics: Vec<Diagnostic>,
    /// Lab ids in the order their first block appears.
    pub labs: Vec<String>,
}

/// What rendering needs to know beyond the chapter itself.
pub struct RenderContext<'a> {
    pub kubernetes: &'a str,
    /// Lab id → "verified on kind vX on DATE" text.
    pub verified: &'a HashMap<String, String>,
    /// Produce the page's HTML. `check` wants only what the chapter holds (code blocks,
    /// headings, links, labs, diagnostics): without HTML nothing is highlighted, the costly
    /// part of rendering.
    pub html: bool,
}

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// Heading slug: lower-case, letters and digits kept, spaces and `-` become `-`, the rest dropped.
pub fn slugify(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_alphanumeric() {
            s.extend(c.to_lowercase());
        } else if c == ' ' || c == '-' {
            s.push('-');
        }
    }
    if s.is_empty() { "section".into() } else { s }
}

struct State<'a> {
    ch: &'a Chapter,
    li: LineIndex,
    /// Ids given to headings so far.
    ids: HashSet<String>,
    /// Every explicit `{#id}` of the chapter, known before the first heading: a generated id
    /// never takes one (M14).
    explicit_ids: HashSet<String>,
    /// Next suffix to try per generated base, so repeated slugs cost constant time each.
    next_suffix: HashMap<String, usize>,
    out: Rendered,
    /// Level of the open `{.interview}` heading.
    interview_level: Option<u8>,
    /// Index in `events` where the current answer starts, and its question.
    open_question: Option<(usize, Question)>,
    section: SearchSection,
    lab_seen: HashMap<String, usize>,
}

impl State<'_> {
    fn span(&self, body_offset: usize) -> Span {
        let off = self.ch.body_offset + body_offset;
        let (line, col) = self.li.line_col(&self.ch.source, off);
        Span::new(&self.ch.rel_path, line, col)
    }
    /// A generated id: the slug, or the slug with the first free `-N`, avoiding every id
    /// used so far and every explicit id of the chapter.
    fn unique_id(&mut self, base: String) -> String {
        let taken = |st: &Self, id: &str| st.ids.contains(id) || st.explicit_ids.contains(id);
        let mut id = base.clone();
        if taken(self, &id) {
            let n = self.next_suffix.entry(base.clone()).or_insert(1);
            let mut k = *n;
            loop {
                id = format!("{base}-{k}");
                k += 1;
                if !(self.ids.contains(&id) || self.explicit_ids.contains(&id)) {
                    break;
                }
            }
            self.next_suffix.insert(base, k);
        }
        self.ids.insert(id.clone());
        id
    }

    /// An explicit `{#id}` keeps its name; given twice in one chapter it is an error.
    fn explicit_id(&mut self, id: String, offset: usize) -> String {
        if !self.ids.insert(id.clone()) {
            let span = self.span(offset);
            self.out.diagnostics.push(
                Diagnostic::error(
                    codes::MD006,
                    format!("heading id `#{id}` is used twice in this chapter"),
                )
                .at(span)
                .with_hint("give each `{#id}` its own name; links to it would be ambiguous"),
            );
        }
        id
    }
    fn flush_section(&mut self, title: String, anchor: String) {
        let prev = std::mem::replace(
            &mut self.section,
            SearchSection {
                title,
                anchor,
                text: String::new(),
            },
        );
        if !prev.text.trim().is_empty() {
            self.out.sections.push(SearchSection {
                text: prev.text.split_whitespace().collect::<Vec<_>>().join(" "),
                ..prev
            });
        }
    }
}

/// Every explicit heading id of a body. A second, event-only parse, and only for bodies that
/// can have one, so ordinary chapters pay nothing.
fn explicit_heading_ids(body: &str) -> HashSet<String> {
    if !body.contains("{#") {
        return HashSet::new();
    }
    Parser::new_ext(body, options())
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
            _ => None,
        })
        .collect()
}

/// The scheme of a link that runs code or smuggles a document when clicked (`javascript:`,
/// `vbscript:`, `data:`), if `url` has one. Browsers ignore ASCII whitespace and control
/// characters inside a scheme and its case, so this does too.
pub fn dangerous_scheme(url: &str) -> Option<&'static str> {
    let scheme: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
        .take_while(|&c| c != ':' && c != '/' && c != '?' && c != '#')
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    let has_colon = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
        .nth(scheme.chars().count())
        == Some(':');
    if !has_colon {
        return None;
    }
    ["javascript", "vbscript", "data"]
        .into_iter()
        .find(|s| *s == scheme)
}

pub fn render(ch: &Chapter, ctx: &RenderContext) -> Rendered {
    let body = ch.body();
    let mut st = State {
        ch,
        li: LineIndex::new(&ch.source),
        ids: HashSet::new(),
        explicit_ids: explicit_heading_ids(body),
        next_suffix: HashMap::new(),
        out: Rendered {
            html: String::new(),
            headings: Vec::new(),
            links: Vec::new(),
            code_blocks: Vec::new(),
            questions: Vec::new(),
            sections: Vec::new(),
            directives: Vec::new(),
            diagnostics: Vec::new(),
            labs: Vec::new(),
        },
        interview_level: None,
        open_question: None,
        section: SearchSection {
            title: ch.title.clone(),
            anchor: String::new(),
            text: String::new(),
        },
        lab_seen: HashMap::new(),
    };
    let mut events: Vec<Event> = Vec::new();
    let mut iter = Parser::new_ext(body, options()).into_offset_iter();
    // Paragraph start index and its plain text, to spot directives.
    let mut para: Option<(usize, String, usize)> = None;
    while let Some((ev, range)) = iter.next() {
        match ev {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs: _,
            }) => {
                let lvl = level as u8;
                let mut inner: Vec<Event> = Vec::new();
                let mut text = String::new();
                for (e, _) in iter.by_ref() {
                    match e {
                        Event::End(TagEnd::Heading(_)) => break,
                        Event::Text(ref t) | Event::Code(ref t) => text.push_str(t),
                        _ => {}
                    }
                    inner.push(e);
                }
                // Close an open question at any heading.
                close_question(&mut st, &mut events);
                if st.interview_level.is_some_and(|l| lvl <= l) {
                    events.push(Event::Html("</section>\n".into()));
                    st.interview_level = None;
                }
                let hid = match id {
                    Some(i) => st.explicit_id(i.to_string(), range.start),
                    None => st.unique_id(slugify(&text)),
                };
                let mut inner_html = String::new();
                pulldown_cmark::html::push_html(&mut inner_html, inner.into_iter());
                let is_interview = classes.iter().any(|c| c.as_ref() == "interview");
                let class_attr = {
                    let cs: Vec<&str> = classes.iter().map(|c| c.as_ref()).collect();
                    if cs.is_empty() {
                        String::new()
                    } else {
                        format!(" class=\"{}\"", escape_html(&cs.join(" ")))
                    }
                };
                st.out.headings.push(Heading {
                    level: lvl,
                    id: hid.clone(),
                    text: text.clone(),
                });
                if lvl <= 3 {
                    st.flush_section(text.clone(), hid.clone());
                }
                let heading_html = format!(
                    "<h{lvl} id=\"{id}\"{class_attr}><a class=\"anchor\" href=\"#{id}\" aria-hidden=\"true\" tabindex=\"-1\">#</a>{inner_html}</h{lvl}>\n",
                    id = escape_html(&hid)
                );
                if is_interview {
                    events.push(Event::Html(
                        format!(
                            "<section class=\"interview\" aria-labelledby=\"{}\">\n",
                            escape_html(&hid)
                        )
                        .into(),
                    ));
                    events.push(Event::Html(heading_html.into()));
                    st.interview_level = Some(lvl);
                } else if st.interview_level.is_some_and(|l| lvl == l + 1) {
                    let qid = format!("{}/{}", ch.stem, slugify(&text));
                    events.push(Event::Html(
                        format!(
                            "<article class=\"qa\" data-qid=\"{}\">\n{heading_html}<div class=\"qa-answer\">\n",
                            escape_html(&qid)
                        )
                        .into(),
                    ));
                    st.open_question = Some((
                        events.len(),
                        Question {
                            id: qid,
                            anchor: hid,
                            question: text,
                            answer_html: String::new(),
                            chapter: ch.stem.clone(),
                            chapter_number: ch.number,
                        },
                    ));
                } else {
                    events.push(Event::Html(heading_html.into()));
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let mut content = String::new();
                for (e, _) in iter.by_ref() {
                    match e {
                        Event::End(TagEnd::CodeBlock) => break,
                        Event::Text(t) => content.push_str(&t),
                        _ => {}
                    }
                }
                let start = st.span(range.start);
                let html = match kind {
                    CodeBlockKind::Indented => {
                        format!("<pre><code>{}</code></pre>\n", escape_html(&content))
                    }
                    CodeBlockKind::Fenced(info) => code_block(&mut st, ctx, &info, content, start),
                };
                events.push(Event::Html(html.into()));
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, label) = match kind {
                    BlockQuoteKind::Note => ("note", "Note"),
                    BlockQuoteKind::Tip => ("tip", "Tip"),
                    BlockQuoteKind::Important => ("important", "Important"),
                    BlockQuoteKind::Warning => ("warning", "Warning"),
                    BlockQuoteKind::Caution => ("caution", "Caution"),
                };
                events.push(Event::Html(
                    format!("<aside class=\"callout callout-{class}\" role=\"note\" aria-label=\"{label}\"><p class=\"callout-title\">{label}</p>\n").into(),
                ));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                events.push(Event::Html("</aside>\n".into()))
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = rewrite_link(&mut st, &dest_url, range.start, false);
                events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url: dest,
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = rewrite_link(&mut st, &dest_url, range.start, true);
                events.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url: dest,
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Paragraph) => {
                para = Some((events.len(), String::new(), range.start));
                events.push(Event::Start(Tag::Paragraph));
            }
            Event::End(TagEnd::Paragraph) => {
                let mut replaced = false;
                if let Some((start, text, off)) = para.take()
                    && let Some(args) = text
                        .trim()
                        .strip_prefix("{{#interview")
                        .and_then(|r| r.strip_suffix("}}"))
                {
                    let span = st.span(off);
                    match parse_directive(args.trim()) {
                        Ok((from, to)) => {
                            let placeholder =
                                format!("\u{1}interview-{}\u{1}", st.out.directives.len());
                            events.truncate(start);
                            events.push(Event::Html(placeholder.clone().into()));
                            st.out.directives.push(Directive {
                                placeholder,
                                from,
                                to,
                                span,
                            });
                            replaced = true;
                        }
                        Err(msg) => st.out.diagnostics.push(
                            Diagnostic::error(codes::MD004, msg).at(span).with_hint(
                                "write {{#interview chapters=1-8}} on a line of its own",
                            ),
                        ),
                    }
                }
                if !replaced {
                    events.push(Event::End(TagEnd::Paragraph));
                }
            }
            Event::Text(ref t) | Event::Code(ref t) => {
                if let Some((_, pt, _)) = para.as_mut() {
                    pt.push_str(t);
                }
                st.section.text.push_str(t);
                st.section.text.push(' ');
                events.push(ev);
            }
            Event::SoftBreak | Event::HardBreak => {
                st.section.text.push(' ');
                events.push(ev);
            }
            other => events.push(other),
        }
    }
    close_question(&mut st, &mut events);
    if st.interview_level.is_some() {
        events.push(Event::Html("</section>\n".into()));
    }
    st.flush_section(String::new(), String::new());
    if !ctx.html {
        return st.out;
    }
    let mut html = String::with_capacity(body.len() * 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    // Fill in each lab card's download list now that all of the lab's files are known.
    let mut files: HashMap<&str, Vec<&str>> = HashMap::new();
    for b in &st.out.code_blocks {
        if let (Some(lab), Some(f)) = (b.info.value("lab"), b.info.value("file"))
            && crate::lab::safe_file_name(f)
        {
            files.entry(lab).or_default().push(f);
        }
    }
    let labs: HashSet<&str> = st.out.labs.iter().map(String::as_str).collect();
    // One pass over the page for every lab's list: a replace per lab would cost
    // labs × page size.
    let html = replace_markers(&html, "<!--lab-files:", "-->", |lab| {
        if !labs.contains(lab) {
            return None;
        }
        Some(
            files
                .get(lab)
                .map(|fs| {
                    let items: Vec<String> = fs
                        .iter()
                        .map(|f| {
                            format!(
                                "<li><a href=\"labs/{lab}/{f}\" download>{f}</a></li>",
                                lab = escape_html(lab),
                                f = escape_html(f)
                            )
                        })
                        .collect();
                    format!(
                        "<ul class=\"lab-downloads\" aria-label=\"Lab files\">{}</ul>",
                        items.join("")
                    )
                })
                .unwrap_or_default(),
        )
    });
    // Each lab's last shown block is followed by its clean-up; the other ends vanish.
    let host: HashSet<&str> = st
        .out
        .code_blocks
        .iter()
        .filter(|b| host_lab(b.info.value("requires")))
        .filter_map(|b| b.info.value("lab"))
        .collect();
    let html = replace_markers(&html, "<!--lab-end:", "-->", |key| {
        let (lab, n) = key.rsplit_once(':')?;
        let last = st.lab_seen.get(lab)?.to_string() == n;
        Some(if last && !host.contains(lab) {
            cleanup_steps(lab)
        } else {
            String::new()
        })
    });
    st.out.html = html;
    st.out
}

/// Replace each `OPEN key CLOSE` in `text` by `fill(key)` (left as it is when `fill` gives
/// `None`), in one pass: linear in the text whatever the number of markers.
pub fn replace_markers(
    text: &str,
    open: &str,
    close: &str,
    mut fill: impl FnMut(&str) -> Option<String>,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(open) {
        out.push_str(&rest[..i]);
        let after = &rest[i + open.len()..];
        let Some(j) = after.find(close) else {
            rest = &rest[i..];
            break;
        };
        match fill(&after[..j]) {
            Some(r) => out.push_str(&r),
            None => out.push_str(&rest[i..i + open.len() + j + close.len()]),
        }
        rest = &after[j + close.len()..];
    }
    out.push_str(rest);
    out
}

fn close_question(st: &mut State, events: &mut Vec<Event>) {
    if let Some((start, mut q)) = st.open_question.take() {
        let mut answer = String::new();
        pulldown_cmark::html::push_html(&mut answer, events[start..].iter().cloned());
        q.answer_html = answer;
        st.out.questions.push(q);
        events.push(Event::Html("</div>\n</article>\n".into()));
    }
}

fn parse_directive(args: &str) -> Result<(u32, u32), String> {
    let range = args
        .strip_prefix("chapters=")
        .ok_or_else(|| format!("unknown interview directive argument `{args}`"))?;
    let (a, b) = range.split_once('-').unwrap_or((range, range));
    let from: u32 = a
        .trim()
        .parse()
        .map_err(|_| format!("`{a}` is not a chapter number"))?;
    let to: u32 = b
        .trim()
        .parse()
        .map_err(|_| format!("`{b}` is not a chapter number"))?;
    if from > to {
        return Err(format!("chapter range {from}-{to} is backwards"));
    }
    Ok((from, to))
}

/// Rewrite `NN-slug.md#x` to `NN-slug.html#x` and remember the link for checking.
fn rewrite_link<'a>(st: &mut State, dest: &CowStr<'a>, offset: usize, image: bool) -> CowStr<'a> {
    let d = dest.as_ref();
    // An image's `data:` URL is inert (img never runs scripts); a link's is not (M12).
    if let Some(scheme) = dangerous_scheme(d).filter(|s| !(image && *s == "data")) {
        let span = st.span(offset);
        st.out.diagnostics.push(
            Diagnostic::warning(codes::MD007, format!("link with a `{scheme}:` URL"))
                .at(span)
                .with_hint("a reader who clicks it runs code or opens an unknown document; link to an https:// page instead"),
        );
        return dest.clone();
    }
    let external =
        d.contains("://") || d.starts_with("mailto:") || d.starts_with("//") || d.starts_with('/');
    if external || d.is_empty() {
        return dest.clone();
    }
    let span = st.span(offset);
    let (path, anchor) = match d.split_once('#') {
        Some((p, a)) => (p, Some(a.to_string())),
        None => (d, None),
    };
    if image {
        st.out.links.push(LinkRef {
            chapter: String::new(),
            anchor: None,
            span,
            image: true,
            local_path: Some(path.to_string()),
        });
        return dest.clone();
    }
    if path.is_empty() {
        st.out.links.push(LinkRef {
            chapter: String::new(),
            anchor,
            span,
            image: false,
            local_path: None,
        });
        return dest.clone();
    }
    if path.ends_with(".md") {
        st.out.links.push(LinkRef {
            chapter: path.to_string(),
            anchor: anchor.clone(),
            span,
            image: false,
            local_path: None,
        });
        if parse_chapter_name(path).is_some() && !path.contains('/') {
            let html = format!("{}.html", path.trim_end_matches(".md"));
            return match anchor {
                Some(a) => format!("{html}#{a}").into(),
                None => html.into(),
            };
        }
    }
    dest.clone()
}

fn code_block(
    st: &mut State,
    ctx: &RenderContext,
    info_raw: &str,
    content: String,
    start: Span,
) -> String {
    let line = start.line;
    let col = start.col;
    let info = match fence::parse(info_raw) {
        Ok(i) => i,
        Err(e) => {
            st.out.diagnostics.push(
                Diagnostic::error(codes::LAB001, e.message)
                    .at(Span::new(
                        &st.ch.rel_path,
                        line,
                        crate::lab::info_column(col, e.col),
                    ))
                    .with_hint("info strings look like: yaml lab=ID file=NAME title=\"…\""),
            );
            return format!("<pre><code>{}</code></pre>\n", escape_html(&content));
        }
    };
    let block = CodeBlock {
        info: info.clone(),
        info_raw: info_raw.to_string(),
        content: content.clone(),
        file: st.ch.rel_path.clone(),
        fence_line: line,
        fence_col: col,
        indent: col.saturating_sub(1),
    };
    st.out.code_blocks.push(block);
    if !ctx.html {
        // As below: a lab starts at its first block that is shown.
        if let Some(lab) = info.value("lab")
            && !info.has("hidden")
            && !st.lab_seen.contains_key(lab)
        {
            st.lab_seen.insert(lab.to_string(), 1);
            st.out.labs.push(lab.to_string());
        }
        return String::new();
    }
    let lang = info.lang.as_str();
    let lang_class = if lang.is_empty() {
        String::new()
    } else {
        format!(" class=\"language-{}\"", escape_html(lang))
    };
    let Some(lab) = info.value("lab").map(str::to_string) else {
        if info.has("expect-error") {
            return broken_on_purpose(&info, &content, lang, &lang_class);
        }
        return format!(
            "<pre class=\"code\"><code{lang_class}>{}</code></pre>\n",
            highlight::highlight(&content, lang)
        );
    };
    if info.has("hidden") {
        return String::new();
    }
    let mut html = String::new();
    let first = !st.lab_seen.contains_key(&lab);
    *st.lab_seen.entry(lab.clone()).or_insert(0) += 1;
    let lab_e = escape_html(&lab);
    if first {
        st.out.labs.push(lab.clone());
        let title = escape_html(info.value("title").unwrap_or(&lab));
        // A heading one level below the section the lab sits in, so it shows in heading
        // navigation without skipping a level.
        let level = st.out.headings.last().map_or(2, |h| (h.level + 1).min(6));
        let mut badges = vec![format!(
            "<span class=\"badge badge-validated\">validated against Kubernetes v{}</span>",
            escape_html(ctx.kubernetes)
        )];
        if let Some(v) = ctx.verified.get(&lab) {
            badges.push(format!(
                "<span class=\"badge badge-verified\">{}</span>",
                escape_html(v)
            ));
        }
        if let Some(why) = info.value("skip-ci") {
            badges.push(format!(
                "<span class=\"badge badge-skip\" title=\"{}\">not run in CI</span>",
                escape_html(why)
            ));
        }
        let requires = info
            .value("requires")
            .map(|r| {
                format!(
                    "<p class=\"lab-requires\">Needs: {}</p>",
                    r.split(',')
                        .map(|s| format!("<code>{}</code>", escape_html(s.trim())))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
            .unwrap_or_default();
        html.push_str(&format!(
            "<div class=\"lab-card\" id=\"lab-{lab_e}\" data-lab=\"{lab_e}\">\n<p class=\"lab-kicker\">Lab</p><h{level} class=\"lab-title\">{title}</h{level}>\n<p class=\"lab-badges\">{}</p>{requires}<!--lab-files:{lab}-->\n{setup}</div>\n",
            badges.join(" "),
            setup = setup_steps(&lab, info.value("requires")),
        ));
    }
    // Where the lab might end; the last of these becomes its clean-up (see `render`).
    let end = format!("<!--lab-end:{lab}:{}-->", st.lab_seen[&lab]);
    if lang == "console" {
        html.push_str(&render_steps(&content, &lab_e));
        html.push_str(&end);
        return html;
    }
    let caption = match info.value("file") {
        Some(f) => format!(
            "<figcaption><span class=\"lab-file-name\">{f}</span> <a class=\"download\" href=\"labs/{lab_e}/{f}\" download>download</a></figcaption>",
            f = escape_html(f)
        ),
        None => String::new(),
    };
    if info.has("expect-error") {
        html.push_str(&broken_on_purpose(&info, &content, lang, &lang_class));
        html.push_str(&end);
        return html;
    }
    html.push_str(&format!(
        "<figure class=\"code lab-block\" data-lab=\"{lab_e}\">{caption}<pre class=\"code\"><code{lang_class}>{}</code></pre></figure>\n",
        highlight::highlight(&content, lang)
    ));
    html.push_str(&end);
    html
}

/// Commands shown as copyable steps (a prompt, then the command), as lab steps are.
fn command_block(class: &str, lab: &str, title: &str, commands: &[String]) -> String {
    let lines: Vec<String> = commands
        .iter()
        .map(|c| {
            format!(
                "<span class=\"prompt\" aria-hidden=\"true\">$ </span><span class=\"cmd\">{}</span>",
                escape_html(c)
            )
        })
        .collect();
    format!(
        "<div class=\"{class}\" data-lab=\"{lab}\"><p class=\"lab-step-title\">{title}</p><pre class=\"code console\"><code class=\"language-console\">{}</code></pre></div>\n",
        lines.join("\n"),
        lab = escape_html(lab),
    )
}

/// The card's first steps: the namespace every cluster lab runs in (one per lab, named after
/// it), or nothing for a lab on the reader's own machine (`requires=host`).
fn setup_steps(lab: &str, requires: Option<&str>) -> String {
    if host_lab(requires) {
        return "<p class=\"lab-ns\">Runs on your own machine: no cluster needed.</p>\n".into();
    }
    command_block(
        "lab-setup",
        lab,
        "Set up: a namespace of its own",
        &[
            format!("kubectl create namespace {lab}"),
            format!("kubectl config set-context --current --namespace {lab}"),
        ],
    )
}

/// What undoes the setup, after the lab's last step.
fn cleanup_steps(lab: &str) -> String {
    command_block(
        "lab-cleanup",
        lab,
        "Clean up",
        &[
            format!("kubectl delete namespace {lab}"),
            "kubectl config set-context --current --namespace default".to_string(),
        ],
    )
}

fn host_lab(requires: Option<&str>) -> bool {
    requires.is_some_and(|r| r.split(',').any(|x| x.trim() == "host"))
}

fn broken_on_purpose(info: &fence::Info, content: &str, lang: &str, lang_class: &str) -> String {
    let code = escape_html(info.value("expect-error").unwrap_or(""));
    format!(
        "<figure class=\"code broken\"><figcaption>Broken on purpose: <code>kubebook check</code> reports <code>{code}</code> here</figcaption><pre class=\"code\"><code{lang_class}>{}</code></pre></figure>\n",
        highlight::highlight(content, lang)
    )
}

/// A lab's console block as a list of steps, each command with its expected output folded.
fn render_steps(content: &str, lab: &str) -> String {
    let Ok(steps) = console::parse(content) else {
        return format!(
            "<pre class=\"code console\"><code class=\"language-console\">{}</code></pre>\n",
            highlight::highlight_console(content)
        );
    };
    let mut html = format!("<ol class=\"lab-steps\" data-lab=\"{lab}\">\n");
    for s in steps {
        let shown = if s.background {
            format!("{} &", s.command)
        } else {
            s.command.clone()
        };
        let cmd_html = highlight::highlight(&shown, "bash");
        html.push_str("<li class=\"lab-step\">");
        html.push_str(&format!(
            "<pre class=\"code console\"><code class=\"language-console\"><span class=\"prompt\" aria-hidden=\"true\">$ </span><span class=\"cmd\">{}</span></code></pre>",
            cmd_html.trim_end_matches('\n')
        ));
        if !s.expected.is_empty() || s.exit != 0 {
            // Shown as kubectl prints it: squashed columns re-aligned (display only).
            let mut out = columns::align(&s.expected).join("\n");
            if s.exit != 0 {
                if !out.is_empty() {
                    out.push('\n');
                }
                out.push_str(&format!("(exit status {})", s.exit));
            }
            html.push_str(&format!(
                "<details class=\"expected\"><summary>Expected output</summary><pre class=\"output\"><code>{}</code></pre></details>",
                escape_html(&out)
            ));
        }
        html.push_str("</li>\n");
    }
    html.push_str("</ol>\n");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chapter(body: &str) -> Chapter {
        crate::book::parse_chapter("01-t.md", format!("---\ntitle: T\n---\n{body}"))
            .expect("valid front matter")
    }

    fn render_body(body: &str) -> Rendered {
        let verified = HashMap::new();
        render(
            &chapter(body),
            &RenderContext {
                kubernetes: "1.37",
                verified: &verified,
                html: true,
            },
        )
    }

    #[test]
    fn slugs() {
        assert_eq!(slugify("What is a Pod?"), "what-is-a-pod");
        assert_eq!(slugify("Pods & QoS"), "pods--qos");
        assert_eq!(slugify("`kubectl` basics"), "kubectl-basics");
        assert_eq!(slugify("!!!"), "section");
    }

    #[test]
    fn headings_get_unique_ids() {
        let r = render_body("## Intro\n\n## Intro\n\n## Named {#custom}\n");
        let ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, vec!["intro", "intro-1", "custom"]);
        assert!(r.html.contains("<h2 id=\"intro-1\">"), "{}", r.html);
    }

    #[test]
    fn m14_generated_ids_avoid_explicit_and_earlier_ones() {
        let r = render_body("## Intro\n\n## Intro\n\n## Intro-1\n\n## X {#intro}\n");
        let ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, vec!["intro-1", "intro-2", "intro-1-1", "intro"]);
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        let r = render_body("## A {#same}\n\n## B {#same}\n");
        assert_eq!(r.diagnostics.len(), 1);
        assert_eq!(r.diagnostics[0].code, codes::MD006);
        assert_eq!(r.diagnostics[0].location(), "book/01-t.md:6:1");
    }

    #[test]
    fn m12_script_and_data_links_are_warned() {
        for bad in [
            "[x](javascript:alert(1))",
            "[x](JavaScript:alert(1))",
            "[x](<java\tscript:alert(1)>)",
            "[x](data:text/html,<script>alert(1)</script>)",
            "[x](vbscript:msgbox)",
        ] {
            let r = render_body(&format!("{bad}\n"));
            let codes: Vec<&str> = r.diagnostics.iter().map(|d| d.code).collect();
            assert_eq!(codes, vec![codes::MD007], "{bad}");
        }
        for ok in [
            "[x](https://example.org/javascript:)",
            "[x](#data)",
            "![x](data:image/png;base64,AAAA)",
            "[x](datasheet.html)",
        ] {
            assert!(
                render_body(&format!("{ok}\n")).diagnostics.is_empty(),
                "{ok}"
            );
        }
    }

    #[test]
    fn links_are_rewritten_and_recorded() {
        let r = render_body("See [pods](06-kubernetes-basics.md#pods) and [x](#intro).\n");
        assert!(
            r.html.contains("href=\"06-kubernetes-basics.html#pods\""),
            "{}",
            r.html
        );
        assert_eq!(r.links.len(), 2);
        assert_eq!(r.links[0].chapter, "06-kubernetes-basics.md");
        assert_eq!(r.links[0].span.line, 4);
        assert_eq!(r.links[0].span.col, 5);
    }

    #[test]
    fn alerts_become_callouts() {
        let r = render_body("> [!WARNING]\n> Careful.\n");
        assert!(
            r.html.contains("<aside class=\"callout callout-warning\""),
            "{}",
            r.html
        );
    }

    #[test]
    fn interview_questions() {
        let r = render_body(
            "## Interview questions {.interview}\n\n### What is a Pod?\nThe smallest unit.\n\n### Why?\nBecause.\n\n## After\ntext\n",
        );
        assert_eq!(r.questions.len(), 2);
        assert_eq!(r.questions[0].id, "01-t/what-is-a-pod");
        assert!(r.questions[0].answer_html.contains("The smallest unit."));
        assert!(!r.questions[0].answer_html.contains("Because"));
        assert!(
            r.html
                .contains("<article class=\"qa\" data-qid=\"01-t/what-is-a-pod\">")
        );
        assert_eq!(r.html.matches("<section class=\"interview\"").count(), 1);
        assert!(r.html.find("</section>").unwrap() < r.html.find("id=\"after\"").unwrap());
    }

    #[test]
    fn directives() {
        let r =
            render_body("Intro\n\n{{#interview chapters=1-8}}\n\n{{#interview chapters=9-2}}\n");
        assert_eq!(r.directives.len(), 1);
        assert_eq!((r.directives[0].from, r.directives[0].to), (1, 8));
        assert!(r.html.contains(&r.directives[0].placeholder));
        assert_eq!(r.diagnostics.len(), 1);
        assert_eq!(r.diagnostics[0].code, codes::MD004);
    }

    #[test]
    fn code_blocks_and_lab_cards() {
        let r = render_body(
            "Text\n\n```yaml lab=ch01-x file=pod.yaml title=\"X lab\"\nkind: Pod\n```\n\n```console lab=ch01-x\n$ kubectl get pods\nNAME\n```\n\n```console lab=ch01-x hidden\n$ secret\n```\n",
        );
        assert_eq!(r.code_blocks.len(), 3);
        assert_eq!(r.code_blocks[0].fence_line, 6);
        assert_eq!(r.code_blocks[0].content_line(), 7);
        assert!(r.html.contains("class=\"lab-card\" id=\"lab-ch01-x\""));
        assert!(r.html.contains("href=\"labs/ch01-x/pod.yaml\""));
        assert!(r.html.contains("<details class=\"expected\">"));
        assert!(!r.html.contains("secret"));
        assert_eq!(r.labs, vec!["ch01-x"]);
    }

    #[test]
    fn bad_info_string_is_reported() {
        let r = render_body("```yaml title=\"x\n```\n");
        assert_eq!(r.diagnostics[0].code, codes::LAB001);
        assert_eq!(r.diagnostics[0].span.as_ref().unwrap().line, 4);
    }

    #[test]
    fn search_sections() {
        let r = render_body("Intro text\n\n## First\nalpha `beta`\n\n### Sub\ngamma\n");
        let titles: Vec<&str> = r.sections.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, vec!["T", "First", "Sub"]);
        assert_eq!(r.sections[1].text, "alpha beta");
    }
}
