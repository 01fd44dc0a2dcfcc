//! `labs run --create-cluster`: the kind cluster the labs are written for, made ready the way
//! the labs workflow makes it: `labs/kind.yaml`, the preloaded images, the vendored fixtures,
//! and cloud-provider-kind (LoadBalancer Services, Ingress and the Gateway API) beside it.

use super::run::have;
use crate::project::{KIND_CLUSTER, KIND_CONTEXT, Project, paths};
use std::fmt;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// The release the workflow installs (`CLOUD_PROVIDER_KIND_VERSION` in labs.yml).
pub(crate) const CLOUD_PROVIDER_KIND_VERSION: &str = "v0.11.0";
/// The metrics-server release the workflow installs (`METRICS_SERVER_VERSION`).
pub(crate) const METRICS_SERVER_VERSION: &str = "v0.8.0";
/// Its IngressClass and GatewayClass.
const CLASS: &str = "cloud-provider-kind";
/// How long its classes may take to appear and be accepted (the workflow's `kubectl wait`).
const CLASS_TIMEOUT: Duration = Duration::from_secs(180);

/// Why the kind cluster could not be made ready, or cloud-provider-kind could not serve it.
#[derive(Debug)]
pub(crate) enum KindError {
    /// kind or a running Docker engine is missing: what to install, each with where from.
    Missing(Vec<&'static str>),
    /// A program could not be started at all.
    Spawn {
        program: String,
        source: std::io::Error,
    },
    /// A command ran and failed (its output went to the terminal).
    Failed { command: String, status: ExitStatus },
    /// cloud-provider-kind's log file could not be made.
    Log {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Neither XDG_CACHE_HOME nor HOME says where cloud-provider-kind's log goes.
    NoHome,
    /// cloud-provider-kind exited while the runner waited for its classes.
    Exited {
        status: ExitStatus,
        log: PathBuf,
        tail: String,
    },
    /// Its GatewayClass was not accepted in time.
    NotAccepted { after: Duration, log: PathBuf },
}

impl fmt::Display for KindError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KindError::Missing(what) => {
                write!(f, "--create-cluster needs {}", what.join(" and "))
            }
            KindError::Spawn { program, source } => {
                write!(f, "cannot start {program}: {source}")
            }
            KindError::Failed { command, status } => write!(f, "{command} failed ({status})"),
            KindError::Log { path, source } => write!(f, "{}: {source}", path.display()),
            KindError::NoHome => f.write_str("cannot start cloud-provider-kind: HOME is not set"),
            KindError::Exited { status, log, tail } => write!(
                f,
                "cloud-provider-kind exited ({status}); labs that need Ingress or the Gateway API will be skipped. The end of {}:\n{tail}",
                log.display()
            ),
            KindError::NotAccepted { after, log } => write!(
                f,
                "GatewayClass {CLASS} was not accepted within {} s; labs that need Ingress or the Gateway API will be skipped (its log: {})",
                after.as_secs(),
                log.display()
            ),
        }
    }
}

impl std::error::Error for KindError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            KindError::Spawn { source, .. } | KindError::Log { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Run one command of the set-up, its output on the terminal; a failure stops the set-up.
fn run(cmd: &mut Command) -> Result<(), KindError> {
    let status = cmd.status().map_err(|source| KindError::Spawn {
        program: cmd.get_program().to_string_lossy().into_owned(),
        source,
    })?;
    if status.success() {
        Ok(())
    } else {
        Err(KindError::Failed {
            command: format!("{cmd:?}"),
            status,
        })
    }
}

/// `kind create cluster` with the book's config, the pinned fixtures, the pinned images.
pub(super) fn create_cluster(root: &Path) -> Result<(), KindError> {
    let mut missing = Vec::new();
    if !have("kind", &["version"]) {
        missing.push("kind (https://kind.sigs.k8s.io/docs/user/quick-start/#installation)");
    }
    if !have("docker", &["info"]) {
        missing.push("a running Docker engine (`docker info` fails)");
    }
    if !missing.is_empty() {
        return Err(KindError::Missing(missing));
    }
    let exists = Command::new("kind")
        .args(["get", "clusters"])
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .any(|l| l == KIND_CLUSTER)
        })
        .unwrap_or(false);
    if exists {
        // The cluster is there but the kubeconfig may have lost its context: export it again,
        // so the labs never fall back to another (current) context.
        run(Command::new("kind").args(["export", "kubeconfig", "--name", KIND_CLUSTER]))?;
    } else {
        // --wait: labs start only when every node is Ready.
        run(Command::new("kind")
            .args([
                "create",
                "cluster",
                "--name",
                KIND_CLUSTER,
                "--wait",
                "2m",
                "--config",
            ])
            .arg(Project::new(root).path(paths::KIND_CONFIG)))?;
    }
    preload_images(root);
    apply_fixtures(&Project::new(root).path(paths::FIXTURES))?;
    start_cloud_provider_kind();
    Ok(())
}

/// Apply the vendored fixtures (`labs/fixtures/*.yaml`, in name order) and wait until every
/// Deployment is Available: a lab's first apply must not meet a webhook with no endpoint yet
/// (D5). metrics-server comes from its pinned release, as in the workflow, unless a fixture
/// vendors it.
fn apply_fixtures(fixtures: &Path) -> Result<(), KindError> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixtures)
        .map(|es| {
            es.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    for f in &files {
        run(kubectl().args(["apply", "--server-side", "-f"]).arg(f))?;
    }
    let vendored = files.iter().any(|f| {
        f.file_name()
            .is_some_and(|n| n.to_string_lossy().contains("metrics-server"))
    });
    if !vendored {
        install_metrics_server();
    }
    run(kubectl().args([
        "wait",
        "--for=condition=Available",
        "deployment",
        "--all",
        "--all-namespaces",
        "--timeout=180s",
    ]))
}

/// metrics-server from its release, with `--kubelet-insecure-tls` (kind's kubelets serve
/// self-signed certificates). Offline, the labs that need it are skipped: a warning.
fn install_metrics_server() {
    let url = format!(
        "https://github.com/kubernetes-sigs/metrics-server/releases/download/{METRICS_SERVER_VERSION}/components.yaml"
    );
    let steps = run(kubectl().args(["apply", "-f", &url]))
        .and_then(|()| {
            run(kubectl().args([
                "patch",
                "-n",
                "kube-system",
                "deployment",
                "metrics-server",
                "--type=json",
                "-p",
                r#"[{"op":"add","path":"/spec/template/spec/containers/0/args/-","value":"--kubelet-insecure-tls"}]"#,
            ]))
        });
    if let Err(why) = steps {
        eprintln!(
            "warning: metrics-server {METRICS_SERVER_VERSION} was not installed ({why}); labs that need it (requires=metrics-server) will be skipped\n  = hint: vendor it as labs/fixtures/20-metrics-server.yaml (see labs/fixtures/README.md)"
        );
    }
}

/// kubectl on the cluster this module created, never the current context.
fn kubectl() -> Command {
    let mut c = Command::new("kubectl");
    c.args(["--context", KIND_CONTEXT]);
    c
}

/// Pull the pinned images and load them into the nodes. `kind load docker-image` fails under
/// Docker's containerd image store (kind#3795: the saved archive lists every platform but
/// holds the host's only), so each image is saved for the host platform and loaded as an
/// archive. A failure is a warning: the node then pulls the image itself.
fn preload_images(root: &Path) {
    let images = crate::fsx::read_input(root, &Project::new(root).path(paths::IMAGES_LIST))
        .unwrap_or_default();
    let platform = format!(
        "linux/{}",
        match std::env::consts::ARCH {
            "x86_64" => "amd64",
            "aarch64" => "arm64",
            other => other,
        }
    );
    let Ok(dir) = tempfile::tempdir() else {
        eprintln!("warning: no temporary directory; images are not preloaded");
        return;
    };
    let ok = |cmd: &mut Command| {
        cmd.stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    for img in images
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let tar = dir.path().join("image.tar");
        let loaded =
            ok(Command::new("docker").args(["pull", "--quiet", "--platform", &platform, img]))
                && ok(Command::new("docker")
                    .args(["save", "--platform", &platform, "-o"])
                    .arg(&tar)
                    .arg(img))
                && ok(Command::new("kind")
                    .args(["load", "image-archive", "--name", KIND_CLUSTER])
                    .arg(&tar));
        if !loaded {
            eprintln!(
                "warning: could not preload {img}; the nodes will pull it when a lab needs it"
            );
        }
        let _ = std::fs::remove_file(&tar);
    }
}

/// Start cloud-provider-kind beside the cluster, unless one already runs, and wait until it
/// serves the Gateway API and Ingress. It keeps running after the labs (the cluster does too),
/// in its own process group so the runner's Ctrl-C does not stop it. Trouble is a warning:
/// only the labs that need Ingress or a Gateway are then skipped, each saying why.
fn start_cloud_provider_kind() {
    if let Some(pid) = running_cloud_provider_kind() {
        eprintln!("cloud-provider-kind already runs (pid {pid})");
    } else if !have("cloud-provider-kind", &["--help"]) {
        eprintln!(
            "warning: cloud-provider-kind is not installed, so labs that need Ingress or the Gateway API (requires=ingress / gateway) will be skipped\n  = hint: go install sigs.k8s.io/cloud-provider-kind@{CLOUD_PROVIDER_KIND_VERSION}, then run --create-cluster again"
        );
        return;
    } else {
        match spawn_cloud_provider_kind() {
            Ok((child, log)) => {
                eprintln!(
                    "started cloud-provider-kind (pid {}, log {}); it keeps serving the cluster after the labs: stop it with `kill {}`",
                    child.id(),
                    log.display(),
                    child.id()
                );
                if let Err(why) = wait_for_classes(Some(child), &log) {
                    eprintln!("warning: {why}");
                }
                return;
            }
            Err(why) => {
                eprintln!("warning: {why}");
                return;
            }
        }
    }
    if let Err(why) = wait_for_classes(None, Path::new("")) {
        eprintln!("warning: {why}");
    }
}

/// The pid of a cloud-provider-kind already running on this machine (it serves every kind
/// cluster, so a second one would fight the first over the same load balancers).
fn running_cloud_provider_kind() -> Option<u32> {
    let entries = std::fs::read_dir("/proc").ok()?;
    entries.filter_map(Result::ok).find_map(|e| {
        let pid: u32 = e.file_name().to_str()?.parse().ok()?;
        let comm = std::fs::read_to_string(e.path().join("comm")).ok()?;
        // The kernel keeps 15 bytes of a command's name. A zombie (exited, not yet reaped)
        // serves nothing.
        let stat = std::fs::read_to_string(e.path().join("stat")).ok()?;
        let state = stat.rsplit_once(')')?.1.trim_start().chars().next()?;
        (comm.trim_end() == &CLASS[..15] && state != 'Z').then_some(pid)
    })
}

/// Where its log goes: `~/.cache/kubebook/cloud-provider-kind.log` (or under XDG_CACHE_HOME).
fn log_path() -> Option<PathBuf> {
    let base = match std::env::var_os("XDG_CACHE_HOME") {
        Some(x) if !x.is_empty() => PathBuf::from(x),
        _ => PathBuf::from(std::env::var_os("HOME")?).join(".cache"),
    };
    Some(base.join("kubebook/cloud-provider-kind.log"))
}

fn spawn_cloud_provider_kind() -> Result<(Child, PathBuf), KindError> {
    let log = log_path().ok_or(KindError::NoHome)?;
    let log_error = |path: &Path| {
        let path = path.to_path_buf();
        move |source| KindError::Log { path, source }
    };
    if let Some(dir) = log.parent() {
        std::fs::create_dir_all(dir).map_err(log_error(dir))?;
    }
    let out = std::fs::File::create(&log).map_err(log_error(&log))?;
    let err = out.try_clone().map_err(log_error(&log))?;
    let mut cmd = Command::new("cloud-provider-kind");
    cmd.args(["--gateway-channel", "standard"])
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err);
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
    }
    let child = cmd.spawn().map_err(|source| KindError::Spawn {
        program: "cloud-provider-kind".into(),
        source,
    })?;
    Ok((child, log))
}

/// Wait, as the workflow does, for the GatewayClass to be accepted and the IngressClass to
/// exist. A cloud-provider-kind that exits meanwhile is reported with the end of its log.
fn wait_for_classes(mut child: Option<Child>, log: &Path) -> Result<(), KindError> {
    let deadline = Instant::now() + CLASS_TIMEOUT;
    loop {
        if gateway_class_accepted() && ingress_class_exists() {
            eprintln!("cloud-provider-kind serves GatewayClass and IngressClass {CLASS}");
            return Ok(());
        }
        if let Some(c) = child.as_mut()
            && let Ok(Some(status)) = c.try_wait()
        {
            return Err(KindError::Exited {
                status,
                log: log.to_path_buf(),
                tail: log_tail(log),
            });
        }
        if Instant::now() >= deadline {
            return Err(KindError::NotAccepted {
                after: CLASS_TIMEOUT,
                log: log.to_path_buf(),
            });
        }
        std::thread::sleep(Duration::from_secs(1));
    }
}

fn kubectl_get(args: &[&str]) -> Option<String> {
    let out = kubectl()
        .arg("get")
        .args(args)
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn gateway_class_accepted() -> bool {
    kubectl_get(&[
        "gatewayclass",
        CLASS,
        "-o",
        "jsonpath={.status.conditions[?(@.type==\"Accepted\")].status}",
    ])
    .is_some_and(|s| s == "True")
}

fn ingress_class_exists() -> bool {
    kubectl_get(&["ingressclass", CLASS, "-o", "name"]).is_some_and(|s| !s.is_empty())
}

/// The last 20 lines of a log, from at most its last 64 KiB.
fn log_tail(path: &Path) -> String {
    let mut bytes = Vec::new();
    if let Ok(mut f) = std::fs::File::open(path) {
        let len = f.metadata().map(|m| m.len()).unwrap_or(0);
        let _ = f.seek(SeekFrom::Start(len.saturating_sub(64 * 1024)));
        let _ = f.take(64 * 1024).read_to_end(&mut bytes);
    }
    let text = String::from_utf8_lossy(&bytes);
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_read_as_before() {
        let e = KindError::Missing(vec!["kind (x)", "a running Docker engine (y)"]);
        assert_eq!(
            e.to_string(),
            "--create-cluster needs kind (x) and a running Docker engine (y)"
        );
        let e = KindError::NotAccepted {
            after: CLASS_TIMEOUT,
            log: PathBuf::from("/c/cloud-provider-kind.log"),
        };
        assert!(
            e.to_string()
                .starts_with("GatewayClass cloud-provider-kind was not accepted within 180 s;"),
            "{e}"
        );
    }
}
