//! The runner's own conversation with the cluster, through the kube crate: version,
//! namespaces (server-side apply with kubebook's field manager), diagnostics after a failure,
//! and removal of the cluster-scoped objects a lab created.

use k8s_openapi::api::core::v1::{ContainerStatus, Event, Namespace, Pod, ServiceAccount};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kube::api::{Api, DeleteParams, DynamicObject, ListParams, LogParams, Patch, PatchParams};
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::core::GroupVersionKind;
use kube::{Client, Config};
use std::fmt::{self, Write as _};
use std::time::{Duration, Instant};

pub(crate) const FIELD_MANAGER: &str = "kubebook";
/// The label every namespace the runner creates carries, so leftovers can be found.
pub(crate) const LAB_LABEL: &str = "kubebook.dev/lab";

/// Node name → (labels, taints as JSON).
pub(crate) type NodeState = std::collections::BTreeMap<
    String,
    (
        std::collections::BTreeMap<String, String>,
        serde_json::Value,
    ),
>;

/// One node as `labs doctor` reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NodeInfo {
    pub name: String,
    pub ready: bool,
    pub kubelet_version: String,
}

pub(crate) struct Cluster {
    client: Client,
    rt: tokio::runtime::Runtime,
}

/// Why a conversation with the cluster failed.
#[derive(Debug)]
pub(crate) enum ApiError {
    /// The async runtime the client runs on could not start.
    Runtime(std::io::Error),
    /// The kubeconfig's context could not be turned into a client configuration.
    Context {
        context: String,
        source: kube::config::KubeconfigError,
    },
    /// The client could not be built from its configuration.
    Client(kube::Error),
    /// The first request had no answer within [`super::safety::PROBE_TIMEOUT`].
    NoAnswer { after: Duration },
    /// The first request failed.
    Unreachable(kube::Error),
    /// A request failed; `what` completes "cannot …" (`list nodes`, `delete namespace x`).
    Request { what: String, source: kube::Error },
    /// Something the runner waits for did not happen in time; `what` reads before
    /// "within N s", `hint` after it.
    Timeout {
        what: String,
        after: Duration,
        hint: Option<&'static str>,
    },
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Runtime(e) => write!(f, "cannot start the async runtime: {e}"),
            ApiError::Context { context, source } => {
                write!(f, "cannot use context `{context}`: {source}")
            }
            ApiError::Client(e) => write!(f, "cannot create a client: {e}"),
            ApiError::NoAnswer { after } => write!(
                f,
                "the API server does not answer within {} s (is the cluster running? `kind get clusters`)",
                after.as_secs()
            ),
            ApiError::Unreachable(e) => write!(f, "the API server does not answer: {e}"),
            ApiError::Request { what, source } => write!(f, "cannot {what}: {source}"),
            ApiError::Timeout { what, after, hint } => {
                write!(f, "{what} within {} s", after.as_secs())?;
                if let Some(h) = hint {
                    write!(f, "; {h}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for ApiError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ApiError::Runtime(e) => Some(e),
            ApiError::Context { source, .. } => Some(source),
            ApiError::Client(e) | ApiError::Unreachable(e) => Some(e),
            ApiError::Request { source, .. } => Some(source),
            ApiError::NoAnswer { .. } | ApiError::Timeout { .. } => None,
        }
    }
}

/// `map_err(request("list nodes"))`: a failed request, saying what it was for.
fn request(what: impl Into<String>) -> impl FnOnce(kube::Error) -> ApiError {
    let what = what.into();
    move |source| ApiError::Request { what, source }
}

fn runtime() -> Result<tokio::runtime::Runtime, ApiError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(ApiError::Runtime)
}

impl Cluster {
    /// Connect with one context of a kubeconfig (never the "current" one implicitly).
    pub(crate) fn connect(kubeconfig: Kubeconfig, context: &str) -> Result<Cluster, ApiError> {
        let rt = runtime()?;
        let opts = KubeConfigOptions {
            context: Some(context.to_string()),
            ..Default::default()
        };
        let mut config = rt
            .block_on(Config::from_custom_kubeconfig(kubeconfig, &opts))
            .map_err(|source| ApiError::Context {
                context: context.to_string(),
                source,
            })?;
        // A server that accepts and never answers is reported in seconds, not after
        // the client's default 30 s.
        config.connect_timeout = Some(Duration::from_secs(5));
        config.read_timeout = Some(Duration::from_secs(30));
        let client = {
            // The client's buffer spawns onto the runtime it is created in.
            let _guard = rt.enter();
            Client::try_from(config).map_err(ApiError::Client)?
        };
        Ok(Cluster { client, rt })
    }

    /// `v1.36.1`. The first call to a cluster, so it is bounded by
    /// [`super::safety::PROBE_TIMEOUT`]: a server that accepts connections and never answers
    /// is reported in seconds, not after the client's 30 s default (L02).
    pub(crate) fn server_version(&self) -> Result<String, ApiError> {
        let limit = super::safety::PROBE_TIMEOUT;
        let v = self
            .rt
            .block_on(async { tokio::time::timeout(limit, self.client.apiserver_version()).await })
            .map_err(|_| ApiError::NoAnswer { after: limit })?
            .map_err(ApiError::Unreachable)?;
        Ok(v.git_version)
    }

    /// Every node's labels and taints, to put back after a lab that changes them.
    pub(crate) fn node_state(&self) -> Result<NodeState, ApiError> {
        let api: Api<k8s_openapi::api::core::v1::Node> = Api::all(self.client.clone());
        let list = self
            .rt
            .block_on(api.list(&ListParams::default()))
            .map_err(request("list nodes"))?;
        Ok(list
            .items
            .into_iter()
            .map(|n| {
                let taints = n.spec.and_then(|s| s.taints).unwrap_or_default();
                (
                    n.metadata.name.unwrap_or_default(),
                    (
                        n.metadata.labels.unwrap_or_default(),
                        serde_json::to_value(taints).unwrap_or_default(),
                    ),
                )
            })
            .collect())
    }

    /// Put every node's labels and taints back as `before` had them: labels a lab added are
    /// removed, labels it changed or removed come back with their old value (also ones
    /// that were there before the lab, which a name-based undo would delete), taints are
    /// replaced by the old list. Returns the nodes that needed it.
    pub(crate) fn restore_nodes(&self, before: &NodeState) -> Result<Vec<String>, ApiError> {
        let now = self.node_state()?;
        let api: Api<k8s_openapi::api::core::v1::Node> = Api::all(self.client.clone());
        let mut restored = Vec::new();
        for (name, (labels, taints)) in before {
            let Some((now_labels, now_taints)) = now.get(name) else {
                continue;
            };
            if now_labels == labels && now_taints == taints {
                continue;
            }
            let mut patch_labels = serde_json::Map::new();
            for k in now_labels.keys().filter(|k| !labels.contains_key(*k)) {
                patch_labels.insert(k.clone(), serde_json::Value::Null);
            }
            for (k, v) in labels {
                if now_labels.get(k) != Some(v) {
                    patch_labels.insert(k.clone(), serde_json::Value::String(v.clone()));
                }
            }
            // A JSON merge patch replaces a list whole: the taints become the old list.
            let patch = serde_json::json!({
                "metadata": {"labels": patch_labels},
                "spec": {"taints": taints},
            });
            self.rt
                .block_on(api.patch(name, &PatchParams::default(), &Patch::Merge(&patch)))
                .map_err(request(format!("restore node {name}")))?;
            restored.push(name.clone());
        }
        Ok(restored)
    }

    /// Every node: name, Ready, kubelet version.
    pub(crate) fn nodes(&self) -> Result<Vec<NodeInfo>, ApiError> {
        let api: Api<k8s_openapi::api::core::v1::Node> = Api::all(self.client.clone());
        let list = self
            .rt
            .block_on(api.list(&ListParams::default()))
            .map_err(request("list nodes"))?;
        Ok(list
            .items
            .into_iter()
            .map(|n| {
                let status = n.status.unwrap_or_default();
                let ready = status
                    .conditions
                    .unwrap_or_default()
                    .iter()
                    .any(|c| c.type_ == "Ready" && c.status == "True");
                let version = status
                    .node_info
                    .map(|i| i.kubelet_version)
                    .unwrap_or_default();
                NodeInfo {
                    name: n.metadata.name.unwrap_or_default(),
                    ready,
                    kubelet_version: version,
                }
            })
            .collect())
    }

    /// Create (or take over) the lab's namespace with server-side apply.
    pub(crate) fn apply_namespace(&self, name: &str, lab: &str) -> Result<(), ApiError> {
        let api: Api<Namespace> = Api::all(self.client.clone());
        // k8s-openapi writes apiVersion and kind itself, as server-side apply needs.
        let ns = Namespace {
            metadata: ObjectMeta {
                name: Some(name.to_string()),
                labels: Some([(LAB_LABEL.to_string(), lab.to_string())].into()),
                ..Default::default()
            },
            ..Default::default()
        };
        self.rt
            .block_on(api.patch(
                name,
                &PatchParams::apply(FIELD_MANAGER).force(),
                &Patch::Apply(&ns),
            ))
            .map(|_| ())
            .map_err(request(format!("create namespace {name}")))
    }

    pub(crate) fn delete_namespace(&self, name: &str) -> Result<(), ApiError> {
        let api: Api<Namespace> = Api::all(self.client.clone());
        match self
            .rt
            .block_on(api.delete(name, &DeleteParams::background()))
        {
            Ok(_) => Ok(()),
            Err(kube::Error::Api(e)) if e.code == 404 => Ok(()),
            Err(e) => Err(request(format!("delete namespace {name}"))(e)),
        }
    }

    /// Poll until the ServiceAccount controller has made the namespace's `default`
    /// ServiceAccount (Pods are refused before that).
    pub(crate) fn wait_default_service_account(
        &self,
        ns: &str,
        limit: Duration,
    ) -> Result<(), ApiError> {
        let api: Api<ServiceAccount> = Api::namespaced(self.client.clone(), ns);
        let deadline = Instant::now() + limit;
        loop {
            match self.rt.block_on(api.get_opt("default")) {
                Ok(Some(_)) => return Ok(()),
                Ok(None) => {}
                Err(e) => return Err(request(format!("read ServiceAccounts in {ns}"))(e)),
            }
            if Instant::now() > deadline {
                return Err(ApiError::Timeout {
                    what: format!("namespace {ns} got no default ServiceAccount"),
                    after: limit,
                    hint: Some("is kube-controller-manager running?"),
                });
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Namespaces an earlier run of the lab left behind (they carry the lab label).
    pub(crate) fn lab_namespaces(&self, lab: &str) -> Result<Vec<String>, ApiError> {
        let api: Api<Namespace> = Api::all(self.client.clone());
        let lp = ListParams::default().labels(&format!("{LAB_LABEL}={lab}"));
        let list = self
            .rt
            .block_on(api.list(&lp))
            .map_err(request("list namespaces"))?;
        Ok(list
            .items
            .into_iter()
            .filter(|n| n.metadata.deletion_timestamp.is_none())
            .filter_map(|n| n.metadata.name)
            .collect())
    }

    fn dynamic_api(&self, api_version: &str, kind: &str) -> Result<Api<DynamicObject>, ApiError> {
        let (group, version) = api_version.split_once('/').unwrap_or(("", api_version));
        let gvk = GroupVersionKind::gvk(group, version, kind);
        let (ar, _) = self
            .rt
            .block_on(kube::discovery::pinned_kind(&self.client, &gvk))
            .map_err(request(format!("find {kind} in the API")))?;
        Ok(Api::all_with(self.client.clone(), &ar))
    }

    /// Whether a cluster-scoped object exists. A kind the API does not serve yet (a CRD a
    /// lab installs) means it does not.
    pub(crate) fn cluster_object_exists(
        &self,
        api_version: &str,
        kind: &str,
        name: &str,
    ) -> Result<bool, ApiError> {
        let Ok(api) = self.dynamic_api(api_version, kind) else {
            return Ok(false);
        };
        self.rt
            .block_on(api.get_opt(name))
            .map(|o| o.is_some())
            .map_err(request(format!("read {kind} {name}")))
    }

    pub(crate) fn wait_cluster_object_gone(
        &self,
        api_version: &str,
        kind: &str,
        name: &str,
        limit: Duration,
    ) -> Result<(), ApiError> {
        let deadline = Instant::now() + limit;
        while self.cluster_object_exists(api_version, kind, name)? {
            if Instant::now() > deadline {
                return Err(ApiError::Timeout {
                    what: format!("{kind} {name} was not deleted"),
                    after: limit,
                    hint: None,
                });
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        Ok(())
    }

    /// An aggregated API (metrics-server) that the API server reports Available.
    pub(crate) fn api_service_available(&self, name: &str) -> bool {
        let Ok(api) = self.dynamic_api("apiregistration.k8s.io/v1", "APIService") else {
            return false;
        };
        self.rt
            .block_on(api.get_opt(name))
            .ok()
            .flatten()
            .and_then(|o| o.data.get("status").cloned())
            .and_then(|s| s.get("conditions").cloned())
            .and_then(|c| c.as_array().cloned())
            .is_some_and(|cs| {
                cs.iter()
                    .any(|c| c["type"] == "Available" && c["status"] == "True")
            })
    }

    /// A GatewayClass its controller has accepted (cloud-provider-kind's, for `gateway`).
    pub(crate) fn gateway_class_accepted(&self, name: &str) -> bool {
        let Ok(api) = self.dynamic_api("gateway.networking.k8s.io/v1", "GatewayClass") else {
            return false;
        };
        self.rt
            .block_on(api.get_opt(name))
            .ok()
            .flatten()
            .and_then(|o| o.data.get("status").cloned())
            .and_then(|s| s.get("conditions").cloned())
            .and_then(|c| c.as_array().cloned())
            .is_some_and(|cs| {
                cs.iter()
                    .any(|c| c["type"] == "Accepted" && c["status"] == "True")
            })
    }

    /// Delete a cluster-scoped object a lab created (PersistentVolume, PriorityClass, CRD, …).
    pub(crate) fn delete_cluster_object(
        &self,
        api_version: &str,
        kind: &str,
        name: &str,
    ) -> Result<(), ApiError> {
        let api = self.dynamic_api(api_version, kind)?;
        match self
            .rt
            .block_on(api.delete(name, &DeleteParams::background()))
        {
            Ok(_) => Ok(()),
            Err(kube::Error::Api(e)) if e.code == 404 => Ok(()),
            Err(e) => Err(request(format!("delete {kind} {name}"))(e)),
        }
    }

    /// What went on in a namespace: recent events, the state of every Pod, and the last log
    /// lines of Pods that are not ready. Never reads Secrets.
    pub(crate) fn diagnostics(&self, ns: &str) -> String {
        let mut out = String::new();
        self.write_events(&mut out, ns);
        self.write_pods(&mut out, ns);
        out
    }

    /// The namespace's last 20 events, oldest first.
    fn write_events(&self, out: &mut String, ns: &str) {
        let events: Api<Event> = Api::namespaced(self.client.clone(), ns);
        let mut items = match self.rt.block_on(events.list(&ListParams::default())) {
            Ok(list) => list.items,
            Err(e) => {
                let _ = writeln!(out, "events: cannot list: {e}");
                return;
            }
        };
        items.sort_by_key(|e| {
            e.last_timestamp
                .clone()
                .map(|t| t.0)
                .or_else(|| e.event_time.clone().map(|t| t.0))
        });
        let _ = writeln!(out, "events in {ns}:");
        for e in items.iter().rev().take(20).rev() {
            let _ = writeln!(
                out,
                "  {:<8} {:<20} {}/{}: {}",
                e.type_.as_deref().unwrap_or(""),
                e.reason.as_deref().unwrap_or(""),
                e.involved_object.kind.as_deref().unwrap_or(""),
                e.involved_object.name.as_deref().unwrap_or(""),
                e.message.as_deref().unwrap_or("").trim()
            );
        }
    }

    /// Every Pod's phase and containers, and the logs of the Pods that are not ready.
    fn write_pods(&self, out: &mut String, ns: &str) {
        let pods: Api<Pod> = Api::namespaced(self.client.clone(), ns);
        let list = match self.rt.block_on(pods.list(&ListParams::default())) {
            Ok(list) => list,
            Err(e) => {
                let _ = writeln!(out, "pods: cannot list: {e}");
                return;
            }
        };
        let _ = writeln!(out, "pods in {ns}:");
        for p in list.items {
            let name = p.metadata.name.clone().unwrap_or_default();
            let status = p.status.clone().unwrap_or_default();
            let ready = status
                .conditions
                .as_ref()
                .and_then(|cs| cs.iter().find(|c| c.type_ == "Ready"))
                .map(|c| c.status == "True")
                .unwrap_or(false);
            let _ = writeln!(
                out,
                "  {name}: phase {} ready {ready}",
                status.phase.as_deref().unwrap_or("?")
            );
            let containers = status.container_statuses.unwrap_or_default();
            for cs in &containers {
                let _ = writeln!(
                    out,
                    "    container {}: {} restarts {}",
                    cs.name,
                    container_state(cs),
                    cs.restart_count
                );
            }
            if !ready {
                self.write_logs(out, &pods, &name, &containers);
            }
        }
    }

    /// The last 20 log lines of each container of a Pod. One container at a time: the API
    /// refuses a log request without a container name for a Pod that has several.
    fn write_logs(
        &self,
        out: &mut String,
        pods: &Api<Pod>,
        pod: &str,
        containers: &[ContainerStatus],
    ) {
        for cs in containers {
            let lp = LogParams {
                tail_lines: Some(20),
                container: Some(cs.name.clone()),
                ..Default::default()
            };
            if let Ok(logs) = self.rt.block_on(pods.logs(pod, &lp)) {
                for l in logs.lines() {
                    let _ = writeln!(out, "    {} | {l}", cs.name);
                }
            }
        }
    }
}

/// `waiting (Reason)`, `terminated (Reason, exit N)` or `running` (empty when unknown).
fn container_state(cs: &ContainerStatus) -> String {
    let Some(s) = &cs.state else {
        return String::new();
    };
    if let Some(w) = &s.waiting {
        format!("waiting ({})", w.reason.as_deref().unwrap_or(""))
    } else if let Some(t) = &s.terminated {
        format!(
            "terminated ({}, exit {})",
            t.reason.as_deref().unwrap_or(""),
            t.exit_code
        )
    } else {
        "running".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_say_what_and_how_long() {
        let e = ApiError::Timeout {
            what: "namespace n got no default ServiceAccount".into(),
            after: Duration::from_secs(30),
            hint: Some("is kube-controller-manager running?"),
        };
        assert_eq!(
            e.to_string(),
            "namespace n got no default ServiceAccount within 30 s; is kube-controller-manager running?"
        );
        let e = ApiError::NoAnswer {
            after: Duration::from_secs(5),
        };
        assert!(
            e.to_string()
                .starts_with("the API server does not answer within 5 s")
        );
    }
}
