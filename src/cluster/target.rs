//! Where labs run: a kind cluster chosen from the user's kubeconfig (and refused unless it
//! is a `kind-*` context on loopback), or the local control plane kubebook starts itself.

use super::RunError;
use super::api::Cluster;
use super::safety;
use crate::controlplane::{self, ControlPlane};
use crate::project::KIND_CONTEXT;
use crate::verified::Level;
use kube::config::Kubeconfig;
use std::fmt;
use std::path::{Path, PathBuf};

/// The cluster the labs run on, and what the lab kubeconfigs and PATH need to reach it.
pub(crate) struct Target {
    pub cluster: Cluster,
    pub context: String,
    /// Cluster and user names inside `kubeconfigs` that the chosen context names.
    pub cluster_name: String,
    pub user: Option<String>,
    pub server_version: String,
    /// Absolute kubeconfig files the labs' kubectl reads after the lab's own file.
    pub kubeconfigs: Vec<PathBuf>,
    /// Put first on the labs' PATH (the control plane's pinned kubectl).
    pub path_prefix: Option<PathBuf>,
    pub level: Level,
    /// The user passed --allow-non-kind for this context.
    pub allowed_non_kind: bool,
    /// The control plane this target started, held only to be dropped: declared last, so
    /// it goes after the client, stopping the processes.
    pub _control_plane: Option<ControlPlane>,
}

impl Target {
    /// A cluster kubebook may clean freely: the control plane it started, or a kind
    /// cluster on loopback (the safety rules let no other through unless the user passed
    /// --allow-non-kind, and then leftovers are left alone).
    pub(crate) fn owned_cluster(&self) -> bool {
        self.level == Level::ControlPlane
            || self.context.starts_with("kind-") && !self.allowed_non_kind
    }
}

/// The user's kubeconfig files as kubectl finds them: `KUBECONFIG` (a list) or
/// `~/.kube/config`, each made absolute against the current directory (steps run in
/// another), missing entries dropped as kubectl drops them.
pub(crate) fn kubeconfig_paths() -> Vec<PathBuf> {
    let cwd = std::env::current_dir().unwrap_or_default();
    let listed: Vec<PathBuf> = match std::env::var_os("KUBECONFIG") {
        Some(v) if !v.is_empty() => std::env::split_paths(&v)
            .filter(|p| !p.as_os_str().is_empty())
            .collect(),
        _ => std::env::var_os("HOME")
            .map(|h| vec![PathBuf::from(h).join(".kube/config")])
            .unwrap_or_default(),
    };
    let mut out: Vec<PathBuf> = Vec::new();
    for p in listed {
        let abs = if p.is_absolute() { p } else { cwd.join(p) };
        if abs.is_file() && !out.contains(&abs) {
            out.push(abs);
        }
    }
    out
}

/// What is wrong with the user's kubeconfig, or the context chosen from it.
#[derive(Debug)]
pub(crate) enum KubeconfigError {
    /// A file KUBECONFIG names is not a regular, readable file of sensible size.
    Unreadable {
        path: PathBuf,
        source: crate::fsx::InputError,
    },
    /// A file is not a kubeconfig kube can read.
    Invalid {
        path: PathBuf,
        source: kube::config::KubeconfigError,
    },
    /// A file cannot be merged with the ones before it.
    Merge {
        path: PathBuf,
        source: kube::config::KubeconfigError,
    },
    /// No file at all.
    NotFound,
    /// No context was named, and there is neither kind-kubebook nor a current context;
    /// `pass_context` adds the hint to pass `--context`.
    NoDefaultContext { pass_context: bool },
    /// The named context does not exist.
    NoContext { name: String },
    /// The context's cluster has no server.
    NoServer { context: String, cluster: String },
}

impl fmt::Display for KubeconfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KubeconfigError::Unreadable { path, source } => {
                write!(f, "cannot read kubeconfig {}: {source}", path.display())
            }
            KubeconfigError::Invalid { path, source } => {
                write!(f, "cannot read {}: {source}", path.display())
            }
            KubeconfigError::Merge { path, source } => {
                write!(f, "cannot merge {}: {source}", path.display())
            }
            KubeconfigError::NotFound => f.write_str(
                "no kubeconfig found (KUBECONFIG is unset or names no existing file, and ~/.kube/config does not exist)\n  = hint: create the cluster with `kubebook labs run --create-cluster`, or run the labs without Docker: `kubebook labs run --control-plane`",
            ),
            KubeconfigError::NoDefaultContext { pass_context } => {
                f.write_str("the kubeconfig has no current context and no kind-kubebook context")?;
                if *pass_context {
                    f.write_str("; pass --context")?;
                }
                Ok(())
            }
            KubeconfigError::NoContext { name } => {
                write!(f, "the kubeconfig has no context `{name}`")
            }
            KubeconfigError::NoServer { context, cluster } => write!(
                f,
                "context `{context}` names cluster `{cluster}`, which has no server"
            ),
        }
    }
}

impl std::error::Error for KubeconfigError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            KubeconfigError::Unreadable { source, .. } => Some(source),
            KubeconfigError::Invalid { source, .. } | KubeconfigError::Merge { source, .. } => {
                Some(source)
            }
            _ => None,
        }
    }
}

/// Merge the files the way kubectl does: the first file to define a name wins.
fn read_merged(paths: &[PathBuf]) -> Result<Kubeconfig, KubeconfigError> {
    let mut merged: Option<Kubeconfig> = None;
    for p in paths {
        let path = || p.to_path_buf();
        // Looked at first, so a FIFO or device named by KUBECONFIG cannot hang the command
        // and a huge file cannot exhaust memory (kube's reader would open and read it all).
        crate::fsx::read_regular_text(p, crate::fsx::MAX_INPUT_BYTES).map_err(|source| {
            KubeconfigError::Unreadable {
                path: path(),
                source,
            }
        })?;
        let kc = Kubeconfig::read_from(p).map_err(|source| KubeconfigError::Invalid {
            path: path(),
            source,
        })?;
        merged = Some(match merged {
            None => kc,
            Some(m) => m.merge(kc).map_err(|source| KubeconfigError::Merge {
                path: path(),
                source,
            })?,
        });
    }
    merged.ok_or(KubeconfigError::NotFound)
}

/// The context `labs run` uses without `--context`, and why: `kind-kubebook` when the
/// kubeconfig has it, else the current context.
pub(crate) fn default_context() -> Result<(String, &'static str), KubeconfigError> {
    let kc = read_merged(&kubeconfig_paths())?;
    if kc.contexts.iter().any(|c| c.name == KIND_CONTEXT) {
        return Ok((
            KIND_CONTEXT.into(),
            "the kubeconfig has the book's cluster (kind-kubebook)",
        ));
    }
    kc.current_context
        .clone()
        .map(|c| (c, "the current context (there is no kind-kubebook context)"))
        .ok_or(KubeconfigError::NoDefaultContext {
            pass_context: false,
        })
}

/// A context of the kubeconfig and what it names.
struct ChosenContext {
    name: String,
    cluster: String,
    server: String,
    user: Option<String>,
}

/// The context named, else `kind-kubebook`, else the current one.
fn choose_context(kc: &Kubeconfig, wanted: Option<&str>) -> Result<ChosenContext, KubeconfigError> {
    let name = match wanted {
        Some(n) => n.to_string(),
        None if kc.contexts.iter().any(|c| c.name == KIND_CONTEXT) => KIND_CONTEXT.into(),
        None => kc
            .current_context
            .clone()
            .ok_or(KubeconfigError::NoDefaultContext { pass_context: true })?,
    };
    let ctx = kc
        .contexts
        .iter()
        .find(|c| c.name == name)
        .and_then(|c| c.context.clone())
        .ok_or_else(|| KubeconfigError::NoContext { name: name.clone() })?;
    let server = kc
        .clusters
        .iter()
        .find(|c| c.name == ctx.cluster)
        .and_then(|c| c.cluster.as_ref())
        .and_then(|c| c.server.clone())
        .ok_or_else(|| KubeconfigError::NoServer {
            context: name.clone(),
            cluster: ctx.cluster.clone(),
        })?;
    Ok(ChosenContext {
        name,
        cluster: ctx.cluster,
        server,
        user: ctx.user,
    })
}

/// A kind (or, when allowed, any) cluster from the user's kubeconfig. The safety check runs
/// before any request is sent.
pub(crate) fn from_kubeconfig(
    context: Option<&str>,
    allow_non_kind: bool,
) -> Result<Target, RunError> {
    connect(context, allow_non_kind && context.is_some(), true)
}

/// The same, without saying where it connects (`labs doctor` reports it instead).
pub(crate) fn from_kubeconfig_quiet(context: Option<&str>) -> Result<Target, RunError> {
    connect(context, false, false)
}

/// Any context, for commands that only read (`labs verify` runs read-only checks): the
/// learner's cluster need not be kind.
pub(crate) fn for_reading(context: Option<&str>) -> Result<Target, RunError> {
    connect(context, true, false)
}

fn connect(
    context: Option<&str>,
    allow_non_kind: bool,
    announce: bool,
) -> Result<Target, RunError> {
    let paths = kubeconfig_paths();
    let kc = read_merged(&paths).map_err(RunError::Kubeconfig)?;
    let ChosenContext {
        name: ctx,
        cluster: cluster_name,
        server,
        user,
    } = choose_context(&kc, context).map_err(RunError::Kubeconfig)?;
    safety::check_context(&ctx, &server, allow_non_kind).map_err(RunError::Refused)?;
    if announce {
        eprintln!("connecting to {server} (context {ctx})");
    }
    let cluster = Cluster::connect(kc, &ctx).map_err(RunError::Cluster)?;
    let server_version = cluster
        .server_version()
        .map_err(|source| RunError::Unreachable {
            context: ctx.clone(),
            source,
        })?;
    Ok(Target {
        cluster,
        context: ctx,
        cluster_name,
        user,
        server_version,
        kubeconfigs: paths,
        path_prefix: None,
        level: Level::Kind,
        allowed_non_kind: allow_non_kind,
        _control_plane: None,
    })
}

/// Start the local control plane and connect to it. The user's kubeconfig files are never
/// read: the labs see only the control plane's.
pub(crate) fn control_plane(root: &Path) -> Result<Target, RunError> {
    let opts = controlplane::Options {
        kind_config: Some(
            crate::project::Project::new(root).path(crate::project::paths::KIND_CONFIG),
        ),
        progress: true,
        ..Default::default()
    };
    let cp = ControlPlane::start(&opts).map_err(RunError::ControlPlane)?;
    eprintln!(
        "control plane ready in {:.1} s at {} (Kubernetes {}, nodes on kwok: steps that need a container runtime are reported needs-kind)",
        cp.started_in.as_secs_f64(),
        cp.server,
        controlplane::binaries::PINNED
    );
    let kc = Kubeconfig::read_from(&cp.kubeconfig).map_err(|source| {
        RunError::Kubeconfig(KubeconfigError::Invalid {
            path: cp.kubeconfig.clone(),
            source,
        })
    })?;
    let cluster = Cluster::connect(kc, &cp.context).map_err(RunError::Cluster)?;
    let server_version = cluster.server_version().map_err(RunError::Cluster)?;
    Ok(Target {
        cluster,
        context: cp.context.clone(),
        cluster_name: cp.context.clone(),
        user: Some(cp.context.clone()),
        server_version,
        kubeconfigs: vec![cp.kubeconfig.clone()],
        path_prefix: cp.kubectl_dir().map(Path::to_path_buf),
        level: Level::ControlPlane,
        allowed_non_kind: false,
        _control_plane: Some(cp),
    })
}
