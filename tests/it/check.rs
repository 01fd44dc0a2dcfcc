//! `kubebook check`: the valid corpus passes with zero diagnostics; each broken manifest gives
//! its code, JSON path and line:col; output formats; expect-error.

use crate::common;
use common::Project;
use serde_json::Value;

/// A chapter whose only lab holds `yaml` as its first file. YAML line N is Markdown line N + 4.
fn lab_project(yaml: &str) -> Project {
    let p = Project::new();
    p.chapter(
        "01-c.md",
        "C",
        &format!("```yaml lab=t file=x.yaml\n{yaml}```\n"),
    );
    p
}

fn diagnostics(p: &Project) -> (i32, Vec<Value>) {
    let r = p.run(&["check", "--format", "json"]);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("json: {e}\n{}\n{}", r.stdout, r.stderr));
    (
        r.code,
        v["diagnostics"].as_array().cloned().unwrap_or_default(),
    )
}

#[test]
fn valid_corpus_has_zero_diagnostics() {
    let p = Project::new();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/valid");
    let mut body = String::new();
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    for (i, path) in names.iter().enumerate() {
        let text = std::fs::read_to_string(path).unwrap();
        let title = if i == 0 { " title=\"Corpus\"" } else { "" };
        body.push_str(&format!(
            "```yaml lab=corpus file=f{i}.yaml{title}\n{text}```\n\n"
        ));
    }
    p.chapter("01-corpus.md", "Corpus", &body);
    let (code, diags) = diagnostics(&p);
    assert_eq!(diags, Vec::<Value>::new());
    assert_eq!(code, 0);
    let r = p.run(&["check"]);
    assert!(r.stderr.contains("21 manifests"), "{}", r.stderr);
}

/// (name, yaml, code, path, "line:col" in the Markdown file)
const CASES: &[(&str, &str, &str, &str, &str)] = &[
    (
        "unknown field with a hint",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27.3\n      comand: [sh]\n",
        "K8S001",
        "spec.containers[0].comand",
        "13:7",
    ),
    (
        "wrong type",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  replicas: \"3\"\n  selector: {matchLabels: {app: d}}\n  template:\n    metadata: {labels: {app: d}}\n    spec:\n      containers: [{name: c, image: \"nginx:1.27.3\"}]\n",
        "K8S002",
        "spec.replicas",
        "10:13",
    ),
    (
        "missing required field",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    metadata: {labels: {app: d}}\n    spec:\n      containers: [{name: c, image: \"nginx:1.27.3\"}]\n",
        "K8S003",
        "spec",
        "9:1",
    ),
    (
        "container without a name",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - image: nginx:1.27.3\n",
        "K8S003",
        "spec.containers[0]",
        "11:7",
    ),
    (
        "bad quantity",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27.3\n      resources:\n        limits:\n          memory: 1 GB\n",
        "K8S004",
        "spec.containers[0].resources.limits.memory",
        "15:19",
    ),
    (
        "bad int-or-string",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n    - port: 80\n      targetPort: true\n",
        "K8S004",
        "spec.ports[0].targetPort",
        "12:19",
    ),
    (
        "bad enum value",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  type: NodePorts\n  ports: [{port: 80}]\n",
        "K8S004",
        "spec.type",
        "10:9",
    ),
    (
        "removed API",
        "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: i\n",
        "K8S006",
        "apiVersion",
        "5:13",
    ),
    (
        "kind that does not exist",
        "apiVersion: v1\nkind: Podd\nmetadata:\n  name: p\n",
        "K8S005",
        "kind",
        "6:7",
    ),
    (
        "YAML 1.1 float in a string field",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels:\n    version: 1.10\n",
        "YAML003",
        "metadata.labels.version",
        "10:14",
    ),
    (
        "duplicate key",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n",
        "YAML002",
        "",
        "9:",
    ),
    (
        "selector does not match template",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata: {labels: {app: api}}\n    spec:\n      containers: [{name: c, image: \"nginx:1.27.3\"}]\n",
        "K8S129",
        "spec.template.metadata.labels",
        "13:16",
    ),
    (
        "limit below request",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27.3\n      resources:\n        requests: {memory: 256Mi}\n        limits: {memory: 128Mi}\n",
        "K8S140",
        "spec.containers[0].resources.requests.memory",
        "14:28",
    ),
];

#[test]
fn each_broken_manifest_gives_code_path_and_position() {
    for (name, yaml, code, path, pos) in CASES {
        let p = lab_project(yaml);
        let (exit, diags) = diagnostics(&p);
        let hit = diags.iter().find(|d| d["code"] == *code);
        let Some(d) = hit else {
            panic!("{name}: no {code} in {diags:#?}")
        };
        if !path.is_empty() {
            assert_eq!(d["path"], *path, "{name}: {d:#}");
        }
        let at = format!("{}:{}", d["line"], d["col"]);
        assert!(at.starts_with(pos), "{name}: at {at}, want {pos}: {d:#}");
        assert_eq!(d["file"], "book/01-c.md", "{name}");
        assert_eq!(exit, 1, "{name}: errors exit 1");
    }
}

#[test]
fn hint_names_the_closest_field() {
    let p = lab_project(CASES[0].1);
    let r = p.run(&["check"]);
    assert!(
        r.stderr
            .contains("error[K8S001]: Pod: unknown field \"comand\""),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("--> book/01-c.md:13:7"), "{}", r.stderr);
    assert!(
        r.stderr.contains("^ did you mean `command`?"),
        "{}",
        r.stderr
    );
}

#[test]
fn warnings_fail_only_with_deny_warnings() {
    let p = lab_project(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: default\nspec:\n  containers: [{name: c, image: nginx}]\n",
    );
    let (code, diags) = diagnostics(&p);
    let codes: Vec<&str> = diags.iter().filter_map(|d| d["code"].as_str()).collect();
    assert_eq!(codes, vec!["LINT008", "LINT005"]);
    assert_eq!(code, 0);
    assert_eq!(p.run(&["check", "--deny-warnings"]).code, 1);
}

#[test]
fn cross_object_lints() {
    let p = lab_project(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27.3\n          ports: [{containerPort: 80}]\n          envFrom: [{configMapRef: {name: missing-config}}]\n          readinessProbe: {httpGet: {path: /, port: http}}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80, targetPort: 8080}]\n---\napiVersion: v1\nkind: Service\nmetadata: {name: other}\nspec:\n  selector: {app: nothing}\n  ports: [{port: 80}]\n---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\nspec:\n  rules:\n    - http:\n        paths:\n          - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 81}}}}\n          - {path: /x, pathType: Prefix, backend: {service: {name: ghost, port: {number: 80}}}}\n",
    );
    let (_, diags) = diagnostics(&p);
    let codes: Vec<&str> = diags.iter().filter_map(|d| d["code"].as_str()).collect();
    for c in ["LINT002", "LINT003", "LINT004", "LINT007"] {
        assert!(codes.contains(&c), "missing {c} in {codes:?}");
    }
    assert_eq!(
        codes.iter().filter(|c| **c == "LINT003").count(),
        2,
        "{codes:?}"
    );
    assert_eq!(
        codes.iter().filter(|c| **c == "LINT007").count(),
        2,
        "probe port name and targetPort: {codes:?}"
    );
}

#[test]
fn expect_error_passes_only_with_that_diagnostic() {
    let p = Project::new();
    p.chapter(
        "01-c.md",
        "C",
        "```yaml expect-error=K8S001\napiVersion: v1\nkind: Pod\nmetadata: {name: p, lables: {a: b}}\nspec:\n  containers: [{name: c, image: \"nginx:1.27.3\"}]\n```\n",
    );
    let r = p.run(&["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("1 broken on purpose"), "{}", r.stderr);
    p.chapter(
        "01-c.md",
        "C",
        "```yaml expect-error=K8S001\napiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {a: b}}\nspec:\n  containers: [{name: c, image: \"nginx:1.27.3\"}]\n```\n",
    );
    let r = p.run(&["check"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("error[LAB013]"), "{}", r.stderr);
    assert!(r.stderr.contains("the block is valid"), "{}", r.stderr);
    assert!(r.stderr.contains("book/01-c.md:4:9"), "{}", r.stderr);
}

#[test]
fn fragments_and_custom_resources() {
    let p = Project::new();
    p.write(
        "labs/crds/widget.yaml",
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: widgets.example.dev}\nspec:\n  group: example.dev\n  scope: Namespaced\n  names: {kind: Widget, plural: widgets}\n  versions:\n    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema:\n          type: object\n          properties:\n            spec:\n              type: object\n              properties:\n                size: {type: string, enum: [small, large]}\n",
    );
    p.chapter(
        "01-c.md",
        "C",
        "```yaml fragment=Probe\nhttpGet: {path: /, port: 80}\nperiodSecond: 5\n```\n\n```yaml\napiVersion: example.dev/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: huge}\n```\n\n```yaml\napiVersion: other.dev/v1\nkind: Gadget\nmetadata: {name: g}\n```\n\n```yaml fragment=Contaner\nname: x\n```\n",
    );
    let (_, diags) = diagnostics(&p);
    let got: Vec<(String, u64)> = diags
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert!(
        got.contains(&("K8S001".into(), 6)),
        "fragment typo: {got:?}"
    );
    assert!(got.contains(&("K8S004".into(), 13)), "CRD enum: {got:?}");
    assert!(
        got.contains(&("K8S007".into(), 18)),
        "unknown custom resource warns: {got:?}"
    );
    assert!(
        got.iter().any(|(c, _)| c == "LAB012"),
        "unknown fragment type: {got:?}"
    );
}

#[test]
fn github_and_junit_formats() {
    let p = lab_project(CASES[0].1);
    let r = p.run(&["check", "--format", "github"]);
    assert!(
        r.stdout
            .contains("::error file=book/01-c.md,line=13,col=7,title=K8S001::"),
        "{}",
        r.stdout
    );
    let r = p.run(&["check", "--format", "junit"]);
    assert!(r.stdout.starts_with("<?xml"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("<testcase name=\"book/01-c.md\"><failure type=\"K8S001\""),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("failures=\"1\""));
}

#[test]
fn lab_structure_errors() {
    let p = Project::new();
    p.chapter("01-a.md", "A", "```yaml lab=dup file=a.yaml\nx: 1\n```\n");
    p.chapter(
        "02-b.md",
        "B",
        "```yaml lab=dup\nx: 1\n```\n\n```yaml lab=b file=../escape.yaml\nx: 1\n```\n\n```console lab=b\noutput first\n$ kubectl get pods\n```\n\n```yaml lab=b fiel=x\n```\n",
    );
    let (code, diags) = diagnostics(&p);
    let got: Vec<String> = diags
        .iter()
        .map(|d| format!("{} {}:{}", d["code"].as_str().unwrap(), d["line"], d["col"]))
        .collect();
    assert_eq!(code, 1);
    for want in ["LAB004 4:9", "LAB010 8:15", "LAB009 13:1", "LAB001 17:15"] {
        assert!(got.iter().any(|g| g == want), "missing {want} in {got:?}");
    }
}

#[test]
fn commands_the_runner_refuses_are_errors_unless_skip_ci() {
    let p = Project::new();
    p.chapter(
        "01-a.md",
        "A",
        "```console lab=a\n$ kubectl delete namespace default\n```\n\n```console lab=b skip-ci=\"cloud\"\n$ kind delete cluster\n```\n",
    );
    let (code, diags) = diagnostics(&p);
    let got: Vec<String> = diags
        .iter()
        .map(|d| format!("{} {}", d["code"].as_str().unwrap(), d["line"]))
        .collect();
    assert_eq!(got, vec!["LAB014 5"]);
    assert_eq!(code, 1);
}

#[test]
fn needs_links_name_chapters_and_anchors_that_exist() {
    let p = Project::new();
    p.chapter("01-c.md", "C", "## Helm {#helm}\n\nText.\n");
    let toml = std::fs::read_to_string(p.root().join("book/book.toml")).unwrap();
    p.write(
        "book/book.toml",
        &format!(
            "{toml}\n[needs]\nhelm = \"01-c.md#helm\"\ndocker = \"https://docs.docker.com/\"\ncurl = \"02-missing.md\"\npython3 = \"01-c.md#nope\"\ningress = \"javascript:alert(1)\"\nhelmm = \"01-c.md\"\n"
        ),
    );
    let (_, diags) = diagnostics(&p);
    let mut got: Vec<(String, String)> = diags
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or("").to_string(),
                d["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    got.sort();
    let codes: Vec<&str> = got.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(codes, ["LAB006", "MD001", "MD002", "MD007"], "{got:?}");
    // A key that is no requirement is a typo, caught with a guess at what was meant.
    assert!(got[0].1.contains("`helmm`"), "{got:?}");
    let typo = diags.iter().find(|d| d["code"] == "LAB006");
    assert!(
        typo.is_some_and(|d| d["hint"]
            .as_str()
            .unwrap_or("")
            .starts_with("did you mean `helm`?")),
        "{typo:?}"
    );
    assert!(got[1].1.contains("`curl`"), "{got:?}");
    assert!(got[2].1.contains("#nope"), "{got:?}");
    // The unsafe one (a warning) is not linked from the site.
    p.write(
        "book/book.toml",
        &format!("{toml}\n[needs]\nhelm = \"01-c.md#helm\"\ngateway = \"javascript:alert(1)\"\n"),
    );
    let r = p.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        p.site("01-c.html")
            .contains("data-need=\"helm\" href=\"01-c.html#helm\"")
    );
    assert!(!p.site("01-c.html").contains("javascript:"));
}
