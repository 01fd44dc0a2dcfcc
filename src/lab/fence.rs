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
    let chars: Vec<char> = info.chars().collect();
    let mut i = 0;
    let skip_ws = |i: &mut usize| {
        while *i < chars.len() && chars[*i].is_whitespace() {
            *i += 1;
        }
    };
    skip_ws(&mut i);
    let start = i;
    while i < chars.len() && !chars[i].is_whitespace() {
        i += 1;
    }
    let mut lang: String = chars[start..i].iter().collect();
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
        skip_ws(&mut i);
        if i >= chars.len() {
            break;
        }
        let kcol = i;
        let ks = i;
        while i < chars.len()
            && (chars[i].is_ascii_alphanumeric() || chars[i] == '-' || chars[i] == '_')
        {
            i += 1;
        }
        let key: String = chars[ks..i].iter().collect();
        let shown = shorten(&key);
        if key.is_empty() {
            return Err(InfoError {
                message: format!("unexpected `{}` in the code block's info string", chars[i]),
                col: i,
            });
        }
        let value = if i < chars.len() && chars[i] == '=' {
            i += 1;
            if i < chars.len() && chars[i] == '"' {
                i += 1;
                let mut v = String::new();
                let mut closed = false;
                while i < chars.len() {
                    match chars[i] {
                        '\\' if i + 1 < chars.len()
                            && (chars[i + 1] == '"' || chars[i + 1] == '\\') =>
                        {
                            v.push(chars[i + 1]);
                            i += 2;
                        }
                        '"' => {
                            closed = true;
                            i += 1;
                            break;
                        }
                        c => {
                            v.push(c);
                            i += 1;
                        }
                    }
                }
                if !closed {
                    return Err(InfoError {
                        message: format!("the quoted value of `{shown}` is not closed"),
                        col: kcol,
                    });
                }
                Some(v)
            } else {
                let vs = i;
                while i < chars.len() && !chars[i].is_whitespace() {
                    if chars[i] == '"' {
                        return Err(InfoError {
                            message: format!("stray `\"` in the value of `{shown}`"),
                            col: i,
                        });
                    }
                    i += 1;
                }
                if vs == i {
                    return Err(InfoError {
                        message: format!("`{shown}=` has no value"),
                        col: kcol,
                    });
                }
                Some(chars[vs..i].iter().collect())
            }
        } else {
            if i < chars.len() && !chars[i].is_whitespace() {
                return Err(InfoError {
                    message: format!("unexpected `{}` after `{shown}`", chars[i]),
                    col: i,
                });
            }
            None
        };
        if !seen.insert(key.clone()) {
            return Err(InfoError {
                message: format!("attribute `{shown}` is given twice"),
                col: kcol,
            });
        }
        if out.attrs.len() == MAX_ATTRS {
            return Err(InfoError {
                message: format!("more than {MAX_ATTRS} attributes on one code block"),
                col: kcol,
            });
        }
        out.attrs.push(Attr {
            key,
            value,
            col: kcol,
        });
    }
    Ok(out)
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
