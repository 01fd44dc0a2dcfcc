//! How a chapter's ids and in-book links are written for the page it is rendered for: its
//! own page (`06-basics.html`, ids as the book gives them) or the one-page book
//! (`print.html`, where every chapter's ids carry the chapter's stem so they stay unique,
//! and a link to another chapter becomes a link within the page). `markdown::render` renders
//! each chapter once for each, so every id and every reference to one (`href="#…"`,
//! `aria-labelledby`) is right when it is written; nothing is rewritten afterwards.

/// The page a chapter is rendered for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Anchors<'a> {
    /// The chapter's own page.
    Chapter,
    /// The one-page book: ids are `{stem}--{id}`, a chapter's top is `#{stem}`.
    Print { stem: &'a str },
}

impl Anchors<'_> {
    /// What goes before every id the chapter's markup writes (the partials get it as
    /// `id_prefix`).
    pub(crate) fn id_prefix(&self) -> String {
        match self {
            Anchors::Chapter => String::new(),
            Anchors::Print { stem } => format!("{stem}--"),
        }
    }

    /// The link to `#anchor` in this chapter.
    pub(crate) fn here(&self, anchor: &str) -> String {
        format!("#{}{anchor}", self.id_prefix())
    }

    /// The link to the chapter `stem` (its top, or `#anchor` in it).
    pub(crate) fn chapter(&self, stem: &str, anchor: Option<&str>) -> String {
        match (self, anchor) {
            (Anchors::Chapter, Some(a)) => format!("{stem}.html#{a}"),
            (Anchors::Chapter, None) => format!("{stem}.html"),
            (Anchors::Print { .. }, Some(a)) => format!("#{stem}--{a}"),
            (Anchors::Print { .. }, None) => format!("#{stem}"),
        }
    }

    /// The name of a footnote: pulldown-cmark writes it as the footnote's id and the
    /// reference's `href`, so both follow the page's ids.
    pub(crate) fn footnote(&self, name: &str) -> String {
        format!("{}{name}", self.id_prefix())
    }

    /// HTML the author wrote into the chapter (raw `<div id=…>`): the one markup kubebook
    /// does not write itself, so for the one-page book its ids, the attributes that name
    /// ids and its in-page links are given the prefix here.
    pub(crate) fn authored_html(&self, html: &str) -> Option<String> {
        let Anchors::Print { stem } = self else {
            return None;
        };
        const ATTRS: [&str; 7] = [
            " id=\"",
            " href=\"#",
            " aria-labelledby=\"",
            " aria-describedby=\"",
            " aria-controls=\"",
            " aria-owns=\"",
            " for=\"",
        ];
        if !ATTRS.iter().any(|a| html.contains(a)) {
            return None;
        }
        let mut h = html.to_string();
        for attr in ATTRS {
            let mut out = String::with_capacity(h.len() + 16);
            let mut rest = h.as_str();
            while let Some(i) = rest.find(attr) {
                let (before, after) = rest.split_at(i + attr.len());
                out.push_str(before);
                let end = after.find('"').unwrap_or(after.len());
                let ids: Vec<String> = after[..end]
                    .split_whitespace()
                    .map(|id| format!("{stem}--{id}"))
                    .collect();
                out.push_str(&ids.join(" "));
                rest = &after[end..];
            }
            out.push_str(rest);
            h = out;
        }
        Some(h)
    }
}

#[cfg(test)]
mod tests {
    use super::Anchors;

    #[test]
    fn links_and_ids_follow_the_page() {
        let page = Anchors::Chapter;
        let print = Anchors::Print { stem: "06-b" };
        assert_eq!(page.here("pods"), "#pods");
        assert_eq!(print.here("pods"), "#06-b--pods");
        assert_eq!(page.chapter("07-c", Some("x")), "07-c.html#x");
        assert_eq!(print.chapter("07-c", Some("x")), "#07-c--x");
        assert_eq!(print.chapter("07-c", None), "#07-c");
        assert_eq!(print.footnote("1"), "06-b--1");
    }

    #[test]
    fn authored_html_gets_the_prefix_only_in_the_one_page_book() {
        let html = "<section aria-labelledby=\"q a\"><label for=\"x\">L</label><a href=\"#q\">q</a><b data-for=\"y\" id=\"z\">";
        assert_eq!(Anchors::Chapter.authored_html(html), None);
        assert_eq!(
            Anchors::Print { stem: "06-b" }
                .authored_html(html)
                .as_deref(),
            Some(
                "<section aria-labelledby=\"06-b--q 06-b--a\"><label for=\"06-b--x\">L</label><a href=\"#06-b--q\">q</a><b data-for=\"y\" id=\"06-b--z\">"
            )
        );
        assert_eq!(Anchors::Print { stem: "s" }.authored_html("<br>"), None);
    }
}
