//! The strict Kubernetes schema (derived from k8s-openapi by `cargo xtask schema`, xtask/) and
//! a validator for the JSON Schema subset it uses, with Kubernetes-aware messages.

use super::yaml::{escape_pointer, pointer_to_path};
use crate::diag::codes;
use crate::suggest;
use serde_json::Value;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::OnceLock;

const SCHEMA_JSON: &str = include_str!("k8s-schema.json");

pub struct Schema {
    pub kubernetes: String,
    /// `apps/v1/Deployment` → what the schema says of that kind.
    pub kinds: HashMap<String, KindInfo>,
    pub definitions: serde_json::Map<String, Value>,
}

/// A kind the pinned release serves.
pub struct KindInfo {
    /// Its definition in `Schema::definitions` (`io.k8s.api.apps.v1.Deployment`).
    pub definition: String,
    /// False for cluster-scoped kinds (Namespace, PersistentVolume, ClusterRole, …).
    pub namespaced: bool,
}

pub fn schema() -> &'static Schema {
    static S: OnceLock<Schema> = OnceLock::new();
    S.get_or_init(|| {
        let v: Value = serde_json::from_str(SCHEMA_JSON)
            .expect("embedded schema is valid JSON (checked by tests)");
        let kinds = v["kinds"]
            .as_object()
            .map(|m| {
                m.iter()
                    .map(|(k, e)| {
                        (
                            k.clone(),
                            KindInfo {
                                definition: e["definition"]
                                    .as_str()
                                    .unwrap_or_default()
                                    .to_string(),
                                namespaced: e["namespaced"].as_bool().unwrap_or(true),
                            },
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        let Value::Object(mut root) = v else {
            unreachable!("schema root is an object")
        };
        let definitions = match root.remove("definitions") {
            Some(Value::Object(d)) => d,
            _ => serde_json::Map::new(),
        };
        Schema {
            kubernetes: root
                .get("kubernetes")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            kinds,
            definitions,
        }
    })
}

impl Schema {
    pub fn definition(&self, name: &str) -> Option<&Value> {
        self.definitions.get(name)
    }

    /// The definition for a `fragment=TYPE` name: `Container`, `PodSpec`, `Probe`, …
    /// Core and apps types win when a short name is ambiguous.
    pub fn fragment(&self, short: &str) -> Option<&str> {
        let mut hits: Vec<&str> = self
            .definitions
            .keys()
            .filter(|k| k.rsplit('.').next() == Some(short))
            .map(String::as_str)
            .collect();
        hits.sort_by_key(|k| {
            let rank = [
                "io.k8s.api.core.v1.",
                "io.k8s.api.apps.v1.",
                "io.k8s.apimachinery.",
                "io.k8s.api.networking.v1.",
                "io.k8s.api.batch.v1.",
            ]
            .iter()
            .position(|p| k.starts_with(p))
            .unwrap_or(9);
            (rank, k.len())
        });
        hits.first().copied()
    }

    pub fn fragment_names(&self) -> impl Iterator<Item = &str> {
        self.definitions.keys().filter_map(|k| k.rsplit('.').next())
    }

    /// Other apiVersions that serve `kind`, GA versions first.
    pub fn versions_of(&self, kind: &str) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .kinds
            .keys()
            .filter_map(|k| {
                k.rsplit_once('/')
                    .filter(|(_, kd)| *kd == kind)
                    .map(|(av, _)| av)
            })
            .collect();
        // Stable before beta before alpha, then the shorter name, then the later version
        // (`autoscaling/v2` before `autoscaling/v1`): a total order, so the hint that names
        // the first is the same on every run (the map's order is not).
        v.sort_by(|a, b| {
            let rank = |av: &str| {
                (
                    av.contains("alpha") as u8 * 2 + av.contains("beta") as u8,
                    av.len(),
                )
            };
            rank(a).cmp(&rank(b)).then_with(|| b.cmp(a))
        });
        v
    }
}

/// One problem found by the walker, before it is placed in a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    pub code: &'static str,
    pub message: String,
    pub pointer: String,
    /// Point at the key rather than the value (unknown fields, missing required fields).
    pub at_key: bool,
    pub hint: Option<String>,
}

impl Issue {
    pub fn path(&self) -> String {
        pointer_to_path(&self.pointer)
    }
}

/// Validate `value` against `schema` (a definition or an inline schema).
pub fn validate(value: &Value, schema_node: &Value) -> Vec<Issue> {
    let mut w = Walker {
        issues: Vec::new(),
        depth: 0,
    };
    w.walk(value, schema_node, &mut String::new());
    w.issues
}

struct Walker {
    issues: Vec<Issue>,
    depth: usize,
}

const MAX_DEPTH: usize = 128;

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "mapping",
    }
}

fn show(v: &Value) -> String {
    match v {
        Value::String(s) => format!("\"{}\"", s.chars().take(60).collect::<String>()),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "a mapping".into(),
        other => other.to_string(),
    }
}

fn type_matches(expected: &str, v: &Value) -> bool {
    match expected {
        "string" => v.is_string(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "object" => v.is_object(),
        "array" => v.is_array(),
        "null" => v.is_null(),
        _ => true,
    }
}

fn expected_name(t: &str) -> &str {
    match t {
        "object" => "a mapping",
        "array" => "a list",
        "integer" => "an integer",
        "string" => "a string",
        "boolean" => "true or false",
        "number" => "a number",
        other => other,
    }
}

/// The code, message and hint for a value `v` of the wrong type where the schema wants `want`.
/// YAML 1.1 reading a string as a number or boolean gets its own code (YAML003): the fix is
/// quoting, not a different value.
fn type_mismatch(want: &str, v: &Value) -> (&'static str, String, Option<String>) {
    let (code, hint) = match (want, v) {
        ("string", Value::Number(_)) => (
            codes::YAML003,
            Some(format!(
                "YAML reads {} as a number; quote it to keep it text: \"{}\"",
                show(v),
                v
            )),
        ),
        ("string", Value::Bool(_)) => (
            codes::YAML003,
            Some(
                "YAML reads yes/no/on/off/true/false as booleans; quote the value to keep it text"
                    .to_string(),
            ),
        ),
        ("integer" | "number", Value::String(t)) if t.trim().parse::<f64>().is_ok() => {
            (codes::K8S002, Some(format!("remove the quotes: {t}")))
        }
        ("array", Value::Object(_)) | ("array", Value::String(_)) => (
            codes::K8S002,
            Some("this field takes a list: start each item with `- `".to_string()),
        ),
        ("object", Value::Array(_)) => (
            codes::K8S002,
            Some("this field takes a mapping, not a list: remove the `- `".to_string()),
        ),
        _ => (codes::K8S002, None),
    };
    let msg = if code == codes::YAML003 {
        format!(
            "{} is read as {} here, but this field is a string",
            show(v),
            type_name(v)
        )
    } else {
        match v {
            // `show` already names the type of a list or mapping ("a list").
            Value::Array(_) | Value::Object(_) => {
                format!("expected {}, found {}", expected_name(want), show(v))
            }
            _ => format!(
                "expected {}, found {} {}",
                expected_name(want),
                type_name(v),
                show(v)
            ),
        }
    };
    (code, msg, hint)
}

/// Kubernetes quantities: `500m`, `128Mi`, `1.5Gi`, `2`, `1e3`.
pub fn is_quantity(s: &str) -> bool {
    parse_quantity(s).is_some()
}

/// The value of a quantity in base units (cores, bytes).
pub fn parse_quantity(s: &str) -> Option<f64> {
    let s = s.trim();
    if s.is_empty() || s != s.trim() {
        return None;
    }
    let (num, mult) = [
        ("Ki", 1024f64),
        ("Mi", 1024f64.powi(2)),
        ("Gi", 1024f64.powi(3)),
        ("Ti", 1024f64.powi(4)),
        ("Pi", 1024f64.powi(5)),
        ("Ei", 1024f64.powi(6)),
        ("n", 1e-9),
        ("u", 1e-6),
        ("m", 1e-3),
        ("k", 1e3),
        ("M", 1e6),
        ("G", 1e9),
        ("T", 1e12),
        ("P", 1e15),
        ("E", 1e18),
    ]
    .iter()
    .find_map(|(suf, m)| s.strip_suffix(suf).map(|n| (n, *m)))
    .unwrap_or((s, 1.0));
    let num = num.strip_prefix('+').unwrap_or(num);
    let valid = !num.is_empty()
        && num.chars().all(|c| {
            c.is_ascii_digit() || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+'
        })
        && num
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c == '.' || c == '-');
    if !valid {
        return None;
    }
    let v: f64 = num.parse().ok()?;
    v.is_finite().then_some(v * mult)
}

impl Walker {
    fn push(
        &mut self,
        code: &'static str,
        message: String,
        pointer: &str,
        at_key: bool,
        hint: Option<String>,
    ) {
        self.issues.push(Issue {
            code,
            message,
            pointer: pointer.to_string(),
            at_key,
            hint,
        });
    }

    fn resolve<'s>(&self, s: &'s Value) -> &'s Value {
        let mut s = s;
        for _ in 0..16 {
            match s.get("$ref").and_then(Value::as_str) {
                Some(r) => {
                    let name = r.rsplit('/').next().unwrap_or(r);
                    match schema().definition(name) {
                        Some(d) => s = d,
                        None => return s,
                    }
                }
                None => return s,
            }
        }
        s
    }

    fn walk(&mut self, v: &Value, s: &Value, ptr: &mut String) {
        if self.depth > MAX_DEPTH {
            return;
        }
        self.depth += 1;
        self.walk_inner(v, s, ptr);
        self.depth -= 1;
    }

    fn walk_inner(&mut self, v: &Value, s: &Value, ptr: &mut String) {
        let s = self.resolve(s);
        if v.is_null() {
            return; // optional fields may be null; required ones are checked by the parent
        }
        if self.check_kubernetes_scalar(v, s, ptr) {
            return;
        }
        if let Some(alts) = s
            .get("anyOf")
            .or_else(|| s.get("oneOf"))
            .and_then(Value::as_array)
        {
            self.check_alternatives(v, alts, ptr);
            return;
        }
        if let Some(all) = s.get("allOf").and_then(Value::as_array) {
            for a in all {
                self.walk(v, a, ptr);
            }
        }
        if !self.check_type(v, s, ptr) {
            return;
        }
        self.check_enum(v, s, ptr);
        match v {
            Value::Number(n) => self.check_number(n, s, ptr),
            Value::String(st) => self.check_string_length(v, st, s, ptr),
            Value::Array(items) => self.walk_array(items, s, ptr),
            Value::Object(map) => self.walk_object(map, s, ptr),
            _ => {}
        }
    }

    /// Kubernetes' own scalar forms (`x-kubebook: int-or-string` or
    /// `x-kubernetes-int-or-string`, and `x-kubebook: quantity`) stand for the whole schema:
    /// checks the value against the form and returns true when `s` is one of them.
    fn check_kubernetes_scalar(&mut self, v: &Value, s: &Value, ptr: &str) -> bool {
        let special = s.get("x-kubebook").and_then(Value::as_str);
        let int_or_string = special == Some("int-or-string")
            || s.get("x-kubernetes-int-or-string") == Some(&Value::Bool(true));
        if int_or_string {
            if !(v.is_string() || v.is_i64() || v.is_u64()) {
                self.push(
                    codes::K8S004,
                    format!(
                        "{} is not valid here: expected an integer or a string",
                        show(v)
                    ),
                    ptr,
                    false,
                    Some("e.g. 8080 or \"http\" (a port name)".into()),
                );
            }
            return true;
        }
        if special == Some("quantity") {
            let ok = match v {
                Value::String(q) => is_quantity(q),
                Value::Number(_) => true,
                _ => false,
            };
            if !ok {
                self.push(codes::K8S004, format!("{} is not a Kubernetes quantity", show(v)), ptr, false, Some("write a number with an optional suffix, e.g. 250m, 0.5, 128Mi, 1Gi (no spaces)".into()));
            }
            return true;
        }
        false
    }

    /// `anyOf` / `oneOf`: the value must match at least one alternative. Each alternative is
    /// tried by a scratch walker, so a failed try reports nothing; only the overall miss does.
    fn check_alternatives(&mut self, v: &Value, alts: &[Value], ptr: &str) {
        let ok = alts.iter().any(|a| {
            let mut w = Walker {
                issues: Vec::new(),
                depth: self.depth,
            };
            w.walk(v, a, &mut ptr.to_owned());
            w.issues.is_empty()
        });
        if !ok {
            self.push(
                codes::K8S004,
                format!("{} does not match any allowed form", show(v)),
                ptr,
                false,
                None,
            );
        }
    }

    /// `type` (one name or a list of them). Reports a mismatch and returns false, in which case
    /// no other keyword of `s` applies to the value.
    fn check_type(&mut self, v: &Value, s: &Value, ptr: &str) -> bool {
        let types: Vec<&str> = match s.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if types.is_empty() || types.iter().any(|t| type_matches(t, v)) {
            return true;
        }
        let want = types
            .iter()
            .find(|t| **t != "null")
            .copied()
            .unwrap_or("null");
        let (code, msg, hint) = type_mismatch(want, v);
        self.push(code, msg, ptr, false, hint);
        false
    }

    /// `enum`, with the closest allowed value as a suggestion.
    fn check_enum(&mut self, v: &Value, s: &Value, ptr: &str) {
        if let Some(Value::Array(allowed)) = s.get("enum")
            && !allowed.contains(v)
        {
            let names: Vec<&str> = allowed.iter().filter_map(Value::as_str).collect();
            let hint = match v
                .as_str()
                .and_then(|x| suggest::closest(x, names.iter().copied()))
            {
                Some(c) => format!("did you mean `{c}`? allowed: {}", names.join(", ")),
                None => format!("allowed: {}", names.join(", ")),
            };
            self.push(
                codes::K8S004,
                format!("{} is not an allowed value", show(v)),
                ptr,
                false,
                Some(hint),
            );
        }
    }

    /// `format: int32`, `minimum` and `maximum` of a number.
    fn check_number(&mut self, n: &serde_json::Number, s: &Value, ptr: &str) {
        if s.get("format").and_then(Value::as_str) == Some("int32")
            && let Some(i) = n.as_i64()
            && i32::try_from(i).is_err()
        {
            self.push(
                codes::K8S004,
                format!("{i} does not fit in a 32-bit integer"),
                ptr,
                false,
                None,
            );
        }
        let f = n.as_f64().unwrap_or(0.0);
        if let Some(min) = s.get("minimum").and_then(Value::as_f64)
            && f < min
        {
            self.push(
                codes::K8S004,
                format!("{n} is below the minimum {min}"),
                ptr,
                false,
                None,
            );
        }
        if let Some(max) = s.get("maximum").and_then(Value::as_f64)
            && f > max
        {
            self.push(
                codes::K8S004,
                format!("{n} is above the maximum {max}"),
                ptr,
                false,
                None,
            );
        }
    }

    /// `minLength` and `maxLength` of a string (`v` is the string `st`), in characters.
    fn check_string_length(&mut self, v: &Value, st: &str, s: &Value, ptr: &str) {
        let len = st.chars().count() as u64;
        if let Some(min) = s.get("minLength").and_then(Value::as_u64)
            && len < min
        {
            self.push(
                codes::K8S004,
                format!("{} is shorter than {min} characters", show(v)),
                ptr,
                false,
                None,
            );
        }
        if let Some(max) = s.get("maxLength").and_then(Value::as_u64)
            && len > max
        {
            self.push(
                codes::K8S004,
                format!("{} is longer than {max} characters", show(v)),
                ptr,
                false,
                None,
            );
        }
    }

    /// `maxItems`, `minItems`, then each item against `items`.
    fn walk_array(&mut self, items: &[Value], s: &Value, ptr: &mut String) {
        if let Some(max) = s.get("maxItems").and_then(Value::as_u64)
            && items.len() as u64 > max
        {
            self.push(
                codes::K8S004,
                format!("the list has more than {max} items"),
                ptr,
                false,
                None,
            );
        }
        if let Some(min) = s.get("minItems").and_then(Value::as_u64)
            && (items.len() as u64) < min
        {
            self.push(
                codes::K8S004,
                format!("the list needs at least {min} items"),
                ptr,
                false,
                None,
            );
        }
        if let Some(item_schema) = s.get("items") {
            for (i, it) in items.iter().enumerate() {
                let len = ptr.len();
                // Writing into the pointer in place: no String per item.
                let _ = write!(ptr, "/{i}");
                self.walk(it, item_schema, ptr);
                ptr.truncate(len);
            }
        }
    }

    /// `required`, then each member against its `properties` entry, or else against
    /// `additionalProperties` (an unknown field when that is false and unknown fields are not
    /// preserved).
    fn walk_object(&mut self, map: &serde_json::Map<String, Value>, s: &Value, ptr: &mut String) {
        let props = s.get("properties").and_then(Value::as_object);
        let preserve = s.get("x-kubernetes-preserve-unknown-fields") == Some(&Value::Bool(true));
        let additional = s.get("additionalProperties");
        if let Some(req) = s.get("required").and_then(Value::as_array) {
            self.check_required(map, req, ptr);
        }
        for (k, val) in map {
            let len = ptr.len();
            ptr.push('/');
            ptr.push_str(&escape_pointer(k));
            match props.and_then(|p| p.get(k)) {
                Some(ps) => self.walk(val, ps, ptr),
                None => match additional {
                    Some(Value::Bool(false)) if !preserve => {
                        self.push(
                            codes::K8S001,
                            format!("unknown field \"{k}\""),
                            ptr,
                            true,
                            unknown_field_hint(k, props),
                        );
                    }
                    Some(extra @ Value::Object(_)) => self.walk(val, extra, ptr),
                    _ => {}
                },
            }
            ptr.truncate(len);
        }
    }

    /// `required`: a member that is absent or null is missing.
    fn check_required(&mut self, map: &serde_json::Map<String, Value>, req: &[Value], ptr: &str) {
        for r in req.iter().filter_map(Value::as_str) {
            if map.get(r).is_none_or(Value::is_null) {
                let where_ = if ptr.is_empty() {
                    "the top level".to_string()
                } else {
                    format!("`{}`", pointer_to_path(ptr))
                };
                self.push(
                    codes::K8S003,
                    format!("missing required field \"{r}\" in {where_}"),
                    ptr,
                    true,
                    Some(format!("add `{r}:`")),
                );
            }
        }
    }
}

/// The hint for an unknown field `k`: the closest known field, or else the first known fields.
fn unknown_field_hint(k: &str, props: Option<&serde_json::Map<String, Value>>) -> Option<String> {
    props
        .and_then(|p| suggest::closest(k, p.keys().map(String::as_str)))
        .map(|c| format!("did you mean `{c}`?"))
        .or_else(|| {
            props.map(|p| {
                let mut names: Vec<&str> = p.keys().map(String::as_str).collect();
                names.sort();
                let shown: Vec<&str> = names.into_iter().take(12).collect();
                format!("known fields here: {}", shown.join(", "))
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(kind: &str, v: Value) -> Vec<Issue> {
        let s = schema();
        let def = &s.kinds[kind].definition;
        validate(&v, s.definition(def).unwrap())
    }

    #[test]
    fn schema_loads_with_common_kinds() {
        let s = schema();
        assert_eq!(s.kubernetes, "1.37");
        for k in [
            "v1/Pod",
            "apps/v1/Deployment",
            "networking.k8s.io/v1/Ingress",
            "autoscaling/v2/HorizontalPodAutoscaler",
            "batch/v1/CronJob",
        ] {
            assert!(s.kinds.contains_key(k), "{k}");
        }
        assert!(
            !s.kinds["v1/PersistentVolume"].namespaced,
            "PV is cluster-scoped"
        );
        assert_eq!(
            s.fragment("Container"),
            Some("io.k8s.api.core.v1.Container")
        );
        assert_eq!(s.versions_of("Ingress"), vec!["networking.k8s.io/v1"]);
        // Regression: equal ranks came out in the map's order, so the hint changed per run.
        assert_eq!(
            s.versions_of("HorizontalPodAutoscaler"),
            vec!["autoscaling/v2", "autoscaling/v1"]
        );
    }

    #[test]
    fn seeded_errors() {
        let issues = check(
            "apps/v1/Deployment",
            json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "w"},
              "spec": {"replicas": "3", "template": {"spec": {"containers": [{"name": "web", "imagePullPolicyy": "Always",
                "ports": [{"containerPort": "http"}], "resources": {"limits": {"memory": "1 GB"}},
                "readinessProbe": {"httpGet": {"path": "/", "port": true}}, "imagePullPolicy": "Sometimes"}]}}}}),
        );
        let got: Vec<(&str, String)> = issues.iter().map(|i| (i.code, i.path())).collect();
        for want in [
            (codes::K8S003, "spec".to_string()),
            (codes::K8S002, "spec.replicas".into()),
            (
                codes::K8S001,
                "spec.template.spec.containers[0].imagePullPolicyy".into(),
            ),
            (
                codes::K8S002,
                "spec.template.spec.containers[0].ports[0].containerPort".into(),
            ),
            (
                codes::K8S004,
                "spec.template.spec.containers[0].resources.limits.memory".into(),
            ),
            (
                codes::K8S004,
                "spec.template.spec.containers[0].readinessProbe.httpGet.port".into(),
            ),
            (
                codes::K8S004,
                "spec.template.spec.containers[0].imagePullPolicy".into(),
            ),
        ] {
            assert!(
                got.contains(&(want.0, want.1.clone())),
                "missing {want:?} in {got:?}"
            );
        }
        let typo = issues.iter().find(|i| i.code == codes::K8S001).unwrap();
        assert_eq!(
            typo.hint.as_deref(),
            Some("did you mean `imagePullPolicy`?")
        );
    }

    #[test]
    fn yaml_1_1_traps() {
        let issues = check(
            "v1/ConfigMap",
            json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x", "labels": {"version": 1.1}}, "data": {"enabled": true}}),
        );
        assert_eq!(
            issues.iter().filter(|i| i.code == codes::YAML003).count(),
            2,
            "{issues:?}"
        );
    }

    #[test]
    fn quantities() {
        for ok in ["500m", "1", "1.5Gi", "128Mi", "1e3", "0.5", "2k"] {
            assert!(is_quantity(ok), "{ok}");
        }
        for bad in ["1 GB", "", "Mi", "abc", "1GB", "--1"] {
            assert!(!is_quantity(bad), "{bad}");
        }
        assert_eq!(parse_quantity("500m"), Some(0.5));
        assert_eq!(parse_quantity("1Ki"), Some(1024.0));
    }

    #[test]
    fn deep_input_does_not_overflow() {
        let mut v = json!("leaf");
        for _ in 0..300 {
            v = json!({ "a": v });
        }
        let _ = check(
            "v1/ConfigMap",
            json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x", "annotations": v}}),
        );
    }
}
