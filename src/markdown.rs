//! One pulldown-cmark pass per chapter: HTML, headings and anchors, links to check, code
//! blocks (for labs and validation), interview questions and search text.

use crate::anchors::Anchors;
use crate::book::{Chapter, parse_chapter_name};
use crate::diag::codes;
use crate::diag::{Diagnostic, LineIndex, Span};
pub use crate::highlight::Highlighter;
use crate::lab::{CodeBlock, columns, console, fence};
use crate::markup::Partials;
use pulldown_cmark::{BlockQuoteKind, CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};
use serde::Serialize;
use serde_json::json;
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
    /// The answer as the one-page book shows it (its ids and links follow that page).
    #[serde(skip)]
    pub print_answer_html: String,
    pub chapter: String,
    pub chapter_number: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchSection {
    pub title: String,
    pub anchor: String,
    pub text: String,
}

/// One chapter's interview questions, for the summaries (`{{#interview chapters=A-B}}`) of
/// the chapters rendered after it.
#[derive(Debug, Clone, Serialize)]
pub struct ChapterQuestions<'a> {
    pub stem: &'a str,
    pub number: u32,
    pub title: &'a str,
    pub questions: &'a [Question],
}

#[derive(Debug, Clone)]
pub struct Rendered {
    pub html: String,
    /// The chapter as the one-page book (print.html) shows it: ids carry the chapter's stem,
    /// links to other chapters stay within the page (`anchors`).
    pub print_html: String,
    pub headings: Vec<Heading>,
    pub links: Vec<LinkRef>,
    pub code_blocks: Vec<CodeBlock>,
    pub questions: Vec<Question>,
    pub sections: Vec<SearchSection>,
    pub diagnostics: Vec<Diagnostic>,
    /// Lab ids in the order their first block appears.
    pub labs: Vec<String>,
}

/// What rendering needs to know beyond the chapter itself.
pub struct RenderContext<'a> {
    pub kubernetes: &'a str,
    /// Lab id → "verified on kind vX on DATE" text.
    pub verified: &'a HashMap<String, String>,
    /// The theme's partials, which make the page's HTML. `None` for `check`, which wants only
    /// what the chapter holds (code blocks, headings, links, labs, diagnostics): without HTML
    /// nothing is highlighted, the costly part of rendering.
    pub partials: Option<&'a Partials>,
    /// The questions of the chapters rendered before this one, for its summaries.
    pub questions: &'a [ChapterQuestions<'a>],
    /// Highlights the code (with the memo of the build that owns it).
    pub highlighter: &'a Highlighter,
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
    partials: Option<&'a Partials>,
    highlighter: &'a Highlighter,
    out: Rendered,
    /// The open `{.interview}` section: its heading's level, the index in `events` where its
    /// content starts, its id and its heading's HTML.
    interview: Option<(u8, usize, String, String)>,
    /// The open question: where its answer starts in `events`, its heading's HTML, itself.
    open_question: Option<(usize, String, Question)>,
    /// Open callouts: where each one's content starts in `events`, and its kind.
    callouts: Vec<(usize, BlockQuoteKind)>,
    /// Lists, items, quotes and footnotes open around the current event: a heading inside
    /// one opens or closes no section or question.
    containers: usize,
    section: SearchSection,
    /// Shown blocks of each lab so far.
    lab_seen: HashMap<String, usize>,
    /// The chapter's labs as a whole, read before rendering.
    labs_ahead: &'a LabsAhead,
    /// The page this pass renders for: the chapter's own, or the one-page book.
    anchors: Anchors<'a>,
    highlights: Highlights,
}

/// Highlighted code: the first pass over a chapter records it, the second (the one-page
/// book's) replays it in the same order, so code is highlighted once.
enum Highlights {
    Record(Vec<String>),
    Replay(std::vec::IntoIter<String>),
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
        if !prev.text.is_empty() {
            self.out.sections.push(prev);
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

/// What a lab's markup needs to know of the whole chapter: a lab card lists every file of
/// its lab, and a lab's last shown block is followed by its clean-up (none for a lab on the
/// reader's machine). Read from the chapter's fenced blocks before it is rendered, so both
/// are written where they stand, also inside a question or a callout whose HTML is made
/// before the chapter ends.
#[derive(Default)]
struct LabsAhead {
    files: HashMap<String, Vec<String>>,
    host: HashSet<String>,
    /// How many blocks of each lab are shown (not `hidden`).
    shown: HashMap<String, usize>,
}

impl LabsAhead {
    /// An event-only parse of the body, for bodies that have a lab block at all.
    fn read(body: &str) -> LabsAhead {
        let mut ahead = LabsAhead::default();
        if !body.contains("lab=") {
            return ahead;
        }
        for ev in Parser::new_ext(body, options()) {
            let Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) = ev else {
                continue;
            };
            let Ok(info) = fence::parse(&info) else {
                continue;
            };
            let Some(lab) = info.value("lab") else {
                continue;
            };
            if let Some(f) = info.value("file").filter(|f| crate::lab::safe_file_name(f)) {
                ahead
                    .files
                    .entry(lab.to_string())
                    .or_default()
                    .push(f.to_string());
            }
            if host_lab(info.value("requires")) {
                ahead.host.insert(lab.to_string());
            }
            if !info.has("hidden") {
                *ahead.shown.entry(lab.to_string()).or_default() += 1;
            }
        }
        ahead
    }
}

/// What a lab card shows (`partials/lab-card.html`).
#[derive(Serialize)]
struct LabCard {
    lab: String,
    title: String,
    level: u8,
    kubernetes: String,
    verified: Option<String>,
    skip_ci: Option<String>,
    requires: Vec<String>,
    files: Vec<String>,
    host: bool,
    block: CommandBlock,
}

/// Copyable commands with a title (`partials/lab-commands.html`): a lab's setup and clean-up.
#[derive(Serialize)]
struct CommandBlock {
    class: &'static str,
    title: &'static str,
    commands: Vec<String>,
}

impl State<'_> {
    /// Render `partials/NAME` with `data`, or nothing when no HTML is wanted (`check`). A
    /// theme's partial that fails is reported at the chapter.
    fn partial(&mut self, name: &str, data: &impl Serialize) -> String {
        let Some(p) = self.partials else {
            return String::new();
        };
        match p.render(name, data, &self.anchors.id_prefix()) {
            Ok(html) => html,
            Err(d) => {
                let span = Span::new(&self.ch.rel_path, 1, 1);
                self.out.diagnostics.push(d.at(span));
                String::new()
            }
        }
    }

    /// HTML of `events[start..]`, which are then replaced by the fragment `wrap` makes of it.
    fn wrap_from(
        &mut self,
        events: &mut Vec<Event>,
        start: usize,
        wrap: impl FnOnce(&mut Self, String) -> String,
    ) {
        let start = start.min(events.len());
        let mut body = String::new();
        if self.partials.is_some() {
            pulldown_cmark::html::push_html(&mut body, events.drain(start..));
        } else {
            events.truncate(start);
        }
        let html = wrap(self, body);
        events.push(Event::Html(html.into()));
    }
}

impl<'a> State<'a> {
    fn new(
        ch: &'a Chapter,
        ctx: &RenderContext<'a>,
        labs_ahead: &'a LabsAhead,
        anchors: Anchors<'a>,
        highlights: Highlights,
    ) -> State<'a> {
        State {
            labs_ahead,
            anchors,
            highlights,
            ch,
            li: LineIndex::new(&ch.source),
            partials: ctx.partials,
            highlighter: ctx.highlighter,
            ids: HashSet::new(),
            explicit_ids: explicit_heading_ids(ch.body()),
            next_suffix: HashMap::new(),
            out: Rendered {
                html: String::new(),
                print_html: String::new(),
                headings: Vec::new(),
                links: Vec::new(),
                code_blocks: Vec::new(),
                questions: Vec::new(),
                sections: Vec::new(),
                diagnostics: Vec::new(),
                labs: Vec::new(),
            },
            interview: None,
            open_question: None,
            callouts: Vec::new(),
            containers: 0,
            section: SearchSection {
                title: ch.title.clone(),
                anchor: String::new(),
                text: String::new(),
            },
            lab_seen: HashMap::new(),
        }
    }

    /// Text for the search index's current section: its words, one space apart (each piece
    /// of text is words of its own). The one-page book's pass has no index to feed.
    fn search_text(&mut self, t: &str) {
        if matches!(self.anchors, Anchors::Print { .. }) {
            return;
        }
        for word in t.split_whitespace() {
            if !self.section.text.is_empty() {
                self.section.text.push(' ');
            }
            self.section.text.push_str(word);
        }
    }

    /// Code highlighted, or taken from the first pass.
    fn highlighted(&mut self, make: impl FnOnce() -> String) -> String {
        match &mut self.highlights {
            Highlights::Record(done) => {
                let html = make();
                done.push(html.clone());
                html
            }
            Highlights::Replay(done) => done.next().unwrap_or_else(make),
        }
    }
    fn highlight(&mut self, code: &str, lang: &str) -> String {
        let h = self.highlighter;
        self.highlighted(|| h.highlight(code, lang))
    }

    /// An event of the source as this page shows it: in the one-page book, footnote names
    /// and the author's own HTML follow its ids.
    fn for_page<'e>(&self, ev: Event<'e>) -> Event<'e> {
        if self.anchors == Anchors::Chapter {
            return ev;
        }
        match ev {
            Event::FootnoteReference(name) => {
                Event::FootnoteReference(self.anchors.footnote(&name).into())
            }
            Event::Start(Tag::FootnoteDefinition(name)) => {
                Event::Start(Tag::FootnoteDefinition(self.anchors.footnote(&name).into()))
            }
            Event::Html(h) => match self.anchors.authored_html(&h) {
                Some(h) => Event::Html(h.into()),
                None => Event::Html(h),
            },
            Event::InlineHtml(h) => match self.anchors.authored_html(&h) {
                Some(h) => Event::InlineHtml(h.into()),
                None => Event::InlineHtml(h),
            },
            other => other,
        }
    }
}

/// The paragraph being read: where it starts in `events`, its plain text and its offset in
/// the body, to spot a directive (`{{#interview …}}`) standing alone.
type OpenParagraph = Option<(usize, String, usize)>;

/// Render a chapter: one pass over pulldown-cmark's events. Most events pass through; the
/// ones the book gives meaning to (headings, code blocks, callouts, links, directives) are
/// turned into the theme's partials or rewritten on the way.
pub fn render(ch: &Chapter, ctx: &RenderContext) -> Rendered {
    let ahead = if ctx.partials.is_some() {
        LabsAhead::read(ch.body())
    } else {
        LabsAhead::default()
    };
    let (mut out, highlighted) = render_for(
        ch,
        ctx,
        &ahead,
        Anchors::Chapter,
        Highlights::Record(Vec::new()),
    );
    if ctx.partials.is_none() {
        return out;
    }
    // The one-page book's copy: the same chapter with its ids and links for that page.
    let (print, _) = render_for(
        ch,
        ctx,
        &ahead,
        Anchors::Print { stem: &ch.stem },
        Highlights::Replay(highlighted.into_iter()),
    );
    out.print_html = print.html;
    for (q, p) in out.questions.iter_mut().zip(print.questions) {
        q.print_answer_html = p.answer_html;
    }
    out
}

/// One pass over the chapter's events for the page `anchors` names.
fn render_for<'a>(
    ch: &'a Chapter,
    ctx: &RenderContext<'a>,
    labs_ahead: &'a LabsAhead,
    anchors: Anchors<'a>,
    highlights: Highlights,
) -> (Rendered, Vec<String>) {
    let body = ch.body();
    let mut st = State::new(ch, ctx, labs_ahead, anchors, highlights);
    let mut events: Vec<Event> = Vec::new();
    let mut iter = Parser::new_ext(body, options()).into_offset_iter();
    let mut para: OpenParagraph = None;
    while let Some((ev, range)) = iter.next() {
        let offset = range.start;
        let ev = st.for_page(ev);
        match ev {
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                let (text, inner) = read_heading(&mut iter);
                let inner = inner.into_iter().map(|e| st.for_page(e)).collect();
                let heading = HeadingEvent::new(level, id, &classes, text, offset);
                on_heading(&mut st, &mut events, heading, inner);
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let content = read_code(&mut iter);
                on_code_block(&mut st, ctx, &mut events, kind, content, offset);
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                st.containers += 1;
                st.callouts.push((events.len(), kind));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => close_callout(&mut st, &mut events),
            Event::Start(
                Tag::BlockQuote(None) | Tag::List(_) | Tag::Item | Tag::FootnoteDefinition(_),
            ) => {
                st.containers += 1;
                events.push(ev);
            }
            Event::End(
                TagEnd::BlockQuote(None)
                | TagEnd::List(_)
                | TagEnd::Item
                | TagEnd::FootnoteDefinition,
            ) => {
                st.containers = st.containers.saturating_sub(1);
                events.push(ev);
            }
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => {
                events.push(with_rewritten_link(&mut st, ev, offset));
            }
            Event::Start(Tag::Paragraph) => {
                para = Some((events.len(), String::new(), offset));
                events.push(ev);
            }
            Event::End(TagEnd::Paragraph) => {
                let directive = para.take().is_some_and(|(start, text, off)| {
                    on_directive(&mut st, ctx, &mut events, start, &text, off)
                });
                if !directive {
                    events.push(ev);
                }
            }
            Event::Text(ref t) | Event::Code(ref t) => {
                if let Some((_, pt, _)) = para.as_mut() {
                    pt.push_str(t);
                }
                st.search_text(t);
                events.push(ev);
            }
            other => events.push(other),
        }
    }
    finish(st, events, body.len())
}

/// The events of a heading up to its end, and its plain text.
fn read_heading<'a>(
    iter: &mut impl Iterator<Item = (Event<'a>, std::ops::Range<usize>)>,
) -> (String, Vec<Event<'a>>) {
    let mut inner = Vec::new();
    let mut text = String::new();
    for (e, _) in iter.by_ref() {
        match e {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(ref t) | Event::Code(ref t) => text.push_str(t),
            _ => {}
        }
        inner.push(e);
    }
    (text, inner)
}

/// The text of a code block up to its end.
fn read_code<'a>(iter: &mut impl Iterator<Item = (Event<'a>, std::ops::Range<usize>)>) -> String {
    let mut content = String::new();
    for (e, _) in iter.by_ref() {
        match e {
            Event::End(TagEnd::CodeBlock) => break,
            Event::Text(t) => content.push_str(&t),
            _ => {}
        }
    }
    content
}

/// An indented block is shown as it is; a fenced one may be part of a lab.
fn on_code_block<'a>(
    st: &mut State,
    ctx: &RenderContext,
    events: &mut Vec<Event<'a>>,
    kind: CodeBlockKind<'a>,
    content: String,
    offset: usize,
) {
    let start = st.span(offset);
    match kind {
        CodeBlockKind::Indented => {
            let html = st.partial("code.html", &json!({"plain": true, "code": content}));
            events.push(Event::Html(html.into()));
        }
        CodeBlockKind::Fenced(info) => code_block(st, ctx, events, &info, content, start),
    }
}

/// A GitHub alert (`> [!NOTE]`) ends: its content becomes the callout partial.
fn close_callout(st: &mut State, events: &mut Vec<Event>) {
    st.containers = st.containers.saturating_sub(1);
    if let Some((start, kind)) = st.callouts.pop() {
        let (class, label) = callout_kind(kind);
        st.wrap_from(events, start, |st, body| {
            st.partial(
                "callout.html",
                &json!({"kind": class, "label": label, "body_html": body}),
            )
        });
    }
}

/// A link's or image's start event with its destination rewritten (`rewrite_link`).
fn with_rewritten_link<'a>(st: &mut State, ev: Event<'a>, offset: usize) -> Event<'a> {
    match ev {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            dest_url: rewrite_link(st, &dest_url, offset, false),
            link_type,
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            dest_url: rewrite_link(st, &dest_url, offset, true),
            link_type,
            title,
            id,
        }),
        other => other,
    }
}

/// The chapter's end: open sections close and the events become HTML (not for `check`, which wants no HTML). Also the code highlighted on the way.
fn finish(mut st: State, mut events: Vec<Event>, body_len: usize) -> (Rendered, Vec<String>) {
    close_question(&mut st, &mut events);
    close_interview(&mut st, &mut events);
    st.flush_section(String::new(), String::new());
    if st.partials.is_some() {
        let mut html = String::with_capacity(body_len * 2);
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        st.out.html = html;
    }
    let highlighted = match st.highlights {
        Highlights::Record(done) => done,
        Highlights::Replay(_) => Vec::new(),
    };
    (st.out, highlighted)
}

/// A heading as the event loop read it.
struct HeadingEvent {
    level: u8,
    id: Option<String>,
    classes: Vec<String>,
    text: String,
    offset: usize,
}

impl HeadingEvent {
    fn new(
        level: pulldown_cmark::HeadingLevel,
        id: Option<CowStr>,
        classes: &[CowStr],
        text: String,
        offset: usize,
    ) -> HeadingEvent {
        HeadingEvent {
            level: level as u8,
            id: id.map(|i| i.to_string()),
            classes: classes.iter().map(|c| c.to_string()).collect(),
            text,
            offset,
        }
    }
}

/// A heading: its id, its anchor, the search section it starts, and the interview section
/// or question it opens or closes. Headings inside a list or quote open and close nothing.
fn on_heading(st: &mut State, events: &mut Vec<Event>, h: HeadingEvent, inner: Vec<Event>) {
    let top_level = st.containers == 0;
    if top_level {
        close_question(st, events);
        if st.interview.as_ref().is_some_and(|(l, ..)| h.level <= *l) {
            close_interview(st, events);
        }
    }
    let hid = match h.id {
        Some(i) => st.explicit_id(i, h.offset),
        None => st.unique_id(slugify(&h.text)),
    };
    let mut inner_html = String::new();
    if st.partials.is_some() {
        pulldown_cmark::html::push_html(&mut inner_html, inner.into_iter());
    }
    st.out.headings.push(Heading {
        level: h.level,
        id: hid.clone(),
        text: h.text.clone(),
    });
    if h.level <= 3 {
        st.flush_section(h.text.clone(), hid.clone());
    }
    let heading_html = st.partial(
        "heading.html",
        &json!({"level": h.level, "id": hid, "classes": h.classes.join(" "), "inner_html": inner_html}),
    );
    let is_interview = h.classes.iter().any(|c| c == "interview");
    if top_level && is_interview {
        st.interview = Some((h.level, events.len(), hid, heading_html));
    } else if top_level
        && st
            .interview
            .as_ref()
            .is_some_and(|(l, ..)| h.level == l + 1)
    {
        let qid = format!("{}/{}", st.ch.stem, slugify(&h.text));
        st.open_question = Some((
            events.len(),
            heading_html,
            Question {
                id: qid,
                anchor: hid,
                question: h.text,
                answer_html: String::new(),
                print_answer_html: String::new(),
                chapter: st.ch.stem.clone(),
                chapter_number: st.ch.number,
            },
        ));
    } else {
        events.push(Event::Html(heading_html.into()));
    }
}

fn callout_kind(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}

/// The answer so far becomes the question's card.
fn close_question(st: &mut State, events: &mut Vec<Event>) {
    if let Some((start, heading_html, mut q)) = st.open_question.take() {
        let start = start.min(events.len());
        let mut answer = String::new();
        pulldown_cmark::html::push_html(&mut answer, events.drain(start..));
        q.answer_html = answer;
        let html = st.partial(
            "question.html",
            &json!({"qid": q.id, "heading_html": heading_html, "answer_html": q.answer_html}),
        );
        st.out.questions.push(q);
        events.push(Event::Html(html.into()));
    }
}

/// The interview section so far (its questions included) becomes one section.
fn close_interview(st: &mut State, events: &mut Vec<Event>) {
    if let Some((_, start, id, heading_html)) = st.interview.take() {
        st.wrap_from(events, start, |st, body| {
            st.partial(
                "interview.html",
                &json!({"id": id, "heading_html": heading_html, "body_html": body}),
            )
        });
    }
}

/// A paragraph that is only `{{#interview chapters=A-B}}` becomes the questions of those
/// chapters (already rendered: the pipeline renders summary chapters last).
fn on_directive(
    st: &mut State,
    ctx: &RenderContext,
    events: &mut Vec<Event>,
    start: usize,
    text: &str,
    offset: usize,
) -> bool {
    let Some(args) = text
        .trim()
        .strip_prefix("{{#interview")
        .and_then(|r| r.strip_suffix("}}"))
    else {
        return false;
    };
    let span = st.span(offset);
    let (from, to) = match parse_directive(args.trim()) {
        Ok(range) => range,
        Err(msg) => {
            st.out.diagnostics.push(
                Diagnostic::error(codes::MD004, msg)
                    .at(span)
                    .with_hint("write {{#interview chapters=1-8}} on a line of its own"),
            );
            return false;
        }
    };
    let chapters: Vec<&ChapterQuestions> = ctx
        .questions
        .iter()
        .filter(|c| c.number >= from && c.number <= to && c.stem != st.ch.stem)
        .filter(|c| !c.questions.is_empty())
        .collect();
    if chapters.is_empty() {
        st.out.diagnostics.push(
            Diagnostic::warning(
                codes::MD005,
                format!("chapters {from}-{to} have no interview questions"),
            )
            .at(span)
            .with_hint(
                "interview questions are `###` headings under a `## … {.interview}` heading",
            ),
        );
    }
    events.truncate(start.min(events.len()));
    let chapters = summary_chapters(st, &chapters);
    let html = st.partial("interview-summary.html", &json!({ "chapters": chapters }));
    events.push(Event::Html(html.into()));
    true
}

/// What `interview-summary.html` gets for each chapter it shows: links and answers made for
/// the page being rendered.
fn summary_chapters(st: &State, chapters: &[&ChapterQuestions]) -> Vec<serde_json::Value> {
    let print = st.anchors != Anchors::Chapter;
    chapters
        .iter()
        .map(|c| {
            let questions: Vec<serde_json::Value> = c
                .questions
                .iter()
                .map(|q| {
                    json!({
                        "id": q.id,
                        "anchor": q.anchor,
                        "question": q.question,
                        "answer_html": if print { &q.print_answer_html } else { &q.answer_html },
                        "url": st.anchors.chapter(c.stem, Some(&q.anchor)),
                    })
                })
                .collect();
            json!({
                "stem": c.stem,
                "number": c.number,
                "title": c.title,
                "url": st.anchors.chapter(c.stem, None),
                "questions": questions,
            })
        })
        .collect()
}

fn code_block(
    st: &mut State,
    ctx: &RenderContext,
    events: &mut Vec<Event>,
    info_raw: &str,
    content: String,
    start: Span,
) {
    let (line, col) = (start.line, start.col);
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
            let html = st.partial("code.html", &json!({"plain": true, "code": content}));
            events.push(Event::Html(html.into()));
            return;
        }
    };
    st.out.code_blocks.push(CodeBlock {
        info: info.clone(),
        info_raw: info_raw.to_string(),
        content: content.clone(),
        file: st.ch.rel_path.clone(),
        fence_line: line,
        fence_col: col,
        indent: col.saturating_sub(1),
    });
    let lang = info.lang.as_str();
    let Some(lab) = info.value("lab").map(str::to_string) else {
        let html = if st.partials.is_none() {
            String::new()
        } else if info.has("expect-error") {
            broken_on_purpose(st, &info, &content)
        } else {
            let code_html = st.highlight(&content, lang);
            st.partial("code.html", &json!({"lang": lang, "code_html": code_html}))
        };
        events.push(Event::Html(html.into()));
        return;
    };
    if !info.has("hidden") {
        lab_block(st, ctx, events, &info, lab, &content);
    }
}

/// A shown block of lab `lab`: the lab's card before its first, the block, and the lab's
/// clean-up after its last.
fn lab_block(
    st: &mut State,
    ctx: &RenderContext,
    events: &mut Vec<Event>,
    info: &fence::Info,
    lab: String,
    content: &str,
) {
    let lang = info.lang.as_str();
    // A lab starts at its first block that is shown.
    let first = !st.lab_seen.contains_key(&lab);
    *st.lab_seen.entry(lab.clone()).or_insert(0) += 1;
    if first {
        st.out.labs.push(lab.clone());
    }
    if st.partials.is_none() {
        return;
    }
    if first {
        let card = lab_card(st, ctx, info, &lab);
        let html = st.partial("lab-card.html", &card);
        events.push(Event::Html(html.into()));
    }
    let html = if lang == "console" {
        render_steps(st, content, &lab)
    } else if info.has("expect-error") {
        broken_on_purpose(st, info, content)
    } else {
        let code_html = st.highlight(content, lang);
        st.partial(
            "lab-file.html",
            &json!({"lab": lab, "file": info.value("file"), "lang": lang, "code_html": code_html}),
        )
    };
    events.push(Event::Html(html.into()));
    let last = st.labs_ahead.shown.get(&lab) == st.lab_seen.get(&lab);
    if last && !st.labs_ahead.host.contains(&lab) {
        let block = CommandBlock {
            class: "lab-cleanup",
            title: "Clean up",
            commands: vec![
                format!("kubectl delete namespace {lab}"),
                "kubectl config set-context --current --namespace default".to_string(),
            ],
        };
        let html = st.partial("lab-commands.html", &json!({"lab": lab, "block": block}));
        events.push(Event::Html(html.into()));
    }
}

/// The card at a lab's first shown block.
fn lab_card(st: &State, ctx: &RenderContext, info: &fence::Info, lab: &str) -> LabCard {
    let requires = info.value("requires");
    let host = host_lab(requires);
    LabCard {
        lab: lab.to_string(),
        title: info.value("title").unwrap_or(lab).to_string(),
        // A heading one level below the section the lab sits in, so it shows in heading
        // navigation without skipping a level.
        level: st.out.headings.last().map_or(2, |h| (h.level + 1).min(6)),
        kubernetes: ctx.kubernetes.to_string(),
        verified: ctx.verified.get(lab).cloned(),
        skip_ci: info.value("skip-ci").map(str::to_string),
        requires: requires
            .map(|r| r.split(',').map(|s| s.trim().to_string()).collect())
            .unwrap_or_default(),
        files: st.labs_ahead.files.get(lab).cloned().unwrap_or_default(),
        host,
        // The namespace every cluster lab runs in (one per lab, named after it).
        block: CommandBlock {
            class: "lab-setup",
            title: "Set up: a namespace of its own",
            commands: vec![
                format!("kubectl create namespace {lab}"),
                format!("kubectl config set-context --current --namespace {lab}"),
            ],
        },
    }
}

fn host_lab(requires: Option<&str>) -> bool {
    requires.is_some_and(|r| r.split(',').any(|x| x.trim() == "host"))
}

fn broken_on_purpose(st: &mut State, info: &fence::Info, content: &str) -> String {
    let lang = info.lang.as_str();
    let code_html = st.highlight(content, lang);
    st.partial(
        "broken.html",
        &json!({"code": info.value("expect-error").unwrap_or(""), "lang": lang, "code_html": code_html}),
    )
}

/// One step of a lab as the reader sees it (`partials/lab-steps.html`).
#[derive(Serialize)]
struct StepView {
    command_html: String,
    /// Whether there is an expected output or a non-zero exit status to show.
    shown: bool,
    output: String,
}

/// A lab's console block as a list of steps, each command with its expected output folded.
fn render_steps(st: &mut State, content: &str, lab: &str) -> String {
    let Ok(steps) = console::parse(content) else {
        let h = st.highlighter;
        let code_html = st.highlighted(|| h.console(content));
        return st.partial(
            "code.html",
            &json!({"console": true, "code_html": code_html}),
        );
    };
    let steps: Vec<StepView> = steps
        .into_iter()
        .map(|s| {
            let shown = if s.background {
                format!("{} &", s.command)
            } else {
                s.command.clone()
            };
            // Shown as kubectl prints it: squashed columns re-aligned (display only).
            let mut output = columns::align(&s.expected).join("\n");
            if s.exit != 0 {
                if !output.is_empty() {
                    output.push('\n');
                }
                output.push_str(&format!("(exit status {})", s.exit));
            }
            StepView {
                command_html: st
                    .highlight(&shown, "bash")
                    .trim_end_matches('\n')
                    .to_string(),
                shown: !s.expected.is_empty() || s.exit != 0,
                output,
            }
        })
        .collect();
    st.partial("lab-steps.html", &json!({"lab": lab, "steps": steps}))
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
        let here = anchor.as_deref().map(|a| st.anchors.here(a));
        st.out.links.push(LinkRef {
            chapter: String::new(),
            anchor,
            span,
            image: false,
            local_path: None,
        });
        return match here {
            Some(h) if st.anchors != Anchors::Chapter => h.into(),
            _ => dest.clone(),
        };
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
            let stem = path.trim_end_matches(".md");
            return st.anchors.chapter(stem, anchor.as_deref()).into();
        }
    }
    dest.clone()
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
                partials: Some(crate::markup::Partials::embedded()),
                questions: &[],
                highlighter: &Highlighter::default(),
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
        // No chapter before this one has questions: an empty summary and a warning; the
        // backwards range is an error and stays a paragraph.
        let codes_seen: Vec<&str> = r.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes_seen, [codes::MD005, codes::MD004]);
        assert!(
            r.html
                .contains("<section class=\"interview interview-summary\">")
        );
        assert!(r.html.contains("chapters=9-2"));

        // With the questions of an earlier chapter, the summary shows them, linked back.
        let q = Question {
            id: "02-x/what-is-a-pod".into(),
            anchor: "what-is-a-pod".into(),
            question: "What is a <Pod>?".into(),
            answer_html: "<p>The smallest unit.</p>\n".into(),
            print_answer_html: "<p>The smallest unit, <a href=\"#02-x--pods\">here</a>.</p>\n"
                .into(),
            chapter: "02-x".into(),
            chapter_number: 2,
        };
        let qs = [q];
        let chapters = [ChapterQuestions {
            stem: "02-x",
            number: 2,
            title: "X & Y",
            questions: &qs,
        }];
        let verified = HashMap::new();
        let r = render(
            &chapter("{{#interview chapters=1-8}}\n"),
            &RenderContext {
                kubernetes: "1.37",
                verified: &verified,
                partials: Some(crate::markup::Partials::embedded()),
                questions: &chapters,
                highlighter: &Highlighter::default(),
            },
        );
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        assert!(
            r.html.contains("<a href=\"02-x.html\">X &amp; Y</a>")
                && r.html.contains("<h4 id=\"q-02-x-what-is-a-pod\">What is a &lt;Pod&gt;?</h4>")
                && r.html.contains("<p>The smallest unit.</p>\n<p class=\"qa-source\">From <a href=\"02-x.html#what-is-a-pod\">chapter 2</a></p>"),
            "{}",
            r.html
        );
        // The one-page book's copy links within the page, with its own answer and ids.
        assert!(
            r.print_html.contains("<a href=\"#02-x\">X &amp; Y</a>")
                && r.print_html
                    .contains("<h4 id=\"01-t--q-02-x-what-is-a-pod\">")
                && r.print_html.contains("<a href=\"#02-x--pods\">here</a>")
                && r.print_html
                    .contains("From <a href=\"#02-x--what-is-a-pod\">chapter 2</a>"),
            "{}",
            r.print_html
        );
    }

    /// The one-page book's copy of a chapter has every id with the chapter's stem and every
    /// reference to one with it too, written so, not rewritten: headings, interview sections,
    /// lab cards, footnotes, in-page and cross-chapter links, and the author's own HTML.
    #[test]
    fn the_print_copy_writes_its_ids_for_the_one_page_book() {
        let r = render_body(
            "## Pods {#pods}\n\nSee [below](#qs), [basics](06-basics.md#svc), [top](06-basics.md) and a note[^n].\n\n```yaml lab=ch01-x file=p.yaml\nkind: Pod\n```\n\n## Questions {.interview}\n\n### What is a Pod?\n\nThe unit.\n\n<div id=\"raw\" aria-labelledby=\"pods\"></div>\n\n[^n]: A footnote.\n",
        );
        let p = &r.print_html;
        for want in [
            "<h2 id=\"01-t--pods\"><a class=\"anchor\" href=\"#01-t--pods\"",
            "href=\"#01-t--qs\"",
            "href=\"#06-basics--svc\"",
            "href=\"#06-basics\"",
            "aria-labelledby=\"01-t--questions\"",
            "id=\"01-t--lab-ch01-x\"",
            "href=\"#01-t--n\"",
            "id=\"01-t--n\"",
            "<div id=\"01-t--raw\" aria-labelledby=\"01-t--pods\">",
        ] {
            assert!(p.contains(want), "{want} in {p}");
        }
        // The chapter's own page is as the book writes it.
        for want in [
            "<h2 id=\"pods\">",
            "href=\"06-basics.html#svc\"",
            "id=\"lab-ch01-x\"",
            "<div id=\"raw\"",
        ] {
            assert!(r.html.contains(want), "{want} in {}", r.html);
        }
        // Headings and questions keep the ids the book gives them (links are checked by them).
        assert_eq!(r.headings[0].id, "pods");
        assert_eq!(r.questions[0].anchor, "what-is-a-pod");
    }

    /// Regression: a lab inside an interview answer or a callout, whose HTML is made before
    /// the chapter ends, lost its card and clean-up, and the card overwrote a later paragraph.
    #[test]
    fn a_lab_inside_an_answer_or_a_callout_keeps_its_card_and_the_page_its_text() {
        let r = render_body(
            "## Q {.interview}\n\n### What?\n\nAnswer.\n\n```yaml lab=ch01-x file=p.yaml\nkind: Pod\n```\n\n> [!NOTE]\n> Note.\n>\n> ```console lab=ch01-x\n> $ kubectl get pods\n> ```\n\n## Next\n\nP1\n\nP2\n",
        );
        let h = &r.html;
        let answer = h.find("<div class=\"qa-answer\">").expect("answer");
        let card = h.find("id=\"lab-ch01-x\"").expect("card");
        let file = h
            .find("labs/ch01-x/p.yaml\" download>download")
            .expect("file");
        let callout = h.find("callout-note").expect("callout");
        let cleanup = h.find("kubectl delete namespace ch01-x").expect("clean-up");
        let next = h.find("id=\"next\"").expect("next");
        assert!(
            answer < card && card < file && file < callout && callout < cleanup && cleanup < next,
            "{h}"
        );
        assert!(h.contains("<p>P1</p>") && h.contains("<p>P2</p>"), "{h}");
        assert!(
            h.contains("<a href=\"labs/ch01-x/p.yaml\" download>p.yaml</a>"),
            "the card lists the file: {h}"
        );
        assert_eq!(h.matches("lab-cleanup").count(), 1, "{h}");
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
