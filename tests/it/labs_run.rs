//! `kubebook labs run` against the real Kubernetes control plane (kube-apiserver, etcd,
//! kube-controller-manager, kube-scheduler and kwok nodes, built by
//! `kubebook labs control-plane install`): every lab of the shipped book, and the runner's
//! fault cases (signals, leftovers of a killed run, KUBECONFIG forms, a server that goes
//! away, the safety guard proven by the API server's audit log).
//!
//! Without the binaries the tests print one `SKIPPED:` line naming the install command;
//! with `KUBEBOOK_REQUIRE_CONTROL_PLANE=1` (CI) they fail instead.
#![cfg(feature = "cluster")]

use crate::common;
use common::Project;
use common::{control_plane_lock as lock, skipped};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Whether the control plane is built; a skip line (or, in CI, a failure) when it is not.
fn control_plane_built() -> bool {
    let found =
        kubebook::controlplane::binaries::Binaries::find(kubebook::controlplane::binaries::FULL)
            .is_ok();
    if !found {
        assert!(
            std::env::var_os("KUBEBOOK_REQUIRE_CONTROL_PLANE").is_none(),
            "KUBEBOOK_REQUIRE_CONTROL_PLANE is set but the control plane is not built"
        );
        skipped("the control plane is not built; run `kubebook labs control-plane install`");
    }
    found
}

/// `kubebook labs control-plane up` in the background, with an audit log.
struct Up {
    child: Child,
    kubeconfig: PathBuf,
    audit: PathBuf,
    server: String,
}

impl Up {
    fn start(dir: &Path, context: &str) -> Up {
        let kubeconfig = dir.join("cp.kubeconfig");
        let mut child = common::kubebook_cmd()
            .args([
                "labs",
                "control-plane",
                "up",
                "--audit",
                "--context",
                context,
            ])
            .arg("--kubeconfig")
            .arg(&kubeconfig)
            .arg("--root")
            .arg(env!("CARGO_MANIFEST_DIR"))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start the control plane");
        let stderr = child.stderr.take().expect("stderr");
        let mut lines = BufReader::new(stderr).lines();
        let (mut audit, mut server) = (None, None);
        let mut seen = String::new();
        for line in lines.by_ref() {
            let line = line.unwrap_or_default();
            seen.push_str(&line);
            seen.push('\n');
            if let Some(a) = line.strip_prefix("audit log: ") {
                audit = Some(PathBuf::from(a));
            }
            if let Some(rest) = line.split(" at https://").nth(1) {
                server = Some(format!("https://{rest}"));
            }
            if line.starts_with("Ctrl-C stops it") || line.starts_with("error") {
                break;
            }
        }
        // Keep draining so the control plane never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        let (Some(audit), Some(server)) = (audit, server) else {
            panic!("the control plane did not start:\n{seen}");
        };
        Up {
            child,
            kubeconfig,
            audit,
            server,
        }
    }

    /// Audit entries of requests made by the admin user (the runner's and kubectl's
    /// identity; the components use their own).
    fn admin_requests(&self) -> Vec<String> {
        std::fs::read_to_string(&self.audit)
            .unwrap_or_default()
            .lines()
            .filter(|l| l.contains("\"username\":\"kubernetes-admin\""))
            .map(String::from)
            .collect()
    }

    fn apiserver_pid(&self) -> Option<u32> {
        let port = self.server.rsplit(':').next()?;
        let out = Command::new("pgrep")
            .args(["-f", &format!("kube-apiserver.*--secure-port={port}")])
            .output()
            .ok()?;
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .next()?
            .trim()
            .parse()
            .ok()
    }

    fn kubectl(&self, args: &[&str]) -> String {
        let out = Command::new(kubectl_path())
            .arg(format!("--kubeconfig={}", self.kubeconfig.display()))
            .args(args)
            .output()
            .expect("kubectl");
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    }
}

impl Drop for Up {
    fn drop(&mut self) {
        signal(self.child.id(), "TERM");
        let _ = self.child.wait();
    }
}

fn kubectl_path() -> PathBuf {
    kubebook::controlplane::binaries::Binaries::find(&[kubebook::controlplane::binaries::KUBECTL])
        .ok()
        .and_then(|b| b.path("kubectl").map(Path::to_path_buf))
        .unwrap_or_else(|| PathBuf::from("kubectl"))
}

fn signal(pid: u32, sig: &str) {
    let _ = Command::new("kill")
        .args([&format!("-{sig}"), &pid.to_string()])
        .status();
}

/// A one-chapter project with one lab: a Pod, a cluster-scoped PriorityClass, then `steps`.
fn lab_book(steps: &str, timeout: &str) -> Project {
    let p = Project::new();
    p.chapter(
        "01-a.md",
        "A",
        &format!(
            "```yaml lab=ch01-x file=lab.yaml title=\"X\"\napiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n  containers: [{{name: c, image: \"nginx:1.27.3\"}}]\n---\napiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {{name: kubebook-test-high}}\nvalue: 1000\n```\n\n```console lab=ch01-x timeout={timeout}\n$ kubectl apply -f lab.yaml\npod/p created\npriorityclass.scheduling.k8s.io/kubebook-test-high created\n{steps}```\n"
        ),
    );
    p
}

fn labs_run(p: &Project, kubeconfig: &str, extra: &[&str]) -> Child {
    common::kubebook_cmd()
        .args(["labs", "run", "--root"])
        .arg(p.root())
        .args(extra)
        .env("KUBECONFIG", kubeconfig)
        .env("NO_COLOR", "1")
        .current_dir(p.root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run kubebook")
}

fn finish(c: Child) -> (i32, String) {
    let out = c.wait_with_output().expect("wait");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn lab_namespaces(up: &Up) -> String {
    up.kubectl(&["get", "namespaces", "-l", "kubebook.dev/lab", "-o", "name"])
}

/// Namespaces being deleted still show for a moment; wait until they are gone.
fn wait_no_lab_namespaces(up: &Up) -> String {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let out = up.kubectl(&[
            "get",
            "namespaces",
            "-l",
            "kubebook.dev/lab",
            "-o",
            "jsonpath={range .items[*]}{.metadata.name} {.status.phase}{\"\\n\"}{end}",
        ]);
        let live: Vec<&str> = out
            .lines()
            .filter(|l| !l.ends_with("Terminating"))
            .collect();
        if live.is_empty() || Instant::now() > deadline {
            return live.join("\n");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Processes whose command line names this test's folder: none may outlive a run.
fn processes_under(dir: &Path) -> String {
    let out = Command::new("pgrep")
        .args(["-af", &dir.display().to_string()])
        .output()
        .expect("pgrep");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.contains("pgrep"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_lab_of_the_book_passes_its_api_steps_on_the_control_plane() {
    let _g = lock();
    if !control_plane_built() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("labs.json");
    let junit = dir.path().join("labs.xml");
    let out = common::kubebook_cmd()
        .args(["labs", "run", "--control-plane", "--jobs", "3", "--root"])
        .arg(env!("CARGO_MANIFEST_DIR"))
        .arg("--json")
        .arg(&json)
        .arg("--report")
        .arg(&junit)
        .env("NO_COLOR", "1")
        .stderr(Stdio::piped())
        .output()
        .expect("run the labs");
    let err = String::from_utf8_lossy(&out.stderr);
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap_or_default())
            .unwrap_or_else(|e| panic!("no JSON report ({e}):\n{err}"));
    let table = table(&report);
    // The CI log shows the table.
    eprintln!("{table}");
    assert!(
        out.status.success(),
        "a lab failed on the control plane:\n{err}"
    );
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/control-plane-labs.md");
    if std::env::var_os("KUBEBOOK_WRITE_TABLE").is_some() {
        std::fs::write(&path, &table).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        committed, table,
        "docs/control-plane-labs.md is stale: run KUBEBOOK_WRITE_TABLE=1 cargo test --test it labs_run::every_lab"
    );
    let x = std::fs::read_to_string(&junit).unwrap();
    assert!(
        x.contains("needs-kind: kubectl exec needs a running container"),
        "{x}"
    );
}

/// The per-lab table of docs/control-plane-labs.md, from the JSON report.
fn table(report: &serde_json::Value) -> String {
    let mut t = String::from(
        "# Labs on the control plane\n\nGenerated by `KUBEBOOK_WRITE_TABLE=1 cargo test --test it labs_run::every_lab` from\n`kubebook labs run --control-plane --json`: every lab of the book on kube-apiserver,\nkube-controller-manager, kube-scheduler and etcd 1.37.2 with three kwok nodes. A step\n*passed* when its exit status and output matched the book; *needs kind* steps need a\ncontainer runtime and are proven on kind (GitHub Actions) only. A lab *skipped* here needs\nsomething the control plane cannot have (Docker, an ingress controller, metrics-server, a\ncloud account); the reason is given.\n\n| lab | result | steps passed | steps need kind | steps failed |\n|---|---|---:|---:|---:|\n",
    );
    let (mut passed, mut nk, mut failed, mut labs_passed, mut skipped) = (0, 0, 0, 0, 0);
    for lab in report["labs"].as_array().into_iter().flatten() {
        let steps = lab["steps"].as_array().cloned().unwrap_or_default();
        let count = |s: &str| steps.iter().filter(|x| x["status"] == s).count();
        let (p, n, f) = (count("passed"), count("needs-kind"), count("failed"));
        passed += p;
        nk += n;
        failed += f;
        let verdict = lab["verdict"].as_str().unwrap_or("?");
        let result = match verdict {
            "skipped" => {
                skipped += 1;
                format!("skipped: {}", lab["reason"].as_str().unwrap_or(""))
            }
            "passed" => {
                labs_passed += 1;
                "passed".into()
            }
            other => other.to_string(),
        };
        t.push_str(&format!(
            "| {} | {result} | {p} | {n} | {f} |\n",
            lab["id"].as_str().unwrap_or("?")
        ));
    }
    t.push_str(&format!(
        "| **all** | {labs_passed} passed, {skipped} skipped | {passed} | {nk} | {failed} |\n"
    ));
    t
}

#[test]
fn failing_lab_reports_diagnostics_and_cleans_up() {
    let _g = lock();
    if !control_plane_built() {
        return;
    }
    let p = lab_book(
        "$ kubectl get pod p -o jsonpath='{.status.phase}'\nSucceeded\n",
        "3s",
    );
    let report = p.root().join("report.xml");
    let report_arg = report.display().to_string();
    let (code, err) = finish(
        common::kubebook_cmd()
            .args([
                "labs",
                "run",
                "--control-plane",
                "--report",
                &report_arg,
                "--root",
            ])
            .arg(p.root())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("FAIL ch01-x"), "{err}");
    assert!(err.contains("did not match"), "{err}");
    // Diagnostics come from the real cluster: the Pod's scheduling event and state.
    assert!(err.contains("Successfully assigned"), "{err}");
    assert!(err.contains("p: phase Running ready true"), "{err}");
    let x = std::fs::read_to_string(&report).unwrap();
    assert!(x.contains("failures=\"1\""), "{x}");
}

#[test]
fn passing_lab_on_a_kind_context_is_recorded_and_cleaned_up() {
    let _g = lock();
    if !control_plane_built() {
        return;
    }
    let p = lab_book(
        "$ kubectl get priorityclass kubebook-test-high -o name\npriorityclass.scheduling.k8s.io/kubebook-test-high\n",
        "30s",
    );
    let up = Up::start(p.root(), "kind-kubebook");
    let (code, err) = finish(labs_run(
        &p,
        &up.kubeconfig.display().to_string(),
        &["--record"],
    ));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("PASS ch01-x"), "{err}");
    let rec: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(p.root().join("labs/verified.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(rec["ch01-x"]["kind"]["result"], "passed", "{rec}");
    assert_eq!(rec["ch01-x"]["kind"]["kubernetes"], "v1.37.2", "{rec}");
    let proof = |p: &Project| {
        let out = p.run(&["labs", "list"]);
        out.stdout
            .lines()
            .find(|l| l.starts_with("ch01-x"))
            .unwrap_or_default()
            .to_string()
    };
    assert!(proof(&p).contains("kind v1.37.2"), "{}", proof(&p));
    // Prose around the lab may change; the record still holds.
    let chapter = p.root().join("book/01-a.md");
    let text = std::fs::read_to_string(&chapter).unwrap();
    std::fs::write(&chapter, format!("{text}\nA closing paragraph.\n")).unwrap();
    assert!(proof(&p).contains("kind v1.37.2"), "{}", proof(&p));
    p.run(&["build"]);
    assert!(p.site("01-a.html").contains("badge-verified"));
    // A changed step is not what ran: the lab is only validated until it runs again.
    std::fs::write(&chapter, text.replace("value: 1000", "value: 1001")).unwrap();
    assert!(
        proof(&p).contains("validated (edited since run)"),
        "{}",
        proof(&p)
    );
    p.run(&["build"]);
    assert!(!p.site("01-a.html").contains("badge-verified"));
    assert_eq!(wait_no_lab_namespaces(&up), "");
    assert!(
        up.kubectl(&["get", "priorityclass", "kubebook-test-high"])
            .contains("NotFound"),
        "the lab's cluster-scoped object is deleted"
    );
    // The runner created the namespace by server-side apply with its field manager.
    assert!(
        up.admin_requests()
            .iter()
            .any(|l| l.contains("\"verb\":\"patch\"")
                && l.contains("/api/v1/namespaces/kubebook-ch01-x-")),
        "namespace by server-side apply"
    );
}

#[test]
fn safety_guard_refuses_before_any_request_reaches_the_server() {
    let _g = lock();
    if !control_plane_built() {
        return;
    }
    let p = lab_book("", "10s");
    // A real, reachable control plane under a name that is not kind's.
    let up = Up::start(p.root(), "prod");
    let before = up.admin_requests().len();
    let kc = up.kubeconfig.display().to_string();
    let (code, err) = finish(labs_run(&p, &kc, &["--context", "prod"]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not a kind cluster"), "{err}");
    // A kind-* context whose server hides a remote host behind userinfo (red-team L03).
    let sneaky = p.root().join("sneaky.kubeconfig");
    let text = std::fs::read_to_string(&up.kubeconfig)
        .unwrap()
        .replace("\"prod\"", "\"kind-prod\"")
        .replace(&up.server, "https://127.0.0.1:1@10.255.255.1");
    std::fs::write(&sneaky, text).unwrap();
    let (code, err) = finish(labs_run(&p, &sneaky.display().to_string(), &[]));
    assert_eq!(code, 2, "{err}");
    std::thread::sleep(Duration::from_millis(500));
    let after = up.admin_requests();
    assert_eq!(
        after.len(),
        before,
        "the refused runs sent requests: {:?}",
        &after[before..]
    );
}

#[test]
fn refuses_dangerous_lab_commands() {
    let _g = lock();
    if !control_plane_built() {
        return;
    }
    let p = lab_book("$ kubectl config use-context prod\n", "10s");
    let (code, err) = finish(
        common::kubebook_cmd()
            .args(["labs", "run", "--control-plane", "--root"])
            .arg(p.root())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    // `check` refuses the book first (LAB014); the runner would refuse the step too.
    assert_ne!(code, 0, "{err}");
    assert!(err.contains("LAB014") || err.contains("refused"), "{err}");
}

fn interrupted_run_cleans_up(sig: &str) {
    let p = lab_book("$ sleep 60\n", "90s");
    let up = Up::start(p.root(), "kind-kubebook");
    let child = labs_run(&p, &up.kubeconfig.display().to_string(), &[]);
    let deadline = Instant::now() + Duration::from_secs(60);
    while !lab_namespaces(&up).contains("kubebook-ch01-x")
        || up
            .kubectl(&["get", "priorityclass", "kubebook-test-high", "-o", "name"])
            .contains("NotFound")
    {
        assert!(Instant::now() < deadline, "the lab never started");
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(800));
    let pid = child.id();
    signal(pid, sig);
    let t0 = Instant::now();
    let (code, err) = finish(child);
    assert!(
        t0.elapsed() < Duration::from_secs(30),
        "took {:?}",
        t0.elapsed()
    );
    assert_eq!(code, 130, "{err}");
    assert!(err.contains("INTERRUPTED ch01-x"), "{err}");
    assert_eq!(
        wait_no_lab_namespaces(&up),
        "",
        "namespace left after SIG{sig}"
    );
    assert!(
        up.kubectl(&["get", "priorityclass", "kubebook-test-high"])
            .contains("NotFound"),
        "PriorityClass left after SIG{sig}"
    );
    let left = Command::new("pgrep")
        .args(["-f", "sleep 60"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&left.stdout).trim().is_empty(),
        "the step's process outlived SIG{sig}"
    );
}

#[test]
fn sigint_mid_lab_cleans_up() {
    let _g = lock();
    if control_plane_built() {
        interrupted_run_cleans_up("INT");
    }
}

#[test]
fn sigterm_mid_lab_cleans_up() {
    let _g = lock();
    if control_plane_built() {
        interrupted_run_cleans_up("TERM");
    }
}

#[test]
fn a_killed_runs_leftovers_do_not_break_the_next_run() {
    let _g = lock();
    if !control_plane_built() {
        return;
    }
    let p = lab_book("$ sleep 60\n", "90s");
    let up = Up::start(p.root(), "kind-kubebook");
    let kc = up.kubeconfig.display().to_string();
    let child = labs_run(&p, &kc, &[]);
    let deadline = Instant::now() + Duration::from_secs(60);
    while up
        .kubectl(&["get", "priorityclass", "kubebook-test-high", "-o", "name"])
        .contains("NotFound")
    {
        assert!(Instant::now() < deadline, "the lab never applied");
        std::thread::sleep(Duration::from_millis(100));
    }
    // SIGKILL: no cleanup at all, as after a crash or a CI hard-cancel.
    signal(child.id(), "KILL");
    let _ = finish(child);
    assert!(lab_namespaces(&up).contains("kubebook-ch01-x"));
    let fresh = lab_book("", "30s");
    let (code, err) = finish(labs_run(&fresh, &kc, &[]));
    assert_eq!(code, 0, "the next run must pass: {err}");
    assert!(err.contains("left by an earlier run"), "{err}");
    assert_eq!(wait_no_lab_namespaces(&up), "");
}

#[test]
fn relative_kubeconfig_and_lists_with_missing_files_work() {
    let _g = lock();
    if !control_plane_built() {
        return;
    }
    let p = lab_book("$ kubectl get pod p -o name\npod/p\n", "30s");
    let up = Up::start(p.root(), "kind-kubebook");
    // Relative to the runner's working directory (the project root), not the lab's.
    let (code, err) = finish(labs_run(&p, "cp.kubeconfig", &[]));
    assert_eq!(code, 0, "relative KUBECONFIG: {err}");
    let list = std::env::join_paths([
        p.root().join("does-not-exist"),
        up.kubeconfig.clone(),
        PathBuf::from("also-missing"),
    ])
    .unwrap();
    let (code, err) = finish(labs_run(&p, &list.to_string_lossy(), &[]));
    assert_eq!(code, 0, "KUBECONFIG list with missing files: {err}");
}

#[test]
fn the_api_server_stopping_mid_lab_fails_the_lab_quickly() {
    let _g = lock();
    if !control_plane_built() {
        return;
    }
    let p = lab_book("$ sleep 3\n$ kubectl get pod p -o name\npod/p\n", "20s");
    let up = Up::start(p.root(), "kind-kubebook");
    let child = labs_run(&p, &up.kubeconfig.display().to_string(), &[]);
    let deadline = Instant::now() + Duration::from_secs(60);
    while !lab_namespaces(&up).contains("kubebook-ch01-x") {
        assert!(Instant::now() < deadline, "the lab never started");
        std::thread::sleep(Duration::from_millis(100));
    }
    let apiserver = up.apiserver_pid().expect("the API server's pid");
    signal(apiserver, "KILL");
    let t0 = Instant::now();
    let (code, err) = finish(child);
    assert!(
        t0.elapsed() < Duration::from_secs(60),
        "no hang: {:?}\n{err}",
        t0.elapsed()
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("FAIL ch01-x"), "{err}");
    assert!(
        err.contains("connection refused") || err.contains("connect"),
        "{err}"
    );
}

#[test]
fn probes_ask_the_chosen_context_not_the_current_one() {
    let _g = lock();
    if !control_plane_built() {
        return;
    }
    let p = Project::new();
    p.chapter(
        "01-a.md",
        "A",
        "```console lab=ch01-ing title=\"I\" requires=ingress\n$ kubectl get ingress\n```\n",
    );
    let up = Up::start(p.root(), "kind-kubebook");
    // The current context points at nothing that answers; the runner must not use it.
    let kc = p.root().join("two.kubeconfig");
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&up.kubeconfig).unwrap()).unwrap();
    v["current-context"] = "kind-elsewhere".into();
    let mut ctx = v["contexts"][0].clone();
    ctx["name"] = "kind-elsewhere".into();
    ctx["context"]["cluster"] = "elsewhere".into();
    v["contexts"].as_array_mut().unwrap().push(ctx);
    let mut cl = v["clusters"][0].clone();
    cl["name"] = "elsewhere".into();
    cl["cluster"]["server"] = "https://127.0.0.1:9".into();
    v["clusters"].as_array_mut().unwrap().push(cl);
    std::fs::write(&kc, v.to_string()).unwrap();
    let (code, err) = finish(labs_run(
        &p,
        &kc.display().to_string(),
        &["--context", "kind-kubebook"],
    ));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("SKIP ch01-ing (needs ingress)"), "{err}");
    assert!(
        up.admin_requests()
            .iter()
            .any(|l| l.contains("gateway.networking.k8s.io")),
        "the ingress probe (cloud-provider-kind's GatewayClass) went to the chosen context's API server"
    );
}

#[test]
fn a_background_child_holding_stdout_is_killed_at_the_timeout() {
    let _g = lock();
    let p = Project::new();
    p.chapter(
        "01-a.md",
        "A",
        "```console lab=ch01-host title=\"H\" requires=host timeout=2s\n$ (sleep 45; echo late) & echo started; sleep 45\nstarted\n```\n",
    );
    let t0 = Instant::now();
    let (code, err) = finish(
        common::kubebook_cmd()
            .args(["labs", "run", "--root"])
            .arg(p.root())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    assert!(
        t0.elapsed() < Duration::from_secs(15),
        "took {:?}",
        t0.elapsed()
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("timed out"), "{err}");
    let left = Command::new("pgrep")
        .args(["-f", "sleep 45"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&left.stdout).trim().is_empty(),
        "sleep 45 survived"
    );
}

#[test]
fn the_control_plane_leaves_no_process_and_no_folder() {
    let _g = lock();
    if !control_plane_built() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let up = Up::start(dir.path(), "kind-kubebook");
    let folder = up
        .audit
        .parent()
        .map(Path::to_path_buf)
        .expect("the control plane's folder");
    assert!(folder.is_dir());
    assert!(
        !processes_under(&folder).is_empty(),
        "components run from it"
    );
    drop(up);
    assert!(!folder.exists(), "{} is left", folder.display());
    assert_eq!(processes_under(&folder), "");
}

/// `labs doctor` reads the real cluster of `kind-kubebook` (here the control plane under that
/// name), reports its version and nodes and the missing fixtures, and fails only when labs
/// can run nowhere.
#[test]
fn doctor_reports_the_cluster_and_what_is_missing() {
    let _g = lock();
    if !control_plane_built() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let up = Up::start(dir.path(), "kind-kubebook");
    // PATH without kind, Docker or cloud-provider-kind: only the control plane's kubectl.
    let kubectl_dir = kubebook::controlplane::binaries::Binaries::find(&["kubectl"])
        .ok()
        .and_then(|b| {
            b.path("kubectl")
                .and_then(|p| p.parent())
                .map(Path::to_path_buf)
        })
        .unwrap();
    let path = format!("{}:/usr/bin:/bin", kubectl_dir.display());
    let doctor = |env: &[(&str, &str)]| {
        let mut c = common::kubebook_cmd();
        c.args(["labs", "doctor", "--root", env!("CARGO_MANIFEST_DIR")])
            .env("PATH", &path)
            .env("KUBECONFIG", &up.kubeconfig);
        for (k, v) in env {
            c.env(k, v);
        }
        let out = c.output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).to_string(),
        )
    };
    let (code, out) = doctor(&[]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Kubernetes v1.37.2"), "{out}");
    assert!(out.contains("3 node(s), all Ready"), "{out}");
    assert!(out.contains("Client Version: v1.37.2"), "{out}");
    assert!(out.contains("MISSING kind"), "{out}");
    assert!(
        out.contains("cloud-provider-kind --gateway-channel standard"),
        "{out}"
    );
    assert!(out.contains("labs on the control plane: ready"), "{out}");
    assert!(
        out.contains("kind-kubebook: the kubeconfig has the book's cluster"),
        "{out}"
    );
    assert!(out.contains("GiB available"), "{out}");
    assert!(out.contains("there is no Podman"), "{out}");
    // A kubeconfig whose only context is not kind's: the doctor says the runner refuses it.
    let other = dir.path().join("other.kubeconfig");
    std::fs::copy(&up.kubeconfig, &other).unwrap();
    let renamed = Command::new(kubectl_path())
        .arg(format!("--kubeconfig={}", other.display()))
        .args(["config", "rename-context", "kind-kubebook", "prod"])
        .output()
        .unwrap();
    assert!(renamed.status.success(), "{renamed:?}");
    let (_, out) = doctor(&[("KUBECONFIG", other.to_str().unwrap())]);
    assert!(
        out.contains("prod: the current context (there is no kind-kubebook context); not a kind cluster, so labs run refuses it"),
        "{out}"
    );
    // No control plane built either (an empty cache): ready nowhere, exit 1.
    let empty = tempfile::tempdir().unwrap();
    let e = empty.path().to_str().unwrap();
    let (code, out) = doctor(&[
        ("HOME", e),
        ("XDG_CACHE_HOME", e),
        ("KUBEBOOK_CONTROL_PLANE_DIR", e),
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("kubebook labs control-plane install"), "{out}");
    assert!(
        out.contains("labs on kind: not ready; labs on the control plane: not ready"),
        "{out}"
    );
}

/// D11: a lab that labels and taints nodes by selector and by a computed name, and changes
/// a label that was there before, leaves every node as it found it, also when it fails.
#[test]
fn node_labels_and_taints_are_restored_after_a_failing_lab() {
    let _g = lock();
    if !control_plane_built() {
        return;
    }
    let p = Project::new();
    p.chapter(
        "01-n.md",
        "Nodes",
        "```console lab=ch01-nodes timeout=5s\n\
         $ kubectl label nodes -l kubernetes.io/os=linux kubebook-test=yes\n\
         ...\n\
         $ kubectl label node \"$(kubectl get nodes -o name | tail -n 1 | cut -d/ -f2)\" kubernetes.io/os=plan9 --overwrite\n\
         ...\n\
         $ kubectl taint nodes -l kubebook-test=yes kubebook-test=lab:NoSchedule\n\
         ...\n\
         $ kubectl get nodes -l kubebook-test=yes -o name\n\
         this line never matches\n\
         ```\n",
    );
    let up = Up::start(p.root(), "kind-kubebook");
    let state = |up: &Up| {
        up.kubectl(&[
            "get",
            "nodes",
            "-o",
            "jsonpath={range .items[*]}{.metadata.name} {.metadata.labels} {.spec.taints}{\"\\n\"}{end}",
        ])
    };
    // The node controller lifts `node.kubernetes.io/not-ready` once a node reports Ready; the
    // snapshot is taken after that, so only the lab's own changes could differ.
    let settled = std::time::Instant::now();
    let mut before = state(&up);
    while before.contains("node.kubernetes.io/not-ready")
        && settled.elapsed() < std::time::Duration::from_secs(60)
    {
        std::thread::sleep(std::time::Duration::from_millis(250));
        before = state(&up);
    }
    assert!(before.contains("kubebook-control-plane"), "{before}");
    assert!(
        !before.contains("node.kubernetes.io/not-ready"),
        "nodes never became Ready: {before}"
    );
    let (code, err) = finish(labs_run(&p, &up.kubeconfig.display().to_string(), &[]));
    assert_eq!(code, 1, "the lab fails on purpose: {err}");
    assert!(err.contains("FAIL ch01-nodes"), "{err}");
    assert_eq!(state(&up), before, "nodes restored");
}

/// `labs verify`: after a learner did a lab by hand, its read-only checks run on their
/// cluster in the lab's namespace and say what differs (issue 19).
#[test]
fn verify_says_what_differs_until_the_lab_is_done() {
    if !control_plane_built() {
        return;
    }
    let _l = lock();
    let p = Project::new();
    p.chapter(
        "01-a.md",
        "A",
        "```yaml lab=ch01-v file=cm.yaml title=\"Verify\"\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\ndata: {colour: blue}\n```\n\n```console lab=ch01-v\n$ kubectl apply -f cm.yaml\nconfigmap/web created\n$ kubectl get configmap web -o jsonpath='{.data.colour}'\nblue\n$ kubectl get configmap web\nNAME   DATA   AGE\nweb    1      [AGE]\n```\n",
    );
    let up = Up::start(p.root(), "kind-kubebook");
    let verify = |extra: &[&str]| -> (i32, String) {
        let out = common::kubebook_cmd()
            .args(["labs", "verify", "ch01-v", "--patience", "1", "--root"])
            .arg(p.root())
            .args(extra)
            .env("KUBECONFIG", &up.kubeconfig)
            .env("NO_COLOR", "1")
            .output()
            .expect("run kubebook");
        (
            out.status.code().unwrap_or(-1),
            format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        )
    };
    // Nothing done yet: both checks differ, and the apply step is never run.
    let (code, out) = verify(&[]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("verifying ch01-v in namespace ch01-v (context kind-kubebook)"),
        "{out}"
    );
    assert!(
        out.contains("DIFFERS step  2  $ kubectl get configmap web -o jsonpath"),
        "{out}"
    );
    assert!(out.contains("0 of 2 checks match"), "{out}");
    assert!(
        up.kubectl(&["get", "namespace", "ch01-v"])
            .contains("NotFound")
    );

    // The learner follows the card: the namespace, then the step.
    up.kubectl(&["create", "namespace", "ch01-v"]);
    let cm = p.root().join("cm.yaml");
    std::fs::write(
        &cm,
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\ndata: {colour: blue}\n",
    )
    .unwrap();
    let applied = up.kubectl(&["-n", "ch01-v", "apply", "-f", &cm.display().to_string()]);
    assert!(applied.contains("created"), "{applied}");
    let (code, out) = verify(&[]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("ok      step  3  $ kubectl get configmap web"),
        "{out}"
    );
    assert!(out.contains("2 of 2 checks match"), "{out}");

    // A change by hand shows up as the line that differs.
    up.kubectl(&[
        "-n",
        "ch01-v",
        "patch",
        "configmap",
        "web",
        "-p",
        r#"{"data":{"colour":"red"}}"#,
    ]);
    let (code, out) = verify(&["--step", "2"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("> blue") && out.contains("> red"), "{out}");
    assert!(out.contains("0 of 1 checks match"), "{out}");

    // Step 1 changes the cluster: verify refuses to treat it as a check.
    let (code, out) = verify(&["--step", "1"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("step 1 of ch01-v is not a check"), "{out}");
    let (code, out) = verify(&["--namespace", "elsewhere"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("in namespace elsewhere"), "{out}");
    // Its working folder is gone.
    let left = std::fs::read_dir(std::env::temp_dir())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("kubebook-verify-ch01-v")
        })
        .count();
    assert_eq!(left, 0, "verify left its working folder behind");
}
