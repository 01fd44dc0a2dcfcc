//! Expected-output matching: literal text, runs of spaces match runs of spaces, `[..]` any
//! text within a line, a `...` line any number of lines, and named placeholders (the
//! catalogue `PLACEHOLDERS`).

use serde::Serialize;

/// Does `actual` match the expected lines? A step with no expected lines checks only its exit
/// status (docs/authoring.md), so any output matches it.
pub fn matches(expected: &[String], actual: &str) -> bool {
    if expected.is_empty() {
        return true;
    }
    let normal = normalize(actual, expected);
    let actual: Vec<&str> = normal.lines().collect();
    let mut actual = actual.as_slice();
    while actual.last().is_some_and(|l| l.trim().is_empty()) {
        actual = &actual[..actual.len() - 1];
    }
    let exp: Vec<&str> = expected.iter().map(String::as_str).collect();
    match_lines(&exp, actual)
}

/// What a terminal shows, not the bytes: ANSI escape sequences removed, a bare `\r` (a
/// redrawn progress line) taken as a line break. And the API server's `Warning:` lines, which
/// a new patch release may add to any command, dropped unless the book expects a warning.
pub fn normalize(actual: &str, expected: &[String]) -> String {
    let keep_warnings = expected.iter().any(|e| e.contains("Warning:"));
    let mut text = String::with_capacity(actual.len());
    let mut chars = actual.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => {
                // CSI: ESC [ parameters… final byte in @..~; other escapes: ESC + one char.
                if chars.peek() == Some(&'[') {
                    chars.next();
                    for d in chars.by_ref() {
                        if ('@'..='~').contains(&d) {
                            break;
                        }
                    }
                } else {
                    chars.next();
                }
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' => text.push('\n'),
            c => text.push(c),
        }
    }
    if keep_warnings {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    for l in text.lines().filter(|l| !l.starts_with("Warning: ")) {
        out.push_str(l);
        out.push('\n');
    }
    out
}

fn match_lines(exp: &[&str], act: &[&str]) -> bool {
    // Dynamic programming over (expected index, actual index): `...` may absorb lines.
    let (n, m) = (exp.len(), act.len());
    let mut reach = vec![vec![false; m + 1]; n + 1];
    reach[0][0] = true;
    for i in 0..=n {
        for j in 0..=m {
            if !reach[i][j] || i == n {
                continue;
            }
            if exp[i].trim() == "..." {
                for r in reach[i + 1].iter_mut().skip(j) {
                    *r = true;
                }
            } else if j < m && line_matches(exp[i], act[j]) {
                reach[i + 1][j + 1] = true;
            }
        }
    }
    reach[n][m]
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok {
    Lit(char),
    Space,
    Any,
    Age,
    Ip,
    Hash,
    NodePort,
    Num,
}

/// A placeholder an expected line may hold.
#[derive(Debug, Serialize)]
pub struct Placeholder {
    /// As the book writes it.
    pub notation: &'static str,
    /// What it matches, for the authoring guide (Markdown).
    pub matches: &'static str,
    /// What it stands for, in the reader's words: the theme's legend and tooltips.
    pub legend: &'static str,
    /// A line holding only this (`...`), not a part of a line.
    pub whole_line: bool,
    #[serde(skip)]
    tok: Option<Tok>,
}

/// The catalogue of placeholders: the matcher, the theme's legend (`kb-placeholders` in
/// base.html, rendered from this table; book.js marks what it lists) and the authoring
/// guide's table (generated: `KUBEBOOK_WRITE_DOCS=1 cargo test --lib lab::matcher`).
pub const PLACEHOLDERS: &[Placeholder] = &[
    Placeholder {
        notation: "[..]",
        matches: "any text within one line (also nothing)",
        legend: "any text",
        whole_line: false,
        tok: Some(Tok::Any),
    },
    Placeholder {
        notation: "...",
        matches: "on a line of its own: any number of lines (also none)",
        legend: "any number of lines",
        whole_line: true,
        tok: None,
    },
    Placeholder {
        notation: "[AGE]",
        matches: "a kubectl age: `5s`, `2m3s`, `10d`, `<unknown>`",
        legend: "an age, such as 42s or 5m",
        whole_line: false,
        tok: Some(Tok::Age),
    },
    Placeholder {
        notation: "[IP]",
        matches: "an IPv4 address",
        legend: "an IP address",
        whole_line: false,
        tok: Some(Tok::Ip),
    },
    Placeholder {
        notation: "[HASH]",
        matches: "a generated name suffix: lower-case letters and digits (`7c5ddbdf54`, `x2k9p`)",
        legend: "a generated name suffix",
        whole_line: false,
        tok: Some(Tok::Hash),
    },
    Placeholder {
        notation: "[NODEPORT]",
        matches: "a number from 30000 to 32767",
        legend: "a node port, 30000–32767",
        whole_line: false,
        tok: Some(Tok::NodePort),
    },
    Placeholder {
        notation: "[NUM]",
        matches: "digits",
        legend: "a number",
        whole_line: false,
        tok: Some(Tok::Num),
    },
];

/// The placeholders that stand inside a line, with their token.
fn inline_placeholders() -> impl Iterator<Item = (&'static str, Tok)> {
    PLACEHOLDERS
        .iter()
        .filter_map(|p| p.tok.map(|t| (p.notation, t)))
}

/// The guide's table of what an expected line may hold (docs/authoring.md).
pub fn markdown_table() -> String {
    let mut s = String::from(
        "| write | matches |\n|---|---|\n| literal text | itself; runs of spaces match any run of spaces (column widths vary) |\n",
    );
    for p in PLACEHOLDERS {
        s.push_str(&format!("| `{}` | {} |\n", p.notation, p.matches));
    }
    s
}

fn tokenize(p: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut rest = p.trim_end();
    'outer: while let Some(c) = rest.chars().next() {
        if c == '[' {
            for (name, tok) in inline_placeholders() {
                if let Some(r) = rest.strip_prefix(name) {
                    out.push(tok);
                    rest = r;
                    continue 'outer;
                }
            }
        }
        if c == ' ' || c == '\t' {
            out.push(Tok::Space);
            rest = rest.trim_start_matches([' ', '\t']);
            continue;
        }
        out.push(Tok::Lit(c));
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Match one line.
pub fn line_matches(expected: &str, actual: &str) -> bool {
    let toks = tokenize(expected);
    let act: Vec<char> = actual.trim_end().chars().collect();
    // Bound the work (and recursion depth) on hostile input: compare whitespace-normalised text.
    if toks.len() > 1000 || toks.len() * (act.len() + 1) > 2_000_000 {
        let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        return norm(expected) == norm(actual);
    }
    let mut memo = vec![vec![None; act.len() + 1]; toks.len() + 1];
    m(&toks, 0, &act, 0, &mut memo)
}

fn m(t: &[Tok], i: usize, a: &[char], j: usize, memo: &mut Vec<Vec<Option<bool>>>) -> bool {
    if let Some(r) = memo[i][j] {
        return r;
    }
    let r = if i == t.len() {
        j == a.len()
    } else {
        match &t[i] {
            Tok::Lit(c) => j < a.len() && a[j] == *c && m(t, i + 1, a, j + 1, memo),
            Tok::Space => {
                let mut k = j;
                while k < a.len() && (a[k] == ' ' || a[k] == '\t') {
                    k += 1;
                }
                k > j && m(t, i + 1, a, k, memo)
            }
            Tok::Any => (j..=a.len()).any(|k| m(t, i + 1, a, k, memo)),
            other => {
                let class: fn(&[char]) -> bool = match other {
                    Tok::Age => is_age,
                    Tok::Ip => is_ip,
                    Tok::Hash => |s| {
                        s.iter()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
                    },
                    Tok::NodePort => |s| {
                        let n: String = s.iter().collect();
                        n.parse::<u32>().is_ok_and(|p| (30000..=32767).contains(&p))
                    },
                    _ => |s| s.iter().all(|c| c.is_ascii_digit()),
                };
                let mut ok = false;
                for k in (j + 1)..=a.len() {
                    if class(&a[j..k]) && m(t, i + 1, a, k, memo) {
                        ok = true;
                        break;
                    }
                }
                ok
            }
        }
    };
    memo[i][j] = Some(r);
    r
}

/// kubectl ages: `5s`, `2m3s`, `3h`, `10d`, `2y45d`, `<unknown>`, `<invalid>`.
fn is_age(s: &[char]) -> bool {
    let s: String = s.iter().collect();
    if s == "<unknown>" || s == "<invalid>" {
        return true;
    }
    let mut saw_unit = false;
    let mut digits = 0;
    for c in s.chars() {
        if c.is_ascii_digit() {
            digits += 1;
        } else if "smhdy".contains(c) && digits > 0 {
            digits = 0;
            saw_unit = true;
        } else {
            return false;
        }
    }
    saw_unit && digits == 0
}

fn is_ip(s: &[char]) -> bool {
    let s: String = s.iter().collect();
    s.parse::<std::net::Ipv4Addr>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_theme_and_the_guide_read_the_catalogue() {
        // The legend is rendered from the table and book.js marks what the legend lists, so
        // neither may spell a placeholder of its own.
        let base = include_str!("../../themes/default/templates/base.html");
        assert!(
            base.contains("{% for p in placeholders %}"),
            "base.html renders the legend from the catalogue"
        );
        let js = include_str!("../../themes/default/static/book.js");
        for p in PLACEHOLDERS {
            let escaped = p.notation.replace('[', "\\[").replace('.', "\\.");
            assert!(!js.contains(&escaped), "book.js hard-codes {}", p.notation);
        }
        crate::docgen::check_section("docs/authoring.md", "placeholders", &markdown_table());
    }

    #[test]
    fn d9_warnings_ansi_and_carriage_returns_are_tolerated() {
        let exp = vec!["deployment.apps/web rolled back".to_string()];
        let warned = "Warning: resource deployments/web was previously managed with 'kubectl apply'.\ndeployment.apps/web rolled back\n";
        assert!(matches(&exp, warned));
        // A book that shows the warning still has to match it.
        let exp_w = vec![
            "Warning: [..]".to_string(),
            "deployment.apps/web rolled back".to_string(),
        ];
        assert!(matches(&exp_w, warned));
        assert!(!matches(&exp_w, "deployment.apps/web rolled back\n"));
        assert!(matches(
            &exp,
            "\u{1b}[32mdeployment.apps/web rolled back\u{1b}[0m\r\n"
        ));
        let progress = vec!["10%".to_string(), "done".to_string()];
        assert!(matches(&progress, "10%\rdone\n"));
        // A warning in the middle of a line is output, not a warning line.
        assert!(!matches(
            &exp,
            "x Warning: y\ndeployment.apps/web rolled back\n"
        ));
    }

    fn v(s: &str) -> Vec<String> {
        s.lines().map(String::from).collect()
    }

    #[test]
    fn table() {
        let cases: &[(&str, &str, bool)] = &[
            ("pod/x created", "pod/x created", true),
            ("pod/x created", "pod/x configured", false),
            ("NAME   READY", "NAME        READY", true),
            ("NAME READY", "NAMEREADY", false),
            ("x   [AGE]", "x   5s", true),
            ("x   [AGE]", "x   2m30s", true),
            ("x   [AGE]", "x   10d", true),
            ("x   [AGE]", "x   5", false),
            ("x   [AGE]", "x   <unknown>", true),
            (
                "web-[HASH]-[HASH]   1/1",
                "web-7c5ddbdf54-x2k9p   1/1",
                true,
            ),
            ("web-[HASH]-[HASH]   1/1", "web-7C5-x2k9p   1/1", false),
            ("ip [IP]", "ip 10.244.0.5", true),
            ("ip [IP]", "ip 10.244.0", false),
            ("[NODEPORT]", "31234", true),
            ("[NODEPORT]", "8080", false),
            (
                "pod \"x\" deleted[..]",
                "pod \"x\" deleted from lab namespace",
                true,
            ),
            ("pod \"x\" deleted[..]", "pod \"x\" deleted", true),
            ("[..]", "", true),
            ("a [NUM] b", "a 42 b", true),
            ("trailing  ", "trailing", true),
        ];
        for (e, a, want) in cases {
            assert_eq!(line_matches(e, a), *want, "expected {e:?} vs actual {a:?}");
        }
    }

    #[test]
    fn real_kubectl_get_pods() {
        let exp = v(
            "NAME                   READY   STATUS    RESTARTS   AGE\nweb-[HASH]-[HASH]   1/1     Running   0          [AGE]\nweb-[HASH]-[HASH]   1/1     Running   0          [AGE]",
        );
        let act = "NAME                    READY   STATUS    RESTARTS   AGE\nweb-5d8f9c7b6d-abcde    1/1     Running   0          12s\nweb-5d8f9c7b6d-fghij    1/1     Running   0          2m1s\n";
        assert!(matches(&exp, act));
        let bad = "NAME                    READY   STATUS    RESTARTS   AGE\nweb-5d8f9c7b6d-abcde    0/1     Pending   0          12s\nweb-5d8f9c7b6d-fghij    1/1     Running   0          2m1s\n";
        assert!(!matches(&exp, bad));
    }

    #[test]
    fn ellipsis_lines() {
        let exp = v("...\n<title>Welcome to nginx!</title>\n...");
        assert!(matches(
            &exp,
            "<html>\n<head>\n<title>Welcome to nginx!</title>\n</head>\n"
        ));
        assert!(matches(&exp, "<title>Welcome to nginx!</title>"));
        assert!(!matches(&exp, "<title>Other</title>\n"));
        assert!(matches(&v("..."), ""));
        assert!(matches(&[], ""));
        assert!(
            matches(&[], "any output\n"),
            "no expected lines: only the exit status counts"
        );
        let exp = v("Waiting\n...\ndeployment \"web\" successfully rolled out");
        assert!(matches(
            &exp,
            "Waiting\nWaiting for 1\ndeployment \"web\" successfully rolled out\n"
        ));
    }

    #[test]
    fn huge_input_is_fine() {
        let act = "x ".repeat(5000);
        assert!(line_matches("[..]", &act));
        assert!(!line_matches("y[..]", &act));
    }
}
