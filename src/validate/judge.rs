//! The verdict on one parsed YAML document, as the API server would give it: which object it
//! is, and every problem with the position it points at. `check` (manifests inside a book's
//! code blocks) and `validate` (manifest files) both judge through here and differ only in
//! how a position in the document becomes a place in a file.

use super::crd;
use super::schema::{self, Issue};
use super::semantic;
use super::yaml::{Document, Pos};
use crate::diag::Diagnostic;
use crate::diag::codes;
use crate::suggest;
use serde_json::Value;

/// Groups that carry configuration files rather than API objects (kind cluster configs,
/// kustomizations, kubeconfigs): shown in the book, not validated against the API.
const CONFIG_GROUPS: &[&str] = &[
    "kustomize.config.k8s.io",
    "kind.x-k8s.io",
    "kubeadm.k8s.io",
    "kubelet.config.k8s.io",
    "kubeproxy.config.k8s.io",
    "apiserver.config.k8s.io",
    "audit.k8s.io",
    "client.authentication.k8s.io",
];

pub fn is_config_file(api_version: &str, kind: &str) -> bool {
    let group = api_version.split_once('/').map(|(g, _)| g).unwrap_or("");
    CONFIG_GROUPS.contains(&group) || (api_version == "v1" && kind == "Config")
}

/// One problem, placed inside the document.
#[derive(Debug, Clone)]
pub struct Finding {
    pub diag: Diagnostic,
    pub pos: Pos,
}

impl Finding {
    pub fn code(&self) -> &'static str {
        self.diag.code
    }
    /// The offending field as a path (`spec.replicas`), as the API server names it.
    pub fn path(&self) -> String {
        self.diag.path.clone().unwrap_or_default()
    }
}

/// What the judged object turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// An empty document (`---` with nothing after it): nothing to judge.
    Empty,
    /// YAML that is not a Kubernetes object (no `kind`): a values file, a fragment.
    NotAnObject,
    /// `kind`/`apiVersion` missing or not strings: the API server cannot decode it.
    Undecodable,
    /// A configuration file (kind, kustomize, kubeconfig): not an API object.
    Config,
    /// Judged against a built-in or CRD schema.
    Checked,
    /// A custom resource whose CRD is unknown: not judged.
    NoSchema,
}

/// The verdict on one object: a document, or one item of a `kind: List`.
#[derive(Debug, Clone)]
pub struct Judgement {
    pub api_version: String,
    pub kind: String,
    pub name: String,
    /// Where the object starts in the document's text.
    pub start: Pos,
    pub status: Status,
    pub findings: Vec<Finding>,
}

impl Judgement {
    fn new(status: Status) -> Judgement {
        Judgement {
            start: Pos::default(),
            api_version: String::new(),
            kind: String::new(),
            name: String::new(),
            status,
            findings: Vec::new(),
        }
    }
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.diag.is_error())
    }
}

/// Judge a document; a `v1` `List` gives one judgement per item, as `kubectl apply` sends
/// each item on its own.
pub fn judge_document(doc: &Document, crds: &crd::Registry) -> Vec<Judgement> {
    if doc.value.is_null() {
        return vec![Judgement::new(Status::Empty)];
    }
    let is_list = doc.value.get("apiVersion").and_then(Value::as_str) == Some("v1")
        && doc.value.get("kind").and_then(Value::as_str) == Some("List");
    match doc.value.get("items").and_then(Value::as_array) {
        Some(items) if is_list => items
            .iter()
            .enumerate()
            .map(|(k, item)| judge_object(doc, &format!("/items/{k}"), item, crds))
            .collect(),
        _ => vec![judge_object(doc, "", &doc.value, crds)],
    }
}

/// Judge the object at `prefix` (a JSON pointer into `doc`, empty for the whole document).
fn judge_object(doc: &Document, prefix: &str, v: &Value, crds: &crd::Registry) -> Judgement {
    let j = judge_at(doc, prefix, v, crds);
    Judgement {
        start: if prefix.is_empty() {
            doc.start
        } else {
            doc.pos(prefix)
        },
        ..j
    }
}

fn judge_at(doc: &Document, prefix: &str, v: &Value, crds: &crd::Registry) -> Judgement {
    let mut j = match identify(doc, prefix, v) {
        Ok(j) => j,
        Err(j) => return j,
    };
    if is_config_file(&j.api_version, &j.kind) {
        j.status = Status::Config;
        return j;
    }
    let Some(issues) = schema_issues(&j.api_version, &j.kind, v, crds) else {
        let (diag, ptr) = unknown_kind(&j.api_version, &j.kind);
        if diag.code == codes::K8S007 {
            j.status = Status::NoSchema;
        }
        let pos = doc.pos(&format!("{prefix}{ptr}"));
        j.findings.push(Finding { diag, pos });
        return j;
    };
    j.findings = issues
        .into_iter()
        .map(|issue| finding(doc, prefix, &issue, &j.kind))
        .collect();
    j
}

/// The kind, apiVersion and name of the object `v` at `prefix`: a judgement to check
/// (`Ok`, status Checked), or the final judgement of something that cannot be checked
/// (`Err`: not an object, or no string kind or apiVersion).
fn identify(doc: &Document, prefix: &str, v: &Value) -> Result<Judgement, Judgement> {
    let Some(obj) = v.as_object() else {
        return Err(Judgement::new(Status::NotAnObject));
    };
    let Some(kind) = obj.get("kind") else {
        return Err(Judgement::new(Status::NotAnObject));
    };
    let Some(kind) = kind.as_str().map(str::to_string) else {
        let mut j = Judgement::new(Status::Undecodable);
        j.findings.push(Finding {
            diag: Diagnostic::error(codes::K8S002, "`kind` must be a string"),
            pos: doc.pos(&format!("{prefix}/kind")),
        });
        return Err(j);
    };
    let name = v
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let Some(api_version) = obj
        .get("apiVersion")
        .and_then(Value::as_str)
        .map(str::to_string)
    else {
        let mut j = Judgement::new(Status::Undecodable);
        j.findings.push(Finding {
            diag: Diagnostic::error(codes::K8S003, format!("{kind} has no apiVersion")).with_hint(
                match schema::schema().versions_of(&kind).first() {
                    Some(v) => format!("add `apiVersion: {v}`"),
                    None => "add `apiVersion: …`".into(),
                },
            ),
            pos: if prefix.is_empty() {
                doc.start
            } else {
                doc.pos(prefix)
            },
        });
        j.kind = kind;
        j.name = name;
        return Err(j);
    };
    Ok(Judgement {
        start: Pos::default(),
        api_version,
        kind,
        name,
        status: Status::Checked,
        findings: Vec::new(),
    })
}

/// The schema (and, for a built-in kind, semantic) issues of `v`; None when no schema is
/// known for the kind, built in or from a CRD.
fn schema_issues(
    api_version: &str,
    kind: &str,
    v: &Value,
    crds: &crd::Registry,
) -> Option<Vec<Issue>> {
    let s = schema::schema();
    let key = format!("{api_version}/{kind}");
    if let Some(node) = s.kinds.get(&key).and_then(|k| s.definition(&k.definition)) {
        let issues = schema::validate(v, node);
        // The API server decodes before it validates: semantic rules only see objects that
        // match their schema.
        if issues.is_empty() {
            Some(semantic::check(api_version, kind, v))
        } else {
            Some(issues)
        }
    } else {
        crds.schema_for(api_version, kind)
            .map(|crd_schema| schema::validate(v, crd_schema))
    }
}

/// A schema or semantic issue as a diagnostic at its value (or key).
pub fn finding(doc: &Document, prefix: &str, issue: &Issue, what: &str) -> Finding {
    let ptr = format!("{prefix}{}", issue.pointer);
    let pos = if issue.at_key {
        doc.key_pos(&ptr)
    } else {
        doc.pos(&ptr)
    };
    let mut d = Diagnostic::error(issue.code, format!("{what}: {}", issue.message)).with_path(
        if issue.pointer.is_empty() {
            "(top level)".to_string()
        } else {
            issue.path()
        },
    );
    if let Some(h) = &issue.hint {
        d = d.with_hint(h.clone());
    }
    Finding { diag: d, pos }
}

/// Why a kind has no schema, and the pointer the diagnostic belongs at.
fn unknown_kind(api_version: &str, kind: &str) -> (Diagnostic, &'static str) {
    let s = schema::schema();
    let served = s.versions_of(kind);
    let group = api_version.split_once('/').map(|(g, _)| g).unwrap_or("");
    // A group of the pinned release (or a dotless typo of one such as `app`); other groups,
    // also `*.k8s.io` ones that Kubernetes does not serve itself (gateway.networking.k8s.io,
    // snapshot.storage.k8s.io), are custom resources.
    let builtin_group = group.is_empty()
        || !group.contains('.')
        || s.kinds
            .keys()
            .any(|k| k.strip_prefix(group).is_some_and(|r| r.starts_with('/')));
    if let Some(v) = served.first() {
        let d = Diagnostic::error(
            codes::K8S006,
            format!("{kind} {api_version} is not served by Kubernetes {}", s.kubernetes),
        )
        .with_path("apiVersion")
        .with_hint(format!("use `apiVersion: {v}` (the API was removed or never existed under {api_version}; check the fields too)"));
        return (d, "/apiVersion");
    }
    if builtin_group {
        let all_kinds: Vec<&str> = s
            .kinds
            .keys()
            .filter_map(|k| k.rsplit('/').next())
            .collect();
        let hint = suggest::closest(kind, all_kinds.iter().copied())
            .map(|k| format!("did you mean `{k}`?"))
            .unwrap_or_else(|| "check the kind's spelling and its apiVersion".into());
        let d = Diagnostic::error(
            codes::K8S005,
            format!(
                "{api_version} {kind} does not exist in Kubernetes {}",
                s.kubernetes
            ),
        )
        .with_path("kind")
        .with_hint(hint);
        return (d, "/kind");
    }
    let d = Diagnostic::warning(
        codes::K8S007,
        format!("{kind} ({api_version}) is a custom resource without a known CRD; not validated"),
    )
    .with_hint(
        "give kubebook its CustomResourceDefinition (labs/crds/ in a book, --crds DIR for validate)",
    );
    (d, "/kind")
}
