//! `kubebook labs run`: pick labs, find a safe cluster (or start the local control plane),
//! run each lab in a namespace of its own, report, record, and always clean up.

use super::RunError;
use super::api::{ApiError, Cluster};
use super::exec::{self, Background, Env};
use super::report::{self, LabResult, StepResult, StepStatus, Summary, Verdict};
use super::safety;
use super::target::{self, Target};
use crate::lab::requirements::{self, Probe};
use crate::lab::{BlockKind, Lab, LabBlock, console::Step, runtime};
use crate::verified::Level;
use kube::config::{Context, Kubeconfig, NamedContext};
use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// What to run and how: the runner's own options (the CLI fills them from its arguments).
#[derive(Debug, Clone, Default)]
pub(crate) struct Options {
    /// Lab ids (empty: every lab).
    pub ids: Vec<String>,
    /// The project root: where `labs/verified.json` and the recorded durations live.
    pub root: PathBuf,
    /// Only the labs of this chapter.
    pub chapter: Option<u32>,
    /// Only shard K of N, balanced by recorded duration.
    pub shard: Option<(usize, usize)>,
    /// Labs run at once.
    pub jobs: usize,
    /// A kubeconfig context (default kind-kubebook, else the current one).
    pub context: Option<String>,
    /// With `context`: allow one that is not a local kind cluster.
    pub allow_non_kind: bool,
    /// Make the kind cluster ready first (`cluster::kind`).
    pub create_cluster: bool,
    /// Keep namespaces and working directories.
    pub keep: bool,
    /// Write a JUnit report here.
    pub report: Option<PathBuf>,
    /// Record the results in `labs/verified.json`.
    pub record: bool,
    /// Run on the local control plane instead of kind.
    pub control_plane: bool,
    /// Write a JSON report here.
    pub json: Option<PathBuf>,
}

/// A cluster-scoped object a lab's manifests create, removed when the lab ends.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ClusterObject {
    pub api_version: String,
    pub kind: String,
    pub name: String,
}

/// What the runner needs to know about each lab beyond the model: the cluster-scoped
/// objects its manifests define.
pub(crate) type ClusterObjects = HashMap<String, Vec<ClusterObject>>;

fn pick<'a>(labs: &'a [Lab], opts: &Options) -> Result<Vec<&'a Lab>, RunError> {
    for id in &opts.ids {
        if !labs.iter().any(|l| &l.id == id) {
            let ids: Vec<&str> = labs.iter().map(|l| l.id.as_str()).collect();
            let guess = crate::suggest::closest(id, ids.iter().copied()).map(str::to_string);
            return Err(RunError::NoSuchLab {
                id: id.clone(),
                guess,
            });
        }
    }
    let chosen: Vec<&Lab> = labs
        .iter()
        .filter(|l| opts.ids.is_empty() || opts.ids.contains(&l.id))
        .filter(|l| opts.chapter.is_none_or(|c| l.chapter_number == c))
        .collect();
    let Some((k, n)) = opts.shard else {
        return Ok(chosen);
    };
    let durations = recorded_durations(&opts.root);
    Ok(shard(&chosen, &durations, k, n))
}

/// Seconds each lab took at its last recorded run (kind first, else the control plane).
fn recorded_durations(root: &Path) -> HashMap<String, f64> {
    let path = crate::project::Project::new(root).path(crate::project::paths::VERIFIED);
    crate::fsx::read_input(root, &path)
        .ok()
        .and_then(|t| crate::verified::parse(&t).ok())
        .map(|records| {
            records
                .into_iter()
                .filter_map(|(id, r)| {
                    let d = r.kind.or(r.control_plane)?.duration_seconds;
                    Some((id, d))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Shard `k` of `n`: labs dealt longest first to the shard with the least time so far (a lab
/// never run counts as the median), so N CI jobs finish at about the same time; each shard
/// keeps book order. The same inputs give the same shards on every job.
fn shard<'a>(
    chosen: &[&'a Lab],
    durations: &HashMap<String, f64>,
    k: usize,
    n: usize,
) -> Vec<&'a Lab> {
    let mut known: Vec<f64> = chosen
        .iter()
        .filter_map(|l| durations.get(&l.id).copied())
        .collect();
    known.sort_by(f64::total_cmp);
    let median = known.get(known.len() / 2).copied().unwrap_or(1.0);
    let mut order: Vec<(usize, f64)> = chosen
        .iter()
        .enumerate()
        .map(|(i, l)| (i, durations.get(&l.id).copied().unwrap_or(median)))
        .collect();
    order.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut load = vec![0.0_f64; n];
    let mut mine = Vec::new();
    for (i, d) in order {
        let target = (0..n)
            .min_by(|&a, &b| load[a].total_cmp(&load[b]).then(a.cmp(&b)))
            .unwrap_or(0);
        load[target] += d;
        if target == k - 1 {
            mine.push(i);
        }
    }
    mine.sort_unstable();
    mine.into_iter().map(|i| chosen[i]).collect()
}

pub(super) fn have(cmd: &str, args: &[&str]) -> bool {
    have_on(None, cmd, args)
}

/// Does `cmd args` succeed with the target's tools first on PATH? Labs run with that PATH,
/// so a requirement is probed where the lab's steps will look for it.
fn have_on(target: Option<&Target>, cmd: &str, args: &[&str]) -> bool {
    let mut command = Command::new(cmd);
    if let Some(path) = target_path(target) {
        command.env("PATH", path);
    }
    command
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// PATH with the target's tool folder (the control plane's kubectl, helm) in front, if it
/// has one.
pub(crate) fn target_path(target: Option<&Target>) -> Option<String> {
    let prefix = target.and_then(|t| t.path_prefix.as_ref())?;
    let mut path = vec![prefix.clone()];
    path.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(path)
        .ok()
        .map(|p| p.to_string_lossy().into_owned())
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
pub(crate) fn namespace_for(lab: &str) -> String {
    let suffix = random_suffix();
    let mut base = format!("kubebook-{lab}");
    base.truncate(63 - suffix.len() - 1);
    format!("{}-{suffix}", base.trim_end_matches('-'))
}

/// YYYY-MM-DD of now (UTC).
pub(crate) fn today() -> String {
    let days = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() / 86_400)
        .unwrap_or(0) as i64;
    date_of_day(days)
}

/// YYYY-MM-DD of the day `days` after 1970-01-01 (Howard Hinnant's civil-from-days: the
/// proleptic Gregorian calendar in eras of 400 years, each beginning on 1 March).
fn date_of_day(days: i64) -> String {
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

/// Whether a lab may change nodes (labels, taints, cordons): such a lab runs alone, and the
/// nodes are put back as they were when it ends. Any mention counts, whatever the quoting or
/// the way the node is named (`-l`, `$(kubectl get nodes …)`).
pub(crate) fn changes_nodes(lab: &Lab) -> bool {
    lab.steps().any(|(_, s)| {
        let words: Vec<&str> = s.command.split_whitespace().collect();
        words.windows(2).any(|w| {
            matches!(w[0], "label" | "taint" | "cordon" | "uncordon" | "drain")
                && (matches!(w[0], "cordon" | "uncordon" | "drain")
                    || w[1].starts_with("node")
                    || w[1] == "no"
                    || w[1].starts_with("node/"))
        })
    })
}

/// Node labels and taints a lab's commands add, by name: what `--keep` says to undo by hand.
pub(crate) fn node_changes(lab: &Lab) -> Vec<Vec<String>> {
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

/// The lab's kubeconfig: one context (the chosen cluster and user, the lab's namespace) in a
/// file of its own, listed before the target's files, which are never written to.
/// Serialised from kube's types, so no cluster or user name can break its syntax.
pub(crate) fn lab_kubeconfig(dir: &Path, t: &Target, ns: &str) -> std::io::Result<String> {
    let p = dir.join(".kubebook-kubeconfig");
    let kc = Kubeconfig {
        api_version: Some("v1".into()),
        kind: Some("Config".into()),
        current_context: Some("kubebook-lab".into()),
        contexts: vec![NamedContext {
            name: "kubebook-lab".into(),
            other: Default::default(),
            context: Some(Context {
                cluster: t.cluster_name.clone(),
                user: t.user.clone(),
                namespace: Some(ns.to_string()),
                ..Default::default()
            }),
        }],
        ..Default::default()
    };
    let text = serde_json::to_string_pretty(&kc).map_err(std::io::Error::other)?;
    std::fs::write(&p, text)?;
    let mut paths = vec![p];
    paths.extend(t.kubeconfigs.iter().cloned());
    std::env::join_paths(paths)
        .map(|s| s.to_string_lossy().into_owned())
        .map_err(std::io::Error::other)
}

struct Shared<'a> {
    root: &'a Path,
    target: Option<&'a Target>,
    objects: &'a ClusterObjects,
    cancel: &'a AtomicBool,
    serial: Mutex<()>,
    /// Read by labs that may share the cluster, written by labs that must run alone.
    cluster_lock: std::sync::RwLock<()>,
    keep: bool,
    verbose: bool,
}

impl Shared<'_> {
    fn on_control_plane(&self) -> bool {
        self.target.is_some_and(|t| t.level == Level::ControlPlane)
    }
}

/// Why a step cannot be proven where the labs run (control plane only).
fn needs_kind(sh: &Shared, lab: &Lab, b: &LabBlock, s: &Step) -> Option<String> {
    // Host labs never touch the cluster: their curl talks to the reader's own machine.
    if !sh.on_control_plane() || lab.host_only() {
        return None;
    }
    b.needs_kind
        .clone()
        .or_else(|| runtime::needs_runtime(&s.command))
}

/// A running lab's working state: its folder, environment and namespace.
struct Workspace {
    dir: tempfile::TempDir,
    env: Env,
    ns: Option<String>,
    /// Tracked cluster-scoped objects this run may delete at the end.
    owned: Vec<ClusterObject>,
    /// Node labels and taints before a lab that may change them, restored at the end (D11).
    nodes: Option<super::api::NodeState>,
}

/// Why a lab's workspace could not be made; the lab fails with this message.
#[derive(Debug)]
enum PrepareError {
    /// A local file or folder; `what` completes "cannot …".
    Io {
        what: &'static str,
        source: std::io::Error,
    },
    /// Setting up the lab on the cluster (namespace, leftovers, node state).
    Cluster(ApiError),
}

impl std::fmt::Display for PrepareError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PrepareError::Io { what, source } => write!(f, "cannot {what}: {source}"),
            PrepareError::Cluster(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for PrepareError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PrepareError::Io { source, .. } => Some(source),
            PrepareError::Cluster(e) => Some(e),
        }
    }
}

impl From<ApiError> for PrepareError {
    fn from(e: ApiError) -> Self {
        PrepareError::Cluster(e)
    }
}

fn io_error(what: &'static str) -> impl FnOnce(std::io::Error) -> PrepareError {
    move |source| PrepareError::Io { what, source }
}

fn prepare(lab: &Lab, sh: &Shared) -> Result<Workspace, PrepareError> {
    let dir = tempfile::Builder::new()
        .prefix(&format!("kubebook-{}-", lab.id))
        .tempdir()
        .map_err(io_error("create a working directory"))?;
    let files: Vec<(String, String)> = lab
        .files()
        .map(|(n, b)| (n.to_string(), b.content.clone()))
        .collect();
    exec::lab_dir_files(dir.path(), &files).map_err(io_error("write the lab's files"))?;
    let mut vars = vec![
        ("KUBEBOOK_ROOT".to_string(), sh.root.display().to_string()),
        ("KUBEBOOK_LAB".to_string(), lab.id.clone()),
    ];
    if let Some(path) = target_path(sh.target) {
        vars.push(("PATH".into(), path));
    }
    let mut ws = Workspace {
        env: Env {
            dir: dir.path().to_path_buf(),
            vars,
        },
        dir,
        ns: None,
        owned: Vec::new(),
        nodes: None,
    };
    let Some(t) = sh.target.filter(|_| !lab.host_only()) else {
        return Ok(ws);
    };
    if changes_nodes(lab) {
        ws.nodes = Some(t.cluster.node_state()?);
    }
    ws.owned = claim_cluster_objects(lab, sh, &t.cluster)?;
    let ns = namespace_for(&lab.id);
    t.cluster.apply_namespace(&ns, &lab.id)?;
    ws.ns = Some(ns.clone());
    // Pods are refused until the ServiceAccount controller has made `default`.
    t.cluster
        .wait_default_service_account(&ns, Duration::from_secs(30))?;
    let kc = lab_kubeconfig(ws.dir.path(), t, &ns).map_err(io_error("write the lab kubeconfig"))?;
    ws.env.vars.push(("KUBECONFIG".into(), kc));
    ws.env.vars.push(("KUBEBOOK_NAMESPACE".into(), ns));
    Ok(ws)
}

/// The lab's cluster-scoped objects that this run may delete. On a cluster the runner
/// owns (kind on loopback, the control plane) an object left by an earlier, killed run of
/// the lab is removed first, so the lab starts clean; elsewhere (`--allow-non-kind`) an
/// object that already exists is the user's and is never touched.
fn claim_cluster_objects(
    lab: &Lab,
    sh: &Shared,
    cluster: &Cluster,
) -> Result<Vec<ClusterObject>, ApiError> {
    let mut owned = Vec::new();
    let safe = sh.target.is_some_and(|t| t.owned_cluster());
    for o in sh.objects.get(&lab.id).into_iter().flatten() {
        let exists = cluster.cluster_object_exists(&o.api_version, &o.kind, &o.name)?;
        if exists && !safe {
            eprintln!(
                "warning: {} {} exists already; the lab will not delete it",
                o.kind, o.name
            );
            continue;
        }
        if exists {
            eprintln!(
                "  {}: removing {} {} left by an earlier run",
                lab.id, o.kind, o.name
            );
            cluster.delete_cluster_object(&o.api_version, &o.kind, &o.name)?;
            cluster.wait_cluster_object_gone(
                &o.api_version,
                &o.kind,
                &o.name,
                Duration::from_secs(60),
            )?;
        }
        owned.push(o.clone());
    }
    if safe {
        for ns in cluster.lab_namespaces(&lab.id)? {
            eprintln!(
                "  {}: removing namespace {ns} left by an earlier run",
                lab.id
            );
            cluster.delete_namespace(&ns)?;
        }
    }
    Ok(owned)
}

/// Run the lab's steps; every step gets a result, the first failure stops the lab.
fn run_steps(lab: &Lab, sh: &Shared, ws: &Workspace) -> (Verdict, Vec<StepResult>) {
    let mut bg = Background::default();
    let mut results = Vec::new();
    for b in &lab.blocks {
        let BlockKind::Console { steps } = &b.kind else {
            continue;
        };
        for s in steps {
            let line = b.line + s.line;
            let mut result = |status| {
                results.push(StepResult {
                    line,
                    command: s.command.clone(),
                    status,
                })
            };
            if sh.cancel.load(Ordering::SeqCst) {
                return (Verdict::Interrupted, results);
            }
            if let Some(why) = needs_kind(sh, lab, b, s) {
                result(StepStatus::NeedsKind(why));
                continue;
            }
            if sh.verbose {
                eprintln!("  {} $ {}", lab.id, s.command.lines().next().unwrap_or(""));
            }
            if s.background {
                if let Err(e) = bg.start(&s.command, &ws.env) {
                    result(StepStatus::Failed);
                    return (
                        Verdict::Failed(format!("cannot start `{}`: {e}", s.command)),
                        results,
                    );
                }
                result(StepStatus::Passed);
                continue;
            }
            let o = exec::run_step(s, b.timeout, b.retry, &ws.env, sh.cancel);
            if o.end == exec::End::Cancelled {
                return (Verdict::Interrupted, results);
            }
            if !o.ok() {
                result(StepStatus::Failed);
                let mut msg = format!(
                    "step `{}` ({}:{line}) {} after {} attempt(s) in {:.1} s: exit status {} (expected {})\n{}",
                    s.command.lines().next().unwrap_or(""),
                    lab.file.display(),
                    if o.end == exec::End::TimedOut {
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
                if let (Some(ns), Some(t)) = (&ws.ns, sh.target) {
                    msg.push_str(&t.cluster.diagnostics(ns));
                }
                return (Verdict::Failed(msg), results);
            }
            result(StepStatus::Passed);
        }
    }
    bg.stop_all();
    (Verdict::Passed, results)
}

/// Remove what the lab made, unless --keep (then say what was kept).
fn clean_up(lab: &Lab, sh: &Shared, ws: Workspace) {
    let Some(t) = sh.target else {
        return;
    };
    if sh.keep {
        let mut kept: Vec<String> = ws.ns.iter().map(|n| format!("namespace {n}")).collect();
        kept.extend(ws.owned.iter().map(|o| format!("{} {}", o.kind, o.name)));
        kept.extend(
            node_changes(lab)
                .iter()
                .map(|u| format!("node changes undone by `{}`", u.join(" "))),
        );
        kept.push(format!("folder {}", ws.dir.keep().display()));
        eprintln!("{}: kept {}", lab.id, kept.join(", "));
        return;
    }
    if let Some(before) = &ws.nodes
        && let Err(e) = t.cluster.restore_nodes(before)
    {
        eprintln!("warning: {e}");
    }
    for o in &ws.owned {
        if let Err(e) = t
            .cluster
            .delete_cluster_object(&o.api_version, &o.kind, &o.name)
        {
            eprintln!("warning: {e}");
        }
    }
    if let Some(ns) = &ws.ns
        && let Err(e) = t.cluster.delete_namespace(ns)
    {
        eprintln!("warning: {e}");
    }
}

fn run_lab(lab: &Lab, sh: &Shared) -> LabResult {
    let t0 = Instant::now();
    // `serial` labs and labs that change nodes (labels, taints) run alone: a taint affects
    // every other lab's scheduling. Labs with cluster-scoped objects or background commands
    // (local port numbers) never run at the same time as each other.
    let alone = lab.serial || changes_nodes(lab);
    let _alone = alone.then(|| sh.cluster_lock.write().unwrap_or_else(|e| e.into_inner()));
    let _shared = (!alone).then(|| sh.cluster_lock.read().unwrap_or_else(|e| e.into_inner()));
    let exclusive = sh.objects.get(&lab.id).is_some_and(|o| !o.is_empty())
        || lab.steps().any(|(_, s)| s.background);
    let _guard = (exclusive && !alone).then(|| sh.serial.lock().unwrap_or_else(|e| e.into_inner()));
    let done = |verdict, steps| LabResult {
        id: lab.id.clone(),
        verdict,
        duration: t0.elapsed(),
        steps,
        host_only: lab.host_only(),
        digest: lab.digest(),
    };
    for (_, s) in lab.steps() {
        if let Some(why) = safety::refuse(&s.command) {
            return done(
                Verdict::Failed(format!("refused to run `{}`: {why}", s.command)),
                Vec::new(),
            );
        }
    }
    let ws = match prepare(lab, sh) {
        Ok(ws) => ws,
        Err(e) => return done(Verdict::Failed(e.to_string()), Vec::new()),
    };
    let (verdict, steps) = run_steps(lab, sh, &ws);
    clean_up(lab, sh, ws);
    done(verdict, steps)
}

/// The line printed for each lab as it ends. Plain lines (no redrawn bars): they read the
/// same in a terminal and in CI logs.
fn progress_line(k: usize, total: usize, r: &LabResult, level: Option<Level>) -> String {
    let secs = r.duration.as_secs_f64();
    let nk = r.needs_kind();
    let detail = if level == Some(Level::ControlPlane) && matches!(r.verdict, Verdict::Passed) {
        // Host labs run on the reader's machine whatever the target: their steps are not
        // API steps, and none of them can need kind.
        let kind = if r.host_only { "host" } else { "API" };
        format!(", {} {kind} steps passed, {nk} need kind", r.passed_steps())
    } else {
        String::new()
    };
    match &r.verdict {
        Verdict::Passed => format!("[{k}/{total}] PASS {} ({secs:.1} s{detail})", r.id),
        Verdict::Failed(why) => format!("[{k}/{total}] FAIL {} ({secs:.1} s)\n{why}", r.id),
        Verdict::Skipped(why) => format!("[{k}/{total}] SKIP {} ({why})", r.id),
        Verdict::Interrupted => format!("[{k}/{total}] INTERRUPTED {}", r.id),
    }
}

/// The IngressClass and GatewayClass of cloud-provider-kind, kind's own load balancer, Ingress
/// and Gateway controller (ingress-nginx was retired in March 2026).
const CLOUD_PROVIDER_KIND: &str = "cloud-provider-kind";

/// Is a lab's requirement met on this target? How each is probed is the catalogue's
/// (`lab::requirements`); a name not in it (which `check` refuses, LAB006) is never met.
fn probe(requirement: &str, target: Option<&Target>) -> bool {
    let Some(known) = requirements::find(requirement) else {
        return false;
    };
    match known.probe {
        Probe::Nothing => true,
        Probe::HostDaemon { program, args } => have(program, args),
        Probe::Program { program, args } => have_on(target, program, args),
        Probe::Fixture => fixture_ready(requirement, target),
    }
}

/// A controller of the cluster, probed through the target's own client (never the ambient
/// kubectl context), for readiness, not mere existence.
fn fixture_ready(requirement: &str, target: Option<&Target>) -> bool {
    let Some(t) = target else { return false };
    // Controllers need real Pods or containers: never on the control plane's fake nodes.
    if t.level == Level::ControlPlane {
        return false;
    }
    match requirement {
        // cloud-provider-kind serves both Ingress (IngressClass `cloud-provider-kind`) and the
        // Gateway API (GatewayClass `cloud-provider-kind`, Accepted once it runs).
        "ingress" | "gateway" => {
            t.cluster.gateway_class_accepted(CLOUD_PROVIDER_KIND)
                && (requirement == "gateway"
                    || t.cluster
                        .cluster_object_exists(
                            "networking.k8s.io/v1",
                            "IngressClass",
                            CLOUD_PROVIDER_KIND,
                        )
                        .unwrap_or(false))
        }
        "metrics-server" => t.cluster.api_service_available("v1beta1.metrics.k8s.io"),
        // A fixture added to the catalogue without a probe here is never met: its labs are
        // skipped, with the requirement named, rather than run against nothing.
        _ => false,
    }
}

fn run_all(chosen: &[&Lab], sh: &Shared, jobs: usize) -> Vec<LabResult> {
    let probe_cache: Mutex<HashMap<String, bool>> = Mutex::new(HashMap::new());
    let probed = |r: &str| -> bool {
        let mut cache = probe_cache.lock().unwrap_or_else(|e| e.into_inner());
        *cache
            .entry(r.to_string())
            .or_insert_with(|| probe(r, sh.target))
    };
    let level = sh.target.map(|t| t.level);
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let results: Mutex<Vec<LabResult>> = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..jobs.clamp(1, 16) {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(lab) = chosen.get(i) else { break };
                    let skipped = |why: String| LabResult {
                        id: lab.id.clone(),
                        verdict: Verdict::Skipped(why),
                        duration: Duration::ZERO,
                        steps: Vec::new(),
                        host_only: lab.host_only(),
                        digest: lab.digest(),
                    };
                    let r = if sh.cancel.load(Ordering::SeqCst) {
                        LabResult {
                            verdict: Verdict::Interrupted,
                            ..skipped(String::new())
                        }
                    } else if let Some(why) = unmet(lab, &probed) {
                        // On the control plane a missing runtime fixture is a kind-only lab.
                        let why = if level == Some(Level::ControlPlane) && lab.skip_ci.is_none() {
                            format!("needs-kind: {why}")
                        } else {
                            why
                        };
                        skipped(why)
                    } else {
                        run_lab(lab, sh)
                    };
                    let k = done.fetch_add(1, Ordering::SeqCst) + 1;
                    eprintln!("{}", progress_line(k, chosen.len(), &r, level));
                    results.lock().unwrap_or_else(|e| e.into_inner()).push(r);
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    results.sort_by_key(|r| chosen.iter().position(|l| l.id == r.id));
    results
}

/// kind's version, for the record of a kind run.
fn kind_version() -> Option<String> {
    let o = Command::new("kind").arg("version").output().ok()?;
    String::from_utf8_lossy(&o.stdout)
        .split_whitespace()
        .nth(1)
        .map(str::to_string)
}

/// Ctrl-C, SIGTERM and SIGHUP stop the run and clean up; a second signal exits at once.
pub(crate) fn install_signal_handler() -> Arc<AtomicBool> {
    let cancel = Arc::new(AtomicBool::new(false));
    let c = cancel.clone();
    let _ = ctrlc::set_handler(move || {
        if c.swap(true, Ordering::SeqCst) {
            eprintln!("\nsecond interrupt: exiting without cleaning up");
            std::process::exit(130);
        }
        eprintln!("\ninterrupted: stopping and cleaning up");
    });
    cancel
}

/// Run the selected labs: the results and their summary, or why nothing could run.
pub(crate) fn run(
    root: &Path,
    labs: &[Lab],
    objects: &ClusterObjects,
    opts: &Options,
) -> Result<Summary, RunError> {
    let chosen = pick(labs, opts)?;
    if chosen.is_empty() {
        return Err(RunError::NothingChosen);
    }
    let cancel = install_signal_handler();
    if opts.create_cluster {
        super::kind::create_cluster(root).map_err(RunError::CreateCluster)?;
    }
    let target = choose_target(root, &chosen, opts)?;
    let shared = Shared {
        root,
        target: target.as_ref(),
        objects,
        cancel: &cancel,
        serial: Mutex::new(()),
        cluster_lock: std::sync::RwLock::new(()),
        keep: opts.keep,
        verbose: std::io::stderr().is_terminal(),
    };
    let results = run_all(&chosen, &shared, opts.jobs);
    let summary = report::summary(&results);
    eprintln!("{}", summary_line(&summary, opts.control_plane));
    let level = target.as_ref().map(|t| t.level).unwrap_or(Level::Kind);
    let version = target
        .as_ref()
        .map(|t| t.server_version.clone())
        .unwrap_or_default();
    write_reports(root, &results, level, &version, opts)?;
    if cancel.load(Ordering::SeqCst) {
        return Err(RunError::Interrupted);
    }
    Ok(summary)
}

/// Where the chosen labs run: nowhere when none needs a cluster (host labs, labs CI skips),
/// else the control plane or the kubeconfig's cluster, announced with its version.
fn choose_target(root: &Path, chosen: &[&Lab], opts: &Options) -> Result<Option<Target>, RunError> {
    let needs_cluster = chosen.iter().any(|l| !l.host_only() && l.skip_ci.is_none());
    if !needs_cluster {
        return Ok(None);
    }
    let t = if opts.control_plane {
        target::control_plane(root)?
    } else {
        target::from_kubeconfig(opts.context.as_deref(), opts.allow_non_kind)?
    };
    let pinned = crate::config::SCHEMA_KUBERNETES_VERSION;
    if !t
        .server_version
        .trim_start_matches('v')
        .starts_with(&format!("{pinned}."))
    {
        eprintln!(
            "warning: the cluster runs Kubernetes {}; the book is written for {pinned}",
            t.server_version
        );
    }
    eprintln!(
        "running {} lab(s) on context {} (Kubernetes {})",
        chosen.len(),
        t.context,
        t.server_version
    );
    Ok(Some(t))
}

/// `3 passed, 1 failed, 0 skipped, 1 interrupted (2 steps need kind)`.
fn summary_line(summary: &Summary, control_plane: bool) -> String {
    format!(
        "{} passed, {} failed, {} skipped{}{}",
        summary.passed,
        summary.failed,
        summary.skipped,
        if summary.interrupted > 0 {
            format!(", {} interrupted", summary.interrupted)
        } else {
            String::new()
        },
        if control_plane {
            match summary.needs_kind_steps {
                1 => " (1 step needs kind)".to_string(),
                n => format!(" ({n} steps need kind)"),
            }
        } else {
            String::new()
        }
    )
}

fn write_reports(
    root: &Path,
    results: &[LabResult],
    level: Level,
    version: &str,
    opts: &Options,
) -> Result<(), RunError> {
    let write = |p: &PathBuf, text: String| {
        std::fs::write(p, text).map_err(super::io(format!("write {}", p.display())))
    };
    if let Some(p) = &opts.report {
        write(p, report::junit(results))?;
    }
    if let Some(p) = &opts.json {
        write(p, report::json(results, level, version))?;
    }
    if opts.record {
        let path = crate::project::Project::new(root).path(crate::project::paths::VERIFIED);
        let kind = (level == Level::Kind).then(kind_version).flatten();
        report::record(&path, results, level, version, kind, &today())
            .map_err(super::io(format!("write {}", path.display())))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_partition_the_chosen_labs_in_book_order() {
        let labs: Vec<Lab> = (1..=7)
            .map(|i| Lab {
                id: format!("ch0{i}-x"),
                chapter: format!("0{i}"),
                chapter_number: i,
                title: "x".into(),
                requires: vec![],
                skip_ci: None,
                serial: false,
                file: "book/x.md".into(),
                line: 1,
                blocks: vec![],
            })
            .collect();
        let opts = |shard| Options {
            ids: vec![],
            root: ".".into(),
            chapter: None,
            shard,
            jobs: 1,
            context: None,
            allow_non_kind: false,
            create_cluster: false,
            keep: false,
            report: None,
            record: false,
            control_plane: false,
            json: None,
        };
        let ids = |shard| -> Vec<String> {
            pick(&labs, &opts(shard))
                .unwrap()
                .iter()
                .map(|l| l.id.clone())
                .collect()
        };
        // Every lab in exactly one shard, each shard in book order.
        let mut all: Vec<String> = (1..=3).flat_map(|k| ids(Some((k, 3)))).collect();
        all.sort();
        assert_eq!(all, ids(None));
        for k in 1..=3 {
            let s = ids(Some((k, 3)));
            let mut sorted = s.clone();
            sorted.sort();
            assert_eq!(s, sorted, "book order in shard {k}");
        }
        assert_eq!(ids(Some((1, 1))), ids(None));
        // More shards than labs: the extra shards are empty, never an error.
        assert!(ids(Some((9, 9))).is_empty());
        // Balanced by recorded time: one 60 s lab alone, six 10 s labs share the other shard.
        let chosen: Vec<&Lab> = labs.iter().collect();
        let mut d: HashMap<String, f64> = labs.iter().map(|l| (l.id.clone(), 10.0)).collect();
        d.insert("ch04-x".into(), 60.0);
        let one: Vec<&str> = shard(&chosen, &d, 1, 2)
            .iter()
            .map(|l| l.id.as_str())
            .collect();
        let two: Vec<&str> = shard(&chosen, &d, 2, 2)
            .iter()
            .map(|l| l.id.as_str())
            .collect();
        assert_eq!(one, ["ch04-x"]);
        assert_eq!(two.len(), 6);
    }

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
    fn dates_are_right_across_leap_days_and_centuries() {
        for (days, date) in [
            (0, "1970-01-01"),
            (59, "1970-03-01"),
            (10_956, "1999-12-31"),
            (11_016, "2000-02-29"),
            (11_017, "2000-03-01"),
            (19_782, "2024-02-29"),
            (20_426, "2025-12-04"),
            (20_818, "2026-12-31"),
            (47_540, "2100-02-28"),
            (47_541, "2100-03-01"),
        ] {
            assert_eq!(date_of_day(days), date, "day {days}");
        }
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
                needs_kind: None,
                retry: false,
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
