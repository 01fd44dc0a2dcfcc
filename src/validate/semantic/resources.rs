//! Compute resources: pkg/apis/core/validation/validation.go ValidateContainerResourceRequirements
//! (validateResourceRequirements, ValidateContainerResourceName, ValidateResourceQuantityValue)
//! and ValidateLimitRange, with the resource-name helpers of pkg/apis/core/helper/helpers.go
//! (IsNativeResource, IsExtendedResourceName, IsOvercommitAllowed, IsIntegerResourceName).
//! Quantities are compared exactly (`quantity.rs`).

use super::format::qualified_name;
use super::quantity::{self, Quantity};
use super::{Out, child, show};
use crate::diag::codes;
use serde_json::{Map, Value};

/// helper.IsNativeResource: unprefixed, or in the kubernetes.io/ namespace.
fn is_native(name: &str) -> bool {
    !name.contains('/') || name.contains("kubernetes.io/")
}

fn is_hugepages(name: &str) -> bool {
    name.starts_with("hugepages-")
}

/// helper.IsExtendedResourceName
fn is_extended(name: &str) -> bool {
    if is_native(name) || name.starts_with("requests.") {
        return false;
    }
    qualified_name(&format!("requests.{name}")).is_empty()
}

/// helper.IsOvercommitAllowed
fn overcommit_allowed(name: &str) -> bool {
    is_native(name) && !is_hugepages(name)
}

/// helper.IsIntegerResourceName
fn is_integer_resource(name: &str) -> bool {
    matches!(
        name,
        "pods"
            | "resourcequotas"
            | "services"
            | "replicationcontrollers"
            | "secrets"
            | "configmaps"
            | "persistentvolumeclaims"
            | "services.nodeports"
            | "services.loadbalancers"
    ) || is_extended(name)
}

/// helper.IsStandardResourceName (standardResources and the quota hugepages names).
fn is_standard_resource(name: &str) -> bool {
    matches!(
        name,
        "cpu"
            | "memory"
            | "ephemeral-storage"
            | "requests.cpu"
            | "requests.memory"
            | "requests.ephemeral-storage"
            | "limits.cpu"
            | "limits.memory"
            | "limits.ephemeral-storage"
            | "pods"
            | "resourcequotas"
            | "services"
            | "replicationcontrollers"
            | "secrets"
            | "persistentvolumeclaims"
            | "storage"
            | "requests.storage"
            | "services.nodeports"
            | "services.loadbalancers"
            | "configmaps"
    ) || is_hugepages(name)
        || name.starts_with("requests.hugepages-")
}

/// validateResourceName + ValidateContainerResourceName: the messages for one name.
fn container_resource_name(name: &str) -> Vec<String> {
    let mut errs = qualified_name(name);
    if !errs.is_empty() {
        // validateResourceName returns early; ValidateContainerResourceName goes on.
        if !(name.contains('/')
            || matches!(name, "cpu" | "memory" | "ephemeral-storage")
            || is_hugepages(name))
        {
            errs.push("must be a standard resource for containers".into());
        }
        return errs;
    }
    if !name.contains('/') {
        if !is_standard_resource(name) {
            errs.push("must be a standard resource type or fully qualified".into());
        }
        if !(matches!(name, "cpu" | "memory" | "ephemeral-storage") || is_hugepages(name)) {
            errs.push("must be a standard resource for containers".into());
        }
    } else if !is_native(name) && !is_extended(name) {
        errs.push("doesn't follow extended resource name standard".into());
    }
    errs
}

/// ValidateResourceQuantityValue: not negative, whole for integer resources.
fn quantity_value(name: &str, q: Quantity, ptr: &str, v: &Value, out: &mut Out) {
    if q.is_negative() {
        out.invalid_at(
            codes::K8S142,
            ptr,
            v,
            "must be greater than or equal to 0",
            "a resource quantity cannot be negative",
        );
    }
    if is_integer_resource(name)
        && let Some(m) = q.milli_value()
        && m % 1000 != 0
    {
        out.invalid_at(
            codes::K8S142,
            ptr,
            v,
            "must be an integer",
            &format!("`{name}` is counted in whole units; use a whole number such as 1"),
        );
    }
}

/// ValidateContainerResourceRequirements for the container at `cp`.
pub(super) fn container(cp: &str, c: &Value, out: &mut Out) {
    let r = &c["resources"];
    let rp = format!("{cp}/resources");
    let empty = Map::new();
    let limits = r["limits"].as_object().unwrap_or(&empty);
    let requests = r["requests"].as_object().unwrap_or(&empty);
    let lp = format!("{rp}/limits");
    let qp = format!("{rp}/requests");
    let mut cpu_or_memory = false;
    let mut hugepages = false;
    for (list, lptr) in [(limits, &lp), (requests, &qp)] {
        for (name, v) in list {
            let kp = child(lptr, name);
            let errs = container_resource_name(name);
            if !errs.is_empty() {
                out.issues.push(super::Issue {
                    code: codes::K8S141,
                    message: format!(
                        "{}: Invalid value: {name:?}: {}",
                        super::pointer_to_path(&kp),
                        errs.join(", ")
                    ),
                    pointer: kp.clone(),
                    at_key: true,
                    hint: Some(resource_name_hint(name)),
                });
            }
            if let Some(q) = quantity::of(v) {
                quantity_value(name, q, &kp, v, out);
            }
            cpu_or_memory |= matches!(name.as_str(), "cpu" | "memory");
            hugepages |= is_hugepages(name);
        }
    }
    let req_field = super::pointer_to_path(&qp);
    for (name, v) in requests {
        let kp = child(&qp, name);
        match limits.get(name) {
            Some(lv) => {
                let (Some(rq), Some(lq)) = (quantity::of(v), quantity::of(lv)) else {
                    continue;
                };
                if rq != lq && !overcommit_allowed(name) {
                    out.invalid(
                        codes::K8S140,
                        &kp,
                        &req_field,
                        v,
                        &format!("must be equal to {name} limit of {}", plain(lv)),
                        &format!("`{name}` cannot be overcommitted: set its request equal to its limit (or give only the limit)"),
                    );
                } else if rq > lq {
                    out.invalid(
                        codes::K8S140,
                        &kp,
                        &req_field,
                        v,
                        &format!("must be less than or equal to {name} limit of {}", plain(lv)),
                        &format!("the {name} request {} is above its limit {}; lower the request or raise the limit", plain(v), plain(lv)),
                    );
                }
            }
            None if !overcommit_allowed(name) => {
                out.issues.push(super::Issue {
                    code: codes::K8S140,
                    message: format!(
                        "{}: Required value: Limit must be set for non overcommitable resources",
                        super::pointer_to_path(&lp)
                    ),
                    // At the limits the API server names, or the resources holding them.
                    pointer: if r["limits"].is_object() {
                        lp.clone()
                    } else {
                        rp.clone()
                    },
                    at_key: true,
                    hint: Some(format!(
                        "`{name}` cannot be overcommitted: give it a limit equal to the request (or only a limit)"
                    )),
                });
            }
            None => {}
        }
    }
    if hugepages && !cpu_or_memory {
        out.forbidden(
            codes::K8S140,
            &rp,
            "HugePages require cpu or memory",
            "request (or limit) cpu or memory along with hugepages",
        );
    }
}

fn resource_name_hint(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    let guess = match lower.as_str() {
        "cpus" | "core" | "cores" | "vcpu" | "millicpu" => Some("cpu"),
        "mem" | "ram" | "memorys" => Some("memory"),
        "storage" | "disk" | "ephemeral" => Some("ephemeral-storage"),
        "cpu" | "memory" | "ephemeral-storage" => Some(lower.as_str()),
        _ => None,
    };
    match guess {
        Some(g) if g != name => format!("did you mean `{g}`? containers request cpu, memory, ephemeral-storage, hugepages-<size> or an extended resource such as example.com/gpu"),
        _ => "containers request cpu, memory, ephemeral-storage, hugepages-<size> or an extended resource such as example.com/gpu".into(),
    }
}

/// A quantity as written, without quotes.
fn plain(v: &Value) -> String {
    v.as_str().map(str::to_string).unwrap_or_else(|| show(v))
}

/// ValidateLimitRange: the ordering of min, max, default and defaultRequest per resource,
/// after SetDefaults_LimitRangeItem (for type Container: default ← max, defaultRequest ←
/// default, then defaultRequest ← min), and the maxLimitRequestRatio floor.
pub(super) fn limit_range(v: &Value, out: &mut Out) {
    let Some(limits) = v["spec"]["limits"].as_array() else {
        return;
    };
    for (i, item) in limits.iter().enumerate() {
        let ip = format!("/spec/limits/{i}");
        let ty = item["type"].as_str().unwrap_or("");
        let get = |f: &str| -> Vec<(String, Value)> {
            item[f]
                .as_object()
                .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .unwrap_or_default()
        };
        let max = get("max");
        let min = get("min");
        let mut default = get("default");
        let mut default_request = get("defaultRequest");
        // Where each value came from: written (a pointer) or defaulted (the source's pointer).
        let mut default_src: Vec<String> = default
            .iter()
            .map(|(k, _)| child(&format!("{ip}/default"), k))
            .collect();
        let mut request_src: Vec<String> = default_request
            .iter()
            .map(|(k, _)| child(&format!("{ip}/defaultRequest"), k))
            .collect();
        if ty == "Pod" {
            for f in ["default", "defaultRequest"] {
                if item[f].as_object().is_some_and(|m| !m.is_empty()) {
                    out.forbidden(
                        codes::K8S143,
                        &format!("{ip}/{f}"),
                        "may not be specified when `type` is 'Pod'",
                        "defaults apply to containers; move them to an item of type Container",
                    );
                }
            }
            default.clear();
            default_request.clear();
            default_src.clear();
            request_src.clear();
        }
        if ty == "Container" {
            for (k, q) in &max {
                if !default.iter().any(|(d, _)| d == k) {
                    default.push((k.clone(), q.clone()));
                    default_src.push(child(&format!("{ip}/max"), k));
                }
            }
            for (idx, (k, q)) in default.clone().iter().enumerate() {
                if !default_request.iter().any(|(d, _)| d == k) {
                    default_request.push((k.clone(), q.clone()));
                    request_src.push(default_src[idx].clone());
                }
            }
            for (k, q) in &min {
                if !default_request.iter().any(|(d, _)| d == k) {
                    default_request.push((k.clone(), q.clone()));
                    request_src.push(child(&format!("{ip}/min"), k));
                }
            }
        }
        let find = |list: &[(String, Value)], k: &str| -> Option<(usize, Quantity, Value)> {
            list.iter()
                .enumerate()
                .find(|(_, (n, _))| n == k)
                .and_then(|(i, (_, v))| quantity::of(v).map(|q| (i, q, v.clone())))
        };
        let mut keys: Vec<String> = Vec::new();
        for list in [&max, &min, &default, &default_request] {
            for (k, _) in list {
                if !keys.contains(k) {
                    keys.push(k.clone());
                }
            }
        }
        for k in &keys {
            let mn = find(&min, k);
            let mx = find(&max, k);
            let df = find(&default, k);
            let dr = find(&default_request, k);
            let minp = child(&format!("{ip}/min"), k);
            let hint = "order each resource as min ≤ defaultRequest ≤ default ≤ max (a missing default is the max, a missing defaultRequest the default or the min)";
            let mut bad = |ptr: &str, field: String, val: &Value, detail: String| {
                out.invalid(codes::K8S143, ptr, &field, val, &detail, hint);
            };
            let path = |f: &str| super::pointer_to_path(&child(&format!("{ip}/{f}"), k));
            if let (Some((_, a, av)), Some((_, b, bv))) = (&mn, &mx)
                && a > b
            {
                bad(
                    &minp,
                    path("min"),
                    av,
                    format!(
                        "min value {} is greater than max value {}",
                        plain(av),
                        plain(bv)
                    ),
                );
            }
            if let (Some((ri, r, rv)), Some((_, a, av))) = (&dr, &mn)
                && a > r
            {
                bad(
                    &request_src[*ri],
                    path("defaultRequest"),
                    rv,
                    format!(
                        "min value {} is greater than default request value {}",
                        plain(av),
                        plain(rv)
                    ),
                );
            }
            if let (Some((ri, r, rv)), Some((_, b, bv))) = (&dr, &mx)
                && r > b
            {
                bad(
                    &request_src[*ri],
                    path("defaultRequest"),
                    rv,
                    format!(
                        "default request value {} is greater than max value {}",
                        plain(rv),
                        plain(bv)
                    ),
                );
            }
            if let (Some((ri, r, rv)), Some((_, d, dv))) = (&dr, &df)
                && r > d
            {
                bad(
                    &request_src[*ri],
                    path("defaultRequest"),
                    rv,
                    format!(
                        "default request value {} is greater than default limit value {}",
                        plain(rv),
                        plain(dv)
                    ),
                );
            }
            if let (Some((di, d, dv)), Some((_, a, av))) = (&df, &mn)
                && a > d
            {
                bad(
                    &default_src[*di],
                    path("default"),
                    av,
                    format!(
                        "min value {} is greater than default value {}",
                        plain(av),
                        plain(dv)
                    ),
                );
            }
            if let (Some((di, d, dv)), Some((_, b, bv))) = (&df, &mx)
                && d > b
            {
                bad(
                    &default_src[*di],
                    path("default"),
                    bv,
                    format!(
                        "default value {} is greater than max value {}",
                        plain(dv),
                        plain(bv)
                    ),
                );
            }
            if !overcommit_allowed(k)
                && let (Some((_, d, dv)), Some((ri, r, rv))) = (&df, &dr)
                && d != r
            {
                bad(
                    &request_src[*ri],
                    path("defaultRequest"),
                    rv,
                    format!(
                        "default value {} must equal to defaultRequest value {} in {k}",
                        plain(dv),
                        plain(rv)
                    ),
                );
            }
        }
        if let Some(ratios) = item["maxLimitRequestRatio"].as_object() {
            for (k, rv) in ratios {
                if let Some(r) = quantity::of(rv)
                    && r.nano < 1_000_000_000
                {
                    out.invalid_at(
                        codes::K8S143,
                        &child(&format!("{ip}/maxLimitRequestRatio"), k),
                        rv,
                        &format!("ratio {} is less than 1", plain(rv)),
                        "a limit/request ratio is at least 1",
                    );
                }
            }
        }
    }
}

/// ValidateResourceQuotaSpec: each hard resource name (ValidateResourceQuotaResourceName:
/// qualified, and a standard quota resource when unprefixed) and quantity
/// (ValidateResourceQuantityValue).
pub(super) fn resource_quota(v: &Value, out: &mut Out) {
    let Some(hard) = v["spec"]["hard"].as_object() else {
        return;
    };
    const QUOTA: &[&str] = &[
        "cpu",
        "memory",
        "ephemeral-storage",
        "requests.cpu",
        "requests.memory",
        "requests.storage",
        "requests.ephemeral-storage",
        "limits.cpu",
        "limits.memory",
        "limits.ephemeral-storage",
        "pods",
        "resourcequotas",
        "services",
        "replicationcontrollers",
        "secrets",
        "persistentvolumeclaims",
        "configmaps",
        "services.nodeports",
        "services.loadbalancers",
    ];
    for (name, q) in hard {
        let kp = child("/spec/hard", name);
        let mut errs = qualified_name(name);
        if errs.is_empty()
            && !name.contains('/')
            && !(QUOTA.contains(&name.as_str())
                || is_hugepages(name)
                || name.starts_with("requests.hugepages-"))
        {
            if !is_standard_resource(name) {
                errs.push("must be a standard resource type or fully qualified".into());
            }
            errs.push("must be a standard resource for quota".into());
        }
        if !errs.is_empty() {
            out.issues.push(super::Issue {
                code: codes::K8S136,
                message: format!("spec.hard[{name}]: Invalid value: {name:?}: {}", errs.join(", ")),
                pointer: kp.clone(),
                at_key: true,
                hint: Some("a quota limits cpu, memory, requests.*, limits.*, object counts (pods, services, count/deployments.apps) or an extended resource (requests.example.com/gpu)".into()),
            });
        }
        if let Some(x) = quantity::of(q) {
            quantity_value(name, x, &kp, q, out);
        }
    }
}
