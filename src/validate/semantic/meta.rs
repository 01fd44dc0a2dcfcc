//! Object metadata: names per kind, labels, annotations, finalizers.

use super::format::{dns1123_label, dns1123_subdomain, label_value, qualified_name};
use super::{Out, child};
use crate::diag::codes;
use serde_json::Value;

/// The name function each kind passes to ValidateObjectMeta. Only kinds whose function was
/// read in the 1.37 source are listed; others are not checked.
/// A name function and what it accepts, for the hint.
type NameRule = (fn(&str) -> Vec<String>, &'static str);

fn name_rule(group: &str, kind: &str) -> Option<NameRule> {
    let label = (dns1123_label as fn(&str) -> Vec<String>, "a DNS-1123 label");
    let subdomain = (
        dns1123_subdomain as fn(&str) -> Vec<String>,
        "a DNS-1123 subdomain",
    );
    Some(match (group, kind) {
        // pkg/apis/core/validation/validation.go ValidateNamespaceName (NameIsDNSLabel);
        // ValidateServiceCreate: RelaxedServiceNameValidation is GA and locked on in 1.37,
        // so Service names are DNS-1123 labels (NameIsDNSLabel), no longer DNS-1035.
        ("", "Namespace" | "Service") => label,
        // pkg/apis/apps/validation/validation.go ValidateStatefulSetName (NameIsDNSLabel)
        ("apps", "StatefulSet") => label,
        // pkg/apis/core/validation/validation.go ValidatePodName, ValidateConfigMapName,
        // ValidateSecretName, ValidateServiceAccountName, ValidatePersistentVolumeName,
        // ValidateLimitRangeName, ValidateResourceQuotaName, ValidateEndpointsName,
        // ValidateNodeName (all NameIsDNSSubdomain)
        (
            "",
            "Pod"
            | "ConfigMap"
            | "Secret"
            | "ServiceAccount"
            | "PersistentVolume"
            | "PersistentVolumeClaim"
            | "LimitRange"
            | "ResourceQuota"
            | "Endpoints"
            | "Node",
        ) => subdomain,
        // pkg/apis/apps/validation/validation.go ValidateDeploymentName, ValidateReplicaSetName,
        // ValidateDaemonSetName, ValidateControllerRevisionName
        ("apps", "Deployment" | "ReplicaSet" | "DaemonSet" | "ControllerRevision") => subdomain,
        // pkg/apis/batch/validation/validation.go ValidateJobCreate, ValidateCronJobCreate
        ("batch", "Job" | "CronJob") => subdomain,
        // pkg/apis/networking/validation/validation.go ValidateIngressName
        ("networking.k8s.io", "Ingress") => subdomain,
        // pkg/apis/autoscaling/validation/validation.go ValidateHorizontalPodAutoscalerName
        ("autoscaling", "HorizontalPodAutoscaler") => subdomain,
        // pkg/apis/storage/validation/validation.go ValidateStorageClass (ValidateClassName)
        ("storage.k8s.io", "StorageClass") => subdomain,
        // pkg/apis/scheduling/validation/validation.go ValidatePriorityClass
        ("scheduling.k8s.io", "PriorityClass") => subdomain,
        // pkg/apis/coordination/validation/validation.go ValidateLease
        ("coordination.k8s.io", "Lease") => subdomain,
        _ => return None,
    })
}

/// Kinds whose metadata goes through ValidateObjectMeta (labels, annotations, finalizers).
fn has_object_meta(group: &str, kind: &str) -> bool {
    name_rule(group, kind).is_some()
        || matches!(
            (group, kind),
            (
                "rbac.authorization.k8s.io",
                "Role" | "ClusterRole" | "RoleBinding" | "ClusterRoleBinding"
            ) | ("networking.k8s.io", "NetworkPolicy")
        )
}

/// staging/src/k8s.io/apimachinery/pkg/api/validation/objectmeta.go ValidateObjectMetaAccessor
/// (name via the kind's name function, labels, annotations, finalizers) and
/// pkg/apis/batch/validation/validation.go ValidateCronJobCreate (name ≤ 52 characters).
pub(super) fn object_meta(group: &str, kind: &str, v: &Value, out: &mut Out) {
    if !has_object_meta(group, kind) {
        return;
    }
    let meta = &v["metadata"];
    if let (Some((rule, what)), Some(name)) = (name_rule(group, kind), meta["name"].as_str())
        && !name.is_empty()
    {
        let errs = rule(name);
        if !errs.is_empty() {
            let suggestion = suggest_name(name);
            out.invalid(
                codes::K8S101,
                "/metadata/name",
                "metadata.name",
                &meta["name"],
                &errs.join(", "),
                &format!("a {kind} name must be {what}; try `{suggestion}`"),
            );
        }
    }
    if kind == "CronJob"
        && let Some(name) = meta["name"].as_str()
        && name.len() > 52
    {
        out.invalid(
            codes::K8S102,
            "/metadata/name",
            "metadata.name",
            &meta["name"],
            "must be no more than 52 characters",
            "the CronJob controller appends an 11-character suffix to name its Jobs; shorten the name to 52 characters",
        );
    }
    labels("/metadata/labels", &meta["labels"], out);
    annotations("/metadata/annotations", &meta["annotations"], out);
    if let Some(fs) = meta["finalizers"].as_array() {
        // objectmeta.go ValidateFinalizers → ValidateFinalizerName (IsQualifiedName)
        for (i, f) in fs.iter().enumerate() {
            if let Some(s) = f.as_str() {
                let errs = qualified_name(s);
                if !errs.is_empty() {
                    out.invalid(
                        codes::K8S105,
                        &format!("/metadata/finalizers/{i}"),
                        "metadata.finalizers",
                        f,
                        &errs.join(", "),
                        "a finalizer is a qualified name such as example.com/cleanup",
                    );
                }
            }
        }
    }
}

/// A lower-case DNS-friendly version of a name, for the hint.
fn suggest_name(name: &str) -> String {
    let mut s: String = name
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    while s.contains("--") {
        s = s.replace("--", "-");
    }
    let s = s.trim_matches('-');
    let s: String = s.chars().take(63).collect();
    s.trim_end_matches('-').to_string()
}

/// staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/validation/validation.go ValidateLabels
pub(super) fn labels(ptr: &str, labels: &Value, out: &mut Out) {
    let Some(m) = labels.as_object() else { return };
    let field = super::pointer_to_path(ptr);
    for (k, v) in m {
        let kp = child(ptr, k);
        let ke = qualified_name(k);
        if !ke.is_empty() {
            out.issues.push(super::Issue {
                code: codes::K8S103,
                message: format!(
                    "{field}: Invalid value: {:?}: {}",
                    k,
                    ke.join(", ")
                ),
                pointer: kp.clone(),
                at_key: true,
                hint: Some("a label key is an optional DNS-subdomain prefix and `/`, then at most 63 characters of letters, digits, `-`, `_` or `.`, starting and ending with a letter or digit".into()),
            });
        }
        if let Some(s) = v.as_str() {
            let ve = label_value(s);
            if !ve.is_empty() {
                let hint = if s.len() > 63 {
                    format!(
                        "a label value has at most 63 characters (this one has {}); put long text in an annotation",
                        s.len()
                    )
                } else {
                    "a label value is empty or letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit".to_string()
                };
                out.invalid(codes::K8S103, &kp, &field, v, &ve.join(", "), &hint);
            }
        }
    }
}

/// staging/src/k8s.io/apimachinery/pkg/api/validation/objectmeta.go ValidateAnnotations
pub(super) fn annotations(ptr: &str, annotations: &Value, out: &mut Out) {
    let Some(m) = annotations.as_object() else {
        return;
    };
    let field = super::pointer_to_path(ptr);
    let mut total = 0usize;
    for (k, v) in m {
        total += k.len() + v.as_str().map_or(0, str::len);
        let errs = qualified_name(&k.to_ascii_lowercase());
        if !errs.is_empty() {
            out.issues.push(super::Issue {
                code: codes::K8S104,
                message: format!("{field}: Invalid value: {k:?}: {}", errs.join(", ")),
                pointer: child(ptr, k),
                at_key: true,
                hint: Some(
                    "an annotation key is a qualified name such as example.com/owner".into(),
                ),
            });
        }
    }
    const LIMIT: usize = 256 * 1024;
    if total > LIMIT {
        out.push(
            codes::K8S104,
            ptr,
            true,
            format!("{field}: Too long: may not be more than {LIMIT} bytes"),
            "annotations of one object hold at most 256 KiB in all; store large data in a ConfigMap",
        );
    }
}
