//! A real Kubernetes control plane on loopback, without a container runtime: etcd,
//! kube-apiserver, kube-controller-manager and kube-scheduler built from the pinned upstream
//! release, and kwok keeping three fake nodes (named and labelled like kind's) Ready, so
//! Deployments roll out and Jobs complete. Used by `kubebook labs run --control-plane`,
//! `kubebook labs control-plane up` and the test suite's API-server oracle.
//!
//! Everything lives in one private temporary folder (PKI, kubeconfigs, etcd data, logs)
//! that is removed when the [`ControlPlane`] is dropped; every process is in a process group
//! of its own and is stopped then, and dies with kubebook if kubebook is killed.

pub mod binaries;
mod nodes;
pub mod oracle;
pub mod pki;
mod process;

use binaries::Binaries;
use kube::config::{
    AuthInfo, Cluster as KcCluster, Context, Kubeconfig, NamedAuthInfo, NamedCluster, NamedContext,
};
use pki::{Identity, Pki};
use process::Process;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Which programs to start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Components {
    /// etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok and three nodes.
    Full,
    /// etcd and kube-apiserver only: enough to judge manifests (server-side dry run).
    ApiOnly,
}

#[derive(Debug, Clone)]
pub struct Options {
    /// The kubeconfig context (and cluster and user) name; `kind-kubebook` like kind's.
    pub context: String,
    pub components: Components,
    /// Write the API server's audit log (every request, metadata level).
    pub audit: bool,
    /// `labs/kind.yaml`: node roles and labels are taken from it when it exists.
    pub kind_config: Option<PathBuf>,
    /// Say what is starting on stderr.
    pub progress: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            context: crate::project::KIND_CONTEXT.into(),
            components: Components::Full,
            audit: false,
            kind_config: None,
            progress: false,
        }
    }
}

/// Why the control plane did not start.
#[derive(Debug)]
pub enum StartError {
    /// Programs are not built (the message names the install command).
    NotBuilt(binaries::NotBuilt),
    /// A program or a file the install script puts beside the programs is missing;
    /// `why` says what it is for.
    Missing {
        what: String,
        why: Option<&'static str>,
    },
    /// The temporary folder, a port or a kubeconfig could not be had; `what` says which.
    Setup {
        what: String,
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The certificates and keys could not be made.
    Pki(pki::PkiError),
    /// The control plane's own client could not be made or its request failed.
    Client(nodes::ClientError),
    /// A component exited or never became ready; carries the tail of its log.
    Component {
        name: String,
        why: String,
        log: String,
        /// It exited while starting (a port taken between choosing and binding it, say),
        /// which a fresh start may not repeat; a component that never became ready would.
        exited: bool,
    },
}

impl fmt::Display for StartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StartError::NotBuilt(e) => e.fmt(f),
            StartError::Missing { what, why } => {
                write!(f, "{what} is missing")?;
                if let Some(why) = why {
                    write!(f, " ({why})")?;
                }
                write!(f, "\n  = hint: run `{}`", binaries::INSTALL)
            }
            StartError::Setup { what, source } => write!(f, "{what}: {source}"),
            StartError::Pki(e) => e.fmt(f),
            StartError::Client(e) => e.fmt(f),
            StartError::Component { name, why, log, .. } => {
                write!(f, "{name} {why}")?;
                if !log.is_empty() {
                    write!(f, "\n  last lines of its log:")?;
                    for l in log.lines() {
                        write!(f, "\n    {l}")?;
                    }
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for StartError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StartError::NotBuilt(e) => Some(e),
            StartError::Setup { source, .. } => Some(source.as_ref()),
            StartError::Pki(e) => Some(e),
            StartError::Client(e) => Some(e),
            StartError::Missing { .. } | StartError::Component { .. } => None,
        }
    }
}

/// A running control plane. Dropping it stops every process and removes its folder.
pub struct ControlPlane {
    // Stopped in reverse start order (kwok first, etcd last).
    procs: Vec<Process>,
    dir: Option<tempfile::TempDir>,
    binaries: Binaries,
    pub kubeconfig: PathBuf,
    pub context: String,
    pub server: String,
    pub audit_log: Option<PathBuf>,
    pub started_in: Duration,
}

const READY_TIMEOUT: Duration = Duration::from_secs(90);

/// `127.0.0.1:0` tells the kernel to pick; the port is free when we read it (another
/// process could take it before the component binds, which `ControlPlane::start` survives by
/// starting again).
fn free_port() -> Result<u16, StartError> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(setup("no free loopback port"))
}

/// `map_err(setup("cannot write …"))`: a set-up step failed, saying which.
fn setup<E: Into<Box<dyn std::error::Error + Send + Sync>>>(
    what: impl Into<String>,
) -> impl FnOnce(E) -> StartError {
    let what = what.into();
    move |e| StartError::Setup {
        what,
        source: e.into(),
    }
}

/// A kubeconfig for one identity, serialised from kube's own types (never formatted text).
fn kubeconfig(
    context: &str,
    server: &str,
    pki: &Pki,
    id: &Identity,
) -> Result<Kubeconfig, StartError> {
    let path = |p: &Path| p.display().to_string();
    let cluster = KcCluster {
        server: Some(server.to_string()),
        certificate_authority: Some(path(&pki.ca_cert)),
        ..Default::default()
    };
    let auth = AuthInfo {
        client_certificate: Some(path(&pki.client_cert(id))),
        client_key: Some(path(&pki.client_key(id))),
        ..Default::default()
    };
    Ok(Kubeconfig {
        api_version: Some("v1".into()),
        kind: Some("Config".into()),
        clusters: vec![NamedCluster {
            name: context.into(),
            other: Default::default(),
            cluster: Some(cluster),
        }],
        auth_infos: vec![NamedAuthInfo {
            name: context.into(),
            other: Default::default(),
            auth_info: Some(auth),
        }],
        contexts: vec![NamedContext {
            name: context.into(),
            other: Default::default(),
            context: Some(Context {
                cluster: context.into(),
                user: Some(context.into()),
                ..Default::default()
            }),
        }],
        current_context: Some(context.into()),
        ..Default::default()
    })
}

/// A fresh PKI in `dir/pki/` for the identities the control plane uses.
fn make_pki(dir: &Path) -> Result<Pki, StartError> {
    let pki_dir = dir.join("pki");
    std::fs::create_dir(&pki_dir).map_err(setup("cannot create pki/"))?;
    let ids = [
        &pki::ADMIN,
        &pki::SUPER_ADMIN,
        &pki::CONTROLLER_MANAGER,
        &pki::SCHEDULER,
    ];
    pki::create(&pki_dir, &ids).map_err(StartError::Pki)
}

/// JSON is YAML: kubectl, client-go and kube read it as a kubeconfig.
fn write_kubeconfig(path: &Path, kc: &Kubeconfig) -> Result<(), StartError> {
    let text = serde_json::to_string_pretty(kc).map_err(setup("cannot serialise a kubeconfig"))?;
    std::fs::write(path, text).map_err(setup("cannot write a kubeconfig"))
}

/// The audit policy: every request at metadata level (who, what, when; no bodies).
const AUDIT_POLICY: &str =
    "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: Metadata\n";

/// Starts tried before a component that exits while starting is reported.
const START_ATTEMPTS: u32 = 3;

impl ControlPlane {
    /// Start a control plane. Its ports are chosen free, but another process (or an outgoing
    /// connection given the same ephemeral port) may take one before the component binds it;
    /// the component then exits at once, and a fresh start with new ports is tried.
    pub fn start(opts: &Options) -> Result<ControlPlane, StartError> {
        let mut attempt = 1;
        loop {
            match Self::start_once(opts) {
                Err(StartError::Component {
                    exited: true,
                    ref name,
                    ref why,
                    ..
                }) if attempt < START_ATTEMPTS => {
                    Self::say(
                        opts,
                        &format!("{name} {why}; starting again with new ports"),
                    );
                    attempt += 1;
                }
                done => return done,
            }
        }
    }

    fn start_once(opts: &Options) -> Result<ControlPlane, StartError> {
        let t0 = Instant::now();
        let names = match opts.components {
            Components::Full => binaries::FULL,
            Components::ApiOnly => binaries::API_ONLY,
        };
        let bins = Binaries::find(names).map_err(StartError::NotBuilt)?;
        process::remove_stale_dirs();
        let dir = tempfile::Builder::new()
            .prefix(process::DIR_PREFIX)
            .tempdir()
            .map_err(setup("cannot create the control plane's folder"))?;
        process::mark_owner(dir.path()).map_err(setup("cannot write the owner file"))?;
        let mut cp = ControlPlane {
            procs: Vec::new(),
            binaries: bins,
            kubeconfig: dir.path().join("kubeconfig"),
            context: opts.context.clone(),
            server: String::new(),
            audit_log: None,
            started_in: Duration::ZERO,
            dir: Some(dir),
        };
        cp.boot(opts)?;
        cp.started_in = t0.elapsed();
        Ok(cp)
    }

    fn dir(&self) -> &Path {
        // Only None while dropping.
        self.dir
            .as_ref()
            .map(|d| d.path())
            .unwrap_or_else(|| Path::new("/nonexistent"))
    }

    fn bin(&self, name: &str) -> Result<PathBuf, StartError> {
        self.binaries
            .path(name)
            .map(Path::to_path_buf)
            .ok_or_else(|| StartError::Missing {
                what: name.to_string(),
                why: None,
            })
    }

    fn say(opts: &Options, what: &str) {
        if opts.progress {
            eprintln!("control plane: {what}");
        }
    }

    /// Start the components in order, each once the one it needs is ready: etcd, the API
    /// server (and its RBAC for the admin), then, for a full control plane, the controller
    /// manager, the scheduler, kwok, kind's default objects and the nodes.
    fn boot(&mut self, opts: &Options) -> Result<(), StartError> {
        let dir = self.dir().to_path_buf();
        let pki = make_pki(&dir)?;
        Self::say(opts, "starting etcd");
        let etcd_url = self.start_etcd(&dir)?;
        Self::say(opts, "starting kube-apiserver");
        self.start_apiserver(opts, &pki, &etcd_url, &dir)?;
        let (api, super_kc) = self.admin_access(opts, &pki, &dir)?;
        if opts.components == Components::ApiOnly {
            return Ok(());
        }
        Self::say(
            opts,
            "starting kube-controller-manager, kube-scheduler and kwok",
        );
        self.start_controller_manager(&pki, &dir)?;
        self.start_scheduler(&pki, &dir)?;
        self.start_kwok(&super_kc, &dir)?;
        self.apply_kind_addons(&super_kc)?;
        let layout = nodes::layout(opts.kind_config.as_deref(), &opts.context);
        api.create_nodes(&layout, binaries::PINNED)
            .map_err(StartError::Client)?;
        self.wait_nodes_ready(&api, layout.len())
    }

    /// etcd on two free loopback ports; returns its client URL once it listens.
    fn start_etcd(&mut self, dir: &Path) -> Result<String, StartError> {
        let etcd_port = free_port()?;
        let peer_port = free_port()?;
        let etcd_url = format!("http://127.0.0.1:{etcd_port}");
        let peer_url = format!("http://127.0.0.1:{peer_port}");
        let etcd = Process::spawn(
            "etcd",
            &self.bin(binaries::ETCD)?,
            &[
                "--name=kubebook".into(),
                format!("--data-dir={}", dir.join("etcd").display()),
                format!("--listen-client-urls={etcd_url}"),
                format!("--advertise-client-urls={etcd_url}"),
                format!("--listen-peer-urls={peer_url}"),
                format!("--initial-advertise-peer-urls={peer_url}"),
                format!("--initial-cluster=kubebook={peer_url}"),
                // A throw-away cluster: durability buys nothing, fsync costs seconds.
                "--unsafe-no-fsync=true".into(),
                "--log-level=warn".into(),
            ],
            dir,
        )?;
        self.procs.push(etcd);
        process::wait_for_port(&mut self.procs, etcd_port, Duration::from_secs(30))?;
        Ok(etcd_url)
    }

    /// kube-apiserver on a free port (with the audit log when asked); not waited for here.
    fn start_apiserver(
        &mut self,
        opts: &Options,
        pki: &Pki,
        etcd_url: &str,
        dir: &Path,
    ) -> Result<(), StartError> {
        let api_port = free_port()?;
        self.server = format!("https://127.0.0.1:{api_port}");
        let mut args = apiserver_args(pki, etcd_url, api_port, dir);
        if opts.audit {
            let policy = dir.join("audit-policy.yaml");
            std::fs::write(&policy, AUDIT_POLICY)
                .map_err(setup("cannot write the audit policy"))?;
            let log = dir.join("audit.log");
            args.push(format!("--audit-policy-file={}", policy.display()));
            args.push(format!("--audit-log-path={}", log.display()));
            self.audit_log = Some(log);
        }
        let apiserver = Process::spawn(
            "kube-apiserver",
            &self.bin(binaries::APISERVER)?,
            &args,
            dir,
        )?;
        self.procs.push(apiserver);
        Ok(())
    }

    /// Write the admin's kubeconfig (the one users and labs get) and the super-admin's, wait
    /// for the API server, and bind the admin's group to cluster-admin as kubeadm does.
    /// Returns the super-admin's client and kubeconfig (kwok and the addons use it).
    fn admin_access(
        &mut self,
        opts: &Options,
        pki: &Pki,
        dir: &Path,
    ) -> Result<(nodes::Api, PathBuf), StartError> {
        let admin = kubeconfig(&opts.context, &self.server, pki, &pki::ADMIN)?;
        write_kubeconfig(&self.kubeconfig, &admin)?;
        let super_kc = dir.join("super-admin.kubeconfig");
        write_kubeconfig(
            &super_kc,
            &kubeconfig("super-admin", &self.server, pki, &pki::SUPER_ADMIN)?,
        )?;
        let api = nodes::Api::connect(&super_kc).map_err(StartError::Client)?;
        self.wait_ready(&api, "kube-apiserver", READY_TIMEOUT)?;
        api.bind_cluster_admins()
            .map_err(|e| StartError::Component {
                exited: false,
                name: "kube-apiserver".into(),
                why: format!("refused the kubeadm:cluster-admins binding: {e}"),
                log: String::new(),
            })?;
        Ok((api, super_kc))
    }

    fn start_controller_manager(&mut self, pki: &Pki, dir: &Path) -> Result<(), StartError> {
        let kc = dir.join("controller-manager.kubeconfig");
        write_kubeconfig(
            &kc,
            &kubeconfig("kubebook", &self.server, pki, &pki::CONTROLLER_MANAGER)?,
        )?;
        let args = controller_manager_args(pki, &kc, free_port()?);
        let cm = Process::spawn(
            "kube-controller-manager",
            &self.bin(binaries::CONTROLLER_MANAGER)?,
            &args,
            dir,
        )?;
        self.procs.push(cm);
        Ok(())
    }

    fn start_scheduler(&mut self, pki: &Pki, dir: &Path) -> Result<(), StartError> {
        let kc = dir.join("scheduler.kubeconfig");
        write_kubeconfig(
            &kc,
            &kubeconfig("kubebook", &self.server, pki, &pki::SCHEDULER)?,
        )?;
        let sched = Process::spawn(
            "kube-scheduler",
            &self.bin(binaries::SCHEDULER)?,
            &[
                format!("--kubeconfig={}", kc.display()),
                format!("--authentication-kubeconfig={}", kc.display()),
                format!("--authorization-kubeconfig={}", kc.display()),
                "--bind-address=127.0.0.1".into(),
                format!("--secure-port={}", free_port()?),
                "--leader-elect=false".into(),
            ],
            dir,
        )?;
        self.procs.push(sched);
        Ok(())
    }

    /// kwok with the stages the install script copied beside it, as super-admin.
    fn start_kwok(&mut self, super_kc: &Path, dir: &Path) -> Result<(), StartError> {
        let kwok_bin = self.bin(binaries::KWOK)?;
        let stages = kwok_bin.with_file_name(binaries::KWOK_STAGES);
        if !stages.is_file() {
            return Err(StartError::Missing {
                what: stages.display().to_string(),
                why: Some("kwok simulates nothing without its stages"),
            });
        }
        let kwok = Process::spawn(
            "kwok",
            &kwok_bin,
            &kwok_args(super_kc, &stages, free_port()?),
            dir,
        )?;
        self.procs.push(kwok);
        Ok(())
    }

    /// Wait until kwok has made every node Ready and the controller manager has made the
    /// `default` ServiceAccount: then Pods can be created and scheduled.
    fn wait_nodes_ready(&mut self, api: &nodes::Api, nodes: usize) -> Result<(), StartError> {
        let deadline = Instant::now() + READY_TIMEOUT;
        while !api.nodes_ready(nodes) || !api.default_service_account() {
            self.check_alive()?;
            if Instant::now() > deadline {
                return Err(StartError::Component {
                    exited: false,
                    name: "the control plane".into(),
                    why: format!(
                        "did not make its nodes Ready and the default ServiceAccount within {} s",
                        READY_TIMEOUT.as_secs()
                    ),
                    log: self.log_tail("kwok").unwrap_or_default(),
                });
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(())
    }

    /// The objects a new kind cluster holds (CoreDNS, the default StorageClass), rendered
    /// from upstream by the install script; applied with the pinned kubectl.
    fn apply_kind_addons(&self, kubeconfig: &Path) -> Result<(), StartError> {
        let kubectl = self.bin(binaries::KUBECTL)?;
        let addons = kubectl.with_file_name(binaries::KIND_ADDONS);
        if !addons.is_file() {
            return Err(StartError::Missing {
                what: addons.display().to_string(),
                why: None,
            });
        }
        let out = std::process::Command::new(&kubectl)
            .arg(format!("--kubeconfig={}", kubeconfig.display()))
            .args(["apply", "--server-side", "--field-manager=kubeadm", "-f"])
            .arg(&addons)
            .output()
            .map_err(setup("cannot run kubectl"))?;
        if !out.status.success() {
            return Err(StartError::Component {
                exited: false,
                name: "kube-apiserver".into(),
                why: format!("refused kind's default objects ({})", addons.display()),
                log: String::from_utf8_lossy(&out.stderr).into_owned(),
            });
        }
        Ok(())
    }

    fn check_alive(&mut self) -> Result<(), StartError> {
        process::check_alive(&mut self.procs)
    }

    fn wait_ready(
        &mut self,
        api: &nodes::Api,
        name: &str,
        limit: Duration,
    ) -> Result<(), StartError> {
        let deadline = Instant::now() + limit;
        loop {
            self.check_alive()?;
            if api.readyz() {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(StartError::Component {
                    exited: false,
                    name: name.into(),
                    why: format!("was not ready within {} s", limit.as_secs()),
                    log: self.log_tail(name).unwrap_or_default(),
                });
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn log_tail(&self, name: &str) -> Option<String> {
        self.procs
            .iter()
            .find(|p| p.name == name)
            .map(Process::log_tail)
    }

    /// The folder kubectl is in (to put first on PATH).
    pub fn kubectl_dir(&self) -> Option<&Path> {
        self.binaries.kubectl_dir()
    }

    /// Stop the API server alone (tests of a server that goes away mid-lab).
    pub fn stop_apiserver(&mut self) {
        if let Some(p) = self.procs.iter_mut().find(|p| p.name == "kube-apiserver") {
            p.stop();
        }
    }

    /// Process ids of every component, for tests that prove nothing is left running.
    pub fn pids(&self) -> Vec<u32> {
        self.procs.iter().map(|p| p.pid()).collect()
    }

    /// The folder holding the PKI, kubeconfigs, data and logs (removed on drop).
    pub fn path(&self) -> &Path {
        self.dir()
    }

    /// Stop everything and remove the folder (also what dropping does).
    pub fn stop(&mut self) {
        while let Some(mut p) = self.procs.pop() {
            p.stop();
        }
        if let Some(d) = self.dir.take() {
            let _ = d.close();
        }
    }
}

impl Drop for ControlPlane {
    fn drop(&mut self) {
        self.stop();
    }
}

/// kube-apiserver as kind's kubeadm configures it, on one loopback address.
fn apiserver_args(pki: &Pki, etcd: &str, port: u16, dir: &Path) -> Vec<String> {
    let p = |x: &Path| x.display().to_string();
    vec![
        // kind's control-plane node address. The endpoint reconciler refuses a loopback
        // one; this one is only written into the `kubernetes` Service's EndpointSlice,
        // nothing ever connects to it (kwok's nodes run no Pods to do so).
        "--advertise-address=172.18.0.2".into(),
        "--bind-address=127.0.0.1".into(),
        format!("--secure-port={port}"),
        format!("--etcd-servers={etcd}"),
        format!("--cert-dir={}", dir.join("apiserver-certs").display()),
        format!("--tls-cert-file={}", p(&pki.serving_cert)),
        format!("--tls-private-key-file={}", p(&pki.serving_key)),
        format!("--client-ca-file={}", p(&pki.ca_cert)),
        "--allow-privileged=true".into(),
        "--authorization-mode=Node,RBAC".into(),
        // kubeadm enables NodeRestriction on top of the default plugins; so does kind.
        "--enable-admission-plugins=NodeRestriction".into(),
        "--enable-bootstrap-token-auth=true".into(),
        "--service-account-issuer=https://kubernetes.default.svc.cluster.local".into(),
        format!("--service-account-key-file={}", p(&pki.sa_pub)),
        format!("--service-account-signing-key-file={}", p(&pki.sa_key)),
        // kind's defaults: Services 10.96.0.0/16.
        "--service-cluster-ip-range=10.96.0.0/16".into(),
        "--runtime-config=".into(),
        "--profiling=false".into(),
    ]
}

fn controller_manager_args(pki: &Pki, kc: &Path, port: u16) -> Vec<String> {
    let p = |x: &Path| x.display().to_string();
    vec![
        format!("--kubeconfig={}", p(kc)),
        format!("--authentication-kubeconfig={}", p(kc)),
        format!("--authorization-kubeconfig={}", p(kc)),
        "--bind-address=127.0.0.1".into(),
        format!("--secure-port={port}"),
        "--cluster-name=kubebook".into(),
        format!("--cluster-signing-cert-file={}", p(&pki.ca_cert)),
        format!("--cluster-signing-key-file={}", p(&pki.ca_key)),
        format!("--root-ca-file={}", p(&pki.ca_cert)),
        format!("--service-account-private-key-file={}", p(&pki.sa_key)),
        "--use-service-account-credentials=true".into(),
        "--controllers=*,bootstrapsigner,tokencleaner".into(),
        // kind's pod network: 10.244.0.0/16, a /24 per node.
        "--allocate-node-cidrs=true".into(),
        "--cluster-cidr=10.244.0.0/16".into(),
        "--leader-elect=false".into(),
    ]
}

fn kwok_args(kc: &Path, stages: &Path, port: u16) -> Vec<String> {
    vec![
        format!("--kubeconfig={}", kc.display()),
        format!("--config={}", stages.display()),
        "--manage-all-nodes=false".into(),
        format!(
            "--manage-nodes-with-annotation-selector={}",
            nodes::KWOK_ANNOTATION
        ),
        "--manage-nodes-with-label-selector=".into(),
        "--manage-single-node=".into(),
        "--cidr=10.244.0.0/16".into(),
        "--node-ip=127.0.0.1".into(),
        "--node-lease-duration-seconds=40".into(),
        format!("--server-address=127.0.0.1:{port}"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_names_the_install_command() {
        let e = StartError::Missing {
            what: "/cache/bin/kwok-stages.yaml".into(),
            why: Some("kwok simulates nothing without its stages"),
        };
        assert_eq!(
            e.to_string(),
            "/cache/bin/kwok-stages.yaml is missing (kwok simulates nothing without its stages)\n  = hint: run `kubebook labs control-plane install`"
        );
        let e = setup("cannot write a kubeconfig")(std::io::Error::other("disk full"));
        assert_eq!(e.to_string(), "cannot write a kubeconfig: disk full");
        assert!(std::error::Error::source(&e).is_some());
    }
}
