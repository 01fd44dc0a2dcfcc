//! The lab runner: `kubebook labs run` on a real (kind) cluster. Steps run with bash as a
//! reader would run them; the runner's own cluster work (namespaces, diagnostics, cleanup)
//! goes through the kube crate.

pub mod api;
pub mod doctor;
pub mod exec;
pub mod kind;
pub mod report;
pub mod run;
pub mod safety;
pub mod target;
pub mod verify;

use std::fmt;

/// Why a run of the labs could not go ahead or did not finish. The CLI turns these into
/// exit codes; the runner never exits.
#[derive(Debug)]
pub enum RunError {
    /// Bad arguments: an unknown lab, nothing selected.
    Usage(String),
    /// The machine or cluster lacks something (kubeconfig, binaries, a reachable server).
    Environment(String),
    /// The safety rules refused the chosen context before any request was sent.
    Refused(String),
    /// Ctrl-C or SIGTERM: the labs that ran were cleaned up.
    Interrupted(report::Summary),
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::Usage(m) | RunError::Environment(m) | RunError::Refused(m) => f.write_str(m),
            RunError::Interrupted(_) => f.write_str("interrupted"),
        }
    }
}

impl std::error::Error for RunError {}

use crate::lab::Lab;
use crate::validate::{schema, yaml};
use run::{ClusterObject, ClusterObjects};

/// The cluster-scoped objects (PersistentVolumes, PriorityClasses, CRDs, …) each lab's
/// files define, so the runner can remove them when the lab ends.
pub fn cluster_objects(labs: &[Lab]) -> ClusterObjects {
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
                        .is_some_and(|(_, namespaced)| !namespaced)
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
