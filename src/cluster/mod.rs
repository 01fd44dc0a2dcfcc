//! The lab runner: `kubebook labs run` on a real (kind) cluster. Steps run with bash as a
//! reader would run them; the runner's own cluster work (namespaces, diagnostics, cleanup)
//! goes through the kube crate.

pub(crate) mod api;
pub(crate) mod doctor;
pub(crate) mod exec;
pub(crate) mod kind;
pub(crate) mod report;
pub(crate) mod run;
pub(crate) mod safety;
pub(crate) mod target;
pub(crate) mod verify;

use std::fmt;

/// `map_err(io("write …"))`: a local file or folder the runner needs, saying which.
pub(crate) fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> RunError {
    let what = what.into();
    move |source| RunError::Io { what, source }
}

/// Why a run of the labs could not go ahead or did not finish. The CLI turns these into
/// exit codes; the runner never exits.
#[derive(Debug)]
pub(crate) enum RunError {
    /// No lab has this id; `guess` is the closest one.
    NoSuchLab { id: String, guess: Option<String> },
    /// The selection (ids, chapter, shard) chose no lab.
    NothingChosen,
    /// `labs verify --step N`: step N is not a check, or the lab has none (`step` is None).
    NotACheck { lab: String, step: Option<usize> },
    /// The user's kubeconfig is missing or unusable, or names no usable context.
    Kubeconfig(target::KubeconfigError),
    /// A local folder or file the runner needs; `what` completes "cannot …".
    Io {
        what: String,
        source: std::io::Error,
    },
    /// The safety rules refused the chosen context before any request was sent.
    Refused(safety::Refusal),
    /// `--create-cluster` could not make the kind cluster ready.
    CreateCluster(kind::KindError),
    /// The client for the chosen cluster could not be made, or its first request failed.
    Cluster(api::ApiError),
    /// The cluster of a kubeconfig context does not answer.
    Unreachable {
        context: String,
        source: api::ApiError,
    },
    /// The local control plane did not start.
    ControlPlane(crate::controlplane::StartError),
    /// Ctrl-C or SIGTERM: the labs that ran were cleaned up (and their summary printed).
    Interrupted,
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::controlplane::StartError;
        match self {
            RunError::NoSuchLab { id, guess } => {
                write!(f, "no lab `{id}`")?;
                match guess {
                    Some(g) => write!(f, "; did you mean `{g}`?"),
                    None => Ok(()),
                }
            }
            RunError::NothingChosen => f.write_str("no lab matches"),
            RunError::NotACheck { lab, step: Some(k) } => write!(
                f,
                "step {k} of {lab} is not a check (a read-only command with an expected output); `kubebook labs show {lab}` numbers the steps"
            ),
            RunError::NotACheck { lab, step: None } => {
                write!(f, "lab {lab} has no read-only checks to verify")
            }
            RunError::Kubeconfig(e) => e.fmt(f),
            RunError::Io { what, source } => write!(f, "cannot {what}: {source}"),
            RunError::Refused(e) => e.fmt(f),
            RunError::CreateCluster(e) => e.fmt(f),
            RunError::Cluster(e) => e.fmt(f),
            RunError::Unreachable { context, source } => {
                write!(
                    f,
                    "cannot reach the cluster of context `{context}`: {source}"
                )
            }
            // A missing program or file names its install command: nothing to add.
            RunError::ControlPlane(e @ (StartError::NotBuilt(_) | StartError::Missing { .. })) => {
                e.fmt(f)
            }
            RunError::ControlPlane(e) => write!(f, "the control plane did not start: {e}"),
            RunError::Interrupted => f.write_str("interrupted"),
        }
    }
}

impl std::error::Error for RunError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RunError::Refused(e) => Some(e),
            RunError::CreateCluster(e) => Some(e),
            RunError::Cluster(e) | RunError::Unreachable { source: e, .. } => Some(e),
            RunError::ControlPlane(e) => Some(e),
            RunError::Kubeconfig(e) => Some(e),
            RunError::Io { source, .. } => Some(source),
            RunError::NoSuchLab { .. }
            | RunError::NothingChosen
            | RunError::NotACheck { .. }
            | RunError::Interrupted => None,
        }
    }
}

use crate::lab::Lab;
use crate::validate::{schema, yaml};
use run::{ClusterObject, ClusterObjects};

/// The cluster-scoped objects (PersistentVolumes, PriorityClasses, CRDs, …) each lab's
/// files define, so the runner can remove them when the lab ends.
pub(crate) fn cluster_objects(labs: &[Lab]) -> ClusterObjects {
    let s = schema::schema();
    labs.iter()
        .map(|lab| {
            let mut objs = Vec::new();
            for (_, b) in lab.files() {
                let Ok(nodes) = yaml::parse_documents(&b.content) else {
                    continue;
                };
                for n in nodes {
                    let d = yaml::Document::new(n);
                    let (Some(av), Some(kind), Some(name)) = (
                        d.str_at("/apiVersion"),
                        d.str_at("/kind"),
                        d.str_at("/metadata/name"),
                    ) else {
                        continue;
                    };
                    if s.kinds
                        .get(&format!("{av}/{kind}"))
                        .is_some_and(|k| !k.namespaced)
                    {
                        objs.push(ClusterObject {
                            api_version: av.into(),
                            kind: kind.into(),
                            name: name.into(),
                        });
                    }
                }
            }
            (lab.id.clone(), objs)
        })
        .collect()
}
