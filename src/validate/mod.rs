//! Manifest validation: YAML with spans → Kubernetes schema and lints → diagnostics.

pub mod crd;
pub mod lint;
pub mod schema;
pub mod semantic;
pub mod suggest;
pub mod yaml;

use crate::diag::codes;
use crate::diag::{Diagnostic, Report, Span};
use crate::lab::{CodeBlock, Lab};
use serde::Serialize;
use serde_json::Value;
use std::path::Path;
use yaml::Document;

/// What `check` counted, for its summary line.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct CheckStats {
    pub labs: usize,
    pub manifests: usize,
    pub fragments: usize,
    pub opted_out: usize,
    pub expected_errors: usize,
    pub skip_ci: usize,
}

/// A manifest found in the book, with where it came from.
pub struct Manifest<'a> {
    pub block: usize,
    pub doc: Document,
    pub lab: Option<&'a str>,
    pub api_version: String,
    pub kind: String,
}

impl Manifest<'_> {
    pub fn name(&self) -> &str {
        self.doc.str_at("/metadata/name").unwrap_or("")
    }
}

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

fn is_config_file(api_version: &str, kind: &str) -> bool {
    let group = api_version.split_once('/').map(|(g, _)| g).unwrap_or("");
    CONFIG_GROUPS.contains(&group) || (api_version == "v1" && kind == "Config")
}

/// Diagnostics of one code block, resolved against `expect-error` before they are reported.
struct BlockResult {
    diags: Vec<Diagnostic>,
}

fn span_for(b: &CodeBlock, doc: &Document, issue: &schema::Issue) -> Span {
    let p = if issue.at_key {
        doc.key_pos(&issue.pointer)
    } else {
        doc.pos(&issue.pointer)
    };
    b.span_in(p.line, p.col)
}

/// Validate every YAML block of the book and lint across the objects of each lab.
pub fn check_book(
    root: &Path,
    blocks: &[&CodeBlock],
    labs: &[Lab],
    report: &mut Report,
) -> CheckStats {
    let mut stats = CheckStats {
        labs: labs.len(),
        skip_ci: labs.iter().filter(|l| l.skip_ci.is_some()).count(),
        ..CheckStats::default()
    };
    let s = schema::schema();
    let mut crds = crd::Registry::default();
    crds.load_dir(&root.join("labs/crds"), report);
    let mut results: Vec<BlockResult> = blocks
        .iter()
        .map(|_| BlockResult { diags: Vec::new() })
        .collect();
    let mut manifests: Vec<Manifest> = Vec::new();

    // Pass 1: parse every YAML block.
    let mut parsed: Vec<Option<Vec<Document>>> = Vec::with_capacity(blocks.len());
    for (i, b) in blocks.iter().enumerate() {
        let lang = b.info.lang.as_str();
        if !(lang == "yaml" || lang == "yml") {
            parsed.push(None);
            continue;
        }
        if b.info.has("novalidate") {
            stats.opted_out += 1;
            parsed.push(None);
            continue;
        }
        let relevant = b.info.has("lab")
            || b.info.has("fragment")
            || b.info.has("expect-error")
            || b.content.contains("apiVersion:")
            || b.content.contains("kind:");
        match yaml::parse_documents(&b.content) {
            Ok(nodes) => parsed.push(Some(nodes.into_iter().map(Document::new).collect())),
            Err(e) => {
                if relevant {
                    results[i].diags.push(
                        Diagnostic::error(e.code, format!("invalid YAML: {}", e.message))
                            .at(b.span_in(e.pos.line, e.pos.col))
                            .with_hint(if e.code == codes::YAML002 {
                                "remove or rename one of the two keys"
                            } else {
                                "check indentation and quoting around this position"
                            }),
                    );
                }
                parsed.push(None);
            }
        }
    }
    // CRDs defined anywhere in the book teach the validator their custom resources.
    for docs in parsed.iter().flatten() {
        for d in docs {
            crds.add_from_value(&d.value);
        }
    }

    // Pass 2: schema validation.
    for (i, (b, docs)) in blocks.iter().zip(parsed).enumerate() {
        let Some(docs) = docs else { continue };
        if let Some(ty) = b.info.value("fragment") {
            let Some(def) = s.fragment(ty) else {
                let hint = suggest::closest(ty, s.fragment_names())
                    .map(|c| format!("did you mean `{c}`?"))
                    .unwrap_or_else(|| "name a Kubernetes type such as Container, PodSpec, Probe, Volume, ServicePort".into());
                results[i].diags.push(
                    Diagnostic::error(codes::LAB012, format!("unknown fragment type `{ty}`"))
                        .at(b.attr_span("fragment"))
                        .with_hint(hint),
                );
                continue;
            };
            let schema_node = s.definition(def).cloned().unwrap_or(Value::Null);
            for doc in &docs {
                stats.fragments += 1;
                // A fragment may be one object or a list of them (e.g. a list of containers).
                let items: Vec<(String, &Value)> = match &doc.value {
                    Value::Array(a)
                        if schema_node.get("type").and_then(Value::as_str) != Some("array") =>
                    {
                        a.iter()
                            .enumerate()
                            .map(|(k, v)| (format!("/{k}"), v))
                            .collect()
                    }
                    v => vec![(String::new(), v)],
                };
                for (prefix, v) in items {
                    for mut issue in schema::validate(v, &schema_node) {
                        issue.pointer = format!("{prefix}{}", issue.pointer);
                        results[i].diags.push(issue_diag(
                            b,
                            doc,
                            &issue,
                            &format!("{ty} fragment"),
                        ));
                    }
                }
            }
            continue;
        }
        for doc in docs {
            let Some(obj) = doc.value.as_object() else {
                continue;
            };
            let Some(kind) = obj.get("kind") else {
                continue;
            };
            let Some(kind) = kind.as_str().map(str::to_string) else {
                results[i].diags.push(
                    Diagnostic::error(codes::K8S002, "`kind` must be a string")
                        .at(span_at(b, &doc, "/kind")),
                );
                continue;
            };
            let Some(api_version) = obj
                .get("apiVersion")
                .and_then(Value::as_str)
                .map(str::to_string)
            else {
                results[i].diags.push(
                    Diagnostic::error(codes::K8S003, format!("{kind} has no apiVersion"))
                        .at(b.span_in(doc.start.line, doc.start.col))
                        .with_hint(match s.versions_of(&kind).first() {
                            Some(v) => format!("add `apiVersion: {v}`"),
                            None => "add `apiVersion: …`".into(),
                        }),
                );
                continue;
            };
            if is_config_file(&api_version, &kind) {
                continue;
            }
            stats.manifests += 1;
            let key = format!("{api_version}/{kind}");
            if let Some((def, _)) = s.kinds.get(&key) {
                if let Some(node) = s.definition(def) {
                    let issues = schema::validate(&doc.value, node);
                    // The API server decodes before it validates: semantic rules only see
                    // objects that match their schema.
                    let issues = if issues.is_empty() {
                        semantic::check(&api_version, &kind, &doc.value)
                    } else {
                        issues
                    };
                    for issue in issues {
                        results[i].diags.push(issue_diag(b, &doc, &issue, &kind));
                    }
                }
            } else if let Some(crd_schema) = crds.schema_for(&api_version, &kind) {
                for issue in schema::validate(&doc.value, &crd_schema) {
                    results[i].diags.push(issue_diag(b, &doc, &issue, &kind));
                }
            } else {
                results[i]
                    .diags
                    .push(unknown_kind(b, &doc, &api_version, &kind));
            }
            manifests.push(Manifest {
                block: i,
                doc,
                lab: b.info.value("lab"),
                api_version,
                kind,
            });
        }
    }

    // Pass 3: lints on each manifest and across the objects of each lab.
    for d in lint::lint(blocks, &manifests, labs) {
        results[d.0].diags.push(d.1);
    }

    // Resolve expect-error and report.
    for (b, r) in blocks.iter().zip(results) {
        match b.info.value("expect-error") {
            None => report.extend(r.diags),
            Some(code) => {
                if r.diags.iter().any(|d| d.code == code) {
                    stats.expected_errors += 1;
                } else {
                    let got: Vec<&str> = r.diags.iter().map(|d| d.code).collect();
                    let what = if got.is_empty() {
                        "the block is valid".to_string()
                    } else {
                        format!("it reports {}", got.join(", "))
                    };
                    report.push(
                        Diagnostic::error(codes::LAB013, format!("this block is marked expect-error={code}, but {what}"))
                            .at(b.attr_span("expect-error"))
                            .with_hint("a block broken on purpose must produce exactly the diagnostic it names; fix the marker or the manifest"),
                    );
                }
            }
        }
    }
    stats
}

fn span_at(b: &CodeBlock, doc: &Document, ptr: &str) -> Span {
    let p = doc.pos(ptr);
    b.span_in(p.line, p.col)
}

fn issue_diag(b: &CodeBlock, doc: &Document, issue: &schema::Issue, what: &str) -> Diagnostic {
    let mut d = Diagnostic::error(issue.code, format!("{what}: {}", issue.message))
        .at(span_for(b, doc, issue))
        .with_path(if issue.pointer.is_empty() {
            "(top level)".to_string()
        } else {
            issue.path()
        });
    if let Some(h) = &issue.hint {
        d = d.with_hint(h.clone());
    }
    d
}

fn unknown_kind(b: &CodeBlock, doc: &Document, api_version: &str, kind: &str) -> Diagnostic {
    let s = schema::schema();
    let span = span_at(b, doc, "/apiVersion");
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
        return Diagnostic::error(
            codes::K8S006,
            format!("{kind} {api_version} is not served by Kubernetes {}", s.kubernetes),
        )
        .at(span)
        .with_path("apiVersion")
        .with_hint(format!("use `apiVersion: {v}` (the API was removed or never existed under {api_version}; check the fields too)"));
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
        return Diagnostic::error(
            codes::K8S005,
            format!(
                "{api_version} {kind} does not exist in Kubernetes {}",
                s.kubernetes
            ),
        )
        .at(span_at(b, doc, "/kind"))
        .with_path("kind")
        .with_hint(hint);
    }
    Diagnostic::warning(codes::K8S007, format!("{kind} ({api_version}) is a custom resource without a known CRD; not validated"))
        .at(span_at(b, doc, "/kind"))
        .with_hint("put its CustomResourceDefinition in labs/crds/ (or define the CRD in the lab) to validate it")
}

/// Validate one YAML text of Kubernetes manifests against the schema (no lab lints); returns
/// the problems found. Used by benchmarks and tools that validate files outside a book.
pub fn validate_text(text: &str) -> Result<Vec<schema::Issue>, yaml::YamlError> {
    let s = schema::schema();
    let mut issues = Vec::new();
    for node in yaml::parse_documents(text)? {
        let doc = Document::new(node);
        let key = format!(
            "{}/{}",
            doc.str_at("/apiVersion").unwrap_or_default(),
            doc.str_at("/kind").unwrap_or_default()
        );
        match s.kinds.get(&key).and_then(|(def, _)| s.definition(def)) {
            Some(def) => {
                let found = schema::validate(&doc.value, def);
                if found.is_empty() {
                    issues.extend(semantic::check(
                        doc.str_at("/apiVersion").unwrap_or_default(),
                        doc.str_at("/kind").unwrap_or_default(),
                        &doc.value,
                    ));
                } else {
                    issues.extend(found);
                }
            }
            None => issues.push(schema::Issue {
                code: codes::K8S005,
                message: format!("unknown kind {key}"),
                pointer: "/kind".into(),
                at_key: false,
                hint: None,
            }),
        }
    }
    Ok(issues)
}
