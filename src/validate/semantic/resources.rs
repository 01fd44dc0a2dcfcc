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
            resource_entry(&child(lptr, name), name, v, out);
            cpu_or_memory |= matches!(name.as_str(), "cpu" | "memory");
            hugepages |= is_hugepages(name);
        }
    }
    let req_field = super::pointer_to_path(&qp);
    for (name, v) in requests {
        let kp = child(&qp, name);
        match limits.get(name) {
            Some(lv) => request_within_limit(&kp, &req_field, name, v, lv, out),
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

/// One limit or request (at `kp`): ValidateContainerResourceName and
/// ValidateResourceQuantityValue.
fn resource_entry(kp: &str, name: &str, v: &Value, out: &mut Out) {
    let errs = container_resource_name(name);
    if !errs.is_empty() {
        out.issues.push(super::Issue {
            code: codes::K8S141,
            message: format!(
                "{}: Invalid value: {name:?}: {}",
                super::pointer_to_path(kp),
                errs.join(", ")
            ),
            pointer: kp.to_string(),
            at_key: true,
            hint: Some(resource_name_hint(name)),
        });
    }
    if let Some(q) = quantity::of(v) {
        quantity_value(name, q, kp, v, out);
    }
}

/// validateResourceRequirements for a request `v` (at `kp`) with a limit `lv`: equal for a
/// resource that cannot be overcommitted, else not above the limit.
fn request_within_limit(
    kp: &str,
    req_field: &str,
    name: &str,
    v: &Value,
    lv: &Value,
    out: &mut Out,
) {
    let (Some(rq), Some(lq)) = (quantity::of(v), quantity::of(lv)) else {
        return;
    };
    if rq != lq && !overcommit_allowed(name) {
        out.invalid(
            codes::K8S140,
            kp,
            req_field,
            v,
            &format!("must be equal to {name} limit of {}", plain(lv)),
            &format!("`{name}` cannot be overcommitted: set its request equal to its limit (or give only the limit)"),
        );
    } else if rq > lq {
        out.invalid(
            codes::K8S140,
            kp,
            req_field,
            v,
            &format!(
                "must be less than or equal to {name} limit of {}",
                plain(lv)
            ),
            &format!(
                "the {name} request {} is above its limit {}; lower the request or raise the limit",
                plain(v),
                plain(lv)
            ),
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
        if ty == "Pod" {
            pod_defaults_forbidden(&ip, item, out);
        }
        let bounds = LimitBounds::defaulted(&ip, item, ty);
        for k in bounds.resource_names() {
            bounds.check_order(&ip, k, out);
        }
        max_limit_request_ratio(&ip, item["maxLimitRequestRatio"].as_object(), out);
    }
}

/// A LimitRange item of type Pod may not set defaults: they apply to containers.
fn pod_defaults_forbidden(ip: &str, item: &Value, out: &mut Out) {
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
}

/// One resource's quantity in one of an item's lists: its index in the list (for the source
/// pointer), the quantity and the value as written.
struct Bound<'a> {
    idx: usize,
    q: Quantity,
    v: &'a Value,
}

/// The min, max, default and defaultRequest lists of one LimitRange item, in written order,
/// after SetDefaults_LimitRangeItem.
struct LimitBounds<'a> {
    max: Vec<(&'a String, &'a Value)>,
    min: Vec<(&'a String, &'a Value)>,
    default: Vec<(&'a String, &'a Value)>,
    default_request: Vec<(&'a String, &'a Value)>,
    // Where each value came from: written (a pointer) or defaulted (the source's pointer).
    default_src: Vec<String>,
    request_src: Vec<String>,
}

impl<'a> LimitBounds<'a> {
    fn defaulted(ip: &str, item: &'a Value, ty: &str) -> LimitBounds<'a> {
        let get = |f: &str| -> Vec<(&'a String, &'a Value)> {
            item[f]
                .as_object()
                .map(|m| m.iter().collect())
                .unwrap_or_default()
        };
        let mut b = LimitBounds {
            max: get("max"),
            min: get("min"),
            default: Vec::new(),
            default_request: Vec::new(),
            default_src: Vec::new(),
            request_src: Vec::new(),
        };
        // Pod items get no defaults (writing them is forbidden, above).
        if ty != "Pod" {
            b.default = get("default");
            b.default_request = get("defaultRequest");
            b.default_src = (b.default.iter())
                .map(|(k, _)| child(&format!("{ip}/default"), k))
                .collect();
            b.request_src = (b.default_request.iter())
                .map(|(k, _)| child(&format!("{ip}/defaultRequest"), k))
                .collect();
        }
        if ty == "Container" {
            b.default_container_item(ip);
        }
        b
    }

    /// SetDefaults_LimitRangeItem for type Container: default ← max, defaultRequest ←
    /// default, then defaultRequest ← min, each only where the resource is not set yet.
    fn default_container_item(&mut self, ip: &str) {
        for &(k, q) in &self.max {
            if !self.default.iter().any(|(d, _)| *d == k) {
                self.default.push((k, q));
                self.default_src.push(child(&format!("{ip}/max"), k));
            }
        }
        for (idx, &(k, q)) in self.default.iter().enumerate() {
            if !self.default_request.iter().any(|(d, _)| *d == k) {
                self.default_request.push((k, q));
                self.request_src.push(self.default_src[idx].clone());
            }
        }
        for &(k, q) in &self.min {
            if !self.default_request.iter().any(|(d, _)| *d == k) {
                self.default_request.push((k, q));
                self.request_src.push(child(&format!("{ip}/min"), k));
            }
        }
    }

    /// Every resource named in max, min, default or defaultRequest, first mention first.
    fn resource_names(&self) -> Vec<&'a String> {
        let mut keys: Vec<&'a String> = Vec::new();
        for list in [&self.max, &self.min, &self.default, &self.default_request] {
            for &(k, _) in list {
                if !keys.contains(&k) {
                    keys.push(k);
                }
            }
        }
        keys
    }

    /// The ordering min ≤ defaultRequest ≤ default ≤ max of resource `k`, and default =
    /// defaultRequest for a resource that cannot be overcommitted. A defaulted value is
    /// reported at the value it was defaulted from.
    fn check_order(&self, ip: &str, k: &str, out: &mut Out) {
        let mn = bound(&self.min, k);
        let mx = bound(&self.max, k);
        let df = bound(&self.default, k);
        let dr = bound(&self.default_request, k);
        let minp = child(&format!("{ip}/min"), k);
        let hint = "order each resource as min ≤ defaultRequest ≤ default ≤ max (a missing default is the max, a missing defaultRequest the default or the min)";
        let mut bad = |ptr: &str, f: &str, val: &Value, detail: String| {
            let field = super::pointer_to_path(&child(&format!("{ip}/{f}"), k));
            out.invalid(codes::K8S143, ptr, &field, val, &detail, hint);
        };
        let req_src = |r: &Bound| self.request_src[r.idx].as_str();
        let def_src = |d: &Bound| self.default_src[d.idx].as_str();
        if let Some((a, b)) = above(&mn, &mx) {
            let detail = format!(
                "min value {} is greater than max value {}",
                plain(a.v),
                plain(b.v)
            );
            bad(&minp, "min", a.v, detail);
        }
        if let Some((a, r)) = above(&mn, &dr) {
            let detail = format!(
                "min value {} is greater than default request value {}",
                plain(a.v),
                plain(r.v)
            );
            bad(req_src(r), "defaultRequest", r.v, detail);
        }
        if let Some((r, b)) = above(&dr, &mx) {
            let detail = format!(
                "default request value {} is greater than max value {}",
                plain(r.v),
                plain(b.v)
            );
            bad(req_src(r), "defaultRequest", r.v, detail);
        }
        if let Some((r, d)) = above(&dr, &df) {
            let detail = format!(
                "default request value {} is greater than default limit value {}",
                plain(r.v),
                plain(d.v)
            );
            bad(req_src(r), "defaultRequest", r.v, detail);
        }
        if let Some((a, d)) = above(&mn, &df) {
            let detail = format!(
                "min value {} is greater than default value {}",
                plain(a.v),
                plain(d.v)
            );
            bad(def_src(d), "default", a.v, detail);
        }
        if let Some((d, b)) = above(&df, &mx) {
            let detail = format!(
                "default value {} is greater than max value {}",
                plain(d.v),
                plain(b.v)
            );
            bad(def_src(d), "default", b.v, detail);
        }
        if !overcommit_allowed(k)
            && let (Some(d), Some(r)) = (&df, &dr)
            && d.q != r.q
        {
            let detail = format!(
                "default value {} must equal to defaultRequest value {} in {k}",
                plain(d.v),
                plain(r.v)
            );
            bad(req_src(r), "defaultRequest", r.v, detail);
        }
    }
}

/// Resource `k` in `list`, when it is there and a quantity.
fn bound<'a>(list: &[(&String, &'a Value)], k: &str) -> Option<Bound<'a>> {
    list.iter()
        .enumerate()
        .find(|(_, (n, _))| *n == k)
        .and_then(|(idx, &(_, v))| quantity::of(v).map(|q| Bound { idx, q, v }))
}

/// Both bounds, when both are set and the first is above the second.
fn above<'b, 'a>(
    hi: &'b Option<Bound<'a>>,
    lo: &'b Option<Bound<'a>>,
) -> Option<(&'b Bound<'a>, &'b Bound<'a>)> {
    match (hi, lo) {
        (Some(h), Some(l)) if h.q > l.q => Some((h, l)),
        _ => None,
    }
}

/// maxLimitRequestRatio: each ratio is at least 1.
fn max_limit_request_ratio(ip: &str, ratios: Option<&Map<String, Value>>, out: &mut Out) {
    for (k, rv) in ratios.into_iter().flatten() {
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
