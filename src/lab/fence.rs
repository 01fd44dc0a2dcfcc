//! The fence info-string grammar: `lang key=value key="quoted value" flag`. Which
//! attributes exist and which take a value is the catalogue's (`lab::attributes`).

use super::attributes::{self, Takes};

/// A parsed info string. `pairs` keeps the order and the character column of each attribute
/// (0-based, within the info string) for diagnostics.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Info {
    pub lang: String,
    pub attrs: Vec<Attr>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Attr {
    pub key: String,
    pub value: Option<String>,
    pub col: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct InfoError {
    pub message: String,
    pub col: usize,
}

/// More attributes than this on one fence is an error: a real block has a handful, and the
/// limit keeps a pathological info string cheap (M07).
pub const MAX_ATTRS: usize = 32;

impl Info {
    pub fn get(&self, key: &str) -> Option<&Attr> {
        self.attrs.iter().find(|a| a.key == key)
    }
    pub fn value(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(|a| a.value.as_deref())
    }
    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }
}

/// Parse an info string. The grammar is strict so typos surface instead of being ignored.
pub fn parse(info: &str) -> Result<Info, InfoError> {
    let mut c = Cursor {
        chars: info.chars().collect(),
        i: 0,
    };
    c.skip_ws();
    let mut lang = c.take_while(|ch| !ch.is_whitespace());
    // mdBook/rustdoc style `rust,ignore`: keep the language, the rest is not ours.
    if let Some((l, _)) = lang.split_once(',') {
        lang = l.to_string();
    }
    let mut out = Info {
        lang,
        attrs: Vec::new(),
    };
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    loop {
        c.skip_ws();
        if c.done() {
            break;
        }
        let col = c.i;
        let key = c.take_while(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_');
        if key.is_empty() {
            // Not done, so there is a character here, and it cannot start a key.
            let next = c.peek().unwrap_or(' ');
            return Err(InfoError {
                message: format!("unexpected `{next}` in the code block's info string"),
                col: c.i,
            });
        }
        let value = c.value(&shorten(&key), col)?;
        if !seen.insert(key.clone()) {
            return Err(InfoError {
                message: format!("attribute `{}` is given twice", shorten(&key)),
                col,
            });
        }
        if out.attrs.len() == MAX_ATTRS {
            return Err(InfoError {
                message: format!("more than {MAX_ATTRS} attributes on one code block"),
                col,
            });
        }
        out.attrs.push(Attr { key, value, col });
    }
    Ok(out)
}

/// A position in an info string, by character (columns in messages count characters).
struct Cursor {
    chars: Vec<char>,
    i: usize,
}

impl Cursor {
    fn done(&self) -> bool {
        self.i >= self.chars.len()
    }
    fn peek(&self) -> Option<char> {
        self.chars.get(self.i).copied()
    }
    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.i += 1;
        }
    }
    fn take_while(&mut self, keep: impl Fn(char) -> bool) -> String {
        let start = self.i;
        while self.peek().is_some_and(&keep) {
            self.i += 1;
        }
        self.chars[start..self.i].iter().collect()
    }

    /// After a key: `=value`, `="quoted value"`, or nothing (a flag), which must be followed
    /// by whitespace or the end.
    fn value(&mut self, shown: &str, kcol: usize) -> Result<Option<String>, InfoError> {
        match self.peek() {
            Some('=') => {
                self.i += 1;
                if self.peek() == Some('"') {
                    self.i += 1;
                    self.quoted(shown, kcol).map(Some)
                } else {
                    self.bare(shown, kcol).map(Some)
                }
            }
            Some(ch) if !ch.is_whitespace() => Err(InfoError {
                message: format!("unexpected `{ch}` after `{shown}`"),
                col: self.i,
            }),
            _ => Ok(None),
        }
    }

    /// The rest of a quoted value, after its opening `"`: `\"` and `\\` are escapes.
    fn quoted(&mut self, shown: &str, kcol: usize) -> Result<String, InfoError> {
        let mut v = String::new();
        while let Some(ch) = self.peek() {
            match ch {
                '\\' if matches!(self.chars.get(self.i + 1), Some('"' | '\\')) => {
                    v.push(self.chars[self.i + 1]);
                    self.i += 2;
                }
                '"' => {
                    self.i += 1;
                    return Ok(v);
                }
                c => {
                    v.push(c);
                    self.i += 1;
                }
            }
        }
        Err(InfoError {
            message: format!("the quoted value of `{shown}` is not closed"),
            col: kcol,
        })
    }

    /// An unquoted value: up to the next whitespace, never empty, no `"` inside.
    fn bare(&mut self, shown: &str, kcol: usize) -> Result<String, InfoError> {
        let start = self.i;
        while let Some(ch) = self.peek().filter(|c| !c.is_whitespace()) {
            if ch == '"' {
                return Err(InfoError {
                    message: format!("stray `\"` in the value of `{shown}`"),
                    col: self.i,
                });
            }
            self.i += 1;
        }
        if start == self.i {
            return Err(InfoError {
                message: format!("`{shown}=` has no value"),
                col: kcol,
            });
        }
        Ok(self.chars[start..self.i].iter().collect())
    }
}

/// An attribute name as messages show it: a hostile 1 MB name is not echoed whole into the
/// terminal and every open browser's error overlay.
fn shorten(key: &str) -> String {
    const MAX: usize = 40;
    if key.chars().count() <= MAX {
        key.to_string()
    } else {
        format!("{}…", key.chars().take(MAX).collect::<String>())
    }
}

/// Check attribute names and whether each has a value when it needs one.
pub fn check_known(info: &Info) -> Result<(), InfoError> {
    for a in &info.attrs {
        let Some(known) = attributes::find(&a.key) else {
            let hint = crate::suggest::closest(&a.key, attributes::names())
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            return Err(InfoError {
                message: format!("unknown code block attribute `{}`{hint}", shorten(&a.key)),
                col: a.col,
            });
        };
        match (&a.value, known.takes) {
            (None, Takes::Value) => {
                return Err(InfoError {
                    message: format!("attribute `{0}` needs a value: {0}=…", shorten(&a.key)),
                    col: a.col,
                });
            }
            (Some(_), Takes::Flag) => {
                return Err(InfoError {
                    message: format!("attribute `{}` takes no value", shorten(&a.key)),
                    col: a.col,
                });
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_all_forms() {
        let i = parse(r#"yaml lab=first-pod file=pod.yaml title="Run \"your\" first Pod" hidden"#)
            .unwrap();
        assert_eq!(i.lang, "yaml");
        assert_eq!(i.value("lab"), Some("first-pod"));
        assert_eq!(i.value("title"), Some("Run \"your\" first Pod"));
        assert!(i.has("hidden"));
        assert_eq!(i.get("file").unwrap().col, 19);
        assert!(check_known(&i).is_ok());
    }

    #[test]
    fn m07_many_attributes_stop_early() {
        let many: Vec<String> = (0..60_000).map(|i| format!("a{i}")).collect();
        let e = parse(&format!("yaml {}", many.join(" "))).unwrap_err();
        assert!(
            e.message.contains("more than 32 attributes"),
            "{}",
            e.message
        );
    }

    #[test]
    fn s11_long_attribute_names_are_shortened_in_messages() {
        let e = check_known(&parse(&format!("yaml Q{}=1", "A".repeat(1_000_000))).unwrap())
            .unwrap_err();
        assert!(e.message.len() < 200, "{} bytes", e.message.len());
        assert!(e.message.contains("QAAA"), "{}", e.message);
    }

    #[test]
    fn empty_and_plain() {
        assert_eq!(parse("").unwrap(), Info::default());
        assert_eq!(parse("rust,ignore").unwrap().lang, "rust");
    }

    #[test]
    fn errors() {
        assert!(
            parse("yaml title=\"open")
                .unwrap_err()
                .message
                .contains("not closed")
        );
        assert!(parse("yaml lab=").unwrap_err().message.contains("no value"));
        assert!(
            parse("yaml lab=a lab=b")
                .unwrap_err()
                .message
                .contains("twice")
        );
        assert!(parse("yaml =x").is_err());
        let e = check_known(&parse("yaml lab=a fiel=x.yaml").unwrap()).unwrap_err();
        assert!(e.message.contains("did you mean `file`"), "{}", e.message);
        assert!(check_known(&parse("yaml hidden=yes").unwrap()).is_err());
        assert!(check_known(&parse("yaml lab").unwrap()).is_err());
    }
}
