//! Semantic rules of the API server (Kubernetes 1.37): what `kube-apiserver` refuses on
//! create although the OpenAPI schema allows it. Each rule mirrors one upstream function,
//! named in a comment and in the registry entry of its code (`src/diag/codes.rs`); a rule
//! that cannot be made exact is left out. Rules see the object after the API server's
//! defaulting (`restartPolicy: Always`, `protocol: TCP`, `type: ClusterIP`, 25 % rolling
//! update, …), applied by the helpers in this module rather than by rewriting the object.
//! Split by area: metadata, pod spec and containers, workloads and batch, services.
//!
//! The messages are the API server's own (`field: Invalid value: …: …`), so an author sees
//! what `kubectl apply` would print, at the line and column of the offending value.

mod config;
mod cron;
mod format;
mod meta;
mod network;
mod pod;
mod policy;
mod quantity;
mod resources;
mod service;
mod storage;
mod workloads;

use super::schema::Issue;
use super::yaml::pointer_to_path;
use serde_json::Value;

pub use format::{dns1123_label, dns1123_subdomain, label_value, qualified_name};

/// Problems the API server would report for one object (already valid against its schema).
pub fn check(api_version: &str, kind: &str, v: &Value) -> Vec<Issue> {
    let mut out = Out::default();
    let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
    if !v.is_object() {
        return out.issues;
    }
    meta::object_meta(group, kind, v, &mut out);
    match (group, kind) {
        ("", "Pod") => {
            pod::pod_spec("/spec", &v["spec"], &mut out);
        }
        ("", "PodTemplate") => pod::template("/template", &v["template"], &mut out),
        ("apps", "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet") => {
            workloads::apps(kind, v, &mut out)
        }
        ("batch", "Job") => workloads::job("/spec", &v["spec"], &mut out),
        ("batch", "CronJob") => workloads::cron_job(v, &mut out),
        ("", "Service") => service::service(v, &mut out),
        ("", "ConfigMap") => config::config_map(v, &mut out),
        ("", "Secret") => config::secret(v, &mut out),
        ("", "PersistentVolumeClaim") => storage::claim_spec("/spec", &v["spec"], &mut out),
        ("", "PersistentVolume") => storage::volume(v, &mut out),
        ("", "ResourceQuota") => resources::resource_quota(v, &mut out),
        ("storage.k8s.io", "StorageClass") => storage::storage_class(v, &mut out),
        ("", "LimitRange") => resources::limit_range(v, &mut out),
        ("scheduling.k8s.io", "PriorityClass") => policy::priority_class(v, &mut out),
        ("policy", "PodDisruptionBudget") => policy::pdb(v, &mut out),
        ("autoscaling", "HorizontalPodAutoscaler") => policy::hpa(v, &mut out),
        ("rbac.authorization.k8s.io", "Role") => policy::role(true, v, &mut out),
        ("rbac.authorization.k8s.io", "ClusterRole") => policy::role(false, v, &mut out),
        ("rbac.authorization.k8s.io", "RoleBinding") => policy::binding(true, v, &mut out),
        ("rbac.authorization.k8s.io", "ClusterRoleBinding") => policy::binding(false, v, &mut out),
        ("networking.k8s.io", "Ingress") => network::ingress(v, &mut out),
        ("networking.k8s.io", "NetworkPolicy") => network::network_policy(v, &mut out),
        _ => {}
    }
    out.issues
}

/// Issues being collected, with the API server's wording.
#[derive(Default)]
pub(crate) struct Out {
    pub issues: Vec<Issue>,
}

/// A value as Go's `%v`/`%q` show it in a field error.
pub(crate) fn show(v: &Value) -> String {
    match v {
        Value::String(s) => format!("{s:?}"),
        Value::Null => "null".into(),
        other => other.to_string(),
    }
}

impl Out {
    fn push(&mut self, code: &'static str, ptr: &str, at_key: bool, msg: String, hint: &str) {
        self.issues.push(Issue {
            code,
            message: msg,
            pointer: ptr.to_string(),
            at_key,
            hint: (!hint.is_empty()).then(|| hint.to_string()),
        });
    }

    /// field.Invalid
    pub(crate) fn invalid(
        &mut self,
        code: &'static str,
        ptr: &str,
        field: &str,
        value: &Value,
        detail: &str,
        hint: &str,
    ) {
        self.push(
            code,
            ptr,
            false,
            format!("{field}: Invalid value: {}: {detail}", show(value)),
            hint,
        );
    }

    /// field.Invalid at a pointer whose JSON path is also the field.
    pub(crate) fn invalid_at(
        &mut self,
        code: &'static str,
        ptr: &str,
        value: &Value,
        detail: &str,
        hint: &str,
    ) {
        let field = pointer_to_path(ptr);
        self.invalid(code, ptr, &field, value, detail, hint);
    }

    /// field.Duplicate
    pub(crate) fn duplicate(&mut self, code: &'static str, ptr: &str, value: &Value, hint: &str) {
        self.push(
            code,
            ptr,
            false,
            format!("{}: Duplicate value: {}", pointer_to_path(ptr), show(value)),
            hint,
        );
    }

    /// field.Required
    pub(crate) fn required(&mut self, code: &'static str, ptr: &str, detail: &str, hint: &str) {
        let msg = if detail.is_empty() {
            format!("{}: Required value", pointer_to_path(ptr))
        } else {
            format!("{}: Required value: {detail}", pointer_to_path(ptr))
        };
        self.push(code, ptr, true, msg, hint);
    }

    /// field.NotFound
    pub(crate) fn not_found(&mut self, code: &'static str, ptr: &str, value: &Value, hint: &str) {
        self.push(
            code,
            ptr,
            false,
            format!("{}: Not found: {}", pointer_to_path(ptr), show(value)),
            hint,
        );
    }

    /// field.NotSupported
    pub(crate) fn not_supported(
        &mut self,
        code: &'static str,
        ptr: &str,
        value: &Value,
        supported: &[&str],
        hint: &str,
    ) {
        let list: Vec<String> = supported.iter().map(|s| format!("{s:?}")).collect();
        self.push(
            code,
            ptr,
            false,
            format!(
                "{}: Unsupported value: {}: supported values: {}",
                pointer_to_path(ptr),
                show(value),
                list.join(", ")
            ),
            hint,
        );
    }

    /// field.Forbidden
    pub(crate) fn forbidden(&mut self, code: &'static str, ptr: &str, detail: &str, hint: &str) {
        self.push(
            code,
            ptr,
            true,
            format!("{}: Forbidden: {detail}", pointer_to_path(ptr)),
            hint,
        );
    }

    /// apimachinery ValidateNonnegativeField (IsNegativeErrorMsg), for an optional integer.
    pub(crate) fn nonnegative(&mut self, ptr: &str, v: &Value) {
        if let Some(n) = v.as_i64()
            && n < 0
        {
            self.invalid_at(
                crate::diag::codes::K8S120,
                ptr,
                v,
                "must be greater than or equal to 0",
                "use 0 or a positive number",
            );
        }
    }
}

/// `a/b` joined as a JSON pointer (keys escaped).
pub(crate) fn child(ptr: &str, key: &str) -> String {
    format!("{ptr}/{}", super::yaml::escape_pointer(key))
}

#[cfg(test)]
mod tests;
