//! The API server as a judge of manifests: each one is sent as `kubectl apply` sends a new
//! object (a create with strict field validation) as a dry run (`dryRun=All`); Services are
//! created for real and deleted, because the node-port allocator does not run on a dry run.
//! The verdict is the API server's own. The differential tests of `kubebook validate` use it as ground truth.

use super::{Components, ControlPlane, Options, StartError};
use k8s_openapi::api::core::v1::Namespace;
use kube::api::{Api, DynamicObject, Patch, PatchParams, PostParams};
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::core::GroupVersionKind;
use kube::{Client, Config};
use std::collections::HashSet;
use std::sync::Mutex;

/// One field the API server refused, as its Status names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cause {
    /// `spec.replicas`, `metadata.name`, … (empty when the server names no field).
    pub field: String,
    pub message: String,
    /// `FieldValueInvalid`, `FieldValueRequired`, …
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Accepted,
    /// Refused (HTTP 4xx), with the causes the server listed (its message when none).
    Rejected {
        message: String,
        causes: Vec<Cause>,
    },
}

impl Verdict {
    pub fn accepted(&self) -> bool {
        matches!(self, Verdict::Accepted)
    }
}

/// etcd and kube-apiserver, kept running while the oracle lives.
pub struct Oracle {
    client: Client,
    rt: tokio::runtime::Runtime,
    namespaces: Mutex<HashSet<String>>,
    _cp: ControlPlane,
}

impl Oracle {
    pub fn start() -> Result<Oracle, StartError> {
        let cp = ControlPlane::start(&Options {
            components: Components::ApiOnly,
            ..Default::default()
        })?;
        let setup = |e: String| StartError::Setup(e);
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| setup(e.to_string()))?;
        let kc = Kubeconfig::read_from(&cp.kubeconfig).map_err(|e| setup(e.to_string()))?;
        let config = rt
            .block_on(Config::from_custom_kubeconfig(
                kc,
                &KubeConfigOptions::default(),
            ))
            .map_err(|e| setup(e.to_string()))?;
        let client = {
            let _g = rt.enter();
            Client::try_from(config).map_err(|e| setup(e.to_string()))?
        };
        Ok(Oracle {
            client,
            rt,
            namespaces: Mutex::new(HashSet::new()),
            _cp: cp,
        })
    }

    /// Make sure a namespace exists (created for real; the dry run of an object in a
    /// namespace that does not exist is refused for that reason alone).
    fn ensure_namespace(&self, ns: &str) -> Result<(), String> {
        let mut known = self.namespaces.lock().unwrap_or_else(|e| e.into_inner());
        if known.contains(ns) {
            return Ok(());
        }
        let api: Api<Namespace> = Api::all(self.client.clone());
        let obj: Namespace = serde_json::from_value(serde_json::json!({
            "apiVersion": "v1", "kind": "Namespace", "metadata": { "name": ns }
        }))
        .map_err(|e| e.to_string())?;
        self.rt
            .block_on(api.patch(
                ns,
                &PatchParams::apply("kubebook-oracle"),
                &Patch::Apply(&obj),
            ))
            .map_err(|e| format!("cannot create namespace {ns}: {e}"))?;
        // The oracle runs no controller-manager, so nobody makes the namespace's `default`
        // ServiceAccount, and the ServiceAccount admission plugin would refuse every Pod for
        // that alone. Make it, as the serviceaccount controller does on every cluster.
        let sa: Api<k8s_openapi::api::core::v1::ServiceAccount> =
            Api::namespaced(self.client.clone(), ns);
        let obj: k8s_openapi::api::core::v1::ServiceAccount = serde_json::from_value(
            serde_json::json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "default"}}),
        )
        .map_err(|e| e.to_string())?;
        self.rt
            .block_on(sa.patch(
                "default",
                &PatchParams::apply("kubebook-oracle"),
                &Patch::Apply(&obj),
            ))
            .map_err(|e| format!("cannot create the default ServiceAccount of {ns}: {e}"))?;
        known.insert(ns.to_string());
        Ok(())
    }

    /// The API server's verdict on one manifest. An error is returned only when the
    /// question could not be asked (an unknown kind, a manifest that is not an object).
    pub fn judge(&self, manifest: &serde_json::Value) -> Result<Verdict, String> {
        let api_version = manifest["apiVersion"].as_str().ok_or("no apiVersion")?;
        let kind = manifest["kind"].as_str().ok_or("no kind")?;
        let (group, version) = api_version.split_once('/').unwrap_or(("", api_version));
        let gvk = GroupVersionKind::gvk(group, version, kind);
        let (ar, caps) = self
            .rt
            .block_on(kube::discovery::pinned_kind(&self.client, &gvk))
            .map_err(|e| format!("the API server does not serve {api_version}/{kind}: {e}"))?;
        let api: Api<DynamicObject> = if caps.scope == kube::discovery::Scope::Namespaced {
            let ns = manifest["metadata"]["namespace"]
                .as_str()
                .filter(|n| !n.is_empty())
                .unwrap_or("oracle");
            // A namespace name the server would refuse is the manifest's fault: let the
            // dry run say so rather than failing to create it.
            if self.ensure_namespace(ns).is_err() {
                return Ok(Verdict::Rejected {
                    message: format!("namespace {ns:?} cannot exist"),
                    causes: vec![Cause {
                        field: "metadata.namespace".into(),
                        message: format!("namespace {ns:?} cannot exist"),
                        reason: "FieldValueInvalid".into(),
                    }],
                });
            }
            Api::namespaced_with(self.client.clone(), ns, &ar)
        } else {
            Api::all_with(self.client.clone(), &ar)
        };
        if !manifest.is_object() {
            return Err("not an object".into());
        }
        // A dry run skips the allocators: a Service's nodePort outside the range, or one
        // already taken, is refused only when the Service is really created. So Services are
        // created for real (in the oracle's own etcd) and deleted again.
        let real = kind == "Service";
        let name = manifest["metadata"]["name"]
            .as_str()
            .filter(|n| !n.is_empty())
            .ok_or("no metadata.name")?;
        // A create with strict field validation, as `kubectl apply` sends it (strict is its
        // default): an unknown or duplicate field is an error, not a warning. kube's
        // PostParams has no fieldValidation, so the query parameter is added here.
        // The manifest as written: through DynamicObject, ObjectMeta's typed fields would drop
        // an unknown `metadata.lables` before the server could refuse it.
        let body = serde_json::to_vec(manifest).map_err(|e| e.to_string())?;
        let pp = PostParams {
            dry_run: !real,
            ..Default::default()
        };
        let mut req = kube::core::Request::new(api.resource_url())
            .create(&pp, body)
            .map_err(|e| e.to_string())?;
        let uri = req.uri().to_string();
        let sep = if uri.contains('?') { '&' } else { '?' };
        *req.uri_mut() = format!("{uri}{sep}fieldValidation=Strict")
            .parse()
            .map_err(|e| format!("{e}"))?;
        match self.rt.block_on(self.client.request::<DynamicObject>(req)) {
            Ok(_) => {
                if real {
                    let _ = self
                        .rt
                        .block_on(api.delete(name, &kube::api::DeleteParams::default()));
                }
                Ok(Verdict::Accepted)
            }
            Err(kube::Error::Api(status))
                if (400..500).contains(&status.code) && status.code != 409 =>
            {
                let causes = status
                    .details
                    .as_ref()
                    .map(|d| {
                        d.causes
                            .iter()
                            .map(|c| Cause {
                                field: c.field.clone(),
                                message: c.message.clone(),
                                reason: c.reason.clone(),
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                Ok(Verdict::Rejected {
                    message: status.message.clone(),
                    causes,
                })
            }
            // 409 AlreadyExists cannot happen on a dry run of a fresh name; 5xx is not a verdict.
            Err(e) => Err(format!("the API server did not judge the manifest: {e}")),
        }
    }
}
