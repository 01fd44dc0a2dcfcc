//! `kubebook validate` as a user runs it: files, directories, standard input, every output
//! format, exit statuses, CRDs, and hostile input (FIFOs, huge, binary, deep, empty).

use crate::common;
use common::kubebook;
use std::io::Write as _;
use std::path::Path;
use std::process::Stdio;

fn write(dir: &Path, rel: &str, text: &str) -> String {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(&p, text).expect("write");
    p.to_string_lossy().into_owned()
}

fn path(dir: &Path) -> String {
    dir.to_string_lossy().into_owned()
}

const VALID_DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27.3\n";

/// The eleven manifests of issue 15 that the API server refuses, each with the line the
/// problem is on (the oracle test proves the API server refuses each one).
fn refused() -> Vec<(&'static str, String, usize)> {
    let pod = |name: &str, extra: &str| {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27.3\n{extra}"
        )
    };
    let dep = |replicas: &str, policy: &str| {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: {replicas}\n  selector:\n    matchLabels: {{app: web}}\n  template:\n    metadata:\n      labels: {{app: web}}\n    spec:\n      restartPolicy: {policy}\n      containers:\n        - name: web\n          image: nginx:1.27.3\n"
        )
    };
    let svc = |name: &str, ports: &str| {
        format!(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n  type: NodePort\n  selector: {{app: web}}\n  ports:\n{ports}"
        )
    };
    vec![
        ("upper-case-pod-name", pod("My-Pod", ""), 4),
        (
            "upper-case-container-name",
            pod("p", "").replace("- name: web", "- name: Web"),
            7,
        ),
        (
            "container-port-70000",
            pod("p", "      ports:\n        - containerPort: 70000\n"),
            10,
        ),
        (
            "two-containers-one-name",
            pod("p", "    - name: web\n      image: busybox:1.37\n"),
            9,
        ),
        (
            "mount-of-missing-volume",
            pod(
                "p",
                "      volumeMounts:\n        - name: data\n          mountPath: /data\n",
            ),
            10,
        ),
        ("replicas-minus-one", dep("-1", "Always"), 6),
        ("restart-never-in-deployment", dep("2", "Never"), 13),
        (
            "node-port-80",
            svc("web", "    - port: 80\n      nodePort: 80\n"),
            10,
        ),
        (
            "two-unnamed-service-ports",
            svc("web", "    - port: 80\n    - port: 443\n"),
            10,
        ),
        (
            "label-value-64-chars",
            format!(
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels:\n    app: {}\n",
                "a".repeat(64)
            ),
            6,
        ),
        ("service-named-web-v2", svc("web.v2", "    - port: 80\n"), 4),
    ]
}

#[test]
fn the_eleven_refused_manifests_are_each_reported_at_their_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, yaml, line) in refused() {
        let file = write(dir.path(), &format!("{name}.yaml"), &yaml);
        let r = kubebook(&["validate", "-o", "json", &file]);
        assert_eq!(r.code, 1, "{name}: {}", r.stdout);
        let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
        let diags = v["resources"][0]["diagnostics"]
            .as_array()
            .expect("diagnostics");
        assert!(
            diags.iter().any(|d| d["span"]["line"] == line),
            "{name}: no diagnostic at line {line}: {diags:?}"
        );
        assert_eq!(v["resources"][0]["verdict"], "invalid", "{name}");
    }
}

#[test]
fn a_directory_is_searched_recursively_and_summarised() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a/web.yaml", VALID_DEPLOYMENT);
    write(
        dir.path(),
        "a/b/ns.json",
        r#"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"team"}}"#,
    );
    write(dir.path(), "a/b/notes.txt", "not yaml: [");
    write(dir.path(), ".git/config.yaml", "broken: [");
    write(
        dir.path(),
        "multi.yml",
        "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: one}\n---\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: Two}\nspec:\n  containers: [{name: c, image: busybox:1.37}]\n",
    );
    let r = kubebook(&["validate", &path(dir.path())]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains(
            "Summary: 4 resources found in 3 files - Valid: 3, Invalid: 1, Errors: 0, Skipped: 0"
        ),
        "{}",
        r.stdout
    );
    // The Pod is the second object of multi.yml; its name is on line 9.
    assert!(r.stdout.contains("multi.yml:9:"), "{}", r.stdout);
    assert!(r.stdout.contains("error[K8S101]"), "{}", r.stdout);

    let ok = kubebook(&["validate", "-v", &format!("{}/a", path(dir.path()))]);
    assert_eq!(ok.code, 0, "{}", ok.stdout);
    assert!(
        ok.stdout.contains("Deployment web is valid"),
        "{}",
        ok.stdout
    );
    assert!(
        ok.stdout.contains("Namespace team is valid"),
        "{}",
        ok.stdout
    );
}

#[test]
fn standard_input_is_read_with_a_dash() {
    let mut child = common::kubebook_cmd()
        .args(["validate", "-o", "tap", "-"])
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("{VALID_DEPLOYMENT}---\n{}", refused()[0].1).as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.starts_with("TAP version 13\n1..2\n"), "{text}");
    assert!(text.contains("ok 1 - stdin:1 - Deployment web\n"), "{text}");
    assert!(
        text.contains("not ok 2 - stdin:17 - Pod My-Pod\n"),
        "{text}"
    );
    assert!(text.contains("code: K8S101"), "{text}");
    assert!(text.contains("at: \"stdin:20:9\""), "{text}");
}

#[test]
fn every_output_format_reports_the_same_verdicts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = write(dir.path(), "good.yaml", VALID_DEPLOYMENT);
    let bad = write(dir.path(), "bad.yaml", &refused()[5].1);

    let json = kubebook(&["validate", "--output", "json", &good, &bad]);
    assert_eq!(json.code, 1);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    assert_eq!(v["summary"]["valid"], 1);
    assert_eq!(v["summary"]["invalid"], 1);
    assert_eq!(v["summary"]["files"], 2);
    assert_eq!(v["resources"][1]["kind"], "Deployment");
    assert_eq!(v["resources"][1]["version"], "apps/v1");
    assert_eq!(v["resources"][1]["diagnostics"][0]["code"], "K8S120");

    let junit = kubebook(&["validate", "--output", "junit", &good, &bad]);
    assert_eq!(junit.code, 1);
    assert!(junit.stdout.starts_with("<?xml"), "{}", junit.stdout);
    assert!(
        junit
            .stdout
            .contains("<testsuites name=\"kubebook validate\" tests=\"2\" failures=\"1\""),
        "{}",
        junit.stdout
    );
    assert!(
        junit.stdout.contains("<failure type=\"K8S120\""),
        "{}",
        junit.stdout
    );
    assert_eq!(junit.stdout.matches("<testsuite ").count(), 2);

    let gh = kubebook(&["validate", "--output", "github", &good, &bad]);
    assert_eq!(gh.code, 1);
    assert!(
        gh.stdout
            .contains(&format!("::error file={bad},line=6,col=13,title=K8S120::")),
        "{}",
        gh.stdout
    );

    let text = kubebook(&["validate", "--no-summary", &good]);
    assert_eq!(text.code, 0);
    assert_eq!(
        text.stdout, "",
        "a valid file prints nothing without --verbose"
    );
}

#[test]
fn custom_resources_need_their_crd_unless_told_to_skip() {
    let dir = tempfile::tempdir().expect("tempdir");
    let crd = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\nspec:\n  group: example.com\n  scope: Namespaced\n  names: {plural: widgets, singular: widget, kind: Widget}\n  versions:\n    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema:\n          type: object\n          properties:\n            spec:\n              type: object\n              properties:\n                size: {type: integer}\n";
    let cr = write(
        dir.path(),
        "cr/widget.yaml",
        "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec:\n  size: big\n",
    );
    let missing = kubebook(&["validate", &cr]);
    assert_eq!(missing.code, 1);
    assert!(
        missing.stdout.contains("error[VAL003]"),
        "{}",
        missing.stdout
    );
    assert!(missing.stdout.contains("Errors: 1"), "{}", missing.stdout);

    let ignored = kubebook(&["validate", "--ignore-missing-schemas", &cr]);
    assert_eq!(ignored.code, 0, "{}", ignored.stdout);
    assert!(ignored.stdout.contains("Skipped: 1"), "{}", ignored.stdout);

    let crds = write(dir.path(), "crds/widget-crd.yaml", crd);
    let judged = kubebook(&[
        "validate",
        "--crds",
        &format!("{}/crds", path(dir.path())),
        &cr,
    ]);
    assert_eq!(judged.code, 1, "{}", judged.stdout);
    assert!(
        judged.stdout.contains("widget.yaml:5:9"),
        "{}",
        judged.stdout
    );
    assert!(judged.stdout.contains("error[K8S002]"), "{}", judged.stdout);

    // A CRD in the input teaches the validator too (and is judged itself).
    let both = kubebook(&["validate", &crds, &cr]);
    assert_eq!(both.code, 1, "{}", both.stdout);
    assert!(both.stdout.contains("error[K8S002]"), "{}", both.stdout);
    assert!(
        both.stdout.contains("Valid: 1, Invalid: 1"),
        "{}",
        both.stdout
    );

    let bad_crds = kubebook(&["validate", "--crds", "/nonexistent/crds", &cr]);
    assert_eq!(bad_crds.code, 2, "{}", bad_crds.stderr);
}

#[test]
fn lists_skips_and_config_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let list = write(
        dir.path(),
        "list.yaml",
        "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: ok}\n  - apiVersion: v1\n    kind: Secret\n    metadata: {name: Not_Ok}\n",
    );
    let kind_cfg = write(
        dir.path(),
        "kind.yaml",
        "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n  - role: control-plane\n",
    );
    let r = kubebook(&["validate", "-o", "json", &list, &kind_cfg]);
    assert_eq!(r.code, 1);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    assert_eq!(v["resources"][0]["verdict"], "valid");
    assert_eq!(v["resources"][1]["verdict"], "invalid");
    assert_eq!(v["resources"][1]["line"], 7);
    assert_eq!(v["resources"][1]["diagnostics"][0]["span"]["line"], 9);
    assert_eq!(v["resources"][2]["verdict"], "skipped", "a kind config");

    let skip = kubebook(&["validate", "--skip", "Secret,v1/Pod", &list]);
    assert_eq!(skip.code, 0, "{}", skip.stdout);
    assert!(
        skip.stdout
            .contains("Valid: 1, Invalid: 0, Errors: 0, Skipped: 1")
    );
}

#[test]
fn usage_problems_exit_2_with_a_hint() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = write(dir.path(), "good.yaml", VALID_DEPLOYMENT);
    for (args, want) in [
        (
            vec!["validate", "--kubernetes-version", "1.30", good.as_str()],
            "judges manifests as Kubernetes 1.37",
        ),
        (
            vec!["validate", "/no/such/dir"],
            "no such file or directory",
        ),
        (vec!["validate", "-", "-"], "given twice"),
        (vec!["validate", "--output", "xml", good.as_str()], "xml"),
        (vec!["validate"], "required"),
    ] {
        let r = kubebook(&args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains(want), "{args:?}: {}", r.stderr);
    }
    for v in ["1.37", "v1.37.2"] {
        let r = kubebook(&["validate", "--kubernetes-version", v, &good]);
        assert_eq!(r.code, 0, "{v}: {}", r.stderr);
    }
}

#[test]
fn hostile_inputs_are_errors_not_hangs_or_panics() {
    let dir = tempfile::tempdir().expect("tempdir");
    let huge = dir.path().join("huge.yaml");
    {
        let f = std::fs::File::create(&huge).expect("create");
        f.set_len(9 << 20).expect("sparse 9 MiB");
    }
    let binary = dir.path().join("binary.yaml");
    std::fs::write(&binary, [0xff, 0xfe, 0x00, 0x41]).expect("write");
    let deep = write(
        dir.path(),
        "deep.yaml",
        &format!("a: {}1{}\n", "[".repeat(5000), "]".repeat(5000)),
    );
    let empty = write(dir.path(), "empty.yaml", "");
    let comments = write(dir.path(), "comments.yaml", "# nothing here\n---\n---\n");
    let values = write(dir.path(), "values.yaml", "replicaCount: 2\nimage: nginx\n");
    let bomb = write(
        dir.path(),
        "bomb.yaml",
        "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n",
    );
    let fifo = dir.path().join("pipe.yaml");
    let c = std::ffi::CString::new(fifo.to_string_lossy().as_bytes()).expect("path");
    // SAFETY: a valid NUL-terminated path; mkfifo only creates a file.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    let fifo = fifo.to_string_lossy().into_owned();
    let huge = huge.to_string_lossy().into_owned();
    let binary = binary.to_string_lossy().into_owned();

    let t0 = std::time::Instant::now();
    let r = kubebook(&[
        "validate", "-o", "json", &huge, &binary, &deep, &empty, &comments, &values, &bomb, &fifo,
    ]);
    assert!(t0.elapsed().as_secs() < 20, "took {:?}", t0.elapsed());
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    let verdicts: Vec<(String, String, String)> = v["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .map(|r| {
            (
                r["file"]
                    .as_str()
                    .unwrap_or("")
                    .rsplit('/')
                    .next()
                    .unwrap_or("")
                    .to_string(),
                r["verdict"].as_str().unwrap_or("").to_string(),
                r["diagnostics"][0]["code"]
                    .as_str()
                    .unwrap_or("")
                    .to_string(),
            )
        })
        .collect();
    let want = |f: &str, verdict: &str, code: &str| {
        assert!(
            verdicts.contains(&(f.into(), verdict.into(), code.into())),
            "{f}: {verdicts:?}"
        )
    };
    want("huge.yaml", "error", "VAL001");
    want("binary.yaml", "error", "VAL001");
    want("deep.yaml", "error", "YAML001");
    want("values.yaml", "error", "VAL002");
    want("bomb.yaml", "error", "YAML001");
    want("pipe.yaml", "error", "VAL001");
    // Empty files and comment-only documents hold no resources: nothing to report.
    assert!(
        !verdicts
            .iter()
            .any(|(f, _, _)| f == "empty.yaml" || f == "comments.yaml")
    );
    assert_eq!(v["summary"]["files"], 8);
}
