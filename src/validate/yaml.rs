//! YAML with a position for every key and value, read the way kubectl reads it (YAML 1.1
//! octals and booleans, merge keys), converted to JSON for schema validation.

use crate::diag::codes;
use serde::Deserialize;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use serde_saphyr::Spanned;
use std::fmt;

/// A YAML node with the location it is used at (`referenced`) and defined at (`defined`,
/// differs for aliases).
pub type Node = Spanned<Kind>;

#[derive(Debug, Clone)]
pub enum Kind {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Spanned<String>, Node)>),
}

impl<'de> Deserialize<'de> for Kind {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Kind;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any YAML value")
            }
            fn visit_bool<E>(self, v: bool) -> Result<Kind, E> {
                Ok(Kind::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Kind, E> {
                Ok(Kind::Int(v))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Kind, E> {
                Ok(i64::try_from(v).map_or(Kind::Float(v as f64), Kind::Int))
            }
            fn visit_i128<E>(self, v: i128) -> Result<Kind, E> {
                Ok(Kind::Float(v as f64))
            }
            fn visit_u128<E>(self, v: u128) -> Result<Kind, E> {
                Ok(Kind::Float(v as f64))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Kind, E> {
                Ok(Kind::Float(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<Kind, E> {
                Ok(Kind::Str(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<Kind, E> {
                Ok(Kind::Str(v))
            }
            fn visit_bytes<E>(self, v: &[u8]) -> Result<Kind, E> {
                Ok(Kind::Str(String::from_utf8_lossy(v).into_owned()))
            }
            fn visit_unit<E>(self) -> Result<Kind, E> {
                Ok(Kind::Null)
            }
            fn visit_none<E>(self) -> Result<Kind, E> {
                Ok(Kind::Null)
            }
            fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Kind, D::Error> {
                Kind::deserialize(d)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Kind, A::Error> {
                let mut v = Vec::new();
                while let Some(n) = a.next_element::<Node>()? {
                    v.push(n);
                }
                Ok(Kind::Seq(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Kind, A::Error> {
                let mut v = Vec::new();
                while let Some(k) = a.next_key::<Spanned<KeyString>>()? {
                    let val = a.next_value::<Node>()?;
                    let key = Spanned::new(k.value.0, k.referenced, k.defined);
                    v.push((key, val));
                }
                Ok(Kind::Map(v))
            }
        }
        d.deserialize_any(V)
    }
}

/// A mapping key read as text whatever its YAML type (`80:` and `true:` are valid keys).
struct KeyString(String);

impl<'de> Deserialize<'de> for KeyString {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = KeyString;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a scalar mapping key")
            }
            fn visit_str<E>(self, v: &str) -> Result<KeyString, E> {
                Ok(KeyString(v.into()))
            }
            fn visit_bool<E>(self, v: bool) -> Result<KeyString, E> {
                Ok(KeyString(v.to_string()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<KeyString, E> {
                Ok(KeyString(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<KeyString, E> {
                Ok(KeyString(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<KeyString, E> {
                Ok(KeyString(v.to_string()))
            }
            fn visit_unit<E>(self) -> Result<KeyString, E> {
                Ok(KeyString("null".into()))
            }
        }
        d.deserialize_any(V)
    }
}

/// 1-based line and column inside the YAML text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

impl Pos {
    fn of(l: &serde_saphyr::Location) -> Pos {
        Pos {
            line: l.line() as usize,
            col: l.column() as usize,
        }
    }
}

/// A YAML syntax or structure error.
#[derive(Debug, Clone)]
pub struct YamlError {
    pub code: &'static str,
    pub message: String,
    pub pos: Pos,
}

/// Most nodes one document may have: a guard against alias bombs and huge input.
const MAX_NODES: usize = 200_000;

/// Deepest nesting a manifest may have; real ones stay below 20.
const MAX_NESTING: usize = 100;

/// A cheap upper bound of the nesting depth (indentation levels plus `- ` and flow
/// brackets), checked before parsing: the parser recurses per level and hostile input could
/// otherwise exhaust the stack.
fn nesting_depth(text: &str) -> (usize, usize) {
    let mut indents: Vec<usize> = Vec::new();
    let mut worst = (0, 1);
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start_matches(' ');
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = line.len() - trimmed.len();
        while indents.last().is_some_and(|&top| top > indent) {
            indents.pop();
        }
        if indents.last() != Some(&indent) {
            indents.push(indent);
        }
        let mut dashes = 0;
        let mut rest = trimmed;
        while let Some(r) = rest.strip_prefix("- ") {
            dashes += 1;
            rest = r.trim_start_matches(' ');
        }
        let mut flow = 0usize;
        let mut max_flow = 0usize;
        for c in rest.chars() {
            match c {
                '[' | '{' => {
                    flow += 1;
                    max_flow = max_flow.max(flow);
                }
                ']' | '}' => flow = flow.saturating_sub(1),
                _ => {}
            }
        }
        let depth = indents.len() + dashes + max_flow;
        if depth > worst.0 {
            worst = (depth, i + 1);
        }
    }
    worst
}

/// Parse a (multi-document) YAML text into span trees.
/// A key given twice in one mapping (also when reached through an alias), told by the
/// parser's error variant rather than by its wording.
fn is_duplicate_key(mut e: &serde_saphyr::Error) -> bool {
    loop {
        match e {
            serde_saphyr::Error::DuplicateMappingKey { .. } => return true,
            serde_saphyr::Error::AliasError { error, .. }
            | serde_saphyr::Error::WithSnippet { error, .. } => e = error,
            _ => return false,
        }
    }
}

pub fn parse_documents(text: &str) -> Result<Vec<Node>, YamlError> {
    let (depth, line) = nesting_depth(text);
    if depth > MAX_NESTING {
        return Err(YamlError {
            code: codes::YAML001,
            message: format!("YAML is nested more than {MAX_NESTING} levels deep"),
            pos: Pos { line, col: 1 },
        });
    }
    let opts = serde_saphyr::options! {
        legacy_octal_numbers: true,
        with_snippet: false,
    };
    let docs: Vec<Node> =
        serde_saphyr::from_str_multiple_with_options(text, opts).map_err(|e| {
            let pos = e
                .location()
                .map(|l| Pos::of(&l))
                .unwrap_or(Pos { line: 1, col: 1 });
            let raw = e.to_string();
            let code = if is_duplicate_key(&e) {
                codes::YAML002
            } else {
                codes::YAML001
            };
            YamlError {
                code,
                message: clean_message(&raw),
                pos,
            }
        })?;
    for d in &docs {
        if count_nodes(d) > MAX_NODES {
            return Err(YamlError {
                code: codes::YAML001,
                message: format!("document has more than {MAX_NODES} nodes"),
                pos: Pos::of(&d.referenced),
            });
        }
    }
    // An empty stream or `---` alone yields Null documents; they are not manifests.
    Ok(docs
        .into_iter()
        .filter(|d| !matches!(d.value, Kind::Null))
        .collect())
}

fn count_nodes(n: &Node) -> usize {
    match &n.value {
        Kind::Seq(v) => 1 + v.iter().map(count_nodes).sum::<usize>(),
        Kind::Map(v) => 1 + v.iter().map(|(_, n)| count_nodes(n)).sum::<usize>(),
        _ => 1,
    }
}

/// serde-saphyr appends " at line X column Y"; the position is reported separately.
fn clean_message(raw: &str) -> String {
    let first = raw.lines().next().unwrap_or(raw).trim();
    let cut = first
        .find(" at line ")
        .map(|i| &first[..i])
        .unwrap_or(first);
    // Advice meant for programs using the library, not for authors.
    let cut = cut
        .find(", set DuplicateKeyPolicy")
        .map_or(cut, |i| &cut[..i]);
    cut.trim_end_matches(':').to_string()
}

/// A document as JSON, plus its span tree to find where any JSON pointer (`/spec/replicas`)
/// stands. Positions are looked up only when a problem is reported, so a valid document
/// costs no position bookkeeping.
#[derive(Debug, Clone)]
pub struct Document {
    pub value: Value,
    root: Node,
    pub start: Pos,
}

impl Document {
    pub fn new(mut n: Node) -> Document {
        Document {
            // Positions need the tree's structure and keys, not its scalar values: those move
            // into the JSON instead of being copied.
            value: to_json(&mut n),
            start: Pos::of(&n.referenced),
            root: n,
        }
    }

    /// The deepest node on the pointer's path, and the key that leads to it.
    fn walk(&self, pointer: &str) -> (&Node, Option<Pos>) {
        let mut node = &self.root;
        let mut key = None;
        for seg in pointer.split('/').skip(1) {
            let seg = seg.replace("~1", "/").replace("~0", "~");
            let next = match &node.value {
                Kind::Map(entries) => entries
                    .iter()
                    .find(|(k, _)| k.value == seg)
                    .map(|(k, v)| (v, Some(Pos::of(&k.referenced)))),
                Kind::Seq(items) => seg
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| items.get(i))
                    .map(|v| (v, None)),
                _ => None,
            };
            match next {
                Some((n, k)) => {
                    node = n;
                    key = k;
                }
                None => return (node, key),
            }
        }
        (node, key)
    }

    /// Position for a pointer: the value, or its closest ancestor that exists.
    pub fn pos(&self, pointer: &str) -> Pos {
        Pos::of(&self.walk(pointer).0.referenced)
    }

    /// Position of the key naming a pointer (falls back to the value).
    pub fn key_pos(&self, pointer: &str) -> Pos {
        let (node, key) = self.walk(pointer);
        key.unwrap_or_else(|| Pos::of(&node.referenced))
    }

    pub fn str_at(&self, pointer: &str) -> Option<&str> {
        self.value.pointer(pointer).and_then(Value::as_str)
    }
}

/// The node as JSON; its strings are moved out (the tree keeps only structure and keys).
fn to_json(n: &mut Node) -> Value {
    match &mut n.value {
        Kind::Null => Value::Null,
        Kind::Bool(b) => Value::Bool(*b),
        Kind::Int(i) => Value::from(*i),
        Kind::Float(f) => serde_json::Number::from_f64(*f)
            .map(Value::Number)
            .unwrap_or(Value::Null),
        Kind::Str(s) => Value::String(std::mem::take(s)),
        Kind::Seq(items) => Value::Array(items.iter_mut().map(to_json).collect()),
        Kind::Map(entries) => {
            let mut m = Map::with_capacity(entries.len());
            for (k, v) in entries {
                m.insert(k.value.clone(), to_json(v));
            }
            Value::Object(m)
        }
    }
}

pub fn escape_pointer(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

/// `/spec/template/spec/containers/0/image` → `spec.template.spec.containers[0].image`
pub fn pointer_to_path(ptr: &str) -> String {
    let mut out = String::new();
    for seg in ptr.split('/').skip(1) {
        let seg = seg.replace("~1", "/").replace("~0", "~");
        if !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str(&format!("[{seg}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&seg);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_multi_doc_and_kubectl_semantics() {
        let t = "a: 1\n---\nbase: &b {image: nginx}\nm:\n  <<: *b\n  port: 80\nmode: 0644\nflag: yes\nver: 1.10\n";
        let docs = parse_documents(t).unwrap();
        assert_eq!(docs.len(), 2);
        let d = Document::new(docs[1].clone());
        assert_eq!(d.value["mode"], 420);
        assert_eq!(d.value["flag"], true);
        assert_eq!(d.value["m"]["image"], "nginx");
        assert_eq!(d.pos("/m/port"), Pos { line: 6, col: 9 });
        assert_eq!(d.key_pos("/m/port"), Pos { line: 6, col: 3 });
        assert_eq!(d.pos("/m/nope/deeper"), Pos { line: 5, col: 3 });
    }

    #[test]
    fn duplicate_key_is_yaml002() {
        let e = parse_documents("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!(e.code, codes::YAML002, "{}", e.message);
        assert_eq!(e.pos.line, 3);
        let e = parse_documents("spec:\n  x: 1\n  x: 2\n").unwrap_err();
        assert_eq!(e.code, codes::YAML002, "{}", e.message);
        // Other errors that only mention the word are not duplicate keys (a repeated %YAML
        // directive was YAML002 while the code was told by the message's wording).
        let e = parse_documents("%YAML 1.2\n%YAML 1.2\n---\na: 1\n").unwrap_err();
        assert!(e.message.contains("duplicate"), "{}", e.message);
        assert_eq!(e.code, codes::YAML001, "{}", e.message);
    }

    #[test]
    fn syntax_error_has_position() {
        let e = parse_documents("a:\n  b: [1, 2\nc: 3\n").unwrap_err();
        assert_eq!(e.code, codes::YAML001);
        assert!(e.pos.line >= 2, "{:?}", e);
    }

    #[test]
    fn numeric_keys_are_text() {
        let docs = parse_documents("80: http\ntrue: x\n").unwrap();
        let d = Document::new(docs[0].clone());
        assert_eq!(d.value["80"], "http");
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut t = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..9 {
            let p = i - 1;
            t.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        assert!(parse_documents(&t).is_err());
    }

    #[test]
    fn deep_nesting_is_refused_not_a_crash() {
        let t = format!("a: {}{}\n", "[".repeat(5000), "]".repeat(5000));
        assert!(parse_documents(&t).is_err());
        let t = format!("a: {}{}\n", "[\n".repeat(5000), "]\n".repeat(5000));
        assert!(parse_documents(&t).is_err());
    }

    #[test]
    fn deep_block_nesting_is_refused_not_a_crash() {
        let mut block = String::new();
        for i in 0..3000 {
            block.push_str(&" ".repeat(i));
            block.push_str("a:\n");
        }
        assert!(parse_documents(&block).is_err());
    }

    #[test]
    fn paths() {
        assert_eq!(
            pointer_to_path("/spec/template/spec/containers/0/image"),
            "spec.template.spec.containers[0].image"
        );
        assert_eq!(
            pointer_to_path("/metadata/labels/app.kubernetes.io~1name"),
            "metadata.labels.app.kubernetes.io/name"
        );
    }
}
