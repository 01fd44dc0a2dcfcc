//! Expected-output matching: literal text, runs of spaces match runs of spaces, `[..]` any
//! text within a line, a `...` line any number of lines, and named placeholders.

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

#[derive(Debug, PartialEq)]
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

/// The placeholders an expected line may hold (docs/authoring.md); besides them, a line that
/// is just `...` stands for any number of lines. The theme explains each to readers.
pub const PLACEHOLDERS: [&str; 6] = ["[..]", "[AGE]", "[IP]", "[HASH]", "[NODEPORT]", "[NUM]"];

fn tokenize(p: &str) -> Vec<Tok> {
    const NAMED: [&str; 6] = PLACEHOLDERS;
    let make = |name: &str| match name {
        "[..]" => Tok::Any,
        "[AGE]" => Tok::Age,
        "[IP]" => Tok::Ip,
        "[HASH]" => Tok::Hash,
        "[NODEPORT]" => Tok::NodePort,
        _ => Tok::Num,
    };
    let mut out = Vec::new();
    let mut rest = p.trim_end();
    'outer: while let Some(c) = rest.chars().next() {
        if c == '[' {
            for name in NAMED {
                if let Some(r) = rest.strip_prefix(name) {
                    out.push(make(name));
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
    fn the_theme_explains_every_placeholder() {
        // The default theme's legend and the script that marks placeholders know them all.
        let base = include_str!("../../themes/default/templates/base.html");
        let js = include_str!("../../themes/default/static/book.js");
        for p in PLACEHOLDERS.iter().chain(&["..."]) {
            assert!(
                base.contains(&format!("data-ph=\"{p}\"")),
                "{p} in the legend"
            );
        }
        for p in PLACEHOLDERS {
            let re = p
                .replace('[', "\\[")
                .replace(']', "\\]")
                .replace('.', "\\.");
            assert!(js.contains(&re), "{p} ({re}) in book.js");
        }
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
