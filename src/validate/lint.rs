//! Lints on single manifests and across the objects of one lab (LINT001–LINT008; LINT006 is retired: K8S140 judges requests against limits exactly).

use super::Manifest;
use crate::diag::codes;
use crate::diag::{Diagnostic, Span};
use crate::lab::{BlockKind, CodeBlock, Lab};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

/// A Pod template inside a manifest: where its spec and labels are.
struct Template<'a> {
    m: usize,
    spec_ptr: String,
    labels: Map<String, Value>,
    spec: &'a Value,
}

fn template_of(m: &Manifest) -> Option<(String, String)> {
    match m.kind.as_str() {
        "Pod" => Some(("/spec".into(), "/metadata/labels".into())),
        "Deployment"
        | "ReplicaSet"
        | "StatefulSet"
        | "DaemonSet"
        | "Job"
        | "ReplicationController" => Some((
            "/spec/template/spec".into(),
            "/spec/template/metadata/labels".into(),
        )),
        "CronJob" => Some((
            "/spec/jobTemplate/spec/template/spec".into(),
            "/spec/jobTemplate/spec/template/metadata/labels".into(),
        )),
        _ => None,
    }
}

type Out = Vec<(usize, Diagnostic)>;

fn at(blocks: &[&CodeBlock], m: &Manifest, ptr: &str, key: bool) -> Span {
    let p = if key {
        m.doc.key_pos(ptr)
    } else {
        m.doc.pos(ptr)
    };
    blocks[m.block].span_in(p.line, p.col)
}

/// Everything a lab does outside its manifests (commands, other files), to see whether it
/// creates an object some manifest refers to.
fn lab_text(lab: &Lab) -> String {
    let mut t = String::new();
    for b in &lab.blocks {
        match &b.kind {
            BlockKind::Console { steps } => {
                for s in steps {
                    t.push_str(&s.command);
                    t.push('\n');
                }
            }
            // A manifest naming an object does not create it; other files (kustomizations
            // with generators, scripts, values files) may.
            _ if (b.lang == "yaml" || b.lang == "yml")
                && b.content.contains("kind:")
                && !b.content.contains("kustomize.config.k8s.io") => {}
            _ => {
                t.push_str(&b.content);
                t.push('\n');
            }
        }
    }
    t
}

pub fn lint(blocks: &[&CodeBlock], manifests: &[Manifest], labs: &[Lab]) -> Out {
    let mut out = Out::new();
    let templates: Vec<Template> = manifests
        .iter()
        .enumerate()
        .filter_map(|(i, m)| {
            let (sp, lp) = template_of(m)?;
            let spec = m.doc.value.pointer(&sp)?;
            let labels = m
                .doc
                .value
                .pointer(&lp)
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            Some(Template {
                m: i,
                spec_ptr: sp,
                labels,
                spec,
            })
        })
        .collect();

    for (i, m) in manifests.iter().enumerate() {
        if m.lab.is_some() && m.doc.value.pointer("/metadata/namespace").is_some() {
            out.push((
                m.block,
                Diagnostic::warning(codes::LINT008, format!("{} sets metadata.namespace", m.kind))
                    .at(at(blocks, m, "/metadata/namespace", true))
                    .with_path("metadata.namespace")
                    .with_hint("labs run in a namespace of their own; remove the namespace so the manifest works in any namespace"),
            ));
        }
        for t in templates.iter().filter(|t| t.m == i) {
            containers(blocks, m, t, &mut out);
            selector_matches_template(blocks, m, t, &mut out);
        }
    }

    for lab in labs {
        let in_lab: Vec<usize> = manifests
            .iter()
            .enumerate()
            .filter(|(_, m)| m.lab == Some(lab.id.as_str()))
            .map(|(i, _)| i)
            .collect();
        let text = lab_text(lab);
        let lab_templates: Vec<&Template> =
            templates.iter().filter(|t| in_lab.contains(&t.m)).collect();
        let mut label_sets: Vec<Map<String, Value>> =
            lab_templates.iter().map(|t| t.labels.clone()).collect();
        label_sets.extend(command_labels(&text));
        for &i in &in_lab {
            let m = &manifests[i];
            match m.kind.as_str() {
                "Service" => service(blocks, m, &lab_templates, &label_sets, &mut out),
                "Ingress" => ingress(blocks, m, manifests, &in_lab, &text, &mut out),
                _ => {}
            }
        }
        references(blocks, manifests, &in_lab, &lab_templates, &text, &mut out);
        command_images(blocks, lab, &mut out);
    }
    out
}

/// `kubectl run NAME` labels its Pod run=NAME; `kubectl create deployment NAME` uses app=NAME.
fn command_labels(text: &str) -> Vec<Map<String, Value>> {
    let mut sets = Vec::new();
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        for w in words.windows(3) {
            let label = match (w[0], w[1]) {
                ("kubectl", "run") => Some("run"),
                ("create", "deployment") => Some("app"),
                _ => None,
            };
            if let Some(l) = label
                && !w[2].starts_with('-')
            {
                let mut m = Map::new();
                m.insert(l.into(), Value::String(w[2].to_string()));
                sets.push(m);
            }
        }
    }
    sets
}

fn image_problem(image: &str) -> Option<&'static str> {
    if image.contains('@') {
        return None;
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.split_once(':') {
        None => Some("has no tag, so it means :latest"),
        Some((_, "latest")) => Some("uses :latest"),
        _ => None,
    }
}

fn containers(blocks: &[&CodeBlock], m: &Manifest, t: &Template, out: &mut Out) {
    for list in ["containers", "initContainers"] {
        let Some(cs) = t.spec.get(list).and_then(Value::as_array) else {
            continue;
        };
        for (ci, c) in cs.iter().enumerate() {
            let base = format!("{}/{list}/{ci}", t.spec_ptr);
            if let Some(img) = c.get("image").and_then(Value::as_str)
                && let Some(problem) = image_problem(img)
            {
                out.push((
                    m.block,
                    Diagnostic::warning(codes::LINT005, format!("image `{img}` {problem}"))
                        .at(at(blocks, m, &format!("{base}/image"), false))
                        .with_path(super::yaml::pointer_to_path(&format!("{base}/image")))
                        .with_hint("pin a tag (e.g. nginx:1.27.3) so the lab behaves the same next year and works offline after `kind load`"),
                ));
            }
            let names: HashSet<&str> = c
                .get("ports")
                .and_then(Value::as_array)
                .map(|ps| {
                    ps.iter()
                        .filter_map(|p| p.get("name").and_then(Value::as_str))
                        .collect()
                })
                .unwrap_or_default();
            for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
                for action in ["httpGet", "tcpSocket", "grpc"] {
                    let ptr = format!("{base}/{probe}/{action}/port");
                    if let Some(Value::String(port)) = c.pointer(&format!("/{probe}/{action}/port"))
                        && !names.contains(port.as_str())
                    {
                        out.push((
                            m.block,
                            Diagnostic::warning(codes::LINT007, format!("{probe} uses port `{port}`, which the container does not declare"))
                                .at(at(blocks, m, &ptr, false))
                                .with_path(super::yaml::pointer_to_path(&ptr))
                                .with_hint("name the port under `ports:` (name: http) or use the port number"),
                        ));
                    }
                }
            }
        }
    }
}

fn show(v: &Value) -> String {
    v.as_str()
        .map(str::to_string)
        .unwrap_or_else(|| v.to_string())
}

fn selector_matches_template(blocks: &[&CodeBlock], m: &Manifest, t: &Template, out: &mut Out) {
    // The apps workloads are judged exactly by the semantic rule K8S129.
    if matches!(
        m.kind.as_str(),
        "Pod" | "CronJob" | "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet"
    ) {
        return;
    }
    let Some(sel) = m
        .doc
        .value
        .pointer("/spec/selector/matchLabels")
        .and_then(Value::as_object)
    else {
        return;
    };
    for (k, v) in sel {
        if t.labels.get(k) != Some(v) {
            let ptr = format!(
                "/spec/selector/matchLabels/{}",
                super::yaml::escape_pointer(k)
            );
            out.push((
                m.block,
                Diagnostic::error(codes::LINT001, format!("selector {k}={} does not match the Pod template's labels", show(v)))
                    .at(at(blocks, m, &ptr, true))
                    .with_path(super::yaml::pointer_to_path(&ptr))
                    .with_hint(format!("the API server rejects a {} whose selector does not select its own template; add {k}: {} to spec.template.metadata.labels", m.kind, show(v))),
            ));
        }
    }
}

fn selects(sel: &Map<String, Value>, labels: &Map<String, Value>) -> bool {
    sel.iter().all(|(k, v)| labels.get(k) == Some(v))
}

fn service(
    blocks: &[&CodeBlock],
    m: &Manifest,
    templates: &[&Template],
    label_sets: &[Map<String, Value>],
    out: &mut Out,
) {
    let Some(sel) = m
        .doc
        .value
        .pointer("/spec/selector")
        .and_then(Value::as_object)
    else {
        return;
    };
    if sel.is_empty() || label_sets.is_empty() {
        return;
    }
    if !label_sets.iter().any(|l| selects(sel, l)) {
        let shown: Vec<String> = sel
            .iter()
            .map(|(k, v)| format!("{k}={}", show(v)))
            .collect();
        out.push((
            m.block,
            Diagnostic::warning(codes::LINT002, format!("Service `{}` selects {} but no Pod template in the lab has those labels", m.name(), shown.join(",")))
                .at(at(blocks, m, "/spec/selector", true))
                .with_path("spec.selector")
                .with_hint("a Service with no matching Pods has no endpoints; compare the selector with spec.template.metadata.labels"),
        ));
        return;
    }
    // targetPort must be a port the selected containers declare.
    let selected: Vec<&&Template> = templates
        .iter()
        .filter(|t| selects(sel, &t.labels))
        .collect();
    let (numbers, names) = declared_ports(&selected);
    if selected.is_empty() || numbers.is_empty() {
        return;
    }
    target_ports(blocks, m, &numbers, &names, out);
}

/// The containerPort numbers and port names of the containers of `templates`.
fn declared_ports(templates: &[&&Template]) -> (HashSet<i64>, HashSet<String>) {
    let mut numbers = HashSet::new();
    let mut names = HashSet::new();
    for t in templates {
        for c in t
            .spec
            .get("containers")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            for p in c
                .get("ports")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(n) = p.get("containerPort").and_then(Value::as_i64) {
                    numbers.insert(n);
                }
                if let Some(n) = p.get("name").and_then(Value::as_str) {
                    names.insert(n.to_string());
                }
            }
        }
    }
    (numbers, names)
}

/// Each port of the Service `m` targets (targetPort, else port) one of the declared port
/// `numbers` or `names`.
fn target_ports(
    blocks: &[&CodeBlock],
    m: &Manifest,
    numbers: &HashSet<i64>,
    names: &HashSet<String>,
    out: &mut Out,
) {
    for (pi, p) in m
        .doc
        .value
        .pointer("/spec/ports")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let (target, ptr) = match p.get("targetPort") {
            Some(t) => (t.clone(), format!("/spec/ports/{pi}/targetPort")),
            None => (
                p.get("port").cloned().unwrap_or(Value::Null),
                format!("/spec/ports/{pi}/port"),
            ),
        };
        let ok = match &target {
            Value::Number(n) => n.as_i64().is_some_and(|n| numbers.contains(&n)),
            Value::String(s) => names.contains(s),
            _ => true,
        };
        if !ok {
            out.push((
                m.block,
                Diagnostic::warning(codes::LINT007, format!("Service `{}` sends traffic to port {} but the selected containers declare {}", m.name(), show(&target), {
                    let mut v: Vec<String> = numbers.iter().map(|n| n.to_string()).collect();
                    v.sort();
                    v.join(", ")
                }))
                .at(at(blocks, m, &ptr, false))
                .with_path(super::yaml::pointer_to_path(&ptr))
                .with_hint("targetPort must be a containerPort (or port name) of the Pods the Service selects"),
            ));
        }
    }
}

fn ingress(
    blocks: &[&CodeBlock],
    m: &Manifest,
    manifests: &[Manifest],
    in_lab: &[usize],
    text: &str,
    out: &mut Out,
) {
    let services: HashMap<&str, &Manifest> = in_lab
        .iter()
        .map(|&i| &manifests[i])
        .filter(|s| s.kind == "Service")
        .map(|s| (s.name(), s))
        .collect();
    for b in ingress_backends(m) {
        let Some(name) = m
            .doc
            .value
            .pointer(&format!("{b}/name"))
            .and_then(Value::as_str)
        else {
            continue;
        };
        match services.get(name) {
            None => {
                if !text.contains(name) {
                    out.push((
                        m.block,
                        Diagnostic::warning(codes::LINT003, format!("Ingress backend names Service `{name}`, which the lab does not define"))
                            .at(at(blocks, m, &format!("{b}/name"), false))
                            .with_path(super::yaml::pointer_to_path(&format!("{b}/name")))
                            .with_hint("define the Service in the lab or fix the name"),
                    ));
                }
            }
            Some(svc) => backend_port(blocks, m, &b, name, svc, out),
        }
    }
}

/// The pointers of the Ingress `m`'s Service backends: the default one, then each path's.
fn ingress_backends(m: &Manifest) -> Vec<String> {
    let mut backends: Vec<String> = Vec::new();
    if m.doc
        .value
        .pointer("/spec/defaultBackend/service")
        .is_some()
    {
        backends.push("/spec/defaultBackend/service".into());
    }
    for (ri, r) in m
        .doc
        .value
        .pointer("/spec/rules")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        for (pi, _) in r
            .pointer("/http/paths")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            backends.push(format!("/spec/rules/{ri}/http/paths/{pi}/backend/service"));
        }
    }
    backends
}

/// The backend at `b` of the Ingress `m` names a port (by number or name) of the lab's
/// Service `svc` (named `name`).
fn backend_port(
    blocks: &[&CodeBlock],
    m: &Manifest,
    b: &str,
    name: &str,
    svc: &Manifest,
    out: &mut Out,
) {
    let ports: Vec<&Value> = svc
        .doc
        .value
        .pointer("/spec/ports")
        .and_then(Value::as_array)
        .map(|v| v.iter().collect())
        .unwrap_or_default();
    let (ok, ptr) = if let Some(n) = m.doc.value.pointer(&format!("{b}/port/number")) {
        (
            ports.iter().any(|p| p.get("port") == Some(n)),
            format!("{b}/port/number"),
        )
    } else if let Some(n) = m.doc.value.pointer(&format!("{b}/port/name")) {
        (
            ports.iter().any(|p| p.get("name") == Some(n)),
            format!("{b}/port/name"),
        )
    } else {
        (true, String::new())
    };
    if !ok {
        out.push((
            m.block,
            Diagnostic::warning(codes::LINT003, format!("Service `{name}` has no such port"))
                .at(at(blocks, m, &ptr, false))
                .with_path(super::yaml::pointer_to_path(&ptr))
                .with_hint("use a port (number or name) listed in the Service's spec.ports"),
        ));
    }
}

fn references(
    blocks: &[&CodeBlock],
    manifests: &[Manifest],
    in_lab: &[usize],
    templates: &[&Template],
    text: &str,
    out: &mut Out,
) {
    let defined = |kind: &str, name: &str| {
        in_lab
            .iter()
            .any(|&i| manifests[i].kind == kind && manifests[i].name() == name)
            || text.contains(name)
    };
    for t in templates {
        let m = &manifests[t.m];
        for (kind, name, ptr) in template_refs(t) {
            if !defined(kind, &name) {
                out.push((
                    m.block,
                    Diagnostic::warning(codes::LINT004, format!("{} refers to {kind} `{name}`, which the lab neither defines nor creates", m.kind))
                        .at(at(blocks, m, &ptr, false))
                        .with_path(super::yaml::pointer_to_path(&ptr))
                        .with_hint(format!("add the {kind} to the lab (or a step that creates it), or mark the reference optional: true")),
                ));
            }
        }
    }
}

/// The objects a Pod template needs (not marked optional) as (kind, name, pointer): from its
/// containers' env and envFrom, then from its volumes.
fn template_refs(t: &Template) -> Vec<(&'static str, String, String)> {
    let mut refs: Vec<(&str, String, String)> = Vec::new();
    for list in ["containers", "initContainers"] {
        for (ci, c) in t
            .spec
            .get(list)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            container_refs(&format!("{}/{list}/{ci}", t.spec_ptr), c, &mut refs);
        }
    }
    for (vi, v) in t
        .spec
        .get("volumes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let base = format!("{}/volumes/{vi}", t.spec_ptr);
        for (key, field, kind) in [
            ("configMap", "name", "ConfigMap"),
            ("secret", "secretName", "Secret"),
            (
                "persistentVolumeClaim",
                "claimName",
                "PersistentVolumeClaim",
            ),
        ] {
            if let Some(r) = v.get(key)
                && r.get("optional") != Some(&Value::Bool(true))
                && let Some(n) = r.get(field).and_then(Value::as_str)
            {
                refs.push((kind, n.into(), format!("{base}/{key}/{field}")));
            }
        }
    }
    refs
}

/// The ConfigMaps and Secrets the container at `base` reads through env and envFrom.
fn container_refs(base: &str, c: &Value, refs: &mut Vec<(&'static str, String, String)>) {
    for (ei, e) in c
        .get("env")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        for (key, kind) in [("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")] {
            if let Some(r) = e.pointer(&format!("/valueFrom/{key}"))
                && r.get("optional") != Some(&Value::Bool(true))
                && let Some(n) = r.get("name").and_then(Value::as_str)
            {
                refs.push((
                    kind,
                    n.into(),
                    format!("{base}/env/{ei}/valueFrom/{key}/name"),
                ));
            }
        }
    }
    for (ei, e) in c
        .get("envFrom")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        for (key, kind) in [("configMapRef", "ConfigMap"), ("secretRef", "Secret")] {
            if let Some(r) = e.get(key)
                && r.get("optional") != Some(&Value::Bool(true))
                && let Some(n) = r.get("name").and_then(Value::as_str)
            {
                refs.push((kind, n.into(), format!("{base}/envFrom/{ei}/{key}/name")));
            }
        }
    }
}

/// `kubectl run … --image=nginx` in a lab's commands: the same tag rule as manifests.
fn command_images(blocks: &[&CodeBlock], lab: &Lab, out: &mut Out) {
    for b in &lab.blocks {
        let BlockKind::Console { steps } = &b.kind else {
            continue;
        };
        for s in steps {
            let words: Vec<&str> = s.command.split_whitespace().collect();
            for (wi, w) in words.iter().enumerate() {
                let img = if let Some(v) = w.strip_prefix("--image=") {
                    Some(v)
                } else if *w == "--image" {
                    words.get(wi + 1).copied()
                } else {
                    None
                };
                if let Some(img) = img.map(|i| i.trim_matches(['"', '\'']))
                    && !img.contains('$')
                    && let Some(problem) = image_problem(img)
                {
                    out.push((
                        lab_block_index(lab, b, blocks),
                        Diagnostic::warning(codes::LINT005, format!("image `{img}` {problem}"))
                            .at(Span::new(&lab.file, b.line + s.line, 1))
                            .with_hint("pin a tag, e.g. --image=busybox:1.36.1"),
                    ));
                }
            }
        }
    }
}

/// The index of the code block a lab block came from (same file and first line).
fn lab_block_index(lab: &Lab, b: &crate::lab::LabBlock, blocks: &[&CodeBlock]) -> usize {
    blocks
        .iter()
        .position(|cb| cb.file == lab.file && cb.content_line() == b.line)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_tags() {
        assert_eq!(
            image_problem("nginx"),
            Some("has no tag, so it means :latest")
        );
        assert_eq!(image_problem("nginx:latest"), Some("uses :latest"));
        assert_eq!(
            image_problem("localhost:5000/app"),
            Some("has no tag, so it means :latest")
        );
        assert_eq!(
            image_problem("registry.k8s.io/e2e-test-images/agnhost:2.53"),
            None
        );
        assert_eq!(image_problem("nginx@sha256:abc"), None);
    }

    #[test]
    fn labels_from_commands() {
        let sets = command_labels(
            "kubectl run client --image=busybox:1.36.1\nkubectl create deployment web --image=nginx:1.27.3\n",
        );
        assert_eq!(sets.len(), 2);
        assert_eq!(sets[0]["run"], "client");
        assert_eq!(sets[1]["app"], "web");
    }
}
