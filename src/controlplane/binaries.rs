//! Where the control plane's programs are: built by `labs/control-plane/install.sh` into the
//! user's cache, or named by `KUBEBOOK_CONTROL_PLANE_DIR`, or (for the programs envtest
//! ships: etcd, kube-apiserver, kubectl) `KUBEBUILDER_ASSETS`.

use std::fmt;
use std::path::{Path, PathBuf};

/// The release the control plane is pinned to (labs/control-plane/go.mod).
pub const PINNED: &str = "1.37.2";
/// What a user runs to build the binaries.
pub const INSTALL: &str = "kubebook labs control-plane install";

pub const ETCD: &str = "etcd";
pub const APISERVER: &str = "kube-apiserver";
pub const CONTROLLER_MANAGER: &str = "kube-controller-manager";
pub const SCHEDULER: &str = "kube-scheduler";
pub const KUBECTL: &str = "kubectl";
pub const KWOK: &str = "kwok";
/// kwok's node and pod stages, copied beside it by the install script.
pub const KWOK_STAGES: &str = "kwok-stages.yaml";
/// The objects a new kind cluster holds, rendered from upstream by the install script.
pub const KIND_ADDONS: &str = "kind-addons.yaml";

/// The programs of a full control plane, and the ones validation alone needs.
pub const FULL: &[&str] = &[
    ETCD,
    APISERVER,
    CONTROLLER_MANAGER,
    SCHEDULER,
    KUBECTL,
    KWOK,
];
pub const API_ONLY: &[&str] = &[ETCD, APISERVER];

/// `~/.cache/kubebook/control-plane` (or under `XDG_CACHE_HOME`).
pub fn cache_root() -> Option<PathBuf> {
    let base = match std::env::var_os("XDG_CACHE_HOME") {
        Some(x) if !x.is_empty() => PathBuf::from(x),
        _ => PathBuf::from(std::env::var_os("HOME")?).join(".cache"),
    };
    Some(base.join("kubebook/control-plane"))
}

/// The newest complete build of the pinned release in the cache.
fn cached() -> Option<PathBuf> {
    let root = cache_root()?;
    let mut dirs: Vec<(std::time::SystemTime, PathBuf)> = std::fs::read_dir(&root)
        .ok()?
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name()
                .to_str()
                .is_some_and(|n| n.starts_with(&format!("{PINNED}-")))
        })
        .map(|e| e.path().join("bin"))
        .filter_map(|bin| {
            let m = std::fs::metadata(bin.join(".complete")).ok()?;
            Some((m.modified().ok()?, bin))
        })
        .collect();
    dirs.sort();
    dirs.pop().map(|(_, p)| p)
}

/// The folders searched, in order, each with where it came from.
fn candidates() -> Vec<(String, PathBuf)> {
    let mut c = Vec::new();
    if let Some(d) = std::env::var_os("KUBEBOOK_CONTROL_PLANE_DIR").filter(|d| !d.is_empty()) {
        c.push(("KUBEBOOK_CONTROL_PLANE_DIR".to_string(), PathBuf::from(d)));
    }
    if let Some(d) = std::env::var_os("KUBEBUILDER_ASSETS").filter(|d| !d.is_empty()) {
        c.push(("KUBEBUILDER_ASSETS".to_string(), PathBuf::from(d)));
    }
    if let Some(d) = cached() {
        c.push(("the kubebook cache".to_string(), d));
    }
    c
}

fn executable(p: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        p.is_file()
    }
}

/// Some programs of the control plane were found in none of the folders searched.
#[derive(Debug, Clone)]
pub struct NotBuilt {
    pub missing: Vec<&'static str>,
    /// Each folder searched, with where it came from (`KUBEBOOK_CONTROL_PLANE_DIR`, …).
    pub looked: Vec<(String, PathBuf)>,
}

impl fmt::Display for NotBuilt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let looked: Vec<String> = self
            .looked
            .iter()
            .map(|(from, d)| format!("{} ({from})", d.display()))
            .collect();
        write!(
            f,
            "the control plane needs {} and they are not built\n  = looked in: {}\n  = hint: run `{INSTALL}` (builds Kubernetes {PINNED} from the Go module proxy; needs Go 1.26), or point KUBEBOOK_CONTROL_PLANE_DIR at a folder holding them",
            self.missing.join(", "),
            if looked.is_empty() {
                "nothing yet (no cache, KUBEBOOK_CONTROL_PLANE_DIR and KUBEBUILDER_ASSETS unset)"
                    .to_string()
            } else {
                looked.join(", ")
            }
        )
    }
}

impl std::error::Error for NotBuilt {}

/// Paths of the programs a control plane needs.
#[derive(Debug, Clone)]
pub struct Binaries {
    found: Vec<(&'static str, PathBuf)>,
}

impl Binaries {
    /// Find each of `names`, first folder that has it wins.
    pub fn find(names: &[&'static str]) -> Result<Binaries, NotBuilt> {
        let dirs = candidates();
        let mut found = Vec::new();
        let mut missing = Vec::new();
        for name in names {
            match dirs
                .iter()
                .map(|(_, d)| d.join(name))
                .find(|p| executable(p))
            {
                Some(p) => found.push((*name, p)),
                None => missing.push(*name),
            }
        }
        if missing.is_empty() {
            return Ok(Binaries { found });
        }
        Err(NotBuilt {
            missing,
            looked: dirs,
        })
    }

    pub fn path(&self, name: &str) -> Option<&Path> {
        self.found
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, p)| p.as_path())
    }

    /// The folder kubectl is in, put first on the labs' PATH so their `kubectl` is the
    /// pinned one.
    pub fn kubectl_dir(&self) -> Option<&Path> {
        self.path(KUBECTL).and_then(Path::parent)
    }
}
