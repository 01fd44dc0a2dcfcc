//! `kubebook labs doctor`: what this machine has for running the labs, on kind and on the
//! local control plane, each missing piece with the command that supplies it. It reads and
//! asks; it never changes the machine or the cluster.

use super::target;
use crate::controlplane::binaries::{self, Binaries};
use std::process::{Command, Stdio};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    Pass,
    /// Works, but something a lab expects differs (a version skew, a missing fixture).
    Warn,
    /// Missing: the target that needs it cannot run.
    Missing,
}

/// One finding.
#[derive(Debug, Clone)]
pub(crate) struct Check {
    /// Which target needs it.
    pub target: Need,
    pub name: String,
    pub status: Status,
    pub detail: String,
    /// How to fix it, when it is not Ok.
    pub hint: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Need {
    Kind,
    ControlPlane,
}

/// What the doctor found, and for each target whether labs can run there.
pub(crate) struct Diagnosis {
    pub checks: Vec<Check>,
    pub kind_ready: bool,
    pub control_plane_ready: bool,
}

/// The Kubernetes minor the book is written for (book.toml), e.g. `1.37`.
pub(crate) fn examine(book_minor: &str) -> Diagnosis {
    let mut checks = Vec::new();
    kind_checks(book_minor, &mut checks);
    control_plane_checks(&mut checks);
    let ready = |need: Need| {
        checks
            .iter()
            .filter(|c| c.target == need)
            .all(|c| c.status != Status::Missing)
    };
    Diagnosis {
        kind_ready: ready(Need::Kind),
        control_plane_ready: ready(Need::ControlPlane),
        checks,
    }
}

/// First line of `cmd args`' output, if it runs and succeeds.
fn version_of(cmd: &str, args: &[&str]) -> Option<String> {
    let (ok, stdout) = probe(cmd, args).ok()?;
    ok.then(|| {
        let text = String::from_utf8_lossy(&stdout);
        text.lines().next().unwrap_or("").trim().to_string()
    })
}

/// How long one tool may take to answer. kubectl and helm read KUBECONFIG even for
/// `version`, and a FIFO or a dead mount there would block them for ever.
const PROBE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Why a tool gave no answer.
#[derive(Debug, PartialEq, Eq)]
enum NoAnswer {
    NotFound,
    TimedOut,
}

/// Run `cmd args` with no input, at most [`PROBE_TIMEOUT`]: whether it succeeded, and its
/// stdout (first 64 KiB). A tool still running at the deadline is killed.
fn probe(cmd: &str, args: &[&str]) -> Result<(bool, Vec<u8>), NoAnswer> {
    use std::io::Read;
    let mut child = Command::new(cmd)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|_| NoAnswer::NotFound)?;
    let mut stdout = child.stdout.take().ok_or(NoAnswer::NotFound)?;
    // Read on a thread so a chatty tool cannot fill the pipe and stall while we wait.
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = (&mut stdout).take(64 * 1024).read_to_end(&mut buf);
        buf
    });
    let start = std::time::Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break Some(s),
            Ok(None) if start.elapsed() < PROBE_TIMEOUT => {
                std::thread::sleep(std::time::Duration::from_millis(20))
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
        }
    };
    let out = reader.join().unwrap_or_default();
    status.map(|s| (s.success(), out)).ok_or(NoAnswer::TimedOut)
}

/// KUBECONFIG entries that exist but are not files (a FIFO would block kubectl for ever).
fn kubeconfig_checks(out: &mut Vec<Check>) {
    let Some(v) = std::env::var_os("KUBECONFIG") else {
        return;
    };
    for p in std::env::split_paths(&v).filter(|p| !p.as_os_str().is_empty()) {
        if let Ok(m) = std::fs::metadata(&p)
            && !m.is_file()
        {
            out.push(check(
                Need::Kind,
                "KUBECONFIG",
                Status::Missing,
                format!("{} is not a regular file", p.display()),
                Some("point KUBECONFIG at kubeconfig files (kind writes ~/.kube/config)"),
            ));
        }
    }
}

/// `1.37` of `v1.37.2`, `Client Version: v1.37.0`, `kind v0.33.0 go1.26 linux/amd64`, …
fn minor_of(text: &str, major: &str) -> Option<String> {
    let i = text.find(&format!("v{major}."))?;
    let rest = &text[i + 1..];
    let mut parts = rest
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty());
    Some(format!("{}.{}", parts.next()?, parts.next()?))
}

fn check(target: Need, name: &str, status: Status, detail: String, hint: Option<&str>) -> Check {
    Check {
        target,
        name: name.into(),
        status,
        detail,
        hint: hint.map(str::to_string),
    }
}

/// Everything labs on kind need, from the tools to the cluster and its fixtures.
fn kind_checks(book_minor: &str, out: &mut Vec<Check>) {
    kind_check(out);
    engine_checks(out);
    memory_check(out);
    kubeconfig_checks(out);
    kubectl_check(book_minor, out);
    cluster_checks(book_minor, out);
    optional_tool_checks(out);
}

/// kind itself, and whether it is the release the book is tested with.
fn kind_check(out: &mut Vec<Check>) {
    use Need::Kind;
    match version_of("kind", &["version"]) {
        Some(v) if minor_of(&v, "0").as_deref() == Some("0.33") => {
            out.push(check(Kind, "kind", Status::Pass, v, None))
        }
        Some(v) => out.push(check(
            Kind,
            "kind",
            Status::Warn,
            v,
            Some("the book is tested with kind v0.33 (labs/kind.yaml pins the node image either way)"),
        )),
        None => out.push(check(
            Kind,
            "kind",
            Status::Missing,
            "not found".into(),
            Some("go install sigs.k8s.io/kind@v0.33.0 (or https://kind.sigs.k8s.io/docs/user/quick-start/)"),
        )),
    }
}

/// kubectl, of the book's minor release (outputs differ across minors).
fn kubectl_check(book_minor: &str, out: &mut Vec<Check>) {
    use Need::Kind;
    match probe("kubectl", &["version", "--client"]) {
        Ok((true, o)) => {
            let v = String::from_utf8_lossy(&o)
                .lines()
                .next()
                .unwrap_or("")
                .trim()
                .to_string();
            let skew = minor_of(&v, "1").as_deref() != Some(book_minor);
            out.push(check(
                Kind,
                "kubectl",
                if skew { Status::Warn } else { Status::Pass },
                v,
                skew.then_some(
                    "use kubectl of the book's minor release: outputs differ across minors",
                ),
            ))
        }
        Err(NoAnswer::TimedOut) => out.push(check(
            Kind,
            "kubectl",
            Status::Missing,
            format!(
                "`kubectl version --client` did not answer in {} s",
                PROBE_TIMEOUT.as_secs()
            ),
            Some("check what KUBECONFIG names: kubectl reads it even for `version`"),
        )),
        _ => out.push(check(
            Kind,
            "kubectl",
            Status::Missing,
            "not found".into(),
            Some("https://kubernetes.io/docs/tasks/tools/ (the control plane brings its own)"),
        )),
    }
}

/// Tools only some labs need: without them those labs are skipped (a warning).
fn optional_tool_checks(out: &mut Vec<Check>) {
    for (tool, args, why) in [
        (
            "helm",
            &["version", "--short"][..],
            "labs with requires=helm are skipped",
        ),
        (
            "curl",
            &["--version"][..],
            "labs with requires=curl are skipped",
        ),
        (
            "cloud-provider-kind",
            &["--help"][..],
            "Ingress and Gateway API labs are skipped: go install sigs.k8s.io/cloud-provider-kind@v0.11.0",
        ),
    ] {
        let found = probe(tool, args).is_ok_and(|(ok, _)| ok);
        out.push(check(
            Need::Kind,
            tool,
            if found { Status::Pass } else { Status::Warn },
            if found {
                "found".into()
            } else {
                "not found".into()
            },
            (!found).then_some(why),
        ));
    }
}

/// The container engine kind runs its nodes in (Docker, or Podman with kind's experimental
/// provider) and, for Docker, its image store: preloading images works on both stores
/// (`docker save --platform` + `kind load image-archive`), but it is worth knowing which.
fn engine_checks(out: &mut Vec<Check>) {
    use Need::Kind;
    if let Some(v) = version_of("docker", &["info", "--format", "{{.ServerVersion}}"]) {
        out.push(check(
            Kind,
            "Docker engine",
            Status::Pass,
            format!("server {v}"),
            None,
        ));
        let store = version_of("docker", &["info", "--format", "{{.DriverStatus}}"])
            .map(|d| {
                if d.contains("io.containerd.snapshotter") {
                    "containerd image store"
                } else {
                    "classic image store"
                }
            })
            .unwrap_or("image store unknown");
        out.push(check(Kind, "image store", Status::Pass, store.into(), None));
        return;
    }
    if let Some(v) = version_of("podman", &["version", "--format", "{{.Server.Version}}"]) {
        let selected = std::env::var("KIND_EXPERIMENTAL_PROVIDER").is_ok_and(|p| p == "podman");
        out.push(check(
            Kind,
            "container engine",
            if selected { Status::Pass } else { Status::Warn },
            format!("Podman {v} (no Docker)"),
            (!selected).then_some("export KIND_EXPERIMENTAL_PROVIDER=podman so kind uses Podman"),
        ));
        return;
    }
    out.push(check(
        Kind,
        "Docker engine",
        Status::Missing,
        "`docker info` fails and there is no Podman".into(),
        Some("start Docker (kind runs its nodes as containers); without it use --control-plane"),
    ));
}

/// kind's three nodes and the labs' Pods want a few GiB; a small machine shows up as
/// Pending Pods and evictions, not as a clear error.
fn memory_check(out: &mut Vec<Check>) {
    let available_kib = std::fs::read_to_string("/proc/meminfo").ok().and_then(|m| {
        m.lines()
            .find_map(|l| l.strip_prefix("MemAvailable:"))
            .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
    });
    let Some(kib) = available_kib else {
        return;
    };
    let gib = kib as f64 / (1024.0 * 1024.0);
    let enough = gib >= MIN_FREE_GIB;
    out.push(check(
        Need::Kind,
        "free memory",
        if enough { Status::Pass } else { Status::Warn },
        format!("{gib:.1} GiB available"),
        (!enough).then_some(
            "kind's three nodes and the labs need about 4 GiB free: close something, or use --control-plane",
        ),
    ));
}

/// Free memory below which kind labs are likely to see Pending Pods or evictions.
const MIN_FREE_GIB: f64 = 4.0;

/// How to make the book's cluster, the hint of every cluster finding that is missing.
const CREATE: &str =
    "kind create cluster --name kubebook --config labs/kind.yaml (or labs run --create-cluster)";

/// The cluster the runner would pick (and why): reachable, its version, its nodes, the
/// fixtures.
fn cluster_checks(book_minor: &str, out: &mut Vec<Check>) {
    use Need::Kind;
    let Some(context) = context_check(out) else {
        return;
    };
    let t = match target::from_kubeconfig_quiet(Some(&context)) {
        Ok(t) => t,
        Err(e) => {
            out.push(check(
                Kind,
                &format!("cluster {context}"),
                Status::Missing,
                first_line(&e),
                Some(CREATE),
            ));
            return;
        }
    };
    let skew = minor_of(&t.server_version, "1").as_deref() != Some(book_minor);
    out.push(check(
        Kind,
        &format!("cluster {context}"),
        if skew { Status::Warn } else { Status::Pass },
        format!("Kubernetes {}", t.server_version),
        skew.then_some("recreate it from labs/kind.yaml: its node image is the book's release"),
    ));
    node_check(&t, out);
    fixture_checks(&t, out);
}

fn first_line(e: &impl std::fmt::Display) -> String {
    e.to_string().lines().next().unwrap_or_default().to_string()
}

/// The context `labs run` would use, if it is a kind one (else the finding says why not).
fn context_check(out: &mut Vec<Check>) -> Option<String> {
    use Need::Kind;
    let (context, why) = match target::default_context() {
        Ok(c) => c,
        Err(e) => {
            out.push(check(
                Kind,
                "context",
                Status::Missing,
                first_line(&e),
                Some(CREATE),
            ));
            return None;
        }
    };
    if !context.starts_with("kind-") {
        out.push(check(
            Kind,
            "context",
            Status::Missing,
            format!("{context}: {why}; not a kind cluster, so labs run refuses it"),
            Some(CREATE),
        ));
        return None;
    }
    out.push(check(
        Kind,
        "context",
        Status::Pass,
        format!("{context}: {why}"),
        None,
    ));
    Some(context)
}

/// The cluster's nodes: labs/kind.yaml makes three, all of which should be Ready.
fn node_check(t: &target::Target, out: &mut Vec<Check>) {
    let nodes = match t.cluster.nodes() {
        Ok(nodes) => nodes,
        Err(e) => {
            out.push(check(
                Need::Kind,
                "nodes",
                Status::Warn,
                e.to_string(),
                None,
            ));
            return;
        }
    };
    let not_ready: Vec<&str> = nodes
        .iter()
        .filter(|n| !n.ready)
        .map(|n| n.name.as_str())
        .collect();
    let as_made = not_ready.is_empty() && nodes.len() == 3;
    out.push(check(
        Need::Kind,
        "nodes",
        if as_made { Status::Pass } else { Status::Warn },
        format!(
            "{} node(s){}",
            nodes.len(),
            if not_ready.is_empty() {
                ", all Ready".to_string()
            } else {
                format!(", not Ready: {}", not_ready.join(", "))
            }
        ),
        (!as_made).then_some("labs/kind.yaml makes one control-plane node and two workers"),
    ));
}

/// The fixtures `--create-cluster` installs, ready to serve.
fn fixture_checks(t: &target::Target, out: &mut Vec<Check>) {
    let fixtures = [
        (
            "Gateway API and Ingress (cloud-provider-kind)",
            t.cluster.gateway_class_accepted("cloud-provider-kind"),
            "kubebook labs run --create-cluster starts it (or: cloud-provider-kind --gateway-channel standard &)",
        ),
        (
            "metrics-server",
            t.cluster.api_service_available("v1beta1.metrics.k8s.io"),
            "kubebook labs run --create-cluster installs it (see labs/fixtures/README.md); labs with requires=metrics-server are skipped",
        ),
    ];
    for (name, ok, hint) in fixtures {
        out.push(check(
            Need::Kind,
            name,
            if ok { Status::Pass } else { Status::Warn },
            if ok {
                "ready".into()
            } else {
                "not installed or not ready".into()
            },
            (!ok).then_some(hint),
        ));
    }
}

fn control_plane_checks(out: &mut Vec<Check>) {
    use Need::ControlPlane;
    match Binaries::find(binaries::FULL) {
        Result::Ok(b) => out.push(check(
            ControlPlane,
            "control plane binaries",
            Status::Pass,
            b.path(binaries::APISERVER)
                .and_then(|p| p.parent())
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            None,
        )),
        Err(e) => out.push(check(
            ControlPlane,
            "control plane binaries",
            Status::Missing,
            e.to_string(),
            Some("kubebook labs control-plane install (needs Go 1.26; ~20 min once)"),
        )),
    }
    match version_of("go", &["version"]) {
        Some(v) => out.push(check(ControlPlane, "go", Status::Pass, v, None)),
        None => out.push(check(
            ControlPlane,
            "go",
            Status::Warn,
            "not found".into(),
            Some("only needed to build the control plane: https://go.dev/dl/ or apt-get install golang"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minors_are_read_from_every_version_line() {
        assert_eq!(minor_of("v1.37.2", "1").as_deref(), Some("1.37"));
        assert_eq!(
            minor_of("Client Version: v1.37.0", "1").as_deref(),
            Some("1.37")
        );
        assert_eq!(
            minor_of("kind v0.33.0 go1.26.8 linux/amd64", "0").as_deref(),
            Some("0.33")
        );
        assert_eq!(minor_of("no version here", "1"), None);
        assert_eq!(minor_of("v1.", "1"), None);
    }
}
