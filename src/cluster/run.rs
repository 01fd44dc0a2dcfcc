//! `kubebook labs run`: pick labs, find a safe cluster, run each lab in a namespace of its
//! own, report, record, and always clean up.

use super::api::Cluster;
use super::exec::{self, Background, Env};
use super::safety;
pub use crate::cli::RunArgs as Options;
use crate::diag::xml_escape;
use crate::lab::{BlockKind, Lab};
use crate::verified::{self, Record};
use kube::config::Kubeconfig;
use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    Passed,
    Failed(String),
    Skipped(String),
}

pub struct LabResult {
    pub id: String,
    pub verdict: Verdict,
    pub duration: Duration,
}

/// A cluster-scoped object a lab's manifests create, removed when the lab ends.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterObject {
    pub api_version: String,
    pub kind: String,
    pub name: String,
}

/// What the runner needs to know about each lab beyond the model: the cluster-scoped
/// objects its manifests define.
pub type ClusterObjects = HashMap<String, Vec<ClusterObject>>;

fn pick<'a>(labs: &'a [Lab], opts: &Options) -> Result<Vec<&'a Lab>, String> {
    for id in &opts.ids {
        if !labs.iter().any(|l| &l.id == id) {
            let ids: Vec<&str> = labs.iter().map(|l| l.id.as_str()).collect();
            let hint = crate::validate::suggest::closest(id, ids.iter().copied())
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            return Err(format!("no lab `{id}`{hint}"));
        }
    }
    Ok(labs
        .iter()
        .filter(|l| opts.ids.is_empty() || opts.ids.contains(&l.id))
        .filter(|l| opts.chapter.is_none_or(|c| l.chapter_number == c))
        .collect())
}

fn have(cmd: &str, args: &[&str]) -> bool {
    Command::new(cmd)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// `kind create cluster` with the book's config, the pinned fixtures, the pinned images.
fn create_cluster(root: &Path) -> Result<(), String> {
    let mut missing = Vec::new();
    if !have("kind", &["version"]) {
        missing.push("kind (https://kind.sigs.k8s.io/docs/user/quick-start/#installation)");
    }
    if !have("docker", &["info"]) {
        missing.push("a running Docker engine (`docker info` fails)");
    }
    if !missing.is_empty() {
        return Err(format!("--create-cluster needs {}", missing.join(" and ")));
    }
    let run = |cmd: &mut Command| -> Result<(), String> {
        let st = cmd.status().map_err(|e| e.to_string())?;
        if st.success() {
            Ok(())
        } else {
            Err(format!("{cmd:?} failed ({st})"))
        }
    };
    let exists = Command::new("kind")
        .args(["get", "clusters"])
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .any(|l| l == "kubebook")
        })
        .unwrap_or(false);
    if !exists {
        run(Command::new("kind")
            .args(["create", "cluster", "--name", "kubebook", "--config"])
            .arg(root.join("labs/kind.yaml")))?;
    }
    let images = std::fs::read_to_string(root.join("labs/images.txt")).unwrap_or_default();
    for img in images
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        run(Command::new("docker")
            .args(["pull", "--quiet", img])
            .stdout(Stdio::null()))?;
        run(Command::new("kind").args(["load", "docker-image", "--name", "kubebook", img]))?;
    }
    let fixtures = root.join("labs/fixtures");
    let vendored = std::fs::read_dir(&fixtures)
        .map(|es| {
            es.filter_map(Result::ok)
                .any(|e| e.path().extension().is_some_and(|x| x == "yaml"))
        })
        .unwrap_or(false);
    if !vendored {
        eprintln!(
            "warning: labs/fixtures/ holds no manifests; labs that need the ingress controller or metrics-server will be skipped (see labs/fixtures/README.md)"
        );
    }
    if let Ok(entries) = std::fs::read_dir(&fixtures) {
        let mut files: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .collect();
        files.sort();
        for f in files {
            run(Command::new("kubectl")
                .args(["--context", "kind-kubebook", "apply", "--server-side", "-f"])
                .arg(&f))?;
        }
    }
    Ok(())
}

/// The context to use: `--context`, else `kind-kubebook`, else the kubeconfig's current one.
fn choose_context(
    kc: &Kubeconfig,
    wanted: Option<&str>,
) -> Result<(String, String, String, Option<String>), String> {
    let name = match wanted {
        Some(n) => n.to_string(),
        None if kc.contexts.iter().any(|c| c.name == "kind-kubebook") => "kind-kubebook".into(),
        None => kc
            .current_context
            .clone()
            .ok_or("the kubeconfig has no current context; pass --context")?,
    };
    let ctx = kc
        .contexts
        .iter()
        .find(|c| c.name == name)
        .and_then(|c| c.context.clone())
        .ok_or_else(|| format!("the kubeconfig has no context `{name}`"))?;
    let server = kc
        .clusters
        .iter()
        .find(|c| c.name == ctx.cluster)
        .and_then(|c| c.cluster.as_ref())
        .and_then(|c| c.server.clone())
        .ok_or_else(|| {
            format!(
                "context `{name}` names cluster `{}`, which has no server",
                ctx.cluster
            )
        })?;
    Ok((name, ctx.cluster, server, ctx.user))
}

fn kubeconfig_paths() -> Vec<PathBuf> {
    match std::env::var_os("KUBECONFIG") {
        Some(v) if !v.is_empty() => std::env::split_paths(&v).collect(),
        _ => std::env::var_os("HOME")
            .map(|h| vec![PathBuf::from(h).join(".kube/config")])
            .unwrap_or_default(),
    }
}

/// The lab's kubeconfig: one context (the chosen cluster and user, the lab's namespace) in a
/// file of its own, listed before the user's files, which are never written to.
fn lab_kubeconfig(
    dir: &Path,
    cluster: &str,
    user: Option<&str>,
    ns: &str,
) -> std::io::Result<String> {
    let p = dir.join(".kubebook-kubeconfig");
    let user_line = user
        .map(|u| format!("      user: {u}\n"))
        .unwrap_or_default();
    std::fs::write(
        &p,
        format!(
            "apiVersion: v1\nkind: Config\ncurrent-context: kubebook-lab\ncontexts:\n  - name: kubebook-lab\n    context:\n      cluster: {cluster}\n{user_line}      namespace: {ns}\n"
        ),
    )?;
    let mut paths = vec![p];
    paths.extend(kubeconfig_paths());
    Ok(std::env::join_paths(paths)
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default())
}

fn random_suffix() -> String {
    let n = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
        ^ (std::process::id() as u128) << 20;
    let alphabet = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut x = n;
    (0..5)
        .map(|_| {
            let c = alphabet[(x % 36) as usize] as char;
            x /= 36;
            c
        })
        .collect()
}

/// `kubebook-<lab>-<random>`, cut to the 63 characters a namespace name may have.
pub fn namespace_for(lab: &str) -> String {
    let suffix = random_suffix();
    let mut base = format!("kubebook-{lab}");
    base.truncate(63 - suffix.len() - 1);
    format!("{}-{suffix}", base.trim_end_matches('-'))
}

/// YYYY-MM-DD of now (UTC), from the days since 1970 (civil-from-days).
pub fn today() -> String {
    let days = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() / 86_400)
        .unwrap_or(0) as i64;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Requirements that cannot be met here, as a skip reason.
fn unmet(lab: &Lab, probe: &dyn Fn(&str) -> bool) -> Option<String> {
    if let Some(why) = &lab.skip_ci {
        return Some(format!("skip-ci: {why}"));
    }
    let missing: Vec<&str> = lab
        .requires
        .iter()
        .map(String::as_str)
        .filter(|r| !probe(r))
        .collect();
    (!missing.is_empty()).then(|| format!("needs {}", missing.join(", ")))
}

/// Node labels and taints a lab's commands add, to be removed when it ends.
pub fn node_changes(lab: &Lab) -> Vec<Vec<String>> {
    let mut undo = Vec::new();
    for (_, s) in lab.steps() {
        let w: Vec<&str> = s.command.split_whitespace().collect();
        let Some(k) = w.iter().position(|x| *x == "kubectl") else {
            continue;
        };
        let rest = &w[k + 1..];
        let (verb, kind) = (
            rest.first().copied().unwrap_or(""),
            rest.get(1).copied().unwrap_or(""),
        );
        if !matches!(kind, "node" | "nodes" | "no") || !matches!(verb, "label" | "taint") {
            continue;
        }
        // `-l selector` or a computed name: nothing the runner can undo by name.
        let Some(node) = rest
            .get(2)
            .filter(|n| !n.starts_with('-') && !n.contains('$'))
        else {
            continue;
        };
        for arg in rest
            .iter()
            .skip(3)
            .filter(|a| !a.starts_with('-') && !a.ends_with('-'))
        {
            let key = match verb {
                "label" => arg.split('=').next().map(|k| format!("{k}-")),
                _ => arg
                    .split_once('=')
                    .map(|(k, v)| format!("{k}:{}-", v.split(':').nth(1).unwrap_or("NoSchedule")))
                    .or_else(|| Some(format!("{arg}-"))),
            };
            if let Some(key) = key {
                undo.push(vec![
                    "kubectl".into(),
                    verb.into(),
                    "node".into(),
                    node.to_string(),
                    key,
                ]);
            }
        }
    }
    undo
}

struct Shared<'a> {
    root: &'a Path,
    cluster: Option<&'a Cluster>,
    cluster_name: String,
    user: Option<String>,
    objects: &'a ClusterObjects,
    cancel: &'a AtomicBool,
    serial: Mutex<()>,
    /// Read by labs that may share the cluster, written by labs that must run alone.
    cluster_lock: std::sync::RwLock<()>,
    keep: bool,
    verbose: bool,
}

fn run_lab(lab: &Lab, sh: &Shared) -> LabResult {
    let t0 = Instant::now();
    let result = |verdict| LabResult {
        id: lab.id.clone(),
        verdict,
        duration: t0.elapsed(),
    };
    // `serial` labs and labs that change nodes (labels, taints) run alone: a taint affects
    // every other lab's scheduling. Labs with cluster-scoped objects or background commands
    // (local port numbers) never run at the same time as each other.
    let alone = lab.serial
        || !node_changes(lab).is_empty()
        || lab.steps().any(|(_, s)| {
            s.command.contains("kubectl taint") || s.command.contains("kubectl label node")
        });
    let _alone = alone.then(|| sh.cluster_lock.write().unwrap_or_else(|e| e.into_inner()));
    let _shared = (!alone).then(|| sh.cluster_lock.read().unwrap_or_else(|e| e.into_inner()));
    let exclusive = sh.objects.get(&lab.id).is_some_and(|o| !o.is_empty())
        || lab.steps().any(|(_, s)| s.background);
    let _guard = (exclusive && !alone).then(|| sh.serial.lock().unwrap_or_else(|e| e.into_inner()));
    for (_, s) in lab.steps() {
        if let Some(why) = safety::refuse(&s.command) {
            return result(Verdict::Failed(format!(
                "refused to run `{}`: {why}",
                s.command
            )));
        }
    }
    let dir = match tempfile::Builder::new()
        .prefix(&format!("kubebook-{}-", lab.id))
        .tempdir()
    {
        Ok(d) => d,
        Err(e) => {
            return result(Verdict::Failed(format!(
                "cannot create a working directory: {e}"
            )));
        }
    };
    let files: Vec<(String, String)> = lab
        .files()
        .map(|(n, b)| (n.to_string(), b.content.clone()))
        .collect();
    if let Err(e) = exec::lab_dir_files(dir.path(), &files) {
        return result(Verdict::Failed(format!(
            "cannot write the lab's files: {e}"
        )));
    }
    let mut vars = vec![
        ("KUBEBOOK_ROOT".to_string(), sh.root.display().to_string()),
        ("KUBEBOOK_LAB".to_string(), lab.id.clone()),
    ];
    let ns = (!lab.host_only()).then(|| namespace_for(&lab.id));
    if let (Some(ns), Some(cluster)) = (&ns, sh.cluster) {
        if let Err(e) = cluster.apply_namespace(ns, &lab.id) {
            return result(Verdict::Failed(e));
        }
        match lab_kubeconfig(dir.path(), &sh.cluster_name, sh.user.as_deref(), ns) {
            Ok(kc) => vars.push(("KUBECONFIG".into(), kc)),
            Err(e) => {
                let _ = cluster.delete_namespace(ns);
                return result(Verdict::Failed(format!(
                    "cannot write the lab kubeconfig: {e}"
                )));
            }
        }
        vars.push(("KUBEBOOK_NAMESPACE".into(), ns.clone()));
    }
    let env = Env {
        dir: dir.path().to_path_buf(),
        vars,
    };
    let mut bg = Background::default();
    let mut verdict = Verdict::Passed;
    'blocks: for b in &lab.blocks {
        let BlockKind::Console { steps } = &b.kind else {
            continue;
        };
        for s in steps {
            if sh.cancel.load(Ordering::SeqCst) {
                verdict = Verdict::Failed("interrupted".into());
                break 'blocks;
            }
            if sh.verbose {
                eprintln!("  {} $ {}", lab.id, s.command.lines().next().unwrap_or(""));
            }
            if s.background {
                if let Err(e) = bg.start(&s.command, &env) {
                    verdict = Verdict::Failed(format!("cannot start `{}`: {e}", s.command));
                    break 'blocks;
                }
                continue;
            }
            let o = exec::run_step(s, b.timeout, &env, sh.cancel);
            if !o.ok {
                let why = if o.cancelled {
                    "interrupted".to_string()
                } else {
                    let mut msg = format!(
                        "step `{}` ({}:{}) {} after {} attempt(s) in {:.1} s: exit status {} (expected {})\n{}",
                        s.command.lines().next().unwrap_or(""),
                        lab.file.display(),
                        b.line + s.line,
                        if o.timed_out {
                            "timed out"
                        } else {
                            "did not match"
                        },
                        o.attempts,
                        o.elapsed.as_secs_f64(),
                        o.exit,
                        s.exit,
                        exec::diff(&s.expected, &o.output)
                    );
                    if let (Some(ns), Some(c)) = (&ns, sh.cluster) {
                        msg.push_str(&c.diagnostics(ns));
                    }
                    msg
                };
                verdict = Verdict::Failed(why);
                break 'blocks;
            }
        }
    }
    // Cleanup, always (also after a failure or Ctrl-C), unless --keep.
    bg.stop_all();
    if !sh.keep {
        for undo in node_changes(lab) {
            let _ = Command::new(&undo[0])
                .args(&undo[1..])
                .envs(env.vars.iter().map(|(k, v)| (k, v)))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
        if let Some(c) = sh.cluster {
            for o in sh.objects.get(&lab.id).into_iter().flatten() {
                if let Err(e) = c.delete_cluster_object(&o.api_version, &o.kind, &o.name) {
                    eprintln!("warning: {e}");
                }
            }
            if let Some(ns) = &ns
                && let Err(e) = c.delete_namespace(ns)
            {
                eprintln!("warning: {e}");
            }
        }
    } else if let Some(ns) = &ns {
        eprintln!("kept namespace {ns} and {}", dir.keep().display());
    }
    result(verdict)
}

pub fn junit(results: &[LabResult]) -> String {
    let failures = results
        .iter()
        .filter(|r| matches!(r.verdict, Verdict::Failed(_)))
        .count();
    let skipped = results
        .iter()
        .filter(|r| matches!(r.verdict, Verdict::Skipped(_)))
        .count();
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites><testsuite name=\"kubebook labs\" tests=\"{}\" failures=\"{failures}\" skipped=\"{skipped}\" errors=\"0\">\n",
        results.len()
    );
    for r in results {
        s.push_str(&format!(
            "  <testcase name=\"{}\" time=\"{:.3}\">",
            xml_escape(&r.id),
            r.duration.as_secs_f64()
        ));
        match &r.verdict {
            Verdict::Passed => {}
            Verdict::Failed(why) => s.push_str(&format!(
                "<failure message=\"lab failed\">{}</failure>",
                xml_escape(why)
            )),
            Verdict::Skipped(why) => {
                s.push_str(&format!("<skipped message=\"{}\"/>", xml_escape(why)))
            }
        }
        s.push_str("</testcase>\n");
    }
    s.push_str("</testsuite></testsuites>\n");
    s
}

/// Run the selected labs. Exit code: 0 all ran passed (skips are reported), 1 a lab failed,
/// 2 an environment problem.
pub fn run(root: &Path, labs: &[Lab], objects: &ClusterObjects, opts: &Options) -> u8 {
    let chosen = match pick(labs, opts) {
        Ok(c) if c.is_empty() => {
            eprintln!("error: no lab matches");
            return 2;
        }
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    if opts.create_cluster
        && let Err(e) = create_cluster(root)
    {
        eprintln!("error: {e}");
        return 2;
    }
    let needs_cluster = chosen.iter().any(|l| !l.host_only() && l.skip_ci.is_none());
    let mut cluster = None;
    let mut cluster_name = String::new();
    let mut user = None;
    let mut server_version = String::new();
    if needs_cluster {
        let kc = match Kubeconfig::read() {
            Ok(k) => k,
            Err(e) => {
                eprintln!(
                    "error: no usable kubeconfig ({e})\n  = hint: create a cluster with `kind create cluster --name kubebook --config labs/kind.yaml`, or pass --create-cluster"
                );
                return 2;
            }
        };
        let (ctx, cname, server, u) = match choose_context(&kc, opts.context.as_deref()) {
            Ok(x) => x,
            Err(e) => {
                eprintln!("error: {e}");
                return 2;
            }
        };
        if let Err(e) =
            safety::check_context(&ctx, &server, opts.allow_non_kind && opts.context.is_some())
        {
            eprintln!("error: {e}");
            return 2;
        }
        let c = match Cluster::connect(kc, &ctx) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("error: {e}");
                return 2;
            }
        };
        server_version = match c.server_version() {
            Ok(v) => v,
            Err(e) => {
                eprintln!("error: cannot reach the cluster of context `{ctx}`: {e}");
                return 2;
            }
        };
        let pinned = crate::config::SCHEMA_KUBERNETES_VERSION;
        if !server_version
            .trim_start_matches('v')
            .starts_with(&format!("{pinned}."))
        {
            eprintln!(
                "warning: the cluster runs Kubernetes {server_version}; the book is written for {pinned}"
            );
        }
        eprintln!(
            "running {} lab(s) on context {ctx} (Kubernetes {server_version})",
            chosen.len()
        );
        cluster = Some(c);
        cluster_name = cname;
        user = u;
    }
    let cancel = Arc::new(AtomicBool::new(false));
    {
        let cancel = cancel.clone();
        let _ = ctrlc::set_handler(move || {
            eprintln!("\ninterrupted: stopping and cleaning up");
            cancel.store(true, Ordering::SeqCst);
        });
    }
    let probe_cache: Mutex<HashMap<String, bool>> = Mutex::new(HashMap::new());
    let probe = |r: &str| -> bool {
        if let Some(v) = probe_cache.lock().unwrap_or_else(|e| e.into_inner()).get(r) {
            return *v;
        }
        let ok = match r {
            "host" | "cluster" | "kustomize" => true,
            "docker" => have("docker", &["info"]),
            "helm" => have("helm", &["version"]),
            "python3" => have("python3", &["--version"]),
            "curl" => have("curl", &["--version"]),
            "ingress" => {
                cluster.is_some()
                    && have(
                        "kubectl",
                        &[
                            "get",
                            "service",
                            "-n",
                            "ingress-nginx",
                            "ingress-nginx-controller",
                        ],
                    )
            }
            "metrics-server" => {
                cluster.is_some()
                    && have("kubectl", &["get", "apiservice", "v1beta1.metrics.k8s.io"])
            }
            _ => false,
        };
        probe_cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(r.to_string(), ok);
        ok
    };
    let shared = Shared {
        root,
        cluster: cluster.as_ref(),
        cluster_name,
        user,
        objects,
        cancel: &cancel,
        serial: Mutex::new(()),
        cluster_lock: std::sync::RwLock::new(()),
        keep: opts.keep,
        verbose: std::io::stderr().is_terminal(),
    };
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, LabResult)>> = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..opts.jobs.clamp(1, 16) {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(lab) = chosen.get(i) else { break };
                    let r = if cancel.load(Ordering::SeqCst) {
                        LabResult {
                            id: lab.id.clone(),
                            verdict: Verdict::Skipped("interrupted".into()),
                            duration: Duration::ZERO,
                        }
                    } else if let Some(why) = unmet(lab, &probe) {
                        LabResult {
                            id: lab.id.clone(),
                            verdict: Verdict::Skipped(why),
                            duration: Duration::ZERO,
                        }
                    } else {
                        run_lab(lab, &shared)
                    };
                    // Plain lines (no redrawn bars): they read the same in a terminal and in CI logs.
                    let k = done.fetch_add(1, Ordering::SeqCst) + 1;
                    let total = chosen.len();
                    let secs = r.duration.as_secs_f64();
                    match &r.verdict {
                        Verdict::Passed => eprintln!("[{k}/{total}] PASS {} ({secs:.1} s)", r.id),
                        Verdict::Failed(why) => {
                            eprintln!("[{k}/{total}] FAIL {} ({secs:.1} s)\n{why}", r.id)
                        }
                        Verdict::Skipped(why) => eprintln!("[{k}/{total}] SKIP {} ({why})", r.id),
                    }
                    results
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push((i, r));
                }
            });
        }
    });
    let mut results: Vec<LabResult> = results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|(_, r)| r)
        .collect();
    results.sort_by_key(|r| chosen.iter().position(|l| l.id == r.id));
    let passed = results
        .iter()
        .filter(|r| r.verdict == Verdict::Passed)
        .count();
    let failed = results
        .iter()
        .filter(|r| matches!(r.verdict, Verdict::Failed(_)))
        .count();
    let skipped = results.len() - passed - failed;
    eprintln!("{passed} passed, {failed} failed, {skipped} skipped");
    if let Some(p) = &opts.report
        && let Err(e) = std::fs::write(p, junit(&results))
    {
        eprintln!("error: cannot write {}: {e}", p.display());
        return 2;
    }
    if opts.record {
        let path = root.join("labs/verified.json");
        let mut records = std::fs::read_to_string(&path)
            .ok()
            .and_then(|t| verified::parse(&t).ok())
            .unwrap_or_default();
        let kind = Command::new("kind")
            .arg("version")
            .output()
            .ok()
            .and_then(|o| {
                String::from_utf8_lossy(&o.stdout)
                    .split_whitespace()
                    .nth(1)
                    .map(str::to_string)
            });
        for r in &results {
            let result = match r.verdict {
                Verdict::Passed => "passed",
                Verdict::Failed(_) => "failed",
                Verdict::Skipped(_) => continue,
            };
            records.insert(
                r.id.clone(),
                Record {
                    result: result.into(),
                    kubernetes: server_version.clone(),
                    kind: kind.clone(),
                    date: today(),
                    duration_seconds: (r.duration.as_secs_f64() * 10.0).round() / 10.0,
                },
            );
        }
        let written = std::fs::create_dir_all(root.join("labs"))
            .and_then(|_| std::fs::write(&path, verified::to_string(&records)));
        if let Err(e) = written {
            eprintln!("error: cannot write {}: {e}", path.display());
            return 2;
        }
    }
    if cancel.load(Ordering::SeqCst) || failed > 0 {
        1
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespaces_are_valid_names() {
        let ns =
            namespace_for("ch06-a-very-long-lab-name-that-goes-on-and-on-and-on-forever-and-ever");
        assert!(ns.len() <= 63, "{ns}");
        assert!(ns.starts_with("kubebook-ch06-"));
        assert!(
            ns.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        );
        assert!(!ns.contains("--"));
    }

    #[test]
    fn today_is_a_date() {
        let d = today();
        assert_eq!(d.len(), 10);
        assert!(d.starts_with("20"), "{d}");
    }

    #[test]
    fn node_changes_are_undone() {
        let step = |c: &str| crate::lab::console::Step {
            command: c.into(),
            line: 0,
            expected: vec![],
            exit: 0,
            background: false,
        };
        let lab = Lab {
            id: "x".into(),
            chapter: "08".into(),
            chapter_number: 8,
            title: "x".into(),
            requires: vec![],
            skip_ci: None,
            serial: true,
            file: "book/08.md".into(),
            line: 1,
            blocks: vec![crate::lab::LabBlock {
                lang: "console".into(),
                kind: BlockKind::Console {
                    steps: vec![
                        step("kubectl label node kind-worker disktype=ssd"),
                        step("kubectl taint nodes kind-worker2 dedicated=lab:NoSchedule"),
                        step("kubectl label node kind-worker disktype-"),
                        step("kubectl taint nodes -l ch08-disk=ssd ch08-dedicated=lab:NoSchedule"),
                    ],
                },
                content: String::new(),
                hidden: false,
                timeout: Duration::from_secs(1),
                line: 1,
            }],
        };
        let undo: Vec<String> = node_changes(&lab)
            .into_iter()
            .map(|v| v.join(" "))
            .collect();
        assert_eq!(
            undo,
            vec![
                "kubectl label node kind-worker disktype-",
                "kubectl taint node kind-worker2 dedicated:NoSchedule-"
            ]
        );
    }
}
