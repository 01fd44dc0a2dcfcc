//! The API server as a judge of manifests: each one is sent as `kubectl apply` sends a new
//! object (a create with strict field validation) as a dry run (`dryRun=All`); Services are
//! created for real and deleted, because the node-port allocator does not run on a dry run.
//! The verdict is the API server's own. The differential tests of `kubebook validate` use it as ground truth.

use super::{Components, ControlPlane, Options, StartError, setup};
use k8s_openapi::api::core::v1::{Namespace, ServiceAccount};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kube::api::{Api, DynamicObject, Patch, PatchParams, PostParams};
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::core::GroupVersionKind;
use kube::{Client, Config};
use std::collections::HashSet;
use std::fmt;
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

/// Why the oracle could not give a verdict: the question could not be asked.
#[derive(Debug)]
pub enum JudgeError {
    /// The manifest lacks a field the question needs: `apiVersion`, `kind`, `metadata.name`.
    MissingField(&'static str),
    /// The manifest is not a JSON object.
    NotAnObject,
    /// The API server serves no such kind.
    NotServed {
        api_version: String,
        kind: String,
        source: kube::Error,
    },
    /// The create request could not be built.
    Request(Box<dyn std::error::Error + Send + Sync>),
    /// The API server failed to answer with a verdict (5xx, a dropped connection, …).
    NoVerdict(kube::Error),
}

impl fmt::Display for JudgeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JudgeError::MissingField(field) => write!(f, "no {field}"),
            JudgeError::NotAnObject => f.write_str("not an object"),
            JudgeError::NotServed {
                api_version,
                kind,
                source,
            } => write!(
                f,
                "the API server does not serve {api_version}/{kind}: {source}"
            ),
            JudgeError::Request(e) => write!(f, "cannot build the request: {e}"),
            JudgeError::NoVerdict(e) => {
                write!(f, "the API server did not judge the manifest: {e}")
            }
        }
    }
}

impl std::error::Error for JudgeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            JudgeError::NotServed { source, .. } | JudgeError::NoVerdict(source) => Some(source),
            JudgeError::Request(e) => Some(e.as_ref()),
            JudgeError::MissingField(_) | JudgeError::NotAnObject => None,
        }
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
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(setup("cannot start the async runtime"))?;
        let kc = Kubeconfig::read_from(&cp.kubeconfig)
            .map_err(setup(format!("cannot read {}", cp.kubeconfig.display())))?;
        let config = rt
            .block_on(Config::from_custom_kubeconfig(
                kc,
                &KubeConfigOptions::default(),
            ))
            .map_err(setup(format!("cannot use {}", cp.kubeconfig.display())))?;
        let client = {
            let _g = rt.enter();
            Client::try_from(config).map_err(setup("cannot create a client"))?
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
    fn ensure_namespace(&self, ns: &str) -> Result<(), kube::Error> {
        let mut known = self.namespaces.lock().unwrap_or_else(|e| e.into_inner());
        if known.contains(ns) {
            return Ok(());
        }
        let named = |name: &str| ObjectMeta {
            name: Some(name.to_string()),
            ..Default::default()
        };
        // k8s-openapi writes apiVersion and kind itself, as server-side apply needs.
        let apply = PatchParams::apply("kubebook-oracle");
        let api: Api<Namespace> = Api::all(self.client.clone());
        let obj = Namespace {
            metadata: named(ns),
            ..Default::default()
        };
        self.rt
            .block_on(api.patch(ns, &apply, &Patch::Apply(&obj)))?;
        // The oracle runs no controller-manager, so nobody makes the namespace's `default`
        // ServiceAccount, and the ServiceAccount admission plugin would refuse every Pod for
        // that alone. Make it, as the serviceaccount controller does on every cluster.
        let sa: Api<ServiceAccount> = Api::namespaced(self.client.clone(), ns);
        let obj = ServiceAccount {
            metadata: named("default"),
            ..Default::default()
        };
        self.rt
            .block_on(sa.patch("default", &apply, &Patch::Apply(&obj)))?;
        known.insert(ns.to_string());
        Ok(())
    }

    /// The API server's verdict on one manifest. An error is returned only when the
    /// question could not be asked (an unknown kind, a manifest that is not an object).
    pub fn judge(&self, manifest: &serde_json::Value) -> Result<Verdict, JudgeError> {
        let api_version = manifest["apiVersion"]
            .as_str()
            .ok_or(JudgeError::MissingField("apiVersion"))?;
        let kind = manifest["kind"]
            .as_str()
            .ok_or(JudgeError::MissingField("kind"))?;
        let api = match self.api_for(manifest, api_version, kind)? {
            Endpoint::Api(api) => api,
            Endpoint::NoNamespace(verdict) => return Ok(verdict),
        };
        if !manifest.is_object() {
            return Err(JudgeError::NotAnObject);
        }
        // A dry run skips the allocators: a Service's nodePort outside the range, or one
        // already taken, is refused only when the Service is really created. So Services are
        // created for real (in the oracle's own etcd) and deleted again.
        let real = kind == "Service";
        let name = manifest["metadata"]["name"]
            .as_str()
            .filter(|n| !n.is_empty())
            .ok_or(JudgeError::MissingField("metadata.name"))?;
        let req = strict_create(&api, manifest, !real)?;
        let verdict = verdict_of(self.rt.block_on(self.client.request::<DynamicObject>(req)))?;
        if real && verdict.accepted() {
            let _ = self
                .rt
                .block_on(api.delete(name, &kube::api::DeleteParams::default()));
        }
        Ok(verdict)
    }

    /// The API for the manifest's kind, in its namespace (`oracle` when it names none),
    /// or the verdict when that namespace cannot exist.
    fn api_for(
        &self,
        manifest: &serde_json::Value,
        api_version: &str,
        kind: &str,
    ) -> Result<Endpoint, JudgeError> {
        let (group, version) = api_version.split_once('/').unwrap_or(("", api_version));
        let gvk = GroupVersionKind::gvk(group, version, kind);
        let (ar, caps) = self
            .rt
            .block_on(kube::discovery::pinned_kind(&self.client, &gvk))
            .map_err(|source| JudgeError::NotServed {
                api_version: api_version.to_string(),
                kind: kind.to_string(),
                source,
            })?;
        if caps.scope != kube::discovery::Scope::Namespaced {
            return Ok(Endpoint::Api(Box::new(Api::all_with(
                self.client.clone(),
                &ar,
            ))));
        }
        let ns = manifest["metadata"]["namespace"]
            .as_str()
            .filter(|n| !n.is_empty())
            .unwrap_or("oracle");
        // A namespace name the server would refuse is the manifest's fault: let the
        // dry run say so rather than failing to create it.
        if self.ensure_namespace(ns).is_err() {
            let message = format!("namespace {ns:?} cannot exist");
            return Ok(Endpoint::NoNamespace(Verdict::Rejected {
                message: message.clone(),
                causes: vec![Cause {
                    field: "metadata.namespace".into(),
                    message,
                    reason: "FieldValueInvalid".into(),
                }],
            }));
        }
        let api = Api::namespaced_with(self.client.clone(), ns, &ar);
        Ok(Endpoint::Api(Box::new(api)))
    }
}

/// Where a manifest is sent: its kind's API, or nowhere because its namespace cannot exist
/// (the verdict says so).
enum Endpoint {
    Api(Box<Api<DynamicObject>>),
    NoNamespace(Verdict),
}

/// A create with strict field validation, as `kubectl apply` sends it (strict is its
/// default): an unknown or duplicate field is an error, not a warning. kube's PostParams has
/// no fieldValidation, so the query parameter is added here. The body is the manifest as
/// written: through DynamicObject, ObjectMeta's typed fields would drop an unknown
/// `metadata.lables` before the server could refuse it.
fn strict_create(
    api: &Api<DynamicObject>,
    manifest: &serde_json::Value,
    dry_run: bool,
) -> Result<http::Request<Vec<u8>>, JudgeError> {
    let body = serde_json::to_vec(manifest).map_err(|e| JudgeError::Request(e.into()))?;
    let pp = PostParams {
        dry_run,
        ..Default::default()
    };
    let mut req = kube::core::Request::new(api.resource_url())
        .create(&pp, body)
        .map_err(|e| JudgeError::Request(e.into()))?;
    let uri = req.uri().to_string();
    let sep = if uri.contains('?') { '&' } else { '?' };
    *req.uri_mut() = format!("{uri}{sep}fieldValidation=Strict")
        .parse()
        .map_err(|e: http::uri::InvalidUri| JudgeError::Request(e.into()))?;
    Ok(req)
}

/// The server's answer as a verdict: created is accepted, a 4xx is rejected with the causes
/// its Status lists. 409 AlreadyExists cannot happen on a dry run of a fresh name, and a 5xx
/// is not a verdict.
fn verdict_of(answer: Result<DynamicObject, kube::Error>) -> Result<Verdict, JudgeError> {
    match answer {
        Ok(_) => Ok(Verdict::Accepted),
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
        Err(e) => Err(JudgeError::NoVerdict(e)),
    }
}
