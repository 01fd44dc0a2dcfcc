//! YAML, the language of nearly every block of a Kubernetes book, highlighted by a small
//! line lexer instead of syntect's YAML grammar, which took half of a build's time (profile:
//! 34 ms of regex matching for the 27 KB of YAML in a 15-chapter book). The spans carry the
//! scope classes syntect's grammar gives the same tokens (`hl-entity hl-name hl-tag …` for a
//! key), so the generated theme CSS colours them alike. Text is never changed: stripping the
//! tags and unescaping gives the code back (tested on every block of the shipped book).

use super::escape_html;

const KEY: &str = "<span class=\"hl-string hl-unquoted hl-plain hl-out hl-yaml\"><span class=\"hl-entity hl-name hl-tag hl-yaml\">";
const COLON: &str =
    "<span class=\"hl-punctuation hl-separator hl-key-value hl-mapping hl-yaml\">:</span>";
const ITEM: &str =
    "<span class=\"hl-punctuation hl-definition hl-block hl-sequence hl-item hl-yaml\">-</span>";
const PLAIN: &str = "hl-string hl-unquoted hl-plain hl-out hl-yaml";
const PLAIN_IN: &str = "hl-string hl-unquoted hl-plain hl-in hl-yaml";
const BLOCK_TEXT: &str = "hl-string hl-unquoted hl-block hl-yaml";

/// The HTML of `code` (one `hl-source hl-yaml` span around everything, as syntect does).
pub(super) fn highlight(code: &str) -> String {
    let mut out = String::with_capacity(code.len() * 4);
    out.push_str("<span class=\"hl-source hl-yaml\">");
    // Inside a block scalar (`|`, `>`): its lines are those indented more than this.
    let mut block_indent: Option<usize> = None;
    for line in code.split_inclusive('\n') {
        let (body, nl) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        let indent = body.len() - body.trim_start_matches(' ').len();
        if let Some(parent) = block_indent {
            if body.trim().is_empty() || indent > parent {
                span(&mut out, BLOCK_TEXT, body);
                out.push_str(nl);
                continue;
            }
            block_indent = None;
        }
        if line_content(&mut out, body, indent) {
            block_indent = Some(indent);
        }
        out.push_str(nl);
    }
    out.push_str("</span>");
    out
}

fn span(out: &mut String, class: &str, text: &str) {
    if text.is_empty() {
        return;
    }
    out.push_str("<span class=\"");
    out.push_str(class);
    out.push_str("\">");
    out.push_str(&escape_html(text));
    out.push_str("</span>");
}

/// One line outside a block scalar. True when it opens one.
fn line_content(out: &mut String, body: &str, indent: usize) -> bool {
    out.push_str(&body[..indent]);
    let mut rest = &body[indent..];
    if indent == 0 {
        for marker in ["---", "..."] {
            if let Some(after) = rest.strip_prefix(marker)
                && (after.is_empty() || after.starts_with([' ', '\t']))
            {
                let class = if marker == "---" {
                    "hl-entity hl-other hl-document hl-begin hl-yaml"
                } else {
                    "hl-entity hl-other hl-document hl-end hl-yaml"
                };
                span(out, class, marker);
                rest = after;
                break;
            }
        }
    }
    // `- ` items, possibly nested on one line (`- - a`).
    loop {
        let spaces = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        out.push_str(&rest[..spaces]);
        rest = &rest[spaces..];
        if rest == "-" || rest.starts_with("- ") || rest.starts_with("-\t") {
            out.push_str(ITEM);
            rest = &rest[1..];
        } else {
            break;
        }
    }
    if rest.starts_with('#') {
        comment(out, rest);
        return false;
    }
    if let Some((key_len, quoted)) = key_at(rest) {
        if quoted {
            quoted_scalar(out, &rest[..key_len]);
        } else {
            out.push_str(KEY);
            out.push_str(&escape_html(&rest[..key_len]));
            out.push_str("</span></span>");
        }
        out.push_str(COLON);
        rest = &rest[key_len + 1..];
    }
    value(out, rest)
}

/// The length of a mapping key at the start of `s` (plain or quoted), followed by `:` and a
/// space or the end of the line.
fn key_at(s: &str) -> Option<(usize, bool)> {
    let colon_ends = |i: usize| {
        s[i..].starts_with(':') && (i + 1 == s.len() || s[i + 1..].starts_with([' ', '\t']))
    };
    if let Some(q @ ('"' | '\'')) = s.chars().next() {
        let end = quoted_len(s, q)?;
        return colon_ends(end).then_some((end, true));
    }
    if s.starts_with(['[', '{', '&', '*', '!', '|', '>', '%', '@', '`']) {
        return None;
    }
    let mut prev_space = false;
    for (i, c) in s.char_indices() {
        if c == '#' && prev_space {
            return None;
        }
        if c == ':' && colon_ends(i) && i > 0 {
            return Some((i, false));
        }
        prev_space = c == ' ' || c == '\t';
    }
    None
}

/// The length of the quoted scalar at the start of `s` with its quotes, if it closes on this
/// line.
fn quoted_len(s: &str, q: char) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 1;
    while i < b.len() {
        match (b[i], q) {
            (b'\\', '"') => i += 2,
            (b'\'', '\'') if b.get(i + 1) == Some(&b'\'') => i += 2,
            (c, _) if c == q as u8 => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

fn comment(out: &mut String, text: &str) {
    out.push_str("<span class=\"hl-comment hl-line hl-number-sign hl-yaml\"><span class=\"hl-punctuation hl-definition hl-comment hl-line hl-number-sign hl-yaml\">#</span>");
    out.push_str(&escape_html(&text[1..]));
    out.push_str("</span>");
}

/// A quoted scalar, quotes marked; a double-quoted one's escapes too. `s` may lack its
/// closing quote (a string that goes on to the next line).
fn quoted_scalar(out: &mut String, s: &str) {
    let double = s.starts_with('"');
    out.push_str(if double {
        "<span class=\"hl-string hl-quoted hl-double hl-yaml\">"
    } else {
        "<span class=\"hl-string hl-quoted hl-single hl-yaml\">"
    });
    let quote = |out: &mut String, end: bool| {
        out.push_str(if end {
            "<span class=\"hl-punctuation hl-definition hl-string hl-end hl-yaml\">"
        } else {
            "<span class=\"hl-punctuation hl-definition hl-string hl-begin hl-yaml\">"
        });
        out.push_str(if double { "&quot;" } else { "&#39;" });
        out.push_str("</span>");
    };
    quote(out, false);
    let closed = s.len() >= 2 && s.ends_with(if double { '"' } else { '\'' });
    let inner = if closed { &s[1..s.len() - 1] } else { &s[1..] };
    if double {
        let mut i = 0;
        let b = inner.as_bytes();
        let mut start = 0;
        while i < b.len() {
            if b[i] == b'\\' {
                out.push_str(&escape_html(&inner[start..i]));
                let end = (i + 2).min(b.len());
                // Never split a character: an escape is `\` and one whole character.
                let end = (end..=b.len())
                    .find(|&e| inner.is_char_boundary(e))
                    .unwrap_or(b.len());
                span(
                    out,
                    "hl-constant hl-character hl-escape hl-double-quoted hl-yaml",
                    &inner[i..end],
                );
                i = end;
                start = end;
            } else {
                i += 1;
            }
        }
        out.push_str(&escape_html(&inner[start..]));
    } else {
        out.push_str(&escape_html(inner));
    }
    if closed {
        quote(out, true);
    }
    out.push_str("</span>");
}

/// What follows a key or an item (or a whole continuation line). True when it opens a block
/// scalar.
fn value(out: &mut String, s: &str) -> bool {
    let spaces = s.len() - s.trim_start_matches([' ', '\t']).len();
    out.push_str(&s[..spaces]);
    let mut rest = &s[spaces..];
    // Anchors, aliases and tags before the value itself.
    while let Some(c @ ('&' | '*' | '!')) = rest.chars().next() {
        let end = rest.find([' ', '\t']).unwrap_or(rest.len());
        let class = match c {
            '&' => "hl-entity hl-name hl-other hl-anchor hl-yaml",
            '*' => "hl-variable hl-other hl-alias hl-yaml",
            _ => "hl-storage hl-type hl-tag-handle hl-yaml",
        };
        span(out, class, &rest[..end]);
        rest = &rest[end..];
        let sp = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        out.push_str(&rest[..sp]);
        rest = &rest[sp..];
    }
    if rest.is_empty() {
        return false;
    }
    if rest.starts_with('#') {
        comment(out, rest);
        return false;
    }
    if let Some(c @ ('|' | '>')) = rest.chars().next() {
        let class = if c == '|' {
            "hl-keyword hl-control hl-flow hl-block-scalar hl-literal hl-yaml"
        } else {
            "hl-keyword hl-control hl-flow hl-block-scalar hl-folded hl-yaml"
        };
        span(out, class, &rest[..1]);
        let mut after = &rest[1..];
        while let Some(m) = after
            .chars()
            .next()
            .filter(|c| matches!(c, '+' | '-' | '1'..='9'))
        {
            let class = if m == '+' || m == '-' {
                "hl-storage hl-modifier hl-chomping-indicator hl-yaml"
            } else {
                "hl-constant hl-numeric hl-indentation-indicator hl-yaml"
            };
            span(out, class, &after[..1]);
            after = &after[1..];
        }
        trailing(out, after);
        return true;
    }
    if let Some(q @ ('"' | '\'')) = rest.chars().next() {
        let end = quoted_len(rest, q).unwrap_or(rest.len());
        quoted_scalar(out, &rest[..end]);
        trailing(out, &rest[end..]);
        return false;
    }
    if rest.starts_with(['[', '{']) {
        flow(out, rest);
        return false;
    }
    let (scalar, after) = split_comment(rest);
    let text = scalar.trim_end();
    plain_scalar(out, text, PLAIN);
    out.push_str(&escape_html(&scalar[text.len()..]));
    if !after.is_empty() {
        comment(out, after);
    }
    false
}

/// Spaces and a comment after a value; anything else is shown as it is.
fn trailing(out: &mut String, s: &str) {
    let spaces = s.len() - s.trim_start_matches([' ', '\t']).len();
    out.push_str(&s[..spaces]);
    let rest = &s[spaces..];
    if rest.starts_with('#') {
        comment(out, rest);
    } else {
        out.push_str(&escape_html(rest));
    }
}

/// A plain scalar and the comment after it (` #` starts one).
fn split_comment(s: &str) -> (&str, &str) {
    let mut prev_space = false;
    for (i, c) in s.char_indices() {
        if c == '#' && prev_space {
            return (&s[..i], &s[i..]);
        }
        prev_space = c == ' ' || c == '\t';
    }
    (s, "")
}

/// A plain scalar as the YAML 1.1 resolver kubectl uses reads it: a boolean, null, a number
/// or a string.
fn plain_scalar(out: &mut String, text: &str, string_class: &str) {
    if text.is_empty() {
        return;
    }
    let lower = text.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n"
    ) && (text == lower || text == text.to_ascii_uppercase() || text[1..] == lower[1..])
    {
        span(out, "hl-constant hl-language hl-boolean hl-yaml", text);
    } else if matches!(lower.as_str(), "null" | "~") {
        span(out, "hl-constant hl-language hl-null hl-yaml", text);
    } else if is_int(text) {
        span(
            out,
            "hl-constant hl-numeric hl-integer hl-decimal hl-yaml",
            text,
        );
    } else if let Some(dot) = float_dot(text) {
        out.push_str("<span class=\"hl-constant hl-numeric hl-float hl-decimal hl-yaml\">");
        out.push_str(&escape_html(&text[..dot]));
        out.push_str("<span class=\"hl-punctuation hl-separator hl-decimal hl-yaml\">.</span>");
        out.push_str(&escape_html(&text[dot + 1..]));
        out.push_str("</span>");
    } else {
        span(out, string_class, text);
    }
}

fn is_int(t: &str) -> bool {
    let d = t.strip_prefix(['-', '+']).unwrap_or(t);
    !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit())
}

/// Where the `.` of a decimal float is (`1.5`, `-0.25`, `.5`, `1e3` has none).
fn float_dot(t: &str) -> Option<usize> {
    let d = t.strip_prefix(['-', '+']).unwrap_or(t);
    let (a, b) = d.split_once('.')?;
    let digits = |s: &str| s.bytes().all(|c| c.is_ascii_digit());
    (digits(a) && digits(b) && !(a.is_empty() && b.is_empty())).then(|| t.len() - d.len() + a.len())
}

/// A flow collection (`[a, "b"]`, `{k: v}`), nested ones included; a key inside a flow
/// mapping is marked as a key.
fn flow(out: &mut String, s: &str) {
    let mut rest = s;
    let mut depth: Vec<char> = Vec::new();
    while let Some(c) = rest.chars().next() {
        match c {
            '[' | '{' => {
                depth.push(c);
                let class = if c == '[' {
                    "hl-punctuation hl-definition hl-sequence hl-begin hl-yaml"
                } else {
                    "hl-punctuation hl-definition hl-mapping hl-begin hl-yaml"
                };
                span(out, class, &rest[..1]);
                rest = &rest[1..];
            }
            ']' | '}' => {
                depth.pop();
                let class = if c == ']' {
                    "hl-punctuation hl-definition hl-sequence hl-end hl-yaml"
                } else {
                    "hl-punctuation hl-definition hl-mapping hl-end hl-yaml"
                };
                span(out, class, &rest[..1]);
                rest = &rest[1..];
                if depth.is_empty() {
                    trailing(out, rest);
                    return;
                }
            }
            ',' => {
                span(out, "hl-punctuation hl-separator hl-sequence hl-yaml", ",");
                rest = &rest[1..];
            }
            ':' => {
                out.push_str(COLON);
                rest = &rest[1..];
            }
            ' ' | '\t' => {
                out.push(c);
                rest = &rest[1..];
            }
            '"' | '\'' => {
                let end = quoted_len(rest, c).unwrap_or(rest.len());
                quoted_scalar(out, &rest[..end]);
                rest = &rest[end..];
            }
            '#' => {
                comment(out, rest);
                return;
            }
            _ => {
                let end = rest
                    .find([',', '[', ']', '{', '}', '#'])
                    .unwrap_or(rest.len());
                let mut token = &rest[..end];
                // `k: v` inside a mapping: the key, then its colon.
                let key_end = token
                    .find(": ")
                    .or_else(|| token.strip_suffix(':').map(|t| t.len()));
                if let Some(k) = key_end.filter(|_| depth.last() == Some(&'{')) {
                    let key = token[..k].trim_end();
                    out.push_str("<span class=\"hl-string hl-unquoted hl-plain hl-in hl-yaml\"><span class=\"hl-entity hl-name hl-tag hl-yaml\">");
                    out.push_str(&escape_html(key));
                    out.push_str("</span></span>");
                    out.push_str(&token[key.len()..k]);
                    out.push_str(COLON);
                    rest = &rest[k + 1..];
                    continue;
                }
                let text = token.trim_end();
                plain_scalar(out, text, PLAIN_IN);
                token = &token[text.len()..];
                out.push_str(token);
                rest = &rest[end..];
            }
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// The text a highlighted block shows.
    pub(crate) fn text_of(html: &str) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => in_tag = false,
                c if !in_tag => out.push(c),
                _ => {}
            }
        }
        out.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&")
    }

    #[test]
    fn tokens_get_syntects_classes() {
        let h = highlight(
            "apiVersion: v1\nkind: Pod # c\nspec:\n  replicas: 3\n  ratio: 0.5\n  ok: true\n  - \"a\\\"b\"\n  args: [\"sh\", -c, {k: v}]\n  script: |-\n    echo <hi>\n\n    done\nnext: 'it''s'\n",
        );
        assert!(h.starts_with("<span class=\"hl-source hl-yaml\"><span class=\"hl-string hl-unquoted hl-plain hl-out hl-yaml\"><span class=\"hl-entity hl-name hl-tag hl-yaml\">apiVersion</span></span><span class=\"hl-punctuation hl-separator hl-key-value hl-mapping hl-yaml\">:</span> <span class=\"hl-string hl-unquoted hl-plain hl-out hl-yaml\">v1</span>\n"), "{h}");
        for needle in [
            "<span class=\"hl-comment hl-line hl-number-sign hl-yaml\"><span class=\"hl-punctuation hl-definition hl-comment hl-line hl-number-sign hl-yaml\">#</span> c</span>",
            "<span class=\"hl-constant hl-numeric hl-integer hl-decimal hl-yaml\">3</span>",
            "<span class=\"hl-constant hl-numeric hl-float hl-decimal hl-yaml\">0<span class=\"hl-punctuation hl-separator hl-decimal hl-yaml\">.</span>5</span>",
            "<span class=\"hl-constant hl-language hl-boolean hl-yaml\">true</span>",
            "<span class=\"hl-constant hl-character hl-escape hl-double-quoted hl-yaml\">\\&quot;</span>",
            "<span class=\"hl-string hl-unquoted hl-plain hl-in hl-yaml\">-c</span>",
            "<span class=\"hl-entity hl-name hl-tag hl-yaml\">k</span></span><span class=\"hl-punctuation hl-separator hl-key-value hl-mapping hl-yaml\">:</span> <span class=\"hl-string hl-unquoted hl-plain hl-in hl-yaml\">v</span>",
            "<span class=\"hl-keyword hl-control hl-flow hl-block-scalar hl-literal hl-yaml\">|</span><span class=\"hl-storage hl-modifier hl-chomping-indicator hl-yaml\">-</span>",
            "<span class=\"hl-string hl-unquoted hl-block hl-yaml\">    echo &lt;hi&gt;</span>\n\n<span class=\"hl-string hl-unquoted hl-block hl-yaml\">    done</span>\n<span class=\"hl-string hl-unquoted hl-plain hl-out hl-yaml\"><span class=\"hl-entity hl-name hl-tag hl-yaml\">next</span>",
            "&#39;</span>it&#39;&#39;s<span",
        ] {
            assert!(h.contains(needle), "missing {needle}\nin {h}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_kept(code in "[ a-z0-9:'\"\\#&*!|>\\[\\]{},.-]{0,20}(\n[ a-z0-9:'\"#|>\\[\\]{}-]{0,20}){0,6}|\\PC{0,40}") {
            proptest::prop_assert_eq!(text_of(&highlight(&code)), code);
        }
    }

    #[test]
    fn text_is_kept_whatever_the_input() {
        for code in [
            "",
            "\n",
            "a",
            "- - x\n",
            "key: \"unterminated\n  rest\"\n",
            "url: http://x:8080/a#b # c\n",
            "k: [a, [b, {c: d}], 'e']\n",
            "? complex\n: value\n",
            "x: \"\\u00e9\\é\"\n",
            "--- # doc\n...\n",
            "k: &a !!str *b v\n",
            "\t- tab\n",
            "emoji: 🎉 #x\n",
            "[unclosed\n{also: unclosed\n",
            "\"\\",
        ] {
            assert_eq!(text_of(&highlight(code)), code, "{code:?}");
        }
    }
}
