//! Shell commands (`bash`/`sh` blocks and every lab step) highlighted by a small lexer instead
//! of syntect's bash grammar, the costliest grammar left after YAML (a profile put it at a
//! fifth of a build). The tokens a reader's eye looks for get syntect's scope classes, so the
//! theme CSS colours them alike: the command name, options, strings, variables and
//! expansions, comments, operators and redirections, keywords, assignments, line
//! continuations. Text is never changed (tested on every shell block of the book).

use super::escape_html;

const SOURCE: &str = "<span class=\"hl-source hl-shell hl-bash\">";
const KEYWORDS: &[&str] = &[
    "if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done", "case", "esac",
    "in", "function", "select", "time",
];
/// Builtins syntect's grammar marks as `support.function.NAME`.
const BUILTINS: &[&str] = &[
    "echo", "printf", "kill", "cd", "export", "set", "unset", "read", "exit", "return", "source",
    "eval", "exec", "trap", "wait", "shift", "alias", "local", "declare", "pwd", "type",
];

pub(super) fn highlight(code: &str) -> String {
    let mut out = String::with_capacity(code.len() * 4);
    out.push_str(SOURCE);
    let mut lx = Lexer {
        s: code,
        i: 0,
        out: &mut out,
        command_next: true,
        options_ended: false,
    };
    lx.run(None);
    out.push_str("</span>");
    out
}

struct Lexer<'a, 'o> {
    s: &'a str,
    i: usize,
    out: &'o mut String,
    /// The next word is a command name (start of a line, after `|`, `;`, `&&`, `(`, …).
    command_next: bool,
    /// After `--` the command's arguments are no options.
    options_ended: bool,
}

impl Lexer<'_, '_> {
    fn rest(&self) -> &str {
        &self.s[self.i..]
    }
    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }
    fn span(&mut self, class: &str, len: usize) {
        let text = &self.s[self.i..self.i + len];
        if !text.is_empty() {
            self.out.push_str("<span class=\"");
            self.out.push_str(class);
            self.out.push_str("\">");
            self.out.push_str(&escape_html(text));
            self.out.push_str("</span>");
        }
        self.i += len;
    }
    fn plain(&mut self, len: usize) {
        self.out
            .push_str(&escape_html(&self.s[self.i..self.i + len]));
        self.i += len;
    }

    /// Tokens until the end, or until `close` (the `)` of a `$(…)`).
    fn run(&mut self, close: Option<char>) {
        while let Some(c) = self.peek() {
            if Some(c) == close {
                return;
            }
            match c {
                '\n' => {
                    self.plain(1);
                    self.command_next = true;
                }
                ' ' | '\t' => self.plain(1),
                '#' if self.at_word_start() => {
                    let len = self.rest().find('\n').unwrap_or(self.rest().len());
                    self.out.push_str("<span class=\"hl-comment hl-line hl-number-sign hl-shell\"><span class=\"hl-punctuation hl-definition hl-comment hl-begin hl-shell\">#</span>");
                    self.i += 1;
                    self.plain(len - 1);
                    self.out.push_str("</span>");
                }
                '\\' if self.rest()[1..].starts_with('\n') => {
                    self.span(
                        "hl-punctuation hl-separator hl-continuation hl-line hl-shell",
                        2,
                    );
                }
                '|' | '&' | ';' => self.operator(),
                '>' | '<' => self.redirection(),
                '(' | ')' => {
                    let class = if c == '(' {
                        "hl-punctuation hl-section hl-parens hl-begin hl-shell"
                    } else {
                        "hl-punctuation hl-section hl-parens hl-end hl-shell"
                    };
                    self.span(class, 1);
                    self.command_next = c == '(';
                }
                _ => self.word(),
            }
        }
    }

    fn at_word_start(&self) -> bool {
        self.i == 0 || self.s[..self.i].ends_with([' ', '\t', '\n', ';', '(', '|', '&'])
    }

    fn operator(&mut self) {
        let r = self.rest();
        let (len, class) = if r.starts_with("&&") {
            (2, "hl-keyword hl-operator hl-logical hl-and hl-shell")
        } else if r.starts_with("||") {
            (2, "hl-keyword hl-operator hl-logical hl-or hl-shell")
        } else if r.starts_with(";;") {
            (2, "hl-punctuation hl-terminator hl-case-clause hl-shell")
        } else if r.starts_with('|') {
            (1, "hl-keyword hl-operator hl-logical hl-pipe hl-shell")
        } else if r.starts_with(';') {
            (1, "hl-keyword hl-operator hl-logical hl-continue hl-shell")
        } else {
            (1, "hl-keyword hl-operator hl-logical hl-job hl-shell")
        };
        self.span(class, len);
        self.command_next = true;
    }

    fn redirection(&mut self) {
        let r = self.rest();
        let len = [">>", ">&", "<<<", "<<", "<&", ">|", "<>"]
            .iter()
            .find(|op| r.starts_with(**op))
            .map_or(1, |op| op.len());
        self.span(
            "hl-keyword hl-operator hl-assignment hl-redirection hl-shell",
            len,
        );
    }

    /// One word: an assignment, a keyword, a command name, an option or an argument, with
    /// the quotes and expansions inside it.
    fn word(&mut self) {
        let end = self.word_end();
        if end == 0 {
            // Never stall: a character no rule takes is shown as it is.
            let c = self.peek().map_or(1, char::len_utf8);
            return self.plain(c);
        }
        let word = &self.s[self.i..self.i + end];
        // `2>&1`: a file descriptor before a redirection.
        if word.bytes().all(|b| b.is_ascii_digit())
            && self.s[self.i + end..].starts_with(['>', '<'])
        {
            self.span(
                "hl-constant hl-numeric hl-integer hl-decimal hl-file-descriptor hl-shell",
                end,
            );
            return;
        }
        if self.command_next {
            self.options_ended = false;
            if let Some(eq) = assignment_name(word) {
                self.span(
                    "hl-variable hl-other hl-readwrite hl-assignment hl-shell",
                    eq,
                );
                self.span("hl-keyword hl-operator hl-assignment hl-shell", 1);
                self.value(end - eq - 1, "hl-string hl-unquoted hl-shell");
                return;
            }
            if KEYWORDS.contains(&word) {
                let class = keyword_class(word);
                self.span(&class, end);
                self.command_next = !matches!(word, "in" | "for" | "case" | "select" | "function");
                return;
            }
            if !word.is_empty() && !word.starts_with(['$', '"', '\'', '`', '{', '[']) {
                let class = if BUILTINS.contains(&word) {
                    format!("hl-support hl-function hl-{word} hl-shell")
                } else {
                    "hl-variable hl-function hl-shell".to_string()
                };
                self.span(&class, end);
                self.command_next = false;
                return;
            }
        }
        self.command_next = false;
        if word == "--" && !self.options_ended {
            self.options_ended = true;
            self.span("hl-keyword hl-operator hl-end-of-options hl-shell", 2);
            return;
        }
        if !self.options_ended
            && word.len() > 1
            && word.starts_with('-')
            && !word[1..].starts_with(|c: char| c.is_ascii_digit())
        {
            let dashes = if word.starts_with("--") { 2 } else { 1 };
            let name_end = word.find('=').unwrap_or(end);
            self.out.push_str("<span class=\"hl-variable hl-parameter hl-option hl-shell\"><span class=\"hl-punctuation hl-definition hl-parameter hl-shell\">");
            self.out.push_str(&"-".repeat(dashes));
            self.out.push_str("</span>");
            self.i += dashes;
            self.value(name_end - dashes, "");
            self.out.push_str("</span>");
            if name_end < end {
                self.span("hl-keyword hl-operator hl-assignment hl-option hl-shell", 1);
                self.value(end - name_end - 1, "");
            }
            return;
        }
        self.value(end, "");
    }

    /// The length of the word at the cursor: up to unquoted whitespace or an operator.
    fn word_end(&self) -> usize {
        let r = self.rest();
        let b = r.as_bytes();
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b' ' | b'\t' | b'\n' | b'|' | b'&' | b';' | b'>' | b'<' | b'(' | b')' => break,
                b'\\' => i = past_escape(r, i),
                q @ (b'\'' | b'"' | b'`') => {
                    i += 1;
                    while i < b.len() && b[i] != q {
                        i = if b[i] == b'\\' && q != b'\'' {
                            past_escape(r, i)
                        } else {
                            i + 1
                        };
                    }
                    i += 1;
                }
                b'$' if b.get(i + 1) == Some(&b'(') => {
                    i += 2 + matching_paren(&b[i + 2..]);
                }
                _ => i += 1,
            }
        }
        i.min(b.len())
    }

    /// `len` bytes of a word's value: quotes, `$VAR`, `${…}` and `$(…)` marked, the rest in
    /// `class` (or plain).
    fn value(&mut self, len: usize, class: &str) {
        let end = self.i + len;
        let mut run = self.i;
        let flush = |lx: &mut Self, run: usize| {
            if run < lx.i {
                let saved = lx.i;
                lx.i = run;
                if class.is_empty() {
                    lx.plain(saved - run);
                } else {
                    lx.span(class, saved - run);
                }
            }
        };
        while self.i < end {
            let c = self.s[self.i..].chars().next().unwrap_or(' ');
            match c {
                '\'' | '"' => {
                    flush(self, run);
                    self.quoted(c, end);
                    run = self.i;
                }
                '$' => {
                    flush(self, run);
                    self.expansion(end);
                    run = self.i;
                }
                '\\' => self.i = past_escape(self.s, self.i).min(end),
                _ => self.i += c.len_utf8(),
            }
        }
        self.i = end.min(self.s.len());
        flush(self, run);
    }

    fn quoted(&mut self, q: char, end: usize) {
        let double = q == '"';
        self.out.push_str(if double {
            "<span class=\"hl-string hl-quoted hl-double hl-shell\">"
        } else {
            "<span class=\"hl-string hl-quoted hl-single hl-shell\">"
        });
        self.span(
            "hl-punctuation hl-definition hl-string hl-begin hl-shell",
            1,
        );
        let mut run = self.i;
        while self.i < end {
            let c = self.s[self.i..].chars().next().unwrap_or(q);
            if c == q {
                self.plain_from(run);
                self.span("hl-punctuation hl-definition hl-string hl-end hl-shell", 1);
                self.out.push_str("</span>");
                return;
            }
            if double && c == '$' {
                self.plain_from(run);
                self.expansion(end);
                run = self.i;
                continue;
            }
            self.i = if double && c == '\\' {
                past_escape(self.s, self.i)
            } else {
                self.i + c.len_utf8()
            };
            self.i = self.i.min(end);
        }
        self.plain_from(run);
        self.out.push_str("</span>");
    }

    /// Text from `run` to the cursor, escaped.
    fn plain_from(&mut self, run: usize) {
        let now = self.i;
        self.i = run;
        self.plain(now - run);
    }

    /// `$VAR`, `${…}`, `$(…)`, `$?` and friends; a lone `$` is text.
    fn expansion(&mut self, end: usize) {
        let r = &self.s[self.i..end];
        if r.starts_with("$(") {
            self.out.push_str(
                "<span class=\"hl-meta hl-group hl-expansion hl-command hl-parens hl-shell\">",
            );
            self.span("hl-punctuation hl-definition hl-variable hl-shell", 1);
            self.span("hl-punctuation hl-section hl-parens hl-begin hl-shell", 1);
            let inner_end = self.i + matching_paren(&self.s.as_bytes()[self.i..end]);
            let saved = (self.s, self.command_next);
            // The substitution is a command line of its own.
            let inner = &self.s[..inner_end.min(end)];
            let mut sub = Lexer {
                s: inner,
                i: self.i,
                out: self.out,
                command_next: true,
                options_ended: false,
            };
            sub.run(None);
            self.i = sub.i;
            self.s = saved.0;
            self.command_next = saved.1;
            if self.s[self.i..end].starts_with(')') {
                self.span("hl-punctuation hl-section hl-parens hl-end hl-shell", 1);
            }
            self.out.push_str("</span>");
            return;
        }
        if r.starts_with("${") {
            let len = r.find('}').map_or(r.len(), |k| k + 1);
            self.out
                .push_str("<span class=\"hl-meta hl-group hl-expansion hl-parameter hl-shell\">");
            self.span("hl-punctuation hl-definition hl-variable hl-shell", 1);
            self.span("hl-variable hl-other hl-readwrite hl-shell", len - 1);
            self.out.push_str("</span>");
            return;
        }
        let name = r[1..]
            .char_indices()
            .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_'))
            .map_or(r.len() - 1, |(k, _)| k);
        let len = if name > 0 {
            name
        } else if r[1..].starts_with(['?', '!', '$', '#', '@', '*', '-']) {
            1
        } else {
            0
        };
        if len == 0 {
            self.plain(1);
            return;
        }
        self.span("hl-punctuation hl-definition hl-variable hl-shell", 1);
        self.span("hl-variable hl-other hl-readwrite hl-shell", len);
    }
}

/// The index after the `\\` at `i` and the character it escapes (never inside a character).
fn past_escape(s: &str, i: usize) -> usize {
    let next = i + 1;
    next + s[next.min(s.len())..]
        .chars()
        .next()
        .map_or(0, char::len_utf8)
}

/// `NAME=` at the start of a word: the length of NAME.
fn assignment_name(word: &str) -> Option<usize> {
    let eq = word.find('=')?;
    let name = &word[..eq];
    (!name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit()))
    .then_some(eq)
}

fn keyword_class(word: &str) -> String {
    match word {
        "for" | "while" | "until" | "select" => {
            format!("hl-keyword hl-control hl-loop hl-{word} hl-shell")
        }
        "do" => "hl-keyword hl-control hl-loop hl-do hl-shell".into(),
        "done" => "hl-keyword hl-control hl-loop hl-end hl-shell".into(),
        "if" | "then" | "else" | "elif" | "fi" => {
            format!("hl-keyword hl-control hl-conditional hl-{word} hl-shell")
        }
        _ => format!("hl-keyword hl-control hl-{word} hl-shell"),
    }
}

/// The length up to (not including) the `)` that closes an open `(`, quotes respected.
fn matching_paren(b: &[u8]) -> usize {
    let mut depth = 1;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            b'\\' => i += 1,
            q @ (b'\'' | b'"') => {
                i += 1;
                while i < b.len() && b[i] != q {
                    i += if b[i] == b'\\' && q == b'"' { 2 } else { 1 };
                }
            }
            _ => {}
        }
        i += 1;
    }
    b.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::highlight::yaml::tests::text_of;

    #[test]
    fn tokens_get_syntects_classes() {
        let h = highlight(
            "ETCDCTL_API=3 etcdctl --endpoints=https://x:2379 get / 2>&1 | grep \"$X\" # c\necho $(date +%s) ${HOME}\n",
        );
        for needle in [
            "<span class=\"hl-variable hl-other hl-readwrite hl-assignment hl-shell\">ETCDCTL_API</span><span class=\"hl-keyword hl-operator hl-assignment hl-shell\">=</span><span class=\"hl-string hl-unquoted hl-shell\">3</span>",
            "<span class=\"hl-variable hl-function hl-shell\">etcdctl</span>",
            "<span class=\"hl-variable hl-parameter hl-option hl-shell\"><span class=\"hl-punctuation hl-definition hl-parameter hl-shell\">--</span>endpoints</span><span class=\"hl-keyword hl-operator hl-assignment hl-option hl-shell\">=</span>https://x:2379",
            "<span class=\"hl-constant hl-numeric hl-integer hl-decimal hl-file-descriptor hl-shell\">2</span><span class=\"hl-keyword hl-operator hl-assignment hl-redirection hl-shell\">&gt;&amp;</span>1",
            "<span class=\"hl-keyword hl-operator hl-logical hl-pipe hl-shell\">|</span> <span class=\"hl-variable hl-function hl-shell\">grep</span>",
            "<span class=\"hl-string hl-quoted hl-double hl-shell\"><span class=\"hl-punctuation hl-definition hl-string hl-begin hl-shell\">&quot;</span><span class=\"hl-punctuation hl-definition hl-variable hl-shell\">$</span><span class=\"hl-variable hl-other hl-readwrite hl-shell\">X</span>",
            "<span class=\"hl-comment hl-line hl-number-sign hl-shell\"><span class=\"hl-punctuation hl-definition hl-comment hl-begin hl-shell\">#</span> c</span>",
            "<span class=\"hl-support hl-function hl-echo hl-shell\">echo</span>",
            "<span class=\"hl-punctuation hl-section hl-parens hl-begin hl-shell\">(</span><span class=\"hl-variable hl-function hl-shell\">date</span>",
        ] {
            assert!(h.contains(needle), "missing {needle}\nin {h}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_kept(code in "[ a-z$(){}'\"\\|&;<>#=\n-]{0,60}|\\PC{0,40}") {
            proptest::prop_assert_eq!(text_of(&highlight(&code)), code);
        }
    }

    #[test]
    fn text_is_kept_whatever_the_input() {
        for code in [
            "",
            "\\",
            "a \\\n  b",
            "echo 'unterminated",
            "echo \"unterminated $X",
            "x=$(a $(b \"c)\" ) d",
            "$(",
            "${",
            "$",
            "cat <<EOF\nhi\nEOF",
            "for i in 1 2; do echo $i; done",
            "kubectl get po -o jsonpath='{.items[*].metadata.name}' | tr ' ' '\\n'",
            "a=1 b=2 cmd -x -- -y",
            "é $ü «»",
            "echo `date` && false || true; sleep 1 &",
        ] {
            assert_eq!(text_of(&highlight(code)), code, "{code:?}");
        }
    }
}
