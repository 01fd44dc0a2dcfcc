//! Disruption budgets, autoscalers and RBAC: pkg/apis/policy/validation/validation.go
//! ValidatePodDisruptionBudgetSpec, pkg/apis/autoscaling/validation/validation.go
//! validateHorizontalPodAutoscalerSpec (validateMetricTarget, validateResourceSource), and
//! pkg/apis/rbac/validation/validation.go ValidatePolicyRule, ValidateRoleBinding,
//! ValidateClusterRoleBinding, ValidateRoleBindingSubject.

use super::format::is_percent;
use super::{Out, child, quantity};
use crate::diag::codes;
use serde_json::Value;

const PERCENT_MSG: &str = "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

/// ValidatePositiveIntOrPercent and IsNotMoreThan100Percent.
fn int_or_percent(code: &'static str, ptr: &str, v: &Value, out: &mut Out) {
    match v {
        Value::String(s) if !is_percent(s) => out.invalid_at(
            code,
            ptr,
            v,
            PERCENT_MSG,
            "write a whole number of Pods (1) or a percentage (50%)",
        ),
        // getPercentValue: strconv.Atoi; a value it cannot read counts as 0.
        Value::String(s)
            if s.trim_end_matches('%')
                .parse::<i64>()
                .is_ok_and(|p| p > 100) =>
        {
            out.invalid_at(
                code,
                ptr,
                v,
                "must not be greater than 100%",
                "a percentage of the Pods is at most 100%",
            );
        }
        Value::Number(n) if n.as_i64().is_some_and(|n| n < 0) => {
            out.invalid_at(
                code,
                ptr,
                v,
                "must be greater than or equal to 0",
                "use 0 or a positive number",
            );
        }
        _ => {}
    }
}

/// ValidatePodDisruptionBudgetSpec
pub(super) fn pdb(v: &Value, out: &mut Out) {
    let spec = &v["spec"];
    if !spec.is_object() {
        return;
    }
    let (min, max) = (&spec["minAvailable"], &spec["maxUnavailable"]);
    if !min.is_null() && !max.is_null() {
        out.issues.push(super::Issue {
            code: codes::K8S160,
            message: "spec: Invalid value: minAvailable and maxUnavailable cannot be both set"
                .into(),
            pointer: "/spec/maxUnavailable".into(),
            at_key: true,
            hint: Some(
                "a PodDisruptionBudget sets minAvailable or maxUnavailable, not both; keep one"
                    .into(),
            ),
        });
    }
    for f in ["minAvailable", "maxUnavailable"] {
        if !spec[f].is_null() {
            int_or_percent(codes::K8S160, &child("/spec", f), &spec[f], out);
        }
    }
}

/// validateHorizontalPodAutoscalerSpec after SetDefaults_HorizontalPodAutoscaler
/// (minReplicas 1), with the HPAScaleToZero feature on (its 1.37 default): bounds, and the
/// targets of Resource and ContainerResource metrics.
pub(super) fn hpa(v: &Value, out: &mut Out) {
    let spec = &v["spec"];
    if !spec.is_object() {
        return;
    }
    let min_given = spec["minReplicas"].as_i64();
    if let Some(n) = min_given {
        min_replicas(spec, n, out);
    }
    max_replicas(spec, min_given.unwrap_or(1), out);
    for dir in ["scaleUp", "scaleDown"] {
        let r = &spec["behavior"][dir];
        if r.is_object() {
            scaling_rules(&format!("/spec/behavior/{dir}"), r, out);
        }
    }
    for (i, m) in spec["metrics"].as_array().into_iter().flatten().enumerate() {
        for src in ["resource", "containerResource"] {
            let s = &m[src];
            if s.is_object() {
                resource_metric_source(&format!("/spec/metrics/{i}/{src}/target"), s, out);
                // Only the first metric source is validated when several are given.
                break;
            }
        }
    }
}

/// A written minReplicas `n`: not negative, and 0 only with an Object or External metric.
fn min_replicas(spec: &Value, n: i64, out: &mut Out) {
    // HPAScaleToZero is beta and on by default in 1.37: the lower bound is 0
    // (pkg/registry/autoscaling/horizontalpodautoscaler/strategy.go), and validateMetrics
    // allows 0 only with an Object or External metric (the defaulted metric is cpu).
    if n < 0 {
        out.invalid_at(
            codes::K8S161,
            "/spec/minReplicas",
            &spec["minReplicas"],
            "must be greater than or equal to 0",
            "minReplicas is at least 1 (or 0 with an Object or External metric)",
        );
    } else if n == 0 {
        let scales_to_zero = spec["metrics"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|m| matches!(m["type"].as_str(), Some("Object" | "External")));
        if !scales_to_zero {
            let (ptr, at_key) = if spec["metrics"].is_null() {
                ("/spec/minReplicas", false)
            } else {
                ("/spec/metrics", true)
            };
            out.issues.push(super::Issue {
                code: codes::K8S161,
                message: "spec.metrics: Forbidden: must specify at least one Object or External metric to support scaling to zero replicas".into(),
                pointer: ptr.into(),
                at_key,
                hint: Some("scaling to zero needs an Object or External metric to wake the workload; use minReplicas: 1, or add such a metric".into()),
            });
        }
    }
}

/// maxReplicas, when written: at least 1 and at least `min` (minReplicas after defaulting).
fn max_replicas(spec: &Value, min: i64, out: &mut Out) {
    let Some(max) = spec["maxReplicas"].as_i64() else {
        return;
    };
    let mp = "/spec/maxReplicas";
    if max == 0 {
        out.invalid_at(
            codes::K8S161,
            mp,
            &spec["maxReplicas"],
            "must be set and greater than 0",
            "set maxReplicas to the most replicas the autoscaler may run",
        );
    } else if max < 0 {
        out.invalid_at(
            codes::K8S161,
            mp,
            &spec["maxReplicas"],
            "must be greater than or equal to 1",
            "set maxReplicas to the most replicas the autoscaler may run",
        );
    }
    if max < min {
        out.invalid_at(
            codes::K8S161,
            mp,
            &spec["maxReplicas"],
            "must be greater than or equal to `minReplicas`",
            &format!("maxReplicas is below minReplicas ({min}); raise it"),
        );
    }
}

/// validateResourceSource / validateContainerResourceSource: the target (at `tp`), with
/// exactly one of averageUtilization and averageValue.
fn resource_metric_source(tp: &str, s: &Value, out: &mut Out) {
    metric_target(tp, &s["target"], out);
    let t = &s["target"];
    if t["averageUtilization"].is_null() && t["averageValue"].is_null() {
        out.required(
            codes::K8S161,
            tp,
            "must set either a target raw value or a target utilization",
            "a resource metric targets averageUtilization (e.g. 70) or averageValue",
        );
    }
    if !t["averageUtilization"].is_null() && !t["averageValue"].is_null() {
        out.forbidden(
            codes::K8S161,
            &format!("{tp}/averageValue"),
            "may not set both a target raw value and a target utilization",
            "keep averageUtilization or averageValue, not both",
        );
    }
}

/// validateMetricTarget
fn metric_target(tp: &str, t: &Value, out: &mut Out) {
    if !t.is_object() {
        return;
    }
    if let Some(ty) = t["type"].as_str()
        && !matches!(ty, "Utilization" | "Value" | "AverageValue")
    {
        out.invalid_at(
            codes::K8S161,
            &format!("{tp}/type"),
            &t["type"],
            "must be either Utilization, Value, or AverageValue",
            "a metric target's type is Utilization, Value or AverageValue",
        );
    }
    for f in ["value", "averageValue"] {
        if let Some(q) = quantity::of(&t[f])
            && q.nano <= 0
        {
            out.invalid_at(
                codes::K8S161,
                &format!("{tp}/{f}"),
                &t[f],
                "must be positive",
                "a target value is above zero",
            );
        }
    }
    if let Some(n) = t["averageUtilization"].as_i64()
        && n < 1
    {
        out.invalid_at(
            codes::K8S161,
            &format!("{tp}/averageUtilization"),
            &t["averageUtilization"],
            "must be greater than 0",
            "a utilization target is a percentage of the request above 0 (e.g. 70)",
        );
    }
}

fn non_empty(v: &Value) -> bool {
    v.as_array().is_some_and(|a| !a.is_empty())
}

/// ValidateRole / ValidateClusterRole → ValidatePolicyRule for each rule.
pub(super) fn role(namespaced: bool, v: &Value, out: &mut Out) {
    for (i, r) in v["rules"].as_array().into_iter().flatten().enumerate() {
        let rp = format!("/rules/{i}");
        if !non_empty(&r["verbs"]) {
            out.required(
                codes::K8S165,
                &if r["verbs"].is_null() {
                    rp.clone()
                } else {
                    format!("{rp}/verbs")
                },
                "verbs must contain at least one value",
                "list what the rule allows, e.g. verbs: [get, list, watch]",
            );
        }
        if non_empty(&r["nonResourceURLs"]) {
            let np = format!("{rp}/nonResourceURLs");
            if namespaced {
                out.invalid_at(
                    codes::K8S165,
                    &np,
                    &r["nonResourceURLs"],
                    "namespaced rules cannot apply to non-resource URLs",
                    "non-resource URLs such as /healthz are granted by a ClusterRole",
                );
            }
            if non_empty(&r["apiGroups"])
                || non_empty(&r["resources"])
                || non_empty(&r["resourceNames"])
            {
                out.invalid_at(
                    codes::K8S165,
                    &np,
                    &r["nonResourceURLs"],
                    "rules cannot apply to both regular resources and non-resource URLs",
                    "split this into two rules: one for resources, one for nonResourceURLs",
                );
            }
            continue;
        }
        if !non_empty(&r["apiGroups"]) {
            out.required(
                codes::K8S165,
                &if r["apiGroups"].is_null() { rp.clone() } else { format!("{rp}/apiGroups") },
                "resource rules must supply at least one api group",
                "name the API group of the resources; the core group (pods, services, …) is apiGroups: [\"\"]",
            );
        }
        if !non_empty(&r["resources"]) {
            out.required(
                codes::K8S165,
                &if r["resources"].is_null() {
                    rp.clone()
                } else {
                    format!("{rp}/resources")
                },
                "resource rules must supply at least one resource",
                "list the resources the rule covers, e.g. resources: [pods]",
            );
        }
    }
}

/// ValidateRoleBinding / ValidateClusterRoleBinding: roleRef and subjects, after
/// SetDefaults_Subject (User and Group get apiGroup rbac.authorization.k8s.io).
pub(super) fn binding(namespaced: bool, v: &Value, out: &mut Out) {
    let rr = &v["roleRef"];
    const GROUP: &str = "rbac.authorization.k8s.io";
    if let Some(g) = rr["apiGroup"].as_str()
        && g != GROUP
    {
        out.not_supported(
            codes::K8S166,
            "/roleRef/apiGroup",
            &rr["apiGroup"],
            &[GROUP],
            "roleRef.apiGroup is rbac.authorization.k8s.io",
        );
    }
    if let Some(k) = rr["kind"].as_str() {
        let allowed: &[&str] = if namespaced {
            &["Role", "ClusterRole"]
        } else {
            &["ClusterRole"]
        };
        if !allowed.contains(&k) {
            out.not_supported(
                codes::K8S166,
                "/roleRef/kind",
                &rr["kind"],
                allowed,
                if namespaced {
                    "a RoleBinding refers to a Role or a ClusterRole"
                } else {
                    "a ClusterRoleBinding refers to a ClusterRole (bind a Role with a RoleBinding)"
                },
            );
        }
    }
    for (i, s) in v["subjects"].as_array().into_iter().flatten().enumerate() {
        let sp = format!("/subjects/{i}");
        let kind = s["kind"].as_str().unwrap_or("");
        let group = s["apiGroup"].as_str().unwrap_or("");
        match kind {
            "ServiceAccount" => {
                if !group.is_empty() {
                    out.not_supported(
                        codes::K8S166,
                        &format!("{sp}/apiGroup"),
                        &s["apiGroup"],
                        &[""],
                        "a ServiceAccount subject has no apiGroup; remove it",
                    );
                }
                if !namespaced && s["namespace"].as_str().is_none_or(str::is_empty) {
                    out.required(
                        codes::K8S166,
                        &format!("{sp}/namespace"),
                        "",
                        "a ClusterRoleBinding's ServiceAccount subject names its namespace",
                    );
                }
            }
            "User" | "Group" => {
                if !group.is_empty() && group != GROUP {
                    out.not_supported(
                        codes::K8S166,
                        &format!("{sp}/apiGroup"),
                        &s["apiGroup"],
                        &[GROUP],
                        "a User or Group subject has apiGroup rbac.authorization.k8s.io (or none)",
                    );
                }
            }
            _ => out.not_supported(
                codes::K8S166,
                &format!("{sp}/kind"),
                &s["kind"],
                &["ServiceAccount", "User", "Group"],
                "a subject is a ServiceAccount, a User or a Group",
            ),
        }
    }
}

/// pkg/apis/scheduling/validation/validation.go ValidatePriorityClass: `system-` names are
/// reserved (pkg/apis/scheduling/v1/helpers.go IsKnownSystemPriorityClass), other values
/// are at most HighestUserDefinablePriority (1000000000).
pub(super) fn priority_class(v: &Value, out: &mut Out) {
    let name = v["metadata"]["name"].as_str().unwrap_or("");
    let value = v["value"].as_i64().unwrap_or(0);
    let global = v["globalDefault"].as_bool().unwrap_or(false);
    if name.starts_with("system-") {
        let known = [
            ("system-cluster-critical", 2000000000),
            ("system-node-critical", 2000001000),
        ];
        let err = match known.iter().find(|(n, _)| *n == name) {
            None => Some(format!("{name} is not a known system priority class")),
            Some((n, want)) if *want != value => {
                Some(format!("value of {n} PriorityClass must be {want}"))
            }
            Some((n, _)) if global => {
                Some(format!("globalDefault of {n} PriorityClass must be false"))
            }
            Some(_) => None,
        };
        if let Some(e) = err {
            out.forbidden(
                codes::K8S138,
                "/metadata/name",
                &format!("priority class names with 'system-' prefix are reserved for system use only. error: {e}"),
                "pick a name without the `system-` prefix",
            );
        }
    } else if value > 1_000_000_000 {
        out.forbidden(
            codes::K8S138,
            "/value",
            "maximum allowed value of a user defined priority is 1000000000",
            "values above one billion are reserved for system classes; use 1000000000 or less",
        );
    }
}

/// validateScalingRules and validateScalingPolicy (MaxStabilizationWindowSeconds 3600,
/// MaxPeriodSeconds 1800). Policies left out are defaulted (GenerateHPAScaleUpRules).
fn scaling_rules(rp: &str, r: &Value, out: &mut Out) {
    let code = codes::K8S161;
    let sw = &r["stabilizationWindowSeconds"];
    if let Some(n) = sw.as_i64() {
        let swp = child(rp, "stabilizationWindowSeconds");
        if n < 0 {
            out.invalid_at(
                code,
                &swp,
                sw,
                "must be greater than or equal to zero",
                "a stabilization window is 0 to 3600 seconds",
            );
        } else if n > 3600 {
            out.invalid_at(
                code,
                &swp,
                sw,
                "must be less than or equal to 3600",
                "a stabilization window is 0 to 3600 seconds",
            );
        }
    }
    if let Some(s) = r["selectPolicy"].as_str()
        && !matches!(s, "Max" | "Min" | "Disabled")
    {
        out.not_supported(
            code,
            &child(rp, "selectPolicy"),
            &r["selectPolicy"],
            &["Disabled", "Max", "Min"],
            "selectPolicy is Max, Min or Disabled",
        );
    }
    for (i, p) in r["policies"].as_array().into_iter().flatten().enumerate() {
        let pp = format!("{rp}/policies/{i}");
        if let Some(t) = p["type"].as_str()
            && !matches!(t, "Pods" | "Percent")
        {
            out.not_supported(
                code,
                &child(&pp, "type"),
                &p["type"],
                &["Percent", "Pods"],
                "a scaling policy counts Pods or a Percent",
            );
        }
        if let Some(v) = p["value"].as_i64()
            && v <= 0
        {
            out.invalid_at(
                code,
                &child(&pp, "value"),
                &p["value"],
                "must be greater than zero",
                "a policy changes at least one Pod or percent per period",
            );
        }
        if let Some(n) = p["periodSeconds"].as_i64() {
            let ps = child(&pp, "periodSeconds");
            if n <= 0 {
                out.invalid_at(
                    code,
                    &ps,
                    &p["periodSeconds"],
                    "must be greater than zero",
                    "a period is 1 to 1800 seconds",
                );
            } else if n > 1800 {
                out.invalid_at(
                    code,
                    &ps,
                    &p["periodSeconds"],
                    "must be less than or equal to 1800",
                    "a period is 1 to 1800 seconds",
                );
            }
        }
    }
}
