//! The control plane's first objects: kubeadm's cluster-admins binding and three Node
//! objects named and labelled as kind names them, which kwok keeps Ready.

use k8s_openapi::api::core::v1::{Node, ServiceAccount};
use k8s_openapi::api::rbac::v1::{ClusterRoleBinding, RoleRef, Subject};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kube::api::{Api as KubeApi, ListParams, Patch, PatchParams, PostParams};
use kube::config::{KubeConfigOptions, Kubeconfig, KubeconfigError};
use kube::{Client, Config};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// kwok manages the nodes that carry this annotation, and only those.
pub(super) const KWOK_ANNOTATION: &str = "kwok.x-k8s.io/node=fake";

/// One node: its name, whether it is the control plane, and the labels kind.yaml gives it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct NodeSpec {
    pub name: String,
    pub control_plane: bool,
    pub labels: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct KindConfig {
    #[serde(default)]
    nodes: Vec<KindNode>,
}

#[derive(Deserialize)]
struct KindNode {
    role: String,
    #[serde(default)]
    labels: BTreeMap<String, String>,
}

/// Node names as kind gives them: `<cluster>-control-plane`, `<cluster>-worker`,
/// `<cluster>-worker2`, … (kind's `pkg/cluster/internal/create/actions/config`), where the
/// cluster is the context name without kind's `kind-` prefix.
pub(super) fn layout(kind_config: Option<&Path>, context: &str) -> Vec<NodeSpec> {
    let cluster = context.strip_prefix("kind-").unwrap_or(context);
    let parsed: Option<KindConfig> = kind_config
        .and_then(|p| std::fs::read_to_string(p).ok())
        .and_then(|t| serde_saphyr::from_str(&t).ok());
    let roles: Vec<KindNode> = match parsed {
        Some(c) if !c.nodes.is_empty() => c.nodes,
        _ => ["control-plane", "worker", "worker"]
            .iter()
            .map(|r| KindNode {
                role: r.to_string(),
                labels: BTreeMap::new(),
            })
            .collect(),
    };
    let (mut cps, mut workers) = (0, 0);
    roles
        .into_iter()
        .map(|n| {
            let control_plane = n.role == "control-plane";
            let (count, base) = if control_plane {
                cps += 1;
                (cps, "control-plane")
            } else {
                workers += 1;
                (workers, "worker")
            };
            let suffix = if count == 1 {
                String::new()
            } else {
                count.to_string()
            };
            NodeSpec {
                name: format!("{cluster}-{base}{suffix}"),
                control_plane,
                labels: n.labels,
            }
        })
        .collect()
}

fn node_object(spec: &NodeSpec, index: usize, version: &str) -> serde_json::Value {
    let mut labels: BTreeMap<String, String> = [
        ("beta.kubernetes.io/arch", "amd64"),
        ("beta.kubernetes.io/os", "linux"),
        ("kubernetes.io/arch", "amd64"),
        ("kubernetes.io/os", "linux"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    labels.insert("kubernetes.io/hostname".into(), spec.name.clone());
    let mut taints = Vec::new();
    if spec.control_plane {
        labels.insert(
            "node-role.kubernetes.io/control-plane".into(),
            String::new(),
        );
        labels.insert(
            "node.kubernetes.io/exclude-from-external-load-balancers".into(),
            String::new(),
        );
        taints.push(serde_json::json!({
            "key": "node-role.kubernetes.io/control-plane",
            "effect": "NoSchedule"
        }));
    }
    labels.extend(spec.labels.clone());
    let (key, value) = KWOK_ANNOTATION
        .split_once('=')
        .unwrap_or((KWOK_ANNOTATION, ""));
    // kind's nodes are containers on the `kind` network, 172.18.0.2 onwards.
    let ip = format!("172.18.0.{}", index + 2);
    serde_json::json!({
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": spec.name,
            "labels": labels,
            "annotations": { key: value, "node.alpha.kubernetes.io/ttl": "0" }
        },
        "spec": { "taints": taints },
        // Node status is kept on create; kwok heartbeats it from here on.
        "status": {
            "allocatable": { "cpu": "8", "memory": "16Gi", "pods": "110", "ephemeral-storage": "100Gi" },
            "capacity": { "cpu": "8", "memory": "16Gi", "pods": "110", "ephemeral-storage": "100Gi" },
            "addresses": [
                { "type": "InternalIP", "address": ip },
                { "type": "Hostname", "address": spec.name }
            ],
            "nodeInfo": {
                "architecture": "amd64",
                "operatingSystem": "linux",
                "osImage": "Debian GNU/Linux 12 (bookworm)",
                "kernelVersion": "6.1.0",
                "containerRuntimeVersion": "containerd://2.1.0",
                "kubeletVersion": format!("v{version}"),
                "kubeProxyVersion": "",
                "machineID": "", "systemUUID": "", "bootID": ""
            }
        }
    })
}

/// The kube client the control plane uses for itself (super-admin).
pub(super) struct Api {
    client: Client,
    rt: tokio::runtime::Runtime,
}

/// Why the control plane's own client could not be made, or a request of it failed.
#[derive(Debug)]
pub enum ClientError {
    /// The async runtime the client runs on could not start.
    Runtime(std::io::Error),
    /// The kubeconfig could not be read.
    ReadKubeconfig {
        path: PathBuf,
        source: KubeconfigError,
    },
    /// The kubeconfig could not be turned into a client configuration.
    UseKubeconfig {
        path: PathBuf,
        source: KubeconfigError,
    },
    /// The client could not be built from its configuration.
    Client(kube::Error),
    /// An object could not be encoded; `what` names it (`node kubebook-worker`).
    Encode {
        what: String,
        source: serde_json::Error,
    },
    /// A request failed; `what` completes "cannot …".
    Request { what: String, source: kube::Error },
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::Runtime(e) => write!(f, "cannot start the async runtime: {e}"),
            ClientError::ReadKubeconfig { path, source } => {
                write!(f, "cannot read {}: {source}", path.display())
            }
            ClientError::UseKubeconfig { path, source } => {
                write!(f, "cannot use {}: {source}", path.display())
            }
            ClientError::Client(e) => write!(f, "cannot create a client: {e}"),
            ClientError::Encode { what, source } => write!(f, "{what}: {source}"),
            ClientError::Request { what, source } => write!(f, "cannot {what}: {source}"),
        }
    }
}

impl std::error::Error for ClientError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ClientError::Runtime(e) => Some(e),
            ClientError::ReadKubeconfig { source, .. }
            | ClientError::UseKubeconfig { source, .. } => Some(source),
            ClientError::Client(e) | ClientError::Request { source: e, .. } => Some(e),
            ClientError::Encode { source, .. } => Some(source),
        }
    }
}

impl Api {
    pub(super) fn connect(kubeconfig: &Path) -> Result<Api, ClientError> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(ClientError::Runtime)?;
        let kc =
            Kubeconfig::read_from(kubeconfig).map_err(|source| ClientError::ReadKubeconfig {
                path: kubeconfig.to_path_buf(),
                source,
            })?;
        let mut config = rt
            .block_on(Config::from_custom_kubeconfig(
                kc,
                &KubeConfigOptions::default(),
            ))
            .map_err(|source| ClientError::UseKubeconfig {
                path: kubeconfig.to_path_buf(),
                source,
            })?;
        config.connect_timeout = Some(Duration::from_secs(2));
        config.read_timeout = Some(Duration::from_secs(10));
        let client = {
            let _guard = rt.enter();
            Client::try_from(config).map_err(ClientError::Client)?
        };
        Ok(Api { client, rt })
    }

    /// `GET /readyz` answers `ok`.
    pub(super) fn readyz(&self) -> bool {
        let req = http::Request::get("/readyz").body(Vec::new());
        let Ok(req) = req else { return false };
        self.rt
            .block_on(self.client.request_text(req))
            .is_ok_and(|t| t.trim() == "ok")
    }

    /// kubeadm's `kubeadm:cluster-admins` ClusterRoleBinding to cluster-admin.
    pub(super) fn bind_cluster_admins(&self) -> Result<(), kube::Error> {
        const NAME: &str = "kubeadm:cluster-admins";
        const RBAC: &str = "rbac.authorization.k8s.io";
        // k8s-openapi writes apiVersion and kind itself, as server-side apply needs.
        let crb = ClusterRoleBinding {
            metadata: ObjectMeta {
                name: Some(NAME.into()),
                ..Default::default()
            },
            role_ref: RoleRef {
                api_group: Some(RBAC.into()),
                kind: "ClusterRole".into(),
                name: "cluster-admin".into(),
            },
            subjects: Some(vec![Subject {
                api_group: Some(RBAC.into()),
                kind: "Group".into(),
                name: NAME.into(),
                ..Default::default()
            }]),
        };
        let api: KubeApi<ClusterRoleBinding> = KubeApi::all(self.client.clone());
        self.rt
            .block_on(api.patch(
                NAME,
                &PatchParams::apply("kubebook").force(),
                &Patch::Apply(&crb),
            ))
            .map(|_| ())
    }

    pub(super) fn create_nodes(
        &self,
        nodes: &[NodeSpec],
        version: &str,
    ) -> Result<(), ClientError> {
        let api: KubeApi<Node> = KubeApi::all(self.client.clone());
        for (i, spec) in nodes.iter().enumerate() {
            let node: Node =
                serde_json::from_value(node_object(spec, i, version)).map_err(|source| {
                    ClientError::Encode {
                        what: format!("node {}", spec.name),
                        source,
                    }
                })?;
            self.rt
                .block_on(api.create(&PostParams::default(), &node))
                .map_err(|source| ClientError::Request {
                    what: format!("register node {}", spec.name),
                    source,
                })?;
        }
        Ok(())
    }

    /// `n` nodes, every one Ready.
    pub(super) fn nodes_ready(&self, n: usize) -> bool {
        let api: KubeApi<Node> = KubeApi::all(self.client.clone());
        let Ok(list) = self.rt.block_on(api.list(&ListParams::default())) else {
            return false;
        };
        list.items.len() >= n
            && list.items.iter().all(|node| {
                node.status
                    .as_ref()
                    .and_then(|s| s.conditions.as_ref())
                    .is_some_and(|cs| cs.iter().any(|c| c.type_ == "Ready" && c.status == "True"))
            })
    }

    /// The controller manager is working: it made `default/default`.
    pub(super) fn default_service_account(&self) -> bool {
        let api: KubeApi<ServiceAccount> = KubeApi::namespaced(self.client.clone(), "default");
        self.rt
            .block_on(api.get_opt("default"))
            .is_ok_and(|sa| sa.is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_names_and_labels() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("kind.yaml");
        std::fs::write(
            &p,
            "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n  - role: control-plane\n    labels:\n      ingress-ready: \"true\"\n  - role: worker\n  - role: worker\n",
        )
        .unwrap();
        let l = layout(Some(&p), "kind-kubebook");
        let names: Vec<&str> = l.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "kubebook-control-plane",
                "kubebook-worker",
                "kubebook-worker2"
            ]
        );
        assert!(l[0].control_plane && !l[1].control_plane);
        assert_eq!(
            l[0].labels.get("ingress-ready").map(String::as_str),
            Some("true")
        );
        // No config: kind's default shape of this book, one control plane and two workers.
        assert_eq!(layout(None, "kind-x").len(), 3);
        assert_eq!(layout(None, "kind-x")[2].name, "x-worker2");
    }

    #[test]
    fn control_plane_node_is_tainted_and_labelled() {
        let spec = &layout(None, "kind-kubebook")[0];
        let o = node_object(spec, 0, "1.37.2");
        assert_eq!(
            o["spec"]["taints"][0]["key"],
            "node-role.kubernetes.io/control-plane"
        );
        assert_eq!(
            o["metadata"]["labels"]["node-role.kubernetes.io/control-plane"],
            ""
        );
        assert_eq!(o["status"]["nodeInfo"]["kubeletVersion"], "v1.37.2");
        assert_eq!(o["metadata"]["annotations"]["kwok.x-k8s.io/node"], "fake");
        let w = node_object(&layout(None, "kind-kubebook")[1], 1, "1.37.2");
        assert_eq!(w["spec"]["taints"].as_array().map(Vec::len), Some(0));
    }
}
