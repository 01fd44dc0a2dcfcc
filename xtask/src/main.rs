//! Developer tasks for kubebook, kept out of the product build (`cargo xtask …`, the alias is
//! in .cargo/config.toml).
//!
//! `cargo xtask schema` derives the Kubernetes schema kubebook validates against from
//! k8s-openapi's schemars schemas (the version feature in xtask/Cargo.toml), makes it strict
//! and writes it, pretty-printed, to `src/validate/k8s-schema.json`, which is committed and
//! embedded in the binary. `cargo xtask schema --check` writes nothing and exits 1 when the
//! committed file is not what the generator produces (CI runs it).

use serde_json::{Map, Value, json};
use std::any::TypeId;
use std::path::Path;
use std::process::ExitCode;

struct Entry {
    api_version: &'static str,
    kind: &'static str,
    name: String,
    namespaced: bool,
    schema: Value,
}

fn entry<T: k8s_openapi::Resource + schemars::JsonSchema + 'static>() -> Entry {
    let schema = serde_json::to_value(schemars::schema_for!(T)).expect("schema serialises");
    Entry {
        api_version: T::API_VERSION,
        kind: T::KIND,
        name: T::schema_name().to_string(),
        namespaced: TypeId::of::<T::Scope>() == TypeId::of::<k8s_openapi::NamespaceResourceScope>(),
        schema,
    }
}

fn entries() -> Vec<Entry> {
    vec![
        entry::<k8s_openapi::api::admissionregistration::v1::MutatingAdmissionPolicy>(),
        entry::<k8s_openapi::api::admissionregistration::v1::MutatingAdmissionPolicyBinding>(),
        entry::<k8s_openapi::api::admissionregistration::v1::MutatingWebhookConfiguration>(),
        entry::<k8s_openapi::api::admissionregistration::v1::ValidatingAdmissionPolicy>(),
        entry::<k8s_openapi::api::admissionregistration::v1::ValidatingAdmissionPolicyBinding>(),
        entry::<k8s_openapi::api::admissionregistration::v1::ValidatingWebhookConfiguration>(),
        entry::<k8s_openapi::api::admissionregistration::v1alpha1::MutatingAdmissionPolicy>(),
        entry::<k8s_openapi::api::admissionregistration::v1alpha1::MutatingAdmissionPolicyBinding>(),
        entry::<k8s_openapi::api::admissionregistration::v1beta1::MutatingAdmissionPolicy>(),
        entry::<k8s_openapi::api::admissionregistration::v1beta1::MutatingAdmissionPolicyBinding>(),
        entry::<k8s_openapi::api::apiserverinternal::v1alpha1::StorageVersion>(),
        entry::<k8s_openapi::api::apps::v1::ControllerRevision>(),
        entry::<k8s_openapi::api::apps::v1::DaemonSet>(),
        entry::<k8s_openapi::api::apps::v1::Deployment>(),
        entry::<k8s_openapi::api::apps::v1::ReplicaSet>(),
        entry::<k8s_openapi::api::apps::v1::StatefulSet>(),
        entry::<k8s_openapi::api::authentication::v1::SelfSubjectReview>(),
        entry::<k8s_openapi::api::authentication::v1::TokenReview>(),
        entry::<k8s_openapi::api::authorization::v1::LocalSubjectAccessReview>(),
        entry::<k8s_openapi::api::authorization::v1::SelfSubjectAccessReview>(),
        entry::<k8s_openapi::api::authorization::v1::SelfSubjectRulesReview>(),
        entry::<k8s_openapi::api::authorization::v1::SubjectAccessReview>(),
        entry::<k8s_openapi::api::autoscaling::v1::HorizontalPodAutoscaler>(),
        entry::<k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler>(),
        entry::<k8s_openapi::api::batch::v1::CronJob>(),
        entry::<k8s_openapi::api::batch::v1::Job>(),
        entry::<k8s_openapi::api::certificates::v1::CertificateSigningRequest>(),
        entry::<k8s_openapi::api::certificates::v1beta1::ClusterTrustBundle>(),
        entry::<k8s_openapi::api::certificates::v1beta1::PodCertificateRequest>(),
        entry::<k8s_openapi::api::coordination::v1::Lease>(),
        entry::<k8s_openapi::api::coordination::v1alpha2::LeaseCandidate>(),
        entry::<k8s_openapi::api::coordination::v1beta1::LeaseCandidate>(),
        entry::<k8s_openapi::api::core::v1::Binding>(),
        entry::<k8s_openapi::api::core::v1::ComponentStatus>(),
        entry::<k8s_openapi::api::core::v1::ConfigMap>(),
        entry::<k8s_openapi::api::core::v1::Endpoints>(),
        entry::<k8s_openapi::api::core::v1::Event>(),
        entry::<k8s_openapi::api::core::v1::LimitRange>(),
        entry::<k8s_openapi::api::core::v1::Namespace>(),
        entry::<k8s_openapi::api::core::v1::Node>(),
        entry::<k8s_openapi::api::core::v1::PersistentVolume>(),
        entry::<k8s_openapi::api::core::v1::PersistentVolumeClaim>(),
        entry::<k8s_openapi::api::core::v1::Pod>(),
        entry::<k8s_openapi::api::core::v1::PodTemplate>(),
        entry::<k8s_openapi::api::core::v1::ReplicationController>(),
        entry::<k8s_openapi::api::core::v1::ResourceQuota>(),
        entry::<k8s_openapi::api::core::v1::Secret>(),
        entry::<k8s_openapi::api::core::v1::Service>(),
        entry::<k8s_openapi::api::core::v1::ServiceAccount>(),
        entry::<k8s_openapi::api::discovery::v1::EndpointSlice>(),
        entry::<k8s_openapi::api::events::v1::Event>(),
        entry::<k8s_openapi::api::flowcontrol::v1::FlowSchema>(),
        entry::<k8s_openapi::api::flowcontrol::v1::PriorityLevelConfiguration>(),
        entry::<k8s_openapi::api::networking::v1::IPAddress>(),
        entry::<k8s_openapi::api::networking::v1::Ingress>(),
        entry::<k8s_openapi::api::networking::v1::IngressClass>(),
        entry::<k8s_openapi::api::networking::v1::NetworkPolicy>(),
        entry::<k8s_openapi::api::networking::v1::ServiceCIDR>(),
        entry::<k8s_openapi::api::node::v1::RuntimeClass>(),
        entry::<k8s_openapi::api::policy::v1::PodDisruptionBudget>(),
        entry::<k8s_openapi::api::rbac::v1::ClusterRole>(),
        entry::<k8s_openapi::api::rbac::v1::ClusterRoleBinding>(),
        entry::<k8s_openapi::api::rbac::v1::Role>(),
        entry::<k8s_openapi::api::rbac::v1::RoleBinding>(),
        entry::<k8s_openapi::api::resource::v1::DeviceClass>(),
        entry::<k8s_openapi::api::resource::v1::ResourceClaim>(),
        entry::<k8s_openapi::api::resource::v1::ResourceClaimTemplate>(),
        entry::<k8s_openapi::api::resource::v1::ResourceSlice>(),
        entry::<k8s_openapi::api::resource::v1alpha3::DeviceTaintRule>(),
        entry::<k8s_openapi::api::resource::v1alpha3::ResourcePoolStatusRequest>(),
        entry::<k8s_openapi::api::resource::v1beta1::DeviceClass>(),
        entry::<k8s_openapi::api::resource::v1beta1::ResourceClaim>(),
        entry::<k8s_openapi::api::resource::v1beta1::ResourceClaimTemplate>(),
        entry::<k8s_openapi::api::resource::v1beta1::ResourceSlice>(),
        entry::<k8s_openapi::api::resource::v1beta2::DeviceClass>(),
        entry::<k8s_openapi::api::resource::v1beta2::DeviceTaintRule>(),
        entry::<k8s_openapi::api::resource::v1beta2::ResourceClaim>(),
        entry::<k8s_openapi::api::resource::v1beta2::ResourceClaimTemplate>(),
        entry::<k8s_openapi::api::resource::v1beta2::ResourceSlice>(),
        entry::<k8s_openapi::api::scheduling::v1::PriorityClass>(),
        entry::<k8s_openapi::api::scheduling::v1alpha3::CompositePodGroup>(),
        entry::<k8s_openapi::api::scheduling::v1alpha3::PodGroup>(),
        entry::<k8s_openapi::api::scheduling::v1alpha3::Workload>(),
        entry::<k8s_openapi::api::scheduling::v1beta1::PodGroup>(),
        entry::<k8s_openapi::api::scheduling::v1beta1::Workload>(),
        entry::<k8s_openapi::api::storage::v1::CSIDriver>(),
        entry::<k8s_openapi::api::storage::v1::CSINode>(),
        entry::<k8s_openapi::api::storage::v1::CSIStorageCapacity>(),
        entry::<k8s_openapi::api::storage::v1::StorageClass>(),
        entry::<k8s_openapi::api::storage::v1::VolumeAttachment>(),
        entry::<k8s_openapi::api::storage::v1::VolumeAttributesClass>(),
        entry::<k8s_openapi::api::storagemigration::v1::StorageVersionMigration>(),
        entry::<k8s_openapi::api::storagemigration::v1beta1::StorageVersionMigration>(),
        entry::<k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition>(),
        entry::<k8s_openapi::kube_aggregator::pkg::apis::apiregistration::v1::APIService>()
    ]
}

/// `Possible enum values:` in an upstream description lists the values the API accepts.
fn enum_from_description(desc: &str) -> Option<Vec<String>> {
    let (_, rest) = desc.split_once("Possible enum values:")?;
    let vals: Vec<String> = rest
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- `\""))
        .filter_map(|l| l.split_once("\"`").map(|(v, _)| v.to_string()))
        .collect();
    (!vals.is_empty()).then_some(vals)
}

/// Keep what validation needs; turn enum descriptions into `enum`; make objects strict.
fn prune(v: &Value) -> Value {
    match v {
        Value::Object(o) => {
            let mut out = Map::new();
            for (k, val) in o {
                match k.as_str() {
                    "description" | "title" | "$schema" | "$defs" | "default" | "examples" => {}
                    "properties" => {
                        let props: Map<String, Value> = val
                            .as_object()
                            .map(|p| p.iter().map(|(pk, pv)| (pk.clone(), prune(pv))).collect())
                            .unwrap_or_default();
                        out.insert(k.clone(), Value::Object(props));
                    }
                    _ => {
                        out.insert(k.clone(), prune(val));
                    }
                }
            }
            if let Some(Value::String(d)) = o.get("description")
                && let Some(vals) = enum_from_description(d)
                && !out.contains_key("enum")
            {
                out.insert("enum".into(), json!(vals));
            }
            if out.contains_key("properties") && !out.contains_key("additionalProperties") {
                out.insert("additionalProperties".into(), Value::Bool(false));
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(prune).collect()),
        other => other.clone(),
    }
}

/// Enumerations the upstream OpenAPI only states in prose ("One of Always, Never,
/// IfNotPresent"), which k8s-openapi keeps as plain strings. Values from the API reference
/// for Kubernetes 1.37. (definition, property, values); array properties get `items.enum`.
const ENUMS: &[(&str, &str, &[&str])] = &[
    (
        "io.k8s.api.core.v1.Container",
        "imagePullPolicy",
        &["Always", "Never", "IfNotPresent"],
    ),
    (
        "io.k8s.api.core.v1.Container",
        "terminationMessagePolicy",
        &["File", "FallbackToLogsOnError"],
    ),
    ("io.k8s.api.core.v1.Container", "restartPolicy", &["Always"]),
    (
        "io.k8s.api.core.v1.EphemeralContainer",
        "imagePullPolicy",
        &["Always", "Never", "IfNotPresent"],
    ),
    (
        "io.k8s.api.core.v1.PodSpec",
        "restartPolicy",
        &["Always", "OnFailure", "Never"],
    ),
    (
        "io.k8s.api.core.v1.PodSpec",
        "dnsPolicy",
        &["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"],
    ),
    (
        "io.k8s.api.core.v1.PodSpec",
        "preemptionPolicy",
        &["PreemptLowerPriority", "Never"],
    ),
    (
        "io.k8s.api.core.v1.ContainerPort",
        "protocol",
        &["TCP", "UDP", "SCTP"],
    ),
    (
        "io.k8s.api.core.v1.ServicePort",
        "protocol",
        &["TCP", "UDP", "SCTP"],
    ),
    (
        "io.k8s.api.core.v1.ServiceSpec",
        "type",
        &["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"],
    ),
    (
        "io.k8s.api.core.v1.ServiceSpec",
        "sessionAffinity",
        &["ClientIP", "None"],
    ),
    (
        "io.k8s.api.core.v1.ServiceSpec",
        "externalTrafficPolicy",
        &["Cluster", "Local"],
    ),
    (
        "io.k8s.api.core.v1.ServiceSpec",
        "internalTrafficPolicy",
        &["Cluster", "Local"],
    ),
    (
        "io.k8s.api.core.v1.ServiceSpec",
        "ipFamilyPolicy",
        &["SingleStack", "PreferDualStack", "RequireDualStack"],
    ),
    (
        "io.k8s.api.core.v1.PersistentVolumeClaimSpec",
        "accessModes",
        &[
            "ReadWriteOnce",
            "ReadOnlyMany",
            "ReadWriteMany",
            "ReadWriteOncePod",
        ],
    ),
    (
        "io.k8s.api.core.v1.PersistentVolumeClaimSpec",
        "volumeMode",
        &["Filesystem", "Block"],
    ),
    (
        "io.k8s.api.core.v1.PersistentVolumeSpec",
        "accessModes",
        &[
            "ReadWriteOnce",
            "ReadOnlyMany",
            "ReadWriteMany",
            "ReadWriteOncePod",
        ],
    ),
    (
        "io.k8s.api.core.v1.PersistentVolumeSpec",
        "persistentVolumeReclaimPolicy",
        &["Retain", "Delete", "Recycle"],
    ),
    (
        "io.k8s.api.core.v1.PersistentVolumeSpec",
        "volumeMode",
        &["Filesystem", "Block"],
    ),
    (
        "io.k8s.api.storage.v1.StorageClass",
        "reclaimPolicy",
        &["Retain", "Delete"],
    ),
    (
        "io.k8s.api.storage.v1.StorageClass",
        "volumeBindingMode",
        &["Immediate", "WaitForFirstConsumer"],
    ),
    (
        "io.k8s.api.core.v1.Taint",
        "effect",
        &["NoSchedule", "PreferNoSchedule", "NoExecute"],
    ),
    (
        "io.k8s.api.core.v1.Toleration",
        "effect",
        &["NoSchedule", "PreferNoSchedule", "NoExecute"],
    ),
    (
        "io.k8s.api.core.v1.Toleration",
        "operator",
        &["Exists", "Equal"],
    ),
    (
        "io.k8s.api.core.v1.NodeSelectorRequirement",
        "operator",
        &["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"],
    ),
    (
        "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement",
        "operator",
        &["In", "NotIn", "Exists", "DoesNotExist"],
    ),
    (
        "io.k8s.api.core.v1.SeccompProfile",
        "type",
        &["RuntimeDefault", "Unconfined", "Localhost"],
    ),
    (
        "io.k8s.api.core.v1.HTTPGetAction",
        "scheme",
        &["HTTP", "HTTPS"],
    ),
    (
        "io.k8s.api.core.v1.LimitRangeItem",
        "type",
        &["Container", "Pod", "PersistentVolumeClaim"],
    ),
    (
        "io.k8s.api.core.v1.ContainerResizePolicy",
        "restartPolicy",
        &["NotRequired", "RestartContainer"],
    ),
    (
        "io.k8s.api.apps.v1.DeploymentStrategy",
        "type",
        &["Recreate", "RollingUpdate"],
    ),
    (
        "io.k8s.api.apps.v1.DaemonSetUpdateStrategy",
        "type",
        &["RollingUpdate", "OnDelete"],
    ),
    (
        "io.k8s.api.apps.v1.StatefulSetUpdateStrategy",
        "type",
        &["RollingUpdate", "OnDelete"],
    ),
    (
        "io.k8s.api.apps.v1.StatefulSetSpec",
        "podManagementPolicy",
        &["OrderedReady", "Parallel"],
    ),
    (
        "io.k8s.api.batch.v1.CronJobSpec",
        "concurrencyPolicy",
        &["Allow", "Forbid", "Replace"],
    ),
    (
        "io.k8s.api.batch.v1.JobSpec",
        "completionMode",
        &["NonIndexed", "Indexed"],
    ),
    (
        "io.k8s.api.networking.v1.HTTPIngressPath",
        "pathType",
        &["Exact", "Prefix", "ImplementationSpecific"],
    ),
    (
        "io.k8s.api.networking.v1.NetworkPolicySpec",
        "policyTypes",
        &["Ingress", "Egress"],
    ),
    (
        "io.k8s.api.networking.v1.NetworkPolicyPort",
        "protocol",
        &["TCP", "UDP", "SCTP"],
    ),
    (
        "io.k8s.api.autoscaling.v2.MetricSpec",
        "type",
        &[
            "ContainerResource",
            "External",
            "Object",
            "Pods",
            "Resource",
        ],
    ),
    (
        "io.k8s.api.autoscaling.v2.MetricTarget",
        "type",
        &["Utilization", "Value", "AverageValue"],
    ),
    (
        "io.k8s.api.autoscaling.v2.HPAScalingRules",
        "selectPolicy",
        &["Max", "Min", "Disabled"],
    ),
    (
        "io.k8s.api.autoscaling.v2.HPAScalingPolicy",
        "type",
        &["Pods", "Percent"],
    ),
    (
        "io.k8s.api.rbac.v1.Subject",
        "kind",
        &["User", "Group", "ServiceAccount"],
    ),
    (
        "io.k8s.api.admissionregistration.v1.ValidatingAdmissionPolicySpec",
        "failurePolicy",
        &["Fail", "Ignore"],
    ),
    (
        "io.k8s.api.admissionregistration.v1.ValidatingAdmissionPolicyBinding",
        "kind",
        &["ValidatingAdmissionPolicyBinding"],
    ),
    (
        "io.k8s.api.admissionregistration.v1.ValidatingAdmissionPolicyBindingSpec",
        "validationActions",
        &["Deny", "Warn", "Audit"],
    ),
    (
        "io.k8s.api.admissionregistration.v1.MatchResources",
        "matchPolicy",
        &["Exact", "Equivalent"],
    ),
    (
        "io.k8s.api.admissionregistration.v1.RuleWithOperations",
        "operations",
        &["*", "CREATE", "UPDATE", "DELETE", "CONNECT"],
    ),
    (
        "io.k8s.api.admissionregistration.v1.NamedRuleWithOperations",
        "operations",
        &["*", "CREATE", "UPDATE", "DELETE", "CONNECT"],
    ),
    (
        "io.k8s.api.admissionregistration.v1.RuleWithOperations",
        "scope",
        &["*", "Cluster", "Namespaced"],
    ),
    (
        "io.k8s.api.admissionregistration.v1.NamedRuleWithOperations",
        "scope",
        &["*", "Cluster", "Namespaced"],
    ),
    (
        "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionSpec",
        "scope",
        &["Namespaced", "Cluster"],
    ),
];

fn add_enums(defs: &mut Map<String, Value>) {
    for (def, prop, vals) in ENUMS {
        let p = defs
            .get_mut(*def)
            .and_then(|d| d.get_mut("properties"))
            .and_then(|ps| ps.get_mut(*prop))
            .unwrap_or_else(|| panic!("ENUMS names {def}.{prop}, which the schema does not have"));
        let target = if p.get("type").and_then(Value::as_str) == Some("array") {
            p.get_mut("items").expect("array has items")
        } else {
            p
        };
        target["enum"] = json!(vals);
    }
}

fn generate() -> Value {
    let mut defs = Map::new();
    let mut kinds = Map::new();
    for e in entries() {
        if let Some(Value::Object(d)) = e.schema.get("$defs") {
            for (k, v) in d {
                defs.insert(k.clone(), prune(v));
            }
        }
        defs.insert(e.name.clone(), prune(&e.schema));
        kinds.insert(
            format!("{}/{}", e.api_version, e.kind),
            json!({ "definition": e.name, "namespaced": e.namespaced }),
        );
    }
    add_enums(&mut defs);
    // Strict forms of the two open types: kubectl accepts int-or-string and quantities only.
    defs.insert(
        "io.k8s.apimachinery.pkg.util.intstr.IntOrString".into(),
        json!({ "x-kubebook": "int-or-string" }),
    );
    // `JSON` (CRD defaults, enums, examples) holds any JSON value, not only objects.
    defs.insert(
        "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON".into(),
        json!({}),
    );
    defs.insert(
        "io.k8s.apimachinery.pkg.api.resource.Quantity".into(),
        json!({ "x-kubebook": "quantity" }),
    );
    json!({ "kubernetes": "1.37", "source": "k8s-openapi 0.29 (feature v1_37), schemars", "kinds": kinds, "definitions": defs })
}

/// The schema as committed: pretty-printed (reviewable diffs), with a final newline.
fn render() -> String {
    serde_json::to_string_pretty(&generate()).expect("the schema serialises") + "\n"
}

const SCHEMA: &str = "src/validate/k8s-schema.json";
const USAGE: &str = "usage: cargo xtask schema [--check]\n\n  schema          regenerate src/validate/k8s-schema.json from k8s-openapi\n  schema --check  exit 1 if the committed file is stale";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["schema"] => schema(false),
        ["schema", "--check"] => schema(true),
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn schema(check: bool) -> ExitCode {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask/ sits in the project root");
    let path = root.join(SCHEMA);
    let text = render();
    if !check {
        if let Err(e) = std::fs::write(&path, &text) {
            eprintln!("error: writing {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
        eprintln!("wrote {SCHEMA} ({} bytes)", text.len());
        return ExitCode::SUCCESS;
    }
    match std::fs::read_to_string(&path) {
        Ok(committed) if committed == text => {
            eprintln!("{SCHEMA} is current");
            ExitCode::SUCCESS
        }
        Ok(committed) => {
            let differ = committed
                .lines()
                .zip(text.lines())
                .position(|(a, b)| a != b)
                .map(|i| format!("first difference at line {}", i + 1))
                .unwrap_or_else(|| "one is a prefix of the other".into());
            eprintln!(
                "error: {SCHEMA} is stale ({differ}): it is not what k8s-openapi and the rules in xtask/src/main.rs generate.\nRegenerate it with `cargo xtask schema` and commit the result."
            );
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!(
                "error: reading {}: {e}; generate it with `cargo xtask schema`",
                path.display()
            );
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_come_from_descriptions() {
        let d = "Restart policy.\n\nPossible enum values:\n - `\"Always\"` means ...\n - `\"Never\"` means ...";
        assert_eq!(
            enum_from_description(d),
            Some(vec!["Always".into(), "Never".into()])
        );
        assert_eq!(enum_from_description("no enum here"), None);
    }
}
