//! The CRD schemas vendored in labs/crds/ (Gateway API, by labs/crds/update.sh): custom
//! resources of the book are validated as strictly as built-in kinds.

use crate::common;
use common::Project;
use serde_json::Value;

/// A project with the shipped labs/crds/ and one lab holding `yaml`. YAML line N is Markdown
/// line N + 4.
fn project(yaml: &str) -> Project {
    let p = Project::new();
    let crds = concat!(env!("CARGO_MANIFEST_DIR"), "/labs/crds/gateway-api.yaml");
    p.write(
        "labs/crds/gateway-api.yaml",
        &std::fs::read_to_string(crds).expect("labs/crds/gateway-api.yaml"),
    );
    p.chapter(
        "01-g.md",
        "G",
        &format!("```yaml lab=g file=g.yaml\n{yaml}```\n"),
    );
    p
}

fn codes(p: &Project) -> Vec<(String, u64)> {
    let r = p.run(&["check", "--format", "json"]);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout));
    v["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                d["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect()
}

const GATEWAY: &str = "apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: web
spec:
  gatewayClassName: cloud-provider-kind
  listeners:
  - name: http
    protocol: HTTP
    port: 80
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: canary
spec:
  parentRefs:
  - name: web
  rules:
  - backendRefs:
    - name: web-v1
      port: 80
      weight: 90
    - name: web-v2
      port: 80
      weight: 10
";

#[test]
fn gateway_api_manifests_validate_without_warnings() {
    let p = project(GATEWAY);
    assert_eq!(codes(&p), Vec::<(String, u64)>::new());
}

#[test]
fn gateway_api_typos_and_types_are_errors_at_their_line() {
    // `backendRef` for `backendRefs` (YAML line 20), a string port (YAML line 10).
    let broken = GATEWAY
        .replace("  - backendRefs:", "  - backendRef:")
        .replace("    port: 80\n---", "    port: eighty\n---");
    let got = codes(&project(&broken));
    assert!(got.contains(&("K8S001".into(), 20 + 4)), "{got:?}");
    assert!(got.contains(&("K8S002".into(), 10 + 4)), "{got:?}");
}

#[test]
fn without_the_schemas_gateway_kinds_are_not_validated_and_say_so() {
    let p = Project::new();
    p.chapter(
        "01-g.md",
        "G",
        &format!("```yaml lab=g file=g.yaml\n{GATEWAY}```\n"),
    );
    let got = codes(&p);
    assert!(got.iter().all(|(c, _)| c == "K8S007"), "{got:?}");
    assert_eq!(got.len(), 2, "{got:?}");
}
