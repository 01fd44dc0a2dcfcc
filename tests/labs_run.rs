//! `kubebook labs run` against a stub API server on loopback and a stub `kubectl`: namespace
//! creation by server-side apply, the safety refusals, diagnostics and cleanup after a failing
//! step and after SIGINT, JUnit and verified.json records.
#![cfg(feature = "cluster")]

mod common;
use common::Project;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Clone, Debug)]
struct Seen {
    method: String,
    url: String,
    content_type: String,
}

struct Stub {
    addr: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

fn json(body: serde_json::Value) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    tiny_http::Response::from_string(body.to_string())
        .with_header(tiny_http::Header::from_bytes("Content-Type", "application/json").unwrap())
}

/// A loopback API server that answers what the runner asks and records every request.
fn stub_api() -> Stub {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let addr = server.server_addr().to_ip().unwrap().to_string();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for rq in server.incoming_requests() {
            let url = rq.url().to_string();
            let method = rq.method().to_string();
            let content_type = rq
                .headers()
                .iter()
                .find(|h| h.field.equiv("Content-Type"))
                .map(|h| h.value.to_string())
                .unwrap_or_default();
            log.lock().unwrap().push(Seen {
                method: method.clone(),
                url: url.clone(),
                content_type,
            });
            let path = url.split('?').next().unwrap_or("").to_string();
            let resp = if path == "/version" {
                json(
                    serde_json::json!({"major": "1", "minor": "36", "gitVersion": "v1.36.1", "gitCommit": "x", "gitTreeState": "clean", "buildDate": "2026-05-01T00:00:00Z", "goVersion": "go1.25", "compiler": "gc", "platform": "linux/amd64"}),
                )
            } else if path.ends_with("/events") {
                json(
                    serde_json::json!({"apiVersion": "v1", "kind": "EventList", "metadata": {}, "items": [
                    {"metadata": {"name": "e1"}, "involvedObject": {"kind": "Pod", "name": "p"}, "reason": "BackOff", "type": "Warning", "message": "Back-off pulling image"}]}),
                )
            } else if path.ends_with("/pods") {
                json(
                    serde_json::json!({"apiVersion": "v1", "kind": "PodList", "metadata": {}, "items": [
                    {"metadata": {"name": "p"}, "status": {"phase": "Pending", "conditions": [{"type": "Ready", "status": "False"}],
                     "containerStatuses": [{"name": "c", "image": "nginx:1.27.3", "imageID": "", "ready": false, "restartCount": 0, "state": {"waiting": {"reason": "ImagePullBackOff"}}}]}}]}),
                )
            } else if path.ends_with("/log") {
                tiny_http::Response::from_string("last log line\n".to_string()).with_header(
                    tiny_http::Header::from_bytes("Content-Type", "text/plain").unwrap(),
                )
            } else if path == "/apis/scheduling.k8s.io/v1" {
                json(
                    serde_json::json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "scheduling.k8s.io/v1", "resources": [
                    {"name": "priorityclasses", "singularName": "priorityclass", "namespaced": false, "kind": "PriorityClass", "verbs": ["delete", "get", "list"]}]}),
                )
            } else if path.starts_with("/apis/scheduling.k8s.io/v1/priorityclasses/") {
                json(
                    serde_json::json!({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": "lab-high"}, "value": 1000}),
                )
            } else if path.starts_with("/api/v1/namespaces/") {
                let name = path.rsplit('/').next().unwrap_or("");
                json(
                    serde_json::json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}),
                )
            } else {
                json(serde_json::json!({"kind": "Status", "apiVersion": "v1", "status": "Failure", "code": 404, "reason": "NotFound", "message": "not here"})).with_status_code(404)
            };
            let _ = rq.respond(resp);
        }
    });
    Stub { addr, seen }
}

/// kubeconfig with one context pointing at the stub, and a stub kubectl on PATH.
fn environment(dir: &Path, context: &str, server: &str) -> (String, String) {
    let kc = dir.join("kubeconfig");
    std::fs::write(
        &kc,
        format!("apiVersion: v1\nkind: Config\ncurrent-context: {context}\nclusters:\n- name: c\n  cluster:\n    server: {server}\ncontexts:\n- name: {context}\n  context:\n    cluster: c\n    user: u\nusers:\n- name: u\n  user: {{}}\n"),
    )
    .unwrap();
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::write(
        bin.join("kubectl"),
        "#!/bin/sh\necho \"$*\" >> \"$STUB_LOG\"\ncase \"$*\" in\n  apply*) echo pod/p created ;;\n  *get\\ pod*) echo 'p   0/1   Pending' ;;\n  *) echo ok ;;\nesac\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(bin.join("kubectl"), std::fs::Permissions::from_mode(0o755))
            .unwrap();
    }
    (
        kc.display().to_string(),
        format!(
            "{}:{}",
            bin.display(),
            std::env::var("PATH").unwrap_or_default()
        ),
    )
}

fn lab_book(second_step: &str) -> Project {
    let p = Project::new();
    p.chapter(
        "01-a.md",
        "A",
        &format!("```yaml lab=ch01-x file=lab.yaml title=\"X\"\napiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n  containers: [{{name: c, image: \"nginx:1.27.3\"}}]\n---\napiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {{name: lab-high}}\nvalue: 1000\n```\n\n```console lab=ch01-x timeout=2s\n$ kubectl apply -f lab.yaml\npod/p created\n{second_step}```\n"),
    );
    p
}

fn labs_run(p: &Project, kc: &str, path: &str, extra: &[&str]) -> std::process::Child {
    let log = p.root().join("kubectl.log");
    Command::new(env!("CARGO_BIN_EXE_kubebook"))
        .args(["labs", "run", "--root"])
        .arg(p.root())
        .args(extra)
        .env("KUBECONFIG", kc)
        .env("PATH", path)
        .env("STUB_LOG", &log)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn finish(c: std::process::Child) -> (i32, String) {
    let out = c.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn failing_lab_reports_diagnostics_and_cleans_up() {
    let stub = stub_api();
    let p = lab_book("$ kubectl get pod p\np   1/1   Running\n");
    let (kc, path) = environment(p.root(), "kind-stub", &format!("http://{}", stub.addr));
    let report = p.root().join("junit.xml");
    let (code, err) = finish(labs_run(
        &p,
        &kc,
        &path,
        &["--report", report.to_str().unwrap()],
    ));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("FAIL ch01-x"), "{err}");
    assert!(err.contains("did not match"), "{err}");
    assert!(
        err.contains(">  | p   0/1   Pending") || err.contains("> | p   0/1   Pending"),
        "diff shows the actual line: {err}"
    );
    assert!(
        err.contains("BackOff")
            && err.contains("ImagePullBackOff")
            && err.contains("last log line"),
        "diagnostics: {err}"
    );
    let seen = stub.seen.lock().unwrap().clone();
    let ns_patch = seen
        .iter()
        .find(|s| s.method == "PATCH" && s.url.starts_with("/api/v1/namespaces/kubebook-ch01-x-"))
        .expect("namespace applied");
    assert!(
        ns_patch.url.contains("fieldManager=kubebook") && ns_patch.url.contains("force=true"),
        "{ns_patch:?}"
    );
    assert_eq!(ns_patch.content_type, "application/apply-patch+yaml");
    let ns = ns_patch
        .url
        .split('?')
        .next()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    assert!(
        seen.iter().any(|s| s.method == "DELETE"
            && s.url
                .starts_with("/apis/scheduling.k8s.io/v1/priorityclasses/lab-high")),
        "cluster-scoped object removed: {seen:?}"
    );
    let del = seen
        .iter()
        .position(|s| {
            s.method == "DELETE" && s.url.starts_with(&format!("/api/v1/namespaces/{ns}"))
        })
        .expect("namespace deleted");
    let diag = seen
        .iter()
        .position(|s| s.url.contains("/events"))
        .expect("events read");
    assert!(diag < del, "diagnostics are gathered before cleanup");
    let calls = std::fs::read_to_string(p.root().join("kubectl.log")).unwrap();
    assert!(
        calls.lines().filter(|l| l.starts_with("get pod p")).count() >= 2,
        "read-only step retried: {calls}"
    );
    let junit = std::fs::read_to_string(&report).unwrap();
    assert!(
        junit.contains("<testcase name=\"ch01-x\"") && junit.contains("<failure"),
        "{junit}"
    );
}

#[test]
fn passing_lab_is_recorded() {
    let stub = stub_api();
    let p = lab_book("$ kubectl get pod p\np   0/1   Pending\n");
    let (kc, path) = environment(p.root(), "kind-stub", &format!("http://{}", stub.addr));
    let (code, err) = finish(labs_run(&p, &kc, &path, &["--record"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("PASS ch01-x") && err.contains("1 passed, 0 failed, 0 skipped"),
        "{err}"
    );
    let rec: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(p.root().join("labs/verified.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(rec["ch01-x"]["result"], "passed");
    assert_eq!(rec["ch01-x"]["kubernetes"], "v1.36.1");
    // The site shows it.
    assert_eq!(p.run(&["build"]).code, 0);
    assert!(
        p.site("01-a.html").contains("verified on"),
        "badge on the lab card"
    );
}

#[test]
fn refuses_non_kind_and_remote_contexts() {
    let stub = stub_api();
    let p = lab_book("");
    let (kc, path) = environment(p.root(), "production", &format!("http://{}", stub.addr));
    let (code, err) = finish(labs_run(&p, &kc, &path, &[]));
    assert_eq!(code, 2);
    assert!(err.contains("not a kind cluster"), "{err}");
    let (kc, path) = environment(p.root(), "kind-remote", "https://10.1.2.3:6443");
    let (code, err) = finish(labs_run(&p, &kc, &path, &[]));
    assert_eq!(code, 2);
    assert!(err.contains("not on this machine"), "{err}");
    assert!(
        stub.seen.lock().unwrap().iter().all(|s| s.method == "GET"),
        "nothing was written"
    );
}

#[test]
fn refuses_dangerous_lab_commands() {
    let stub = stub_api();
    let p = lab_book("$ kubectl delete namespace kube-system\n");
    let (kc, path) = environment(p.root(), "kind-stub", &format!("http://{}", stub.addr));
    let (code, err) = finish(labs_run(&p, &kc, &path, &[]));
    assert_eq!(code, 1);
    // The book check stops it before anything runs (the runner refuses it again itself).
    assert!(err.contains("error[LAB014]"), "{err}");
    assert!(
        stub.seen.lock().unwrap().is_empty(),
        "nothing reached the cluster"
    );
    assert!(
        !std::fs::read_to_string(p.root().join("kubectl.log"))
            .unwrap_or_default()
            .contains("delete")
    );
}

#[cfg(unix)]
#[test]
fn sigint_still_cleans_up() {
    let stub = stub_api();
    let p = lab_book("$ sleep 30\n");
    std::fs::write(
        p.root().join("book/01-a.md"),
        std::fs::read_to_string(p.root().join("book/01-a.md"))
            .unwrap()
            .replace("timeout=2s", "timeout=60s"),
    )
    .unwrap();
    let (kc, path) = environment(p.root(), "kind-stub", &format!("http://{}", stub.addr));
    let child = labs_run(&p, &kc, &path, &[]);
    let deadline = Instant::now() + Duration::from_secs(20);
    while !std::fs::read_to_string(p.root().join("kubectl.log"))
        .unwrap_or_default()
        .contains("apply")
    {
        assert!(Instant::now() < deadline, "the lab never started");
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(300));
    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let (code, err) = finish(child);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("interrupted"), "{err}");
    let seen = stub.seen.lock().unwrap().clone();
    assert!(
        seen.iter()
            .any(|s| s.method == "DELETE"
                && s.url.starts_with("/api/v1/namespaces/kubebook-ch01-x-")),
        "namespace deleted after SIGINT: {seen:?}"
    );
}

#[test]
fn e2e_all_labs_on_kind() {
    if std::env::var_os("KUBEBOOK_E2E").is_none() {
        skipped(
            "no kind cluster reachable (set KUBEBOOK_E2E=1 with a kind cluster to run every lab)",
        );
        return;
    }
    let reachable = Command::new("kubectl")
        .args([
            "--context",
            "kind-kubebook",
            "version",
            "--request-timeout=5s",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !reachable {
        skipped("no kind cluster reachable (context kind-kubebook does not answer)");
        return;
    }
    let out = Command::new(env!("CARGO_BIN_EXE_kubebook"))
        .args([
            "labs",
            "run",
            "--jobs",
            "2",
            "--root",
            env!("CARGO_MANIFEST_DIR"),
        ])
        .status()
        .unwrap();
    assert!(out.success(), "a lab failed");
}

/// Say why a test did not run, on the real stderr: libtest captures `println!`, and a skip
/// must never look like a silent pass.
fn skipped(why: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "SKIPPED: {why}");
}
