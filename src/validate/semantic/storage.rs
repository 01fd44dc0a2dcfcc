//! PersistentVolumes and claims: pkg/apis/core/validation/validation.go
//! ValidatePersistentVolumeSpec and ValidatePersistentVolumeClaimSpec (access modes, the
//! storage request, capacity).

use super::quantity;
use super::{Out, child};
use crate::diag::codes;
use serde_json::Value;

const ACCESS_MODES: &[&str] = &[
    "ReadOnlyMany",
    "ReadWriteMany",
    "ReadWriteOnce",
    "ReadWriteOncePod",
];

/// The access-mode rules both specs share.
fn access_modes(sp: &str, spec: &Value, detail: &str, out: &mut Out) {
    let ap = format!("{sp}/accessModes");
    let modes = spec["accessModes"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    if modes.is_empty() {
        let ptr = if spec["accessModes"].is_null() {
            sp.to_string()
        } else {
            ap.clone()
        };
        out.issues.push(super::Issue {
            code: codes::K8S155,
            message: if detail.is_empty() {
                format!("{}: Required value", super::pointer_to_path(&ap))
            } else {
                format!("{}: Required value: {detail}", super::pointer_to_path(&ap))
            },
            pointer: ptr,
            at_key: true,
            hint: Some("add accessModes, e.g. [ReadWriteOnce]".into()),
        });
        return;
    }
    let (mut once_pod, mut other) = (false, false);
    for (i, m) in modes.iter().enumerate() {
        let Some(s) = m.as_str() else { continue };
        if !ACCESS_MODES.contains(&s) {
            out.not_supported(
                codes::K8S155,
                &format!("{ap}/{i}"),
                m,
                ACCESS_MODES,
                "an access mode is ReadWriteOnce, ReadOnlyMany, ReadWriteMany or ReadWriteOncePod",
            );
        } else if s == "ReadWriteOncePod" {
            once_pod = true;
        } else {
            other = true;
        }
    }
    if once_pod && other {
        out.forbidden(
            codes::K8S155,
            &ap,
            "may not use ReadWriteOncePod with other access modes",
            "ReadWriteOncePod stands alone; keep only it, or drop it",
        );
    }
}

/// ValidatePersistentVolumeClaimSpec (also a StatefulSet's volumeClaimTemplates).
pub(super) fn claim_spec(sp: &str, spec: &Value, out: &mut Out) {
    if !spec.is_object() {
        return;
    }
    access_modes(sp, spec, "at least 1 access mode is required", out);
    let rp = format!("{sp}/resources");
    match spec["resources"]["requests"].get("storage") {
        None => {
            // At `resources`, as the API server names spec.resources[storage].
            let ptr = if spec["resources"].is_object() {
                rp.clone()
            } else {
                sp.to_string()
            };
            out.issues.push(super::Issue {
                code: codes::K8S155,
                message: format!("{}[storage]: Required value", super::pointer_to_path(&rp)),
                pointer: ptr,
                at_key: true,
                hint: Some(
                    "request the size of the volume: resources: {requests: {storage: 1Gi}}".into(),
                ),
            });
        }
        Some(v) => {
            if let Some(q) = quantity::of(v)
                && q.nano <= 0
            {
                out.invalid(
                    codes::K8S155,
                    &child(&format!("{rp}/requests"), "storage"),
                    &format!("{}[storage]", super::pointer_to_path(&rp)),
                    v,
                    "must be greater than zero",
                    "request a positive size, e.g. 1Gi",
                );
            }
        }
    }
}

/// ValidatePersistentVolumeSpec (not inline): access modes, capacity of storage only.
pub(super) fn volume(v: &Value, out: &mut Out) {
    let spec = &v["spec"];
    if !spec.is_object() {
        return;
    }
    access_modes("/spec", spec, "", out);
    let cp = "/spec/capacity";
    let cap = spec["capacity"].as_object();
    let n = cap.map_or(0, |m| m.len());
    if n == 0 {
        out.issues.push(super::Issue {
            code: codes::K8S155,
            message: "spec.capacity: Required value".into(),
            pointer: if cap.is_some() {
                cp.into()
            } else {
                "/spec".into()
            },
            at_key: true,
            hint: Some("give the volume's size: capacity: {storage: 10Gi}".into()),
        });
    }
    if let Some(m) = cap {
        if n > 0 && (!m.contains_key("storage") || n > 1) {
            let extra = m.keys().find(|k| *k != "storage");
            out.issues.push(super::Issue {
                code: codes::K8S155,
                message: format!(
                    "spec.capacity: Unsupported value: {}: supported values: \"storage\"",
                    Value::Object(m.clone())
                ),
                pointer: extra.map_or(cp.to_string(), |k| child(cp, k)),
                at_key: true,
                hint: Some("a PersistentVolume's capacity has only `storage`".into()),
            });
        }
        for (k, q) in m {
            if let Some(x) = quantity::of(q)
                && x.nano <= 0
            {
                out.invalid_at(
                    codes::K8S155,
                    &child(cp, k),
                    q,
                    "must be greater than zero",
                    "give a positive size, e.g. 10Gi",
                );
            }
        }
    }
}

/// pkg/apis/storage/validation/validation.go ValidateStorageClass: validateProvisioner
/// (a qualified name, compared in lower case), validateReclaimPolicy and
/// validateVolumeBindingMode (after SetDefaults_StorageClass: Delete, Immediate).
pub(super) fn storage_class(v: &Value, out: &mut Out) {
    if let Some(p) = v["provisioner"].as_str()
        && !p.is_empty()
    {
        let errs = super::format::qualified_name(&p.to_ascii_lowercase());
        if !errs.is_empty() {
            out.invalid_at(
                codes::K8S156,
                "/provisioner",
                &v["provisioner"],
                &errs.join(", "),
                "a provisioner is a qualified name such as ebs.csi.aws.com or rancher.io/local-path",
            );
        }
    }
    if let Some(r) = v["reclaimPolicy"].as_str()
        && !r.is_empty()
        && !matches!(r, "Delete" | "Retain")
    {
        out.not_supported(
            codes::K8S156,
            "/reclaimPolicy",
            &v["reclaimPolicy"],
            &["Delete", "Retain"],
            "a StorageClass's volumes are deleted or retained (Recycle is for PersistentVolumes only)",
        );
    }
    if let Some(m) = v["volumeBindingMode"].as_str()
        && !matches!(m, "Immediate" | "WaitForFirstConsumer")
    {
        out.not_supported(
            codes::K8S156,
            "/volumeBindingMode",
            &v["volumeBindingMode"],
            &["Immediate", "WaitForFirstConsumer"],
            "bind at once (Immediate) or when a Pod uses the claim (WaitForFirstConsumer)",
        );
    }
}
