//! Manifest validation: YAML with spans → Kubernetes schema and lints → diagnostics.

pub mod crd;
pub mod files;
pub mod judge;
pub mod lint;
pub mod schema;
pub mod semantic;
pub mod yaml;

use crate::diag::codes;
use crate::diag::{Diagnostic, Report};
use crate::lab::{CodeBlock, Lab};
use judge::Status;
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

/// Diagnostics of one code block, resolved against `expect-error` before they are reported.
struct BlockResult {
    diags: Vec<Diagnostic>,
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
    let mut crds = crd::Registry::default();
    crds.load_dir(
        &crate::project::Project::new(root).path(crate::project::paths::CRDS),
        report,
    );
    let mut results: Vec<BlockResult> = blocks
        .iter()
        .map(|_| BlockResult { diags: Vec::new() })
        .collect();

    // Pass 1: parse every YAML block (on every core: blocks are independent).
    stats.opted_out = blocks
        .iter()
        .filter(|b| is_yaml_block(b) && b.info.has("novalidate"))
        .count();
    let parsed = parse_blocks(blocks, &mut results);
    // CRDs defined anywhere in the book teach the validator their custom resources.
    for docs in parsed.iter().flatten() {
        for d in docs {
            crds.add_from_value(&d.value);
        }
    }

    // Pass 2: judge every manifest (on every core), then gather in book order.
    let manifests = judge_blocks(blocks, parsed, &crds, &mut results, &mut stats);

    // Pass 3: lints on each manifest and across the objects of each lab.
    for d in lint::lint(blocks, &manifests, labs) {
        results[d.0].diags.push(d.1);
    }

    resolve_expect_errors(blocks, results, &mut stats, report);
    stats
}

fn is_yaml_block(b: &CodeBlock) -> bool {
    matches!(b.info.lang.as_str(), "yaml" | "yml")
}

/// Pass 1: the documents of every YAML block that is validated (not `novalidate`), by block
/// index; `None` for other blocks and for YAML that does not parse. A parse error is reported
/// only for a block that looks meant as Kubernetes YAML (see [`looks_like_manifest`]).
fn parse_blocks(blocks: &[&CodeBlock], results: &mut [BlockResult]) -> Vec<Option<Vec<Document>>> {
    let raw: Vec<Option<Result<Vec<Document>, yaml::YamlError>>> = crate::par::map(blocks, |b| {
        (is_yaml_block(b) && !b.info.has("novalidate")).then(|| {
            yaml::parse_documents(&b.content)
                .map(|nodes| nodes.into_iter().map(Document::new).collect())
        })
    });
    let mut parsed: Vec<Option<Vec<Document>>> = Vec::with_capacity(blocks.len());
    for ((result, b), r) in raw.into_iter().zip(blocks).zip(results.iter_mut()) {
        match result {
            None => parsed.push(None),
            Some(Ok(docs)) => parsed.push(Some(docs)),
            Some(Err(e)) => {
                if looks_like_manifest(b) {
                    r.diags.push(yaml_error(b, &e));
                }
                parsed.push(None);
            }
        }
    }
    parsed
}

/// A lab, fragment or expect-error block, or one that names an `apiVersion:` or `kind:`.
fn looks_like_manifest(b: &CodeBlock) -> bool {
    b.info.has("lab")
        || b.info.has("fragment")
        || b.info.has("expect-error")
        || b.content.contains("apiVersion:")
        || b.content.contains("kind:")
}

fn yaml_error(b: &CodeBlock, e: &yaml::YamlError) -> Diagnostic {
    Diagnostic::error(e.code, format!("invalid YAML: {}", e.message))
        .at(b.span_in(e.pos.line, e.pos.col))
        .with_hint(if e.code == codes::YAML002 {
            "remove or rename one of the two keys"
        } else {
            "check indentation and quoting around this position"
        })
}

/// Pass 2: judge the documents of every block (on every core) and gather the findings in book
/// order. Fragment blocks are checked against their type instead. Returns the manifests the
/// lints look at.
fn judge_blocks<'a>(
    blocks: &[&'a CodeBlock],
    parsed: Vec<Option<Vec<Document>>>,
    crds: &crd::Registry,
    results: &mut [BlockResult],
    stats: &mut CheckStats,
) -> Vec<Manifest<'a>> {
    let work: Vec<(&CodeBlock, Option<Vec<Document>>)> =
        blocks.iter().copied().zip(parsed).collect();
    let mut verdicts: Vec<Vec<Vec<judge::Judgement>>> =
        crate::par::map(&work, |(b, docs)| match docs {
            Some(docs) if !b.info.has("fragment") => docs
                .iter()
                .map(|d| judge::judge_document(d, crds))
                .collect(),
            _ => Vec::new(),
        });
    let mut manifests: Vec<Manifest> = Vec::new();
    for (i, (b, docs)) in work.into_iter().enumerate() {
        let Some(docs) = docs else { continue };
        let diags = &mut results[i].diags;
        if let Some(ty) = b.info.value("fragment") {
            check_fragment(b, ty, &docs, diags, stats);
            continue;
        }
        for (doc, judged) in docs.into_iter().zip(std::mem::take(&mut verdicts[i])) {
            if let Some(m) = gather_judged(i, b, doc, &judged, diags, stats) {
                manifests.push(m);
            }
        }
    }
    manifests
}

/// A `fragment=TYPE` block: each document against the schema of TYPE (`Container`,
/// `PodSpec`, …).
fn check_fragment(
    b: &CodeBlock,
    ty: &str,
    docs: &[Document],
    diags: &mut Vec<Diagnostic>,
    stats: &mut CheckStats,
) {
    let s = schema::schema();
    let Some(def) = s.fragment(ty) else {
        let hint = crate::suggest::closest(ty, s.fragment_names())
            .map(|c| format!("did you mean `{c}`?"))
            .unwrap_or_else(|| {
                "name a Kubernetes type such as Container, PodSpec, Probe, Volume, ServicePort"
                    .into()
            });
        diags.push(
            Diagnostic::error(codes::LAB012, format!("unknown fragment type `{ty}`"))
                .at(b.attr_span("fragment"))
                .with_hint(hint),
        );
        return;
    };
    let schema_node = s.definition(def).unwrap_or(&Value::Null);
    for doc in docs {
        stats.fragments += 1;
        // A fragment may be one object or a list of them (e.g. a list of containers).
        let items: Vec<(String, &Value)> = match &doc.value {
            Value::Array(a) if schema_node.get("type").and_then(Value::as_str) != Some("array") => {
                a.iter()
                    .enumerate()
                    .map(|(k, v)| (format!("/{k}"), v))
                    .collect()
            }
            v => vec![(String::new(), v)],
        };
        for (prefix, v) in items {
            for mut issue in schema::validate(v, schema_node) {
                issue.pointer = format!("{prefix}{}", issue.pointer);
                let f = judge::finding(doc, "", &issue, &format!("{ty} fragment"));
                diags.push(f.diag.at(b.span_in(f.pos.line, f.pos.col)));
            }
        }
    }
}

/// The findings of one judged document go to its block (`block`, `b`) and count its
/// manifests; a document that is one object becomes the manifest the lints look at.
fn gather_judged<'a>(
    block: usize,
    b: &'a CodeBlock,
    doc: Document,
    judged: &[judge::Judgement],
    diags: &mut Vec<Diagnostic>,
    stats: &mut CheckStats,
) -> Option<Manifest<'a>> {
    for j in judged {
        for f in &j.findings {
            diags.push(f.diag.clone().at(b.span_in(f.pos.line, f.pos.col)));
        }
    }
    let manifests_here = judged
        .iter()
        .filter(|j| matches!(j.status, Status::Checked | Status::NoSchema))
        .count();
    stats.manifests += manifests_here;
    // Lints look at whole documents: one object each (a List's items are judged, not
    // linted).
    if let [j] = judged
        && manifests_here == 1
        && !doc.value.get("items").is_some_and(Value::is_array)
    {
        return Some(Manifest {
            block,
            api_version: j.api_version.clone(),
            kind: j.kind.clone(),
            doc,
            lab: b.info.value("lab"),
        });
    }
    None
}

/// Report each block's diagnostics, except in a block marked `expect-error=CODE`: there the
/// diagnostics are the point, and the block is wrong only if CODE is not among them.
fn resolve_expect_errors(
    blocks: &[&CodeBlock],
    results: Vec<BlockResult>,
    stats: &mut CheckStats,
    report: &mut Report,
) {
    for (b, r) in blocks.iter().zip(results) {
        match b.info.value("expect-error") {
            None => report.extend(r.diags),
            Some(code) => {
                if r.diags.iter().any(|d| d.code == code) {
                    stats.expected_errors += 1;
                } else {
                    report.push(expected_error_missing(b, code, &r.diags));
                }
            }
        }
    }
}

fn expected_error_missing(b: &CodeBlock, code: &str, diags: &[Diagnostic]) -> Diagnostic {
    let got: Vec<&str> = diags.iter().map(|d| d.code).collect();
    let what = if got.is_empty() {
        "the block is valid".to_string()
    } else {
        format!("it reports {}", got.join(", "))
    };
    Diagnostic::error(
        codes::LAB013,
        format!("this block is marked expect-error={code}, but {what}"),
    )
    .at(b.attr_span("expect-error"))
    .with_hint(
        "a block broken on purpose must produce exactly the diagnostic it names; fix the marker or the manifest",
    )
}

/// Judge one YAML text of Kubernetes manifests as `check` and `validate` do (no lab lints, no
/// CRDs); the problems found, in document order. Used by benchmarks and the oracle test.
pub fn validate_text(text: &str) -> Result<Vec<judge::Finding>, yaml::YamlError> {
    let crds = crd::Registry::default();
    let mut out = Vec::new();
    for node in yaml::parse_documents(text)? {
        for j in judge::judge_document(&Document::new(node), &crds) {
            out.extend(j.findings);
        }
    }
    Ok(out)
}
