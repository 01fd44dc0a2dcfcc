//! Workloads: pkg/apis/apps/validation/validation.go (ValidateDeploymentSpec,
//! ValidateReplicaSetSpec, ValidateStatefulSetSpec, ValidateDaemonSetSpec,
//! ValidatePodTemplateSpecForReplicaSet, ValidateDeploymentStrategy,
//! ValidateRollingUpdateDeployment) and pkg/apis/batch/validation/validation.go
//! (validateJobSpec, validateCronJobSpec, ValidateJobTemplateSpec).

use super::format::is_percent;
use super::{Out, child, pod};
use crate::diag::codes;
use serde_json::Value;

/// The template's restartPolicy after SetDefaults_PodSpec (empty → Always).
fn restart_policy(spec: &Value) -> &str {
    spec["restartPolicy"]
        .as_str()
        .filter(|s| !s.is_empty())
        .unwrap_or("Always")
}

/// What ValidateDeploymentSpec, ValidateReplicaSetSpec, ValidateStatefulSetSpec and
/// ValidateDaemonSetSpec share (counts, selector, template), then each kind's own rules.
pub(super) fn apps(kind: &str, v: &Value, out: &mut Out) {
    let spec = &v["spec"];
    if !spec.is_object() {
        return;
    }
    if kind != "DaemonSet" {
        out.nonnegative("/spec/replicas", &spec["replicas"]);
    }
    out.nonnegative("/spec/minReadySeconds", &spec["minReadySeconds"]);
    if matches!(kind, "Deployment" | "DaemonSet") {
        out.nonnegative("/spec/revisionHistoryLimit", &spec["revisionHistoryLimit"]);
    }
    empty_selector(kind, spec, out);
    selector(spec, out);
    template_and_claims(spec, out);
    template_for_replicas(kind, &spec["template"]["spec"], out);
    match kind {
        "DaemonSet" => daemon_set_strategy(spec, out),
        "StatefulSet" => stateful_set(spec, out),
        "Deployment" => {
            deployment_strategy(spec, out);
            progress_deadline(spec, out);
        }
        _ => {}
    }
}

/// An empty selector: `selector: {}` (the schema requires the field).
fn empty_selector(kind: &str, spec: &Value, out: &mut Out) {
    let Some(sel) = spec["selector"].as_object() else {
        return;
    };
    let n = sel
        .get("matchLabels")
        .and_then(Value::as_object)
        .map_or(0, |m| m.len())
        + sel
            .get("matchExpressions")
            .and_then(Value::as_array)
            .map_or(0, |a| a.len());
    if n == 0 {
        let what = match kind {
            "StatefulSet" => "statefulset",
            "DaemonSet" => "daemonset",
            _ => "deployment",
        };
        out.invalid_at(
            codes::K8S123,
            "/spec/selector",
            &spec["selector"],
            &format!("empty selector is invalid for {what}"),
            "select the Pods by a label of the template, e.g. matchLabels: {app: web}",
        );
    }
}

/// The Pod template (whose Pods also get the volumeClaimTemplates as volumes), then
/// validateVolumeClaimTemplates → ValidatePersistentVolumeClaimSpec.
fn template_and_claims(spec: &Value, out: &mut Out) {
    let claims: Vec<&str> = spec["volumeClaimTemplates"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["metadata"]["name"].as_str())
        .collect();
    pod::template_with("/spec/template", &spec["template"], &claims, out);
    for (i, c) in spec["volumeClaimTemplates"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        super::storage::claim_spec(
            &format!("/spec/volumeClaimTemplates/{i}/spec"),
            &c["spec"],
            out,
        );
    }
}

/// ValidatePodTemplateSpecForReplicaSet, and the same checks of ValidateStatefulSetSpec and
/// ValidateDaemonSetSpec: the Pods restart always and have no activeDeadlineSeconds.
fn template_for_replicas(kind: &str, tspec: &Value, out: &mut Out) {
    let policy = restart_policy(tspec);
    if policy != "Always" {
        out.not_supported(
            codes::K8S121,
            "/spec/template/spec/restartPolicy",
            &Value::String(policy.into()),
            &["Always"],
            &format!("a {kind} restarts its Pods forever; remove restartPolicy (or use a Job for run-to-completion work)"),
        );
    }
    if !tspec["activeDeadlineSeconds"].is_null() {
        out.forbidden(
            codes::K8S121,
            "/spec/template/spec/activeDeadlineSeconds",
            &format!("activeDeadlineSeconds in {kind} is not Supported"),
            "remove activeDeadlineSeconds; it is for Pods that run to completion",
        );
    }
}

/// ValidateDeploymentSpec: progressDeadlineSeconds is above minReadySeconds, after
/// SetDefaults_Deployment (progressDeadlineSeconds defaults to 600).
fn progress_deadline(spec: &Value, out: &mut Out) {
    let min_ready = spec["minReadySeconds"].as_i64().unwrap_or(0);
    let given = spec["progressDeadlineSeconds"].as_i64();
    out.nonnegative(
        "/spec/progressDeadlineSeconds",
        &spec["progressDeadlineSeconds"],
    );
    let deadline = given.unwrap_or(600);
    if deadline <= min_ready {
        let defaulted = Value::from(600);
        let (ptr, val) = if given.is_some() {
            (
                "/spec/progressDeadlineSeconds",
                &spec["progressDeadlineSeconds"],
            )
        } else {
            ("/spec/minReadySeconds", &defaulted)
        };
        out.invalid(
            codes::K8S122,
            ptr,
            "spec.progressDeadlineSeconds",
            val,
            "must be greater than minReadySeconds",
            "set progressDeadlineSeconds above minReadySeconds (it defaults to 600)",
        );
    }
}

/// An int-or-percent as getIntOrPercentValue reads it.
fn int_or_percent(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) if is_percent(s) => s.trim_end_matches('%').parse().ok(),
        _ => None,
    }
}

/// ValidateDeploymentStrategy and ValidateRollingUpdateDeployment, after
/// SetDefaults_Deployment (type RollingUpdate, maxSurge and maxUnavailable 25 %).
fn deployment_strategy(spec: &Value, out: &mut Out) {
    let st = &spec["strategy"];
    let ty = st["type"].as_str().unwrap_or("RollingUpdate");
    let ptr = "/spec/strategy";
    if ty == "Recreate" {
        if !st["rollingUpdate"].is_null() {
            out.forbidden(
                codes::K8S122,
                &child(ptr, "rollingUpdate"),
                "may not be specified when strategy `type` is 'Recreate'",
                "remove rollingUpdate, or use type: RollingUpdate",
            );
        }
        return;
    }
    if ty != "RollingUpdate" {
        return; // the schema's enum reports it
    }
    let ru = &st["rollingUpdate"];
    let quarter = Value::String("25%".into());
    let surge = if ru["maxSurge"].is_null() {
        &quarter
    } else {
        &ru["maxSurge"]
    };
    let unavail = if ru["maxUnavailable"].is_null() {
        &quarter
    } else {
        &ru["maxUnavailable"]
    };
    for (f, v) in [("maxUnavailable", unavail), ("maxSurge", surge)] {
        let fp = format!("{ptr}/rollingUpdate/{f}");
        match v {
            Value::String(s) if !is_percent(s) => out.invalid_at(
                codes::K8S122,
                &fp,
                v,
                "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
                "write a whole number of Pods (1) or a percentage (25%)",
            ),
            Value::Number(_) => out.nonnegative(&fp, v),
            _ => {}
        }
    }
    if int_or_percent(unavail) == Some(0) && int_or_percent(surge) == Some(0) {
        out.invalid_at(
            codes::K8S122,
            "/spec/strategy/rollingUpdate/maxUnavailable",
            unavail,
            "may not be 0 when `maxSurge` is 0",
            "a rollout that may neither add nor remove a Pod cannot progress; allow maxSurge: 1 or maxUnavailable: 1",
        );
    }
    if let Value::String(s) = unavail
        && is_percent(s)
        && int_or_percent(unavail).is_some_and(|p| p > 100)
    {
        out.invalid_at(
            codes::K8S122,
            "/spec/strategy/rollingUpdate/maxUnavailable",
            unavail,
            "must not be greater than 100%",
            "at most 100% of the Pods can be unavailable",
        );
    }
}

/// validateJobSpec (non-negative counts, restartPolicy OnFailure or Never after defaulting).
pub(super) fn job(ptr: &str, spec: &Value, out: &mut Out) {
    if !spec.is_object() {
        return;
    }
    for f in [
        "parallelism",
        "completions",
        "activeDeadlineSeconds",
        "backoffLimit",
        "ttlSecondsAfterFinished",
        "backoffLimitPerIndex",
        "maxFailedIndexes",
    ] {
        out.nonnegative(&child(ptr, f), &spec[f]);
    }
    completion_mode(ptr, spec, ptr == "/spec", out);
    let tp = format!("{ptr}/template");
    pod::template(&tp, &spec["template"], out);
    if spec["podFailurePolicy"].is_object() {
        pod_failure_policy(ptr, spec, out);
    }
    let rp = format!("{tp}/spec/restartPolicy");
    match restart_policy(&spec["template"]["spec"]) {
        "Always" => out.required(
            codes::K8S121,
            &rp,
            "valid values: \"OnFailure\", \"Never\"",
            "a Job's Pods run to completion: set restartPolicy: Never (or OnFailure)",
        ),
        "Never" | "OnFailure"
            if !spec["podFailurePolicy"].is_null()
                && restart_policy(&spec["template"]["spec"]) != "Never" =>
        {
            out.invalid_at(
                codes::K8S121,
                &rp,
                &spec["template"]["spec"]["restartPolicy"],
                "only \"Never\" is supported when podFailurePolicy is specified",
                "set restartPolicy: Never, or remove podFailurePolicy",
            );
        }
        _ => {}
    }
}

/// ValidateCronJobCreate → validateCronJobSpec → ValidateJobTemplateSpec.
pub(super) fn cron_job(v: &Value, out: &mut Out) {
    let spec = &v["spec"];
    if !spec.is_object() {
        return;
    }
    for f in [
        "startingDeadlineSeconds",
        "successfulJobsHistoryLimit",
        "failedJobsHistoryLimit",
    ] {
        out.nonnegative(&child("/spec", f), &spec[f]);
    }
    // validateScheduleFormat
    if let Some(sched) = spec["schedule"].as_str()
        && !sched.is_empty()
    {
        if sched.contains("TZ") {
            out.invalid_at(
                codes::K8S127,
                "/spec/schedule",
                &spec["schedule"],
                "cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
                "move the zone to spec.timeZone (e.g. timeZone: Europe/Paris)",
            );
        } else if let Some(e) = super::cron::schedule_error(sched) {
            out.invalid_at(
                codes::K8S127,
                "/spec/schedule",
                &spec["schedule"],
                &e,
                "a schedule has 5 fields (minute hour day-of-month month day-of-week), e.g. \"*/5 * * * *\", or is a macro such as @hourly",
            );
        }
    }
    // validateTimeZone
    if let Some(tz) = spec["timeZone"].as_str()
        && let Some(e) = super::cron::time_zone_error(tz)
    {
        out.invalid_at(
            codes::K8S128,
            "/spec/timeZone",
            &spec["timeZone"],
            &e,
            "name an IANA time zone such as Europe/Paris, America/New_York or Etc/UTC",
        );
    }
    let jt = &spec["jobTemplate"];
    job("/spec/jobTemplate/spec", &jt["spec"], out);
    if !jt["spec"]["selector"].is_null() {
        out.invalid_at(
            codes::K8S124,
            "/spec/jobTemplate/spec/selector",
            &jt["spec"]["selector"],
            "`selector` will be auto-generated",
            "remove the selector: a CronJob's Jobs get one generated",
        );
    }
}

/// ValidateLabelSelector (strict: no unknown operator, valid label values) and the match of
/// ValidatePodTemplateSpecForReplicaSet / ValidatePodTemplateSpecForStatefulSet /
/// ValidateDaemonSetSpec: a selector that LabelSelectorAsSelector accepts must select the
/// template's labels.
fn selector(spec: &Value, out: &mut Out) {
    let sel = &spec["selector"];
    if !sel.is_object() {
        return;
    }
    super::meta::labels("/spec/selector/matchLabels", &sel["matchLabels"], out);
    let exprs = sel["matchExpressions"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let mut valid = true;
    for (i, e) in exprs.iter().enumerate() {
        let ep = format!("/spec/selector/matchExpressions/{i}");
        valid &= selector_requirement(&ep, e, out);
    }
    let match_labels = sel["matchLabels"].as_object();
    let n = match_labels.map_or(0, |m| m.len()) + exprs.len();
    if !valid || n == 0 {
        return; // an empty selector is K8S123
    }
    let empty = serde_json::Map::new();
    let labels = spec["template"]["metadata"]["labels"]
        .as_object()
        .unwrap_or(&empty);
    if let Some(m) = selector_miss(match_labels, exprs, labels) {
        let lp = "/spec/template/metadata/labels";
        let (ptr, at_key) = if spec["template"]["metadata"]["labels"].is_object() {
            (lp, true)
        } else if spec["template"]["metadata"].is_object() {
            ("/spec/template/metadata", true)
        } else {
            ("/spec/template", true)
        };
        out.issues.push(super::Issue {
            code: codes::K8S129,
            message: format!(
                "spec.template.metadata.labels: Invalid value: {}: `selector` does not match template `labels`",
                Value::Object(labels.clone())
            ),
            pointer: ptr.into(),
            at_key,
            hint: Some(format!(
                "the selector requires {m}, which the Pod template's labels do not give; make spec.template.metadata.labels match spec.selector"
            )),
        });
    }
}

/// ValidateLabelSelectorRequirement for the expression at `ep`: the values its operator
/// needs. Returns whether LabelSelectorAsSelector would accept it (a bad key or label value
/// is reported as a label problem, or by the schema).
fn selector_requirement(ep: &str, e: &Value, out: &mut Out) -> bool {
    let values = e["values"].as_array().map(Vec::as_slice).unwrap_or(&[]);
    let mut valid = true;
    match e["operator"].as_str().unwrap_or("") {
        "In" | "NotIn" if values.is_empty() => {
            valid = false;
            out.required(
                codes::K8S129,
                &if e["values"].is_null() {
                    ep.to_string()
                } else {
                    format!("{ep}/values")
                },
                "must be specified when `operator` is 'In' or 'NotIn'",
                "list the label values the expression matches, e.g. values: [web]",
            );
        }
        "Exists" | "DoesNotExist" if !values.is_empty() => {
            valid = false;
            out.forbidden(
                codes::K8S129,
                &format!("{ep}/values"),
                "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                "Exists and DoesNotExist look at the key only; remove values",
            );
        }
        "In" | "NotIn" | "Exists" | "DoesNotExist" => {}
        _ => {
            valid = false;
            out.invalid_at(
                codes::K8S129,
                &format!("{ep}/operator"),
                &e["operator"],
                "not a valid selector operator",
                "an operator is In, NotIn, Exists or DoesNotExist",
            );
        }
    }
    let key_ok = e["key"]
        .as_str()
        .is_some_and(|k| super::format::qualified_name(k).is_empty());
    let values_ok = values.iter().all(|v| {
        v.as_str()
            .is_some_and(|s| super::format::label_value(s).is_empty())
    });
    valid && key_ok && values_ok
}

/// The first requirement of a (valid, non-empty) selector that `labels` do not meet, as the
/// hint shows it (`app=web`, `tier In [db, cache]`); None when the selector selects them.
fn selector_miss(
    match_labels: Option<&serde_json::Map<String, Value>>,
    exprs: &[Value],
    labels: &serde_json::Map<String, Value>,
) -> Option<String> {
    let label = |k: &str| labels.get(k).and_then(Value::as_str);
    for (k, v) in match_labels.into_iter().flatten() {
        if label(k) != v.as_str() {
            return Some(format!("{k}={}", v.as_str().unwrap_or("")));
        }
    }
    for e in exprs {
        let k = e["key"].as_str().unwrap_or("");
        let values: Vec<&str> = e["values"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let op = e["operator"].as_str().unwrap_or("");
        let ok = match op {
            "In" => label(k).is_some_and(|l| values.contains(&l)),
            "NotIn" => label(k).is_none_or(|l| !values.contains(&l)),
            "Exists" => label(k).is_some(),
            _ => label(k).is_none(),
        };
        if !ok {
            return Some(format!("{k} {op} [{}]", values.join(", ")));
        }
    }
    None
}

/// validatePodFailurePolicy: at most 20 rules, each through validatePodFailurePolicyRule.
fn pod_failure_policy(ptr: &str, spec: &Value, out: &mut Out) {
    let pp = format!("{ptr}/podFailurePolicy");
    let rules = spec["podFailurePolicy"]["rules"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    if rules.len() > 20 {
        out.invalid_at(
            codes::K8S146,
            &format!("{pp}/rules"),
            &Value::from(rules.len()),
            "must have at most 20 items",
            "a podFailurePolicy has at most 20 rules",
        );
    }
    let tspec = &spec["template"]["spec"];
    let names: Vec<&str> = ["containers", "initContainers"]
        .iter()
        .flat_map(|l| tspec[*l].as_array().into_iter().flatten())
        .filter_map(|c| c["name"].as_str())
        .collect();
    for (i, r) in rules.iter().enumerate() {
        pod_failure_policy_rule(&format!("{pp}/rules/{i}"), r, spec, &names, out);
    }
}

/// validatePodFailurePolicyRule: FailIndex needs backoffLimitPerIndex; the rule matches on
/// exit codes or on pod conditions, exactly one of them. `names` are the template's
/// container and init container names.
fn pod_failure_policy_rule(rp: &str, r: &Value, spec: &Value, names: &[&str], out: &mut Out) {
    let code = codes::K8S146;
    if r["action"].as_str() == Some("FailIndex") && spec["backoffLimitPerIndex"].is_null() {
        out.invalid_at(
            code,
            &format!("{rp}/action"),
            &r["action"],
            "requires the backoffLimitPerIndex to be set",
            "FailIndex fails one index of an Indexed Job: set backoffLimitPerIndex, or use FailJob",
        );
    }
    let ec = &r["onExitCodes"];
    let conds = r["onPodConditions"].as_array().map_or(0, Vec::len);
    if ec.is_object() {
        rule_on_exit_codes(&format!("{rp}/onExitCodes"), ec, names, out);
    }
    rule_on_pod_conditions(rp, r, out);
    let both = ec.is_object() && conds > 0;
    let neither = !ec.is_object() && conds == 0;
    if both || neither {
        out.issues.push(super::Issue {
            code,
            message: format!(
                "{}: Invalid value: {}",
                super::pointer_to_path(rp),
                if both {
                    "specifying both OnExitCodes and OnPodConditions is not supported"
                } else {
                    "specifying one of OnExitCodes and OnPodConditions is required"
                }
            ),
            pointer: rp.to_string(),
            at_key: true,
            hint: Some("a rule matches onExitCodes or onPodConditions, exactly one of them".into()),
        });
    }
}

/// validatePodFailurePolicyRuleOnExitCodes: a container of the template, 1 to 255 exit
/// codes, unique and ascending, and no 0 with the In operator.
fn rule_on_exit_codes(ep: &str, ec: &Value, names: &[&str], out: &mut Out) {
    let code = codes::K8S146;
    if let Some(c) = ec["containerName"].as_str()
        && !names.contains(&c)
    {
        out.invalid_at(
            code,
            &format!("{ep}/containerName"),
            &ec["containerName"],
            "must be one of the container or initContainer names in the pod template",
            &format!("the template's containers are {}", names.join(", ")),
        );
    }
    let values: Vec<i64> = ec["values"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_i64)
        .collect();
    let vp = format!("{ep}/values");
    if values.is_empty() {
        out.invalid_at(
            code,
            if ec["values"].is_null() { ep } else { &vp },
            &ec["values"],
            "at least one value is required",
            "list the exit codes the rule matches, e.g. values: [42]",
        );
    } else if values.len() > 255 {
        out.invalid_at(
            code,
            &vp,
            &Value::from(values.len()),
            "must have at most 255 items",
            "a rule matches at most 255 exit codes",
        );
    }
    let is_in = ec["operator"].as_str() == Some("In");
    let mut seen = std::collections::HashSet::new();
    for (j, v) in values.iter().enumerate() {
        let jp = format!("{vp}/{j}");
        if is_in && *v == 0 {
            out.invalid_at(
                code,
                &jp,
                &Value::from(*v),
                "must not be 0 for the In operator",
                "exit code 0 is success; an In rule matches failures only",
            );
        }
        if !seen.insert(*v) {
            out.duplicate(code, &jp, &Value::from(*v), "list each exit code once");
        }
    }
    if values.windows(2).any(|w| w[0] > w[1]) {
        out.invalid_at(
            code,
            &vp,
            &ec["values"],
            "must be ordered",
            "list the exit codes in ascending order",
        );
    }
}

/// validatePodFailurePolicyRuleOnPodConditions for the rule `r` at `rp`: each condition's
/// type a qualified name and status True, False or Unknown; at most 20 conditions.
fn rule_on_pod_conditions(rp: &str, r: &Value, out: &mut Out) {
    let code = codes::K8S146;
    let conds = r["onPodConditions"].as_array().map_or(0, Vec::len);
    for (j, c) in r["onPodConditions"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        let cp = format!("{rp}/onPodConditions/{j}");
        if let Some(t) = c["type"].as_str() {
            let errs = super::format::qualified_name(t);
            if !errs.is_empty() {
                out.invalid_at(
                    code,
                    &format!("{cp}/type"),
                    &c["type"],
                    &errs.join(", "),
                    "a condition type is a qualified name such as DisruptionTarget",
                );
            }
        }
        match c["status"].as_str() {
            Some("True" | "False" | "Unknown") => {}
            Some(_) => out.not_supported(
                code,
                &format!("{cp}/status"),
                &c["status"],
                &["False", "True", "Unknown"],
                "a condition status is True, False or Unknown",
            ),
            None => {}
        }
    }
    if conds > 20 {
        out.invalid_at(
            code,
            &format!("{rp}/onPodConditions"),
            &Value::from(conds),
            "must have at most 20 items",
            "a rule matches at most 20 pod conditions",
        );
    }
}

/// ValidateDaemonSetUpdateStrategy → ValidateRollingUpdateDaemonSet, after
/// SetDefaults_DaemonSet (type RollingUpdate, maxUnavailable 1, maxSurge 0).
fn daemon_set_strategy(spec: &Value, out: &mut Out) {
    let st = &spec["updateStrategy"];
    if st["type"].as_str().unwrap_or("RollingUpdate") != "RollingUpdate" {
        return;
    }
    let ru = &st["rollingUpdate"];
    let one = Value::from(1);
    let zero = Value::from(0);
    let unavail = if ru["maxUnavailable"].is_null() {
        &one
    } else {
        &ru["maxUnavailable"]
    };
    let surge = if ru["maxSurge"].is_null() {
        &zero
    } else {
        &ru["maxSurge"]
    };
    let base = "/spec/updateStrategy/rollingUpdate";
    for (f, v) in [("maxUnavailable", unavail), ("maxSurge", surge)] {
        if ru[f].is_null() {
            continue;
        }
        let fp = format!("{base}/{f}");
        match v {
            Value::String(s) if !is_percent(s) => out.invalid_at(
                codes::K8S137,
                &fp,
                v,
                "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
                "write a whole number of Pods (1) or a percentage (10%)",
            ),
            Value::String(_) if int_or_percent(v).is_some_and(|p| p > 100) => out.invalid_at(
                codes::K8S137,
                &fp,
                v,
                "must not be greater than 100%",
                "at most 100% of the nodes' Pods",
            ),
            Value::Number(_) if v.as_i64().is_some_and(|n| n < 0) => out.invalid_at(
                codes::K8S137,
                &fp,
                v,
                "must be greater than or equal to 0",
                "use 0 or a positive number",
            ),
            _ => {}
        }
    }
    // getIntOrPercentValue: a string that is not a percentage counts as 0.
    let value = |v: &Value| int_or_percent(v).unwrap_or(0);
    let (has_unavail, has_surge) = (value(unavail) != 0, value(surge) != 0);
    if has_unavail && has_surge {
        out.invalid(
            codes::K8S137,
            &if ru["maxSurge"].is_null() { base.to_string() } else { format!("{base}/maxSurge") },
            "spec.updateStrategy.rollingUpdate.maxSurge",
            surge,
            "may not be set when maxUnavailable is non-zero",
            "a DaemonSet rollout either surges (maxSurge, with maxUnavailable: 0) or takes Pods down (maxUnavailable); set the other to 0",
        );
    } else if !has_unavail && !has_surge {
        out.issues.push(super::Issue {
            code: codes::K8S137,
            message: "spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0".into(),
            pointer: if ru["maxUnavailable"].is_null() { base.into() } else { format!("{base}/maxUnavailable") },
            at_key: true,
            hint: Some("a rollout that may neither add nor remove a Pod cannot progress; allow maxUnavailable: 1 or maxSurge: 1".into()),
        });
    }
}

/// ValidateStatefulSetSpec: updateStrategy (validateRollingUpdateStatefulSet, with
/// MaxUnavailableStatefulSet on by default in 1.37), serviceName, ordinals.start; after
/// SetDefaults_StatefulSet (type RollingUpdate, partition 0, maxUnavailable 1).
fn stateful_set(spec: &Value, out: &mut Out) {
    let st = &spec["updateStrategy"];
    let ru = &st["rollingUpdate"];
    let base = "/spec/updateStrategy/rollingUpdate";
    match st["type"].as_str().unwrap_or("RollingUpdate") {
        "OnDelete" if !ru.is_null() => out.invalid_at(
            codes::K8S135,
            base,
            ru,
            "only allowed for updateStrategy 'RollingUpdate'",
            "OnDelete replaces Pods only when you delete them; remove rollingUpdate, or use type: RollingUpdate",
        ),
        "RollingUpdate" if ru.is_object() => {
            out.nonnegative(&format!("{base}/partition"), &ru["partition"]);
            let mu = &ru["maxUnavailable"];
            let mp = format!("{base}/maxUnavailable");
            match mu {
                Value::String(s) if !is_percent(s) => out.invalid_at(
                    codes::K8S135,
                    &mp,
                    mu,
                    "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
                    "write a whole number of Pods (1) or a percentage (25%)",
                ),
                Value::Number(_) => out.nonnegative(&mp, mu),
                _ => {}
            }
            if !mu.is_null() {
                if int_or_percent(mu).unwrap_or(0) == 0 {
                    out.invalid_at(
                        codes::K8S135,
                        &mp,
                        mu,
                        "cannot be 0",
                        "a rollout that may take no Pod down cannot progress; use maxUnavailable: 1 or more",
                    );
                }
                if matches!(mu, Value::String(_)) && int_or_percent(mu).is_some_and(|p| p > 100) {
                    out.invalid_at(
                        codes::K8S135,
                        &mp,
                        mu,
                        "must not be greater than 100%",
                        "at most 100% of the Pods",
                    );
                }
            }
        }
        _ => {}
    }
    if let Some(n) = spec["serviceName"].as_str()
        && !n.is_empty()
    {
        let errs = super::format::dns1123_label(n);
        if !errs.is_empty() {
            out.invalid_at(
                codes::K8S135,
                "/spec/serviceName",
                &spec["serviceName"],
                &errs.join(", "),
                "serviceName names the headless Service that governs the set (a DNS-1123 label)",
            );
        }
    }
    out.nonnegative("/spec/ordinals/start", &spec["ordinals"]["start"]);
}

/// validateJobSpec: the completion mode and the per-index backoff fields. A Job is
/// defaulted first (SetDefaults_Job: completions 1 when neither completions nor parallelism
/// is given, completionMode NonIndexed); a CronJob's jobTemplate is not (SetDefaults_Job
/// takes a Job), so `defaulted` tells which.
fn completion_mode(ptr: &str, spec: &Value, defaulted: bool, out: &mut Out) {
    let code = codes::K8S145;
    let f = |n: &str| child(ptr, n);
    let completions = spec["completions"].as_i64().or((defaulted
        && spec["completions"].is_null()
        && spec["parallelism"].is_null())
    .then_some(1));
    let per_index = &spec["backoffLimitPerIndex"];
    let max_failed = &spec["maxFailedIndexes"];
    if !max_failed.is_null() && per_index.is_null() {
        out.required(
            code,
            &f("maxFailedIndexes"),
            "when maxFailedIndexes is specified",
            "maxFailedIndexes counts indexes that used up backoffLimitPerIndex: set backoffLimitPerIndex too",
        );
    }
    match spec["completionMode"].as_str() {
        Some("Indexed") => {
            if completions.is_none() {
                out.required(
                    code,
                    &f("completionMode"),
                    "when completion mode is Indexed",
                    "an Indexed Job needs spec.completions: the number of indexes",
                );
            }
            if let Some(p) = spec["parallelism"].as_i64()
                && p > 100_000
            {
                out.invalid_at(
                    code,
                    &f("parallelism"),
                    &spec["parallelism"],
                    "must be less than or equal to 100000 when completion mode is Indexed",
                    "an Indexed Job runs at most 100000 Pods at once",
                );
            }
            if let Some(m) = max_failed.as_i64() {
                if completions.is_some_and(|c| m > c) {
                    out.invalid_at(
                        code,
                        &f("maxFailedIndexes"),
                        max_failed,
                        "must be less than or equal to completions",
                        "no more indexes can fail than there are",
                    );
                }
                if m > 100_000 {
                    out.invalid_at(
                        code,
                        &f("maxFailedIndexes"),
                        max_failed,
                        "must be less than or equal to 100000",
                        "at most 100000 failed indexes",
                    );
                }
            }
        }
        None | Some("NonIndexed") => {
            for (name, v) in [
                ("backoffLimitPerIndex", per_index),
                ("maxFailedIndexes", max_failed),
            ] {
                if !v.is_null() {
                    out.invalid_at(
                        code,
                        &f(name),
                        v,
                        "requires indexed completion mode",
                        "per-index backoff is for Indexed Jobs: set completionMode: Indexed, or use backoffLimit",
                    );
                }
            }
        }
        _ => {}
    }
}
