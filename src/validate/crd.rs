//! CustomResourceDefinitions: schemas for custom resources, from labs/crds/ and from CRDs
//! that the book's own labs define.

use crate::diag::codes;
use crate::diag::{Diagnostic, Report, Span};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::path::Path;

#[derive(Default)]
pub struct Registry {
    /// `group/version/Kind` → openAPIV3Schema
    schemas: HashMap<String, Value>,
}

impl Registry {
    /// Load the CRDs of a book's `labs/crds/` (missing: none).
    pub fn load_dir(&mut self, dir: &Path, report: &mut Report) {
        self.load_dir_shown(dir, Path::new(crate::project::paths::CRDS), report)
    }

    /// Load every `*.yaml`/`*.yml` of `dir` (not recursive); diagnostics name the files as
    /// `shown/NAME`.
    pub fn load_dir_shown(&mut self, dir: &Path, shown: &Path, report: &mut Report) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut paths: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
        paths.sort();
        for p in paths {
            if !matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")) {
                continue;
            }
            let rel = shown.join(p.file_name().unwrap_or_default());
            let text = match std::fs::read_to_string(&p) {
                Ok(t) => t,
                Err(e) => {
                    report.push(
                        Diagnostic::error(
                            codes::CRD001,
                            format!("cannot read {}: {e}", rel.display()),
                        )
                        .at(Span::new(&rel, 1, 1)),
                    );
                    continue;
                }
            };
            match super::yaml::parse_documents(&text) {
                Ok(docs) => {
                    for d in docs {
                        let doc = super::yaml::Document::new(d);
                        if !self.add_from_value(&doc.value) {
                            report.push(
                                Diagnostic::warning(codes::CRD002, "not a CustomResourceDefinition with a schema")
                                    .at(Span::new(&rel, doc.start.line, doc.start.col))
                                    .with_hint("labs/crds/ holds apiextensions.k8s.io/v1 CustomResourceDefinitions"),
                            );
                        }
                    }
                }
                Err(e) => report.push(
                    Diagnostic::error(e.code, format!("invalid YAML: {}", e.message))
                        .at(Span::new(&rel, e.pos.line, e.pos.col)),
                ),
            }
        }
    }

    /// Register a CRD given as JSON; returns false when `v` is not a CRD with a schema.
    pub fn add_from_value(&mut self, v: &Value) -> bool {
        if v["kind"] != "CustomResourceDefinition" || v["apiVersion"] != "apiextensions.k8s.io/v1" {
            return false;
        }
        let group = v["spec"]["group"].as_str().unwrap_or_default();
        let kind = v["spec"]["names"]["kind"].as_str().unwrap_or_default();
        let Some(versions) = v["spec"]["versions"].as_array() else {
            return false;
        };
        let mut any = false;
        for ver in versions {
            let (Some(name), Some(schema)) =
                (ver["name"].as_str(), ver["schema"].get("openAPIV3Schema"))
            else {
                continue;
            };
            let Some(complete) = complete(schema) else {
                continue;
            };
            self.schemas
                .insert(format!("{group}/{name}/{kind}"), complete);
            any = true;
        }
        any
    }

    /// The schema of a custom resource (made complete and strict when it was added).
    pub fn schema_for(&self, api_version: &str, kind: &str) -> Option<&Value> {
        self.schemas.get(&format!("{api_version}/{kind}"))
    }
}

/// A CRD version's schema with the fields every object has added, made strict; once per CRD,
/// not per custom resource judged.
fn complete(s: &Value) -> Option<Value> {
    let mut top = s.clone();
    if !top.is_object() {
        return None;
    }
    let props = top
        .as_object_mut()?
        .entry("properties")
        .or_insert_with(|| json!({}));
    if let Some(p) = props.as_object_mut() {
        p.insert("apiVersion".into(), json!({"type": "string"}));
        p.insert("kind".into(), json!({"type": "string"}));
        p.insert(
            "metadata".into(),
            json!({"$ref": "#/$defs/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}),
        );
    }
    strict(&mut top);
    Some(top)
}

/// The API server prunes unknown fields of structural schemas; kubectl's field validation
/// rejects them. Mark objects with properties strict unless they preserve unknown fields.
fn strict(v: &mut Value) {
    match v {
        Value::Object(o) => {
            if o.contains_key("properties")
                && !o.contains_key("additionalProperties")
                && o.get("x-kubernetes-preserve-unknown-fields") != Some(&Value::Bool(true))
            {
                o.insert("additionalProperties".into(), Value::Bool(false));
            }
            for (_, c) in o.iter_mut() {
                strict(c);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(strict),
        _ => {}
    }
}
