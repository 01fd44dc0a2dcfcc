//! Pod specs and containers: pkg/apis/core/validation/validation.go ValidatePodSpec and what
//! it calls (ValidateVolumes, validateContainers, validateInitContainers,
//! validateContainerCommon, validateContainerPorts, ValidateVolumeMounts, validateProbe).

use super::format::{dns1123_label, port_name, port_num};
use super::{Out, child, meta};
use crate::diag::codes;
use serde_json::Value;
use std::collections::HashSet;

/// pkg/apis/core/validation/validation.go ValidatePodTemplateSpec: labels, annotations, spec.
pub(super) fn template(ptr: &str, t: &Value, out: &mut Out) {
    template_with(ptr, t, &[], out)
}

/// A template whose Pods also get `extra` volumes (a StatefulSet's volumeClaimTemplates,
/// apps/validation volumesToAddForTemplates).
pub(super) fn template_with(ptr: &str, t: &Value, extra: &[&str], out: &mut Out) {
    meta::labels(
        &format!("{ptr}/metadata/labels"),
        &t["metadata"]["labels"],
        out,
    );
    meta::annotations(
        &format!("{ptr}/metadata/annotations"),
        &t["metadata"]["annotations"],
        out,
    );
    pod_spec_with(&format!("{ptr}/spec"), &t["spec"], extra, out);
}

/// ValidatePodSpec (the parts kubebook mirrors exactly).
pub(super) fn pod_spec(ptr: &str, spec: &Value, out: &mut Out) {
    pod_spec_with(ptr, spec, &[], out)
}

fn pod_spec_with(ptr: &str, spec: &Value, extra: &[&str], out: &mut Out) {
    if !spec.is_object() {
        return;
    }
    pod_fields(ptr, spec, out);
    host_ports(ptr, spec, out);
    tolerations(ptr, spec, out);
    dns_config(ptr, spec, out);
    affinity(&child(ptr, "affinity"), &spec["affinity"], out);
    os_fields(ptr, spec, out);
    let mut volumes = volumes(ptr, spec, out);
    volumes.extend(extra.iter().copied());
    let containers = spec["containers"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let inits = spec["initContainers"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    // validateContainers: names unique among regular containers.
    let mut names: HashSet<&str> = HashSet::new();
    for (i, c) in containers.iter().enumerate() {
        let cp = format!("{ptr}/containers/{i}");
        container_common(&cp, c, &volumes, out);
        let name = c["name"].as_str().unwrap_or("");
        if !names.insert(name) {
            out.duplicate(
                codes::K8S111,
                &format!("{cp}/name"),
                &c["name"],
                "container names must be unique within a Pod (init containers included); rename one",
            );
        }
        probes(&cp, c, true, out);
    }
    // validateInitContainers: names unique across regular and init containers.
    let mut all: HashSet<&str> = containers
        .iter()
        .map(|c| c["name"].as_str().unwrap_or(""))
        .collect();
    for (i, c) in inits.iter().enumerate() {
        let cp = format!("{ptr}/initContainers/{i}");
        container_common(&cp, c, &volumes, out);
        let name = c["name"].as_str().unwrap_or("");
        if all.contains(name) {
            out.duplicate(
                codes::K8S111,
                &format!("{cp}/name"),
                &c["name"],
                "container names must be unique within a Pod (init containers included); rename one",
            );
        } else if !name.is_empty() {
            all.insert(name);
        }
        let sidecar = c["restartPolicy"].as_str() == Some("Always");
        if sidecar {
            probes(&cp, c, true, out);
        } else {
            for p in [
                "livenessProbe",
                "readinessProbe",
                "startupProbe",
                "lifecycle",
            ] {
                if !c[p].is_null() {
                    out.forbidden(
                        codes::K8S119,
                        &format!("{cp}/{p}"),
                        "may not be set for init containers without restartPolicy=Always",
                        "an init container runs to completion before the app starts; remove the field, or make it a sidecar with `restartPolicy: Always`",
                    );
                }
            }
        }
    }
}

/// ValidateVolumes: names are DNS-1123 labels and unique. Returns every volume name given
/// (a mount of an invalid volume is reported by the volume's own problem).
fn volumes<'a>(ptr: &str, spec: &'a Value, out: &mut Out) -> HashSet<&'a str> {
    let mut names = HashSet::new();
    for (i, v) in spec["volumes"].as_array().into_iter().flatten().enumerate() {
        volume_source(&format!("{ptr}/volumes/{i}"), v, out);
        let Some(name) = v["name"].as_str() else {
            continue;
        };
        let np = format!("{ptr}/volumes/{i}/name");
        if !name.is_empty() {
            let errs = dns1123_label(name);
            if !errs.is_empty() {
                out.invalid_at(
                    codes::K8S116,
                    &np,
                    &v["name"],
                    &errs.join(", "),
                    "a volume name is a DNS-1123 label: lower-case letters, digits and `-`",
                );
            }
        }
        if !names.insert(name) {
            out.duplicate(
                codes::K8S116,
                &np,
                &v["name"],
                "volume names must be unique within a Pod",
            );
        }
    }
    names
}

/// validateContainerCommon: name, ports, resources, env, security context, volume mounts.
fn container_common(cp: &str, c: &Value, volumes: &HashSet<&str>, out: &mut Out) {
    container_name(cp, c, out);
    container_ports(cp, c, out);
    // ValidateContainerResourceRequirements
    super::resources::container(cp, c, out);
    env(cp, c, out);
    security_context(&format!("{cp}/securityContext"), &c["securityContext"], out);
    volume_mounts(cp, c, volumes, out);
}

/// A container name, when given, is a DNS-1123 label.
fn container_name(cp: &str, c: &Value, out: &mut Out) {
    if let Some(name) = c["name"].as_str()
        && !name.is_empty()
    {
        let errs = dns1123_label(name);
        if !errs.is_empty() {
            out.invalid_at(
                codes::K8S110,
                &format!("{cp}/name"),
                &c["name"],
                &errs.join(", "),
                &format!(
                    "a container name is a DNS-1123 label; try `{}`",
                    name.to_ascii_lowercase().replace(['_', '.', ' '], "-")
                ),
            );
        }
    }
}

/// validateContainerPorts: port names valid and unique, port numbers in range.
fn container_ports(cp: &str, c: &Value, out: &mut Out) {
    let mut port_names: HashSet<&str> = HashSet::new();
    for (j, p) in c["ports"].as_array().into_iter().flatten().enumerate() {
        let pp = format!("{cp}/ports/{j}");
        if let Some(n) = p["name"].as_str()
            && !n.is_empty()
        {
            let errs = port_name(n);
            if !errs.is_empty() {
                out.invalid_at(
                    codes::K8S113,
                    &format!("{pp}/name"),
                    &p["name"],
                    &errs.join(", "),
                    "a port name has at most 15 characters: lower-case letters, digits and single `-`, with at least one letter (e.g. http, metrics)",
                );
            } else if !port_names.insert(n) {
                out.duplicate(
                    codes::K8S114,
                    &format!("{pp}/name"),
                    &p["name"],
                    "port names must be unique within a container",
                );
            }
        }
        if let Some(n) = p["containerPort"].as_i64() {
            if n == 0 {
                out.required(
                    codes::K8S112,
                    &format!("{pp}/containerPort"),
                    "",
                    "give the port the container listens on (1-65535)",
                );
            } else if !port_num(n).is_empty() {
                out.invalid_at(
                    codes::K8S112,
                    &format!("{pp}/containerPort"),
                    &p["containerPort"],
                    &port_num(n).join(", "),
                    "a port number is between 1 and 65535",
                );
            }
        }
        if let Some(n) = p["hostPort"].as_i64()
            && n != 0
            && !port_num(n).is_empty()
        {
            out.invalid_at(
                codes::K8S112,
                &format!("{pp}/hostPort"),
                &p["hostPort"],
                &port_num(n).join(", "),
                "a port number is between 1 and 65535 (or leave hostPort out)",
            );
        }
    }
}

/// ValidateVolumeMounts: each mount names a volume of the Pod, and mount paths are unique.
fn volume_mounts(cp: &str, c: &Value, volumes: &HashSet<&str>, out: &mut Out) {
    let mut paths: HashSet<&str> = HashSet::new();
    for (j, m) in c["volumeMounts"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        let mp = format!("{cp}/volumeMounts/{j}");
        if let Some(n) = m["name"].as_str()
            && !volumes.contains(n)
        {
            let hint = unknown_volume_hint(n, volumes);
            out.not_found(codes::K8S115, &format!("{mp}/name"), &m["name"], &hint);
        }
        if let Some(p) = m["mountPath"].as_str()
            && !paths.insert(p)
        {
            out.invalid_at(
                codes::K8S117,
                &format!("{mp}/mountPath"),
                &m["mountPath"],
                "must be unique",
                "two mounts of one container cannot share a mountPath; use another path or subPath",
            );
        }
    }
}

/// The hint for a mount of volume `n`, which the Pod does not define: the closest volume, or
/// the Pod's volumes.
fn unknown_volume_hint(n: &str, volumes: &HashSet<&str>) -> String {
    if volumes.is_empty() {
        return format!("the Pod defines no volumes; add one named `{n}` under spec.volumes");
    }
    let mut known: Vec<&str> = volumes.iter().copied().collect();
    known.sort();
    match crate::suggest::closest(n, known.iter().copied()) {
        Some(s) => format!(
            "did you mean `{s}`? the Pod's volumes are {}",
            known.join(", ")
        ),
        None => format!(
            "the Pod's volumes are {}; add `{n}` under spec.volumes",
            known.join(", ")
        ),
    }
}

/// validateLivenessProbe, validateReadinessProbe, validateStartupProbe → validateProbe, and
/// validateLifecycle (postStart, preStop) → validateHandler.
fn probes(cp: &str, c: &Value, _regular: bool, out: &mut Out) {
    for kind in ["livenessProbe", "readinessProbe", "startupProbe"] {
        let p = &c[kind];
        if !p.is_object() {
            continue;
        }
        let pp = format!("{cp}/{kind}");
        handler(&pp, p, &["exec", "httpGet", "tcpSocket", "grpc"], out);
        for f in [
            "initialDelaySeconds",
            "timeoutSeconds",
            "periodSeconds",
            "successThreshold",
            "failureThreshold",
        ] {
            out.nonnegative(&child(&pp, f), &p[f]);
        }
        // validateProbe: terminationGracePeriodSeconds, when set, is positive;
        // validateReadinessProbe: a readiness probe may not set it.
        let tg = &p["terminationGracePeriodSeconds"];
        if let Some(n) = tg.as_i64() {
            let tp = format!("{pp}/terminationGracePeriodSeconds");
            if n <= 0 {
                out.invalid_at(
                    codes::K8S126,
                    &tp,
                    tg,
                    "must be greater than 0",
                    "give the seconds to wait before the kill after a failed probe (at least 1), or remove the field",
                );
            }
            if kind == "readinessProbe" {
                out.invalid_at(
                    codes::K8S126,
                    &tp,
                    tg,
                    "must not be set for readinessProbes",
                    "a failing readiness probe never kills the container; remove terminationGracePeriodSeconds",
                );
            }
        }
        // successThreshold 0 is defaulted to 1 (SetDefaults_Probe); liveness and startup
        // probes must keep 1 (validateLivenessProbe, validateStartupProbe).
        if kind != "readinessProbe"
            && let Some(n) = p["successThreshold"].as_i64()
            && n != 1
            && n != 0
        {
            out.invalid_at(
                codes::K8S118,
                &format!("{pp}/successThreshold"),
                &p["successThreshold"],
                "must be 1",
                "only a readinessProbe may need more than one success; remove successThreshold",
            );
        }
    }
    for hook in ["postStart", "preStop"] {
        let h = &c["lifecycle"][hook];
        if h.is_object() {
            handler(
                &format!("{cp}/lifecycle/{hook}"),
                h,
                &["exec", "httpGet", "tcpSocket", "sleep"],
                out,
            );
        }
    }
}

/// validateHandler: exactly one handler type; validateExecAction (a command),
/// ValidatePortNumOrName for httpGet and tcpSocket ports, validateGRPCAction (its port).
fn handler(pp: &str, p: &Value, kinds: &[&str], out: &mut Out) {
    let mut found = 0;
    for &h in kinds {
        let hv = &p[h];
        if hv.is_null() {
            continue;
        }
        let hp = format!("{pp}/{h}");
        if found > 0 {
            out.forbidden(
                codes::K8S125,
                &hp,
                "may not specify more than 1 handler type",
                "a probe or hook has exactly one of exec, httpGet, tcpSocket, grpc (probes) or sleep (hooks); keep one",
            );
            continue;
        }
        found += 1;
        if h == "exec" && hv["command"].as_array().is_none_or(|a| a.is_empty()) {
            out.required(
                codes::K8S125,
                &format!("{hp}/command"),
                "",
                "give the command to run, e.g. command: [\"cat\", \"/tmp/healthy\"]",
            );
        }
        if matches!(h, "httpGet" | "tcpSocket" | "grpc") {
            let port = &hv["port"];
            let ptr = format!("{hp}/port");
            match port {
                Value::Number(n) => {
                    if let Some(n) = n.as_i64()
                        && !port_num(n).is_empty()
                    {
                        out.invalid_at(
                            codes::K8S112,
                            &ptr,
                            port,
                            &port_num(n).join(", "),
                            "a port number is between 1 and 65535",
                        );
                    }
                }
                Value::String(s) if h != "grpc" => {
                    let errs = port_name(s);
                    if !errs.is_empty() {
                        out.invalid_at(
                            codes::K8S113,
                            &ptr,
                            port,
                            &errs.join(", "),
                            "name a port the container declares (e.g. http) or give its number",
                        );
                    }
                }
                _ => {}
            }
        }
    }
    if found == 0 {
        out.required(
            codes::K8S125,
            pp,
            "must specify a handler type",
            "give the probe or hook one handler: exec, httpGet, tcpSocket, grpc (probes) or sleep (hooks)",
        );
    }
}

/// ValidateEnv (RelaxedEnvironmentVariableValidation is GA and locked on in 1.37:
/// IsRelaxedEnvVarName) and validateEnvVarValueFrom.
fn env(cp: &str, c: &Value, out: &mut Out) {
    for (i, e) in c["env"].as_array().into_iter().flatten().enumerate() {
        let ep = format!("{cp}/env/{i}");
        if let Some(n) = e["name"].as_str()
            && !n.is_empty()
            && n.chars().any(|ch| !(' '..='~').contains(&ch) || ch == '=')
        {
            out.invalid_at(
                codes::K8S144,
                &format!("{ep}/name"),
                &e["name"],
                "a valid environment variable name must consist only of printable ASCII characters other than '='",
                "an environment variable name is printable ASCII without `=` (e.g. LOG_LEVEL)",
            );
        }
        let vf = &e["valueFrom"];
        if vf.is_object() {
            env_value_from(&format!("{ep}/valueFrom"), e, vf, out);
        }
    }
}

/// validateEnvVarValueFrom: exactly one source, and not together with a `value`; then
/// validateConfigMapKeySelector / validateSecretKeySelector.
fn env_value_from(vp: &str, e: &Value, vf: &Value, out: &mut Out) {
    let sources: Vec<&str> = [
        "fieldRef",
        "resourceFieldRef",
        "configMapKeyRef",
        "secretKeyRef",
        "fileKeyRef",
    ]
    .into_iter()
    .filter(|s| !vf[*s].is_null())
    .collect();
    let value_given = e["value"].as_str().is_some_and(|v| !v.is_empty());
    let problem = if sources.is_empty() {
        Some((
            vp.to_string(),
            "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef`, `secretKeyRef` or `fileKeyRef`",
            "take the value from one source, e.g. configMapKeyRef: {name: app, key: LOG_LEVEL}",
        ))
    } else if value_given {
        Some((
            vp.to_string(),
            "may not be specified when `value` is not empty",
            "give the variable a value or a valueFrom, not both",
        ))
    } else if sources.len() > 1 {
        Some((
            format!("{vp}/{}", sources[1]),
            "may not have more than one field specified at a time",
            "take the value from one source only",
        ))
    } else {
        None
    };
    if let Some((ptr, detail, hint)) = problem {
        out.issues.push(super::Issue {
            code: codes::K8S144,
            message: format!(
                "{}: Invalid value: \"\": {detail}",
                super::pointer_to_path(vp)
            ),
            pointer: ptr,
            at_key: true,
            hint: Some(hint.into()),
        });
    }
    for r in ["configMapKeyRef", "secretKeyRef"] {
        let s = &vf[r];
        if s.is_object() {
            key_selector(&format!("{vp}/{r}"), r == "secretKeyRef", s, out);
        }
    }
}

/// validateConfigMapKeySelector / validateSecretKeySelector: the object's name is a DNS-1123
/// subdomain, and the key is given and a valid ConfigMap key.
fn key_selector(rp: &str, secret: bool, s: &Value, out: &mut Out) {
    let name = s["name"].as_str().unwrap_or("");
    let errs = super::format::dns1123_subdomain(name);
    if !errs.is_empty() {
        let what = if secret { "Secret" } else { "ConfigMap" };
        out.issues.push(super::Issue {
            code: codes::K8S144,
            message: format!(
                "{}: Invalid value: {name:?}: {}",
                super::pointer_to_path(&format!("{rp}/name")),
                errs.join(", ")
            ),
            pointer: if s["name"].is_null() {
                rp.to_string()
            } else {
                format!("{rp}/name")
            },
            at_key: s["name"].is_null(),
            hint: Some(format!(
                "name the {what} that holds the key (a DNS-1123 subdomain)"
            )),
        });
    }
    match s["key"].as_str() {
        None | Some("") => out.required(
            codes::K8S144,
            &if s["key"].is_null() {
                rp.to_string()
            } else {
                format!("{rp}/key")
            },
            "",
            "name the key to read, e.g. key: LOG_LEVEL",
        ),
        Some(k) => {
            let errs = super::config::config_map_key(k);
            if !errs.is_empty() {
                out.invalid_at(
                    codes::K8S144,
                    &format!("{rp}/key"),
                    &s["key"],
                    &errs.join(", "),
                    "a key is letters, digits, `-`, `_` and `.`",
                );
            }
        }
    }
}

const MAX_INT32: i64 = 2147483647;

/// ValidatePodSpec: activeDeadlineSeconds, hostname and subdomain; validatePodSpecSecurityContext
/// (IsValidUserID, IsValidGroupID for runAsUser, runAsGroup, fsGroup, supplementalGroups).
fn pod_fields(ptr: &str, spec: &Value, out: &mut Out) {
    let ad = &spec["activeDeadlineSeconds"];
    if let Some(n) = ad.as_i64()
        && !(1..=MAX_INT32).contains(&n)
    {
        out.invalid_at(
            codes::K8S148,
            &child(ptr, "activeDeadlineSeconds"),
            ad,
            "must be between 1 and 2147483647, inclusive",
            "give the Pod at least one second, or remove activeDeadlineSeconds",
        );
    }
    for f in ["hostname", "subdomain"] {
        if let Some(h) = spec[f].as_str()
            && !h.is_empty()
        {
            let errs = dns1123_label(h);
            if !errs.is_empty() {
                out.invalid_at(
                    codes::K8S148,
                    &child(ptr, f),
                    &spec[f],
                    &errs.join(", "),
                    &format!("a Pod {f} is a DNS-1123 label: lower-case letters, digits and `-`"),
                );
            }
        }
    }
    let sc = &spec["securityContext"];
    let sp = child(ptr, "securityContext");
    for f in ["runAsUser", "runAsGroup", "fsGroup"] {
        id_range(&child(&sp, f), &sc[f], out);
    }
    for (i, g) in sc["supplementalGroups"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        id_range(&format!("{sp}/supplementalGroups/{i}"), g, out);
    }
}

/// IsValidUserID / IsValidGroupID: 0 to 2147483647.
fn id_range(ptr: &str, v: &Value, out: &mut Out) {
    if let Some(n) = v.as_i64()
        && !(0..=MAX_INT32).contains(&n)
    {
        out.invalid_at(
            codes::K8S147,
            ptr,
            v,
            "must be between 0 and 2147483647, inclusive",
            "a user or group ID is between 0 and 2147483647 (a non-root user is 1 or more)",
        );
    }
}

/// ValidateSecurityContext: runAsUser, runAsGroup, and privileged with
/// allowPrivilegeEscalation false.
fn security_context(sp: &str, sc: &Value, out: &mut Out) {
    if !sc.is_object() {
        return;
    }
    for f in ["runAsUser", "runAsGroup"] {
        id_range(&child(sp, f), &sc[f], out);
    }
    if sc["allowPrivilegeEscalation"].as_bool() == Some(false)
        && sc["privileged"].as_bool() == Some(true)
    {
        out.issues.push(super::Issue {
            code: codes::K8S147,
            message: format!(
                "{}: Invalid value: cannot set `allowPrivilegeEscalation` to false and `privileged` to true",
                super::pointer_to_path(sp)
            ),
            pointer: child(sp, "allowPrivilegeEscalation"),
            at_key: false,
            hint: Some("a privileged container can always escalate; drop privileged, or allowPrivilegeEscalation: false".into()),
        });
    }
}

/// ValidatePodSpec with spec.os: validateWindows (Linux-only security fields are forbidden)
/// and validateLinux (windowsOptions are forbidden).
fn os_fields(ptr: &str, spec: &Value, out: &mut Out) {
    match spec["os"]["name"].as_str().unwrap_or("") {
        "linux" => linux_fields(ptr, spec, out),
        "windows" => windows_fields(ptr, spec, out),
        _ => {}
    }
}

/// The securityContext of every container, init and ephemeral container, with its pointer.
fn container_security_contexts<'a>(
    ptr: &'a str,
    spec: &'a Value,
) -> impl Iterator<Item = (String, &'a Value)> {
    ["initContainers", "containers", "ephemeralContainers"]
        .into_iter()
        .flat_map(move |l| {
            spec[l]
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
                .map(move |(i, c)| {
                    (
                        format!("{ptr}/{l}/{i}/securityContext"),
                        &c["securityContext"],
                    )
                })
        })
}

/// validateLinux: no windowsOptions, in the Pod's securityContext or a container's.
fn linux_fields(ptr: &str, spec: &Value, out: &mut Out) {
    let forbid = |p: String, out: &mut Out| {
        out.forbidden(
            codes::K8S149,
            &p,
            "windows options cannot be set for a linux pod",
            "windowsOptions are for Windows Pods; remove them, or set os.name: windows",
        );
    };
    if !spec["securityContext"]["windowsOptions"].is_null() {
        forbid(child(&child(ptr, "securityContext"), "windowsOptions"), out);
    }
    for (cp, csc) in container_security_contexts(ptr, spec) {
        if !csc["windowsOptions"].is_null() {
            forbid(child(&cp, "windowsOptions"), out);
        }
    }
}

/// validateWindows: none of the Linux-only fields of the Pod, its securityContext or a
/// container's securityContext.
fn windows_fields(ptr: &str, spec: &Value, out: &mut Out) {
    let forbid = |p: String, out: &mut Out| {
        out.forbidden(
            codes::K8S149,
            &p,
            "cannot be set for a windows pod",
            "a Windows Pod takes its identity from securityContext.windowsOptions; remove the Linux-only field",
        );
    };
    let sp = child(ptr, "securityContext");
    let sc = &spec["securityContext"];
    for f in [
        "appArmorProfile",
        "seLinuxOptions",
        "seccompProfile",
        "fsGroup",
        "fsGroupChangePolicy",
        "runAsUser",
        "runAsGroup",
        "supplementalGroups",
        "supplementalGroupsPolicy",
        "seLinuxChangePolicy",
    ] {
        if !sc[f].is_null() {
            forbid(child(&sp, f), out);
        }
    }
    if sc["sysctls"].as_array().is_some_and(|a| !a.is_empty()) {
        forbid(child(&sp, "sysctls"), out);
    }
    for f in ["hostUsers", "shareProcessNamespace"] {
        if !spec[f].is_null() {
            forbid(child(ptr, f), out);
        }
    }
    for f in ["hostPID", "hostIPC"] {
        if spec[f].as_bool() == Some(true) {
            forbid(child(ptr, f), out);
        }
    }
    for (cp, csc) in container_security_contexts(ptr, spec) {
        for f in [
            "appArmorProfile",
            "seLinuxOptions",
            "seccompProfile",
            "capabilities",
            "readOnlyRootFilesystem",
            "privileged",
            "allowPrivilegeEscalation",
            "procMount",
            "runAsUser",
            "runAsGroup",
        ] {
            if !csc[f].is_null() {
                forbid(child(&cp, f), out);
            }
        }
    }
}

const FILE_MODE_MSG: &str = "must be a number between 0 and 0777 (octal), both inclusive";

/// validateVolumeSource: at most one volume type (every field of a Volume but `name` is one,
/// and the schema admits no other; none is defaulted to emptyDir), and validateConfigMapVolumeSource,
/// validateSecretVolumeSource, validateKeyToPath (ValidateLocalNonReservedPath), the
/// emptyDir sizeLimit.
fn volume_source(vp: &str, v: &Value, out: &mut Out) {
    let Some(m) = v.as_object() else { return };
    one_volume_type(vp, m, out);
    if let Some(s) = m.get("emptyDir")
        && let Some(q) = super::quantity::of(&s["sizeLimit"])
        && q.is_negative()
    {
        out.forbidden(
            codes::K8S139,
            &format!("{vp}/emptyDir/sizeLimit"),
            "SizeLimit field must be a valid resource quantity",
            "a size limit is a positive quantity such as 1Gi",
        );
    }
    for (src, name_field) in [("configMap", "name"), ("secret", "secretName")] {
        if let Some(s) = m.get(src).filter(|s| s.is_object()) {
            config_map_or_secret_volume(&child(vp, src), src, name_field, s, out);
        }
    }
}

/// validateVolumeSource's count of volume types: the first one counts, the others are
/// reported.
fn one_volume_type(vp: &str, m: &serde_json::Map<String, Value>, out: &mut Out) {
    // In the order validateVolumeSource looks at them.
    const ORDER: &[&str] = &[
        "emptyDir",
        "hostPath",
        "gitRepo",
        "gcePersistentDisk",
        "awsElasticBlockStore",
        "secret",
        "nfs",
        "iscsi",
        "glusterfs",
        "flocker",
        "persistentVolumeClaim",
        "rbd",
        "cinder",
        "cephfs",
        "quobyte",
        "downwardAPI",
        "fc",
        "flexVolume",
        "configMap",
        "azureFile",
        "vsphereVolume",
        "photonPersistentDisk",
        "portworxVolume",
        "azureDisk",
        "storageos",
        "projected",
        "scaleIO",
        "csi",
        "ephemeral",
        "image",
    ];
    let rank = |k: &str| ORDER.iter().position(|o| *o == k).unwrap_or(ORDER.len());
    let mut sources: Vec<&String> = m
        .iter()
        .filter(|(k, x)| k.as_str() != "name" && !x.is_null())
        .map(|(k, _)| k)
        .collect();
    sources.sort_by_key(|k| rank(k));
    // No source at all is not an error: SetDefaults_Volume makes it an emptyDir.
    for extra in sources.iter().skip(1) {
        out.forbidden(
            codes::K8S139,
            &child(vp, extra),
            "may not specify more than 1 volume type",
            "a volume has one source; split it into two volumes",
        );
    }
}

/// validateConfigMapVolumeSource / validateSecretVolumeSource (`src`, at `sp`): the object's
/// name (`name_field`), the defaultMode and each item (validateKeyToPath).
fn config_map_or_secret_volume(sp: &str, src: &str, name_field: &str, s: &Value, out: &mut Out) {
    if s[name_field].as_str().is_none_or(str::is_empty) {
        out.required(
            codes::K8S139,
            &if s[name_field].is_null() {
                sp.to_string()
            } else {
                child(sp, name_field)
            },
            "",
            &format!(
                "name the {} to mount with {name_field}",
                if src == "secret" {
                    "Secret"
                } else {
                    "ConfigMap"
                }
            ),
        );
    }
    file_mode(&child(sp, "defaultMode"), &s["defaultMode"], out);
    for (j, it) in s["items"].as_array().into_iter().flatten().enumerate() {
        key_to_path(&format!("{sp}/items/{j}"), it, out);
    }
}

/// validateKeyToPath: key and path given, the path local (ValidateLocalNonReservedPath),
/// the mode a file mode.
fn key_to_path(ip: &str, it: &Value, out: &mut Out) {
    for f in ["key", "path"] {
        if it[f].as_str().is_none_or(str::is_empty) {
            out.required(
                codes::K8S139,
                &if it[f].is_null() {
                    ip.to_string()
                } else {
                    child(ip, f)
                },
                "",
                "an item maps a key to a relative file path",
            );
        }
    }
    if let Some(p) = it["path"].as_str() {
        let pp = child(ip, "path");
        let hint =
            "an item's path is relative to the mount, without `..` (e.g. conf/app.properties)";
        if p.starts_with('/') {
            out.invalid_at(
                codes::K8S139,
                &pp,
                &it["path"],
                "must be a relative path",
                hint,
            );
        }
        if p.split('/').any(|seg| seg == "..") {
            out.invalid_at(
                codes::K8S139,
                &pp,
                &it["path"],
                "must not contain '..'",
                hint,
            );
        } else if p.starts_with("..") {
            out.invalid_at(
                codes::K8S139,
                &pp,
                &it["path"],
                "must not start with '..'",
                hint,
            );
        }
    }
    file_mode(&child(ip, "mode"), &it["mode"], out);
}

/// A defaultMode or an item's mode: 0 to 0777.
fn file_mode(ptr: &str, x: &Value, out: &mut Out) {
    if let Some(n) = x.as_i64()
        && !(0..=0o777).contains(&n)
    {
        out.invalid_at(
            codes::K8S139,
            ptr,
            x,
            FILE_MODE_MSG,
            "a file mode is 0 to 0777: write it in octal (0644) or as its decimal value (420)",
        );
    }
}

/// checkHostPortConflicts (AccumulateUniqueHostPorts): a hostPort, with its protocol and
/// hostIP, is used once across the regular containers and once within each init container.
/// A Pod object on the host network is defaulted first (SetDefaults_Pod
/// defaultHostNetworkPorts: hostPort = containerPort); a template is not.
fn host_ports(ptr: &str, spec: &Value, out: &mut Out) {
    let host_net = ptr == "/spec" && spec["hostNetwork"].as_bool() == Some(true);
    let check = |list: &str, only: Option<usize>, out: &mut Out| {
        let mut seen: HashSet<String> = HashSet::new();
        for (i, c) in spec[list].as_array().into_iter().flatten().enumerate() {
            if only.is_some_and(|o| o != i) {
                continue;
            }
            for (j, p) in c["ports"].as_array().into_iter().flatten().enumerate() {
                let mut hp = p["hostPort"].as_i64().unwrap_or(0);
                if hp == 0 && host_net {
                    hp = p["containerPort"].as_i64().unwrap_or(0);
                }
                if hp == 0 {
                    continue;
                }
                let key = format!(
                    "{}/{}/{hp}",
                    p["protocol"].as_str().unwrap_or("TCP"),
                    p["hostIP"].as_str().unwrap_or("")
                );
                if !seen.insert(key.clone()) {
                    let pp = format!("{ptr}/{list}/{i}/ports/{j}");
                    let at = if p["hostPort"].is_null() {
                        pp
                    } else {
                        format!("{pp}/hostPort")
                    };
                    out.issues.push(super::Issue {
                        code: codes::K8S114,
                        message: format!(
                            "{}: Duplicate value: {key:?}",
                            super::pointer_to_path(&format!("{ptr}/{list}/{i}/ports/{j}/hostPort"))
                        ),
                        pointer: at,
                        at_key: false,
                        hint: Some("two ports of a Pod cannot take one host port (with one protocol and host IP); pick another hostPort".into()),
                    });
                }
            }
        }
    };
    check("containers", None, out);
    let n = spec["initContainers"].as_array().map_or(0, Vec::len);
    for i in 0..n {
        check("initContainers", Some(i), out);
    }
}

/// ValidateTolerations: key a label name, operator Exists for an empty key, a value only
/// with Equal (a label value), tolerationSeconds only with NoExecute. Lt and Gt depend on a
/// feature gate and are not judged.
fn tolerations(ptr: &str, spec: &Value, out: &mut Out) {
    for (i, t) in spec["tolerations"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        toleration(&format!("{ptr}/tolerations/{i}"), t, out);
    }
}

/// One toleration of ValidateTolerations, at `tp`.
fn toleration(tp: &str, t: &Value, out: &mut Out) {
    let key = t["key"].as_str().unwrap_or("");
    let op = t["operator"].as_str().unwrap_or("");
    let code = codes::K8S157;
    if !key.is_empty() {
        let errs = super::format::qualified_name(key);
        if !errs.is_empty() {
            out.invalid_at(
                code,
                &child(tp, "key"),
                &t["key"],
                &errs.join(", "),
                "a toleration key is a taint key such as node-role.kubernetes.io/control-plane",
            );
        }
    }
    if key.is_empty() && op != "Exists" {
        out.invalid(
            code,
            &field_or_item(tp, t, "operator"),
            &super::pointer_to_path(&child(tp, "operator")),
            &Value::String(op.into()),
            "operator must be Exists when `key` is empty, which means \"match all values and all keys\"",
            "give the taint key, or use operator: Exists to tolerate every taint",
        );
    }
    if !t["tolerationSeconds"].is_null() && t["effect"].as_str() != Some("NoExecute") {
        out.invalid(
            code,
            &field_or_item(tp, t, "effect"),
            &super::pointer_to_path(&child(tp, "effect")),
            &Value::String(t["effect"].as_str().unwrap_or("").into()),
            "effect must be 'NoExecute' when `tolerationSeconds` is set",
            "tolerationSeconds bounds how long a Pod stays on a NoExecute taint; set effect: NoExecute or remove it",
        );
    }
    toleration_value(tp, t, op, out);
}

/// ValidateTolerations on a toleration's value: a label value with Equal (or no operator),
/// empty with Exists.
fn toleration_value(tp: &str, t: &Value, op: &str, out: &mut Out) {
    let value = t["value"].as_str().unwrap_or("");
    let operator_field = super::pointer_to_path(&child(tp, "operator"));
    match op {
        "" | "Equal" => {
            let errs = super::format::label_value(value);
            // The API server names `operator` for a bad value; point there when it is
            // written (it sits beside the value).
            if !errs.is_empty() {
                out.invalid(
                    codes::K8S157,
                    &if t["operator"].is_null() {
                        field_or_item(tp, t, "value")
                    } else {
                        field_or_item(tp, t, "operator")
                    },
                    &operator_field,
                    &t["value"],
                    &errs.join(";"),
                    "a toleration value is a label value",
                );
            }
        }
        "Exists" if !value.is_empty() => out.invalid(
            codes::K8S157,
            &field_or_item(tp, t, "operator"),
            &operator_field,
            &t["value"],
            "value must be empty when `operator` is 'Exists'",
            "Exists matches any value of the key; remove value, or use operator: Equal",
        ),
        _ => {}
    }
}

/// The pointer of field `f` of the object `t` at `tp` when it is written, else of `t`.
fn field_or_item(tp: &str, t: &Value, f: &str) -> String {
    if t[f].is_null() {
        tp.to_string()
    } else {
        child(tp, f)
    }
}

/// validatePodDNSConfig: dnsPolicy None needs a dnsConfig with a nameserver; at most 3
/// nameservers and 32 search paths; an option has a name.
fn dns_config(ptr: &str, spec: &Value, out: &mut Out) {
    let code = codes::K8S158;
    let dc = &spec["dnsConfig"];
    let dp = child(ptr, "dnsConfig");
    let nameservers = dc["nameservers"].as_array().map_or(0, Vec::len);
    if spec["dnsPolicy"].as_str() == Some("None") {
        if !dc.is_object() {
            out.required(
                code,
                &child(ptr, "dnsPolicy"),
                "must provide `dnsConfig` when `dnsPolicy` is None",
                "dnsPolicy: None leaves the Pod without DNS: give dnsConfig.nameservers, or use ClusterFirst",
            );
            return;
        }
        if nameservers == 0 {
            out.required(
                code,
                &if dc["nameservers"].is_null() {
                    dp.clone()
                } else {
                    child(&dp, "nameservers")
                },
                "must provide at least one DNS nameserver when `dnsPolicy` is None",
                "list at least one nameserver IP under dnsConfig.nameservers",
            );
            return;
        }
    }
    if !dc.is_object() {
        return;
    }
    if nameservers > 3 {
        out.invalid_at(
            code,
            &child(&dp, "nameservers"),
            &dc["nameservers"],
            "must not have more than 3 nameservers",
            "resolv.conf takes at most 3 nameservers",
        );
    }
    if dc["searches"].as_array().is_some_and(|a| a.len() > 32) {
        out.invalid_at(
            code,
            &child(&dp, "searches"),
            &dc["searches"],
            "must not have more than 32 search paths",
            "keep at most 32 search domains",
        );
    }
    for (i, o) in dc["options"].as_array().into_iter().flatten().enumerate() {
        if o["name"].as_str().is_none_or(str::is_empty) {
            out.required(
                code,
                &format!("{dp}/options/{i}"),
                "must not be empty",
                "a resolver option has a name, e.g. {name: ndots, value: \"2\"}",
            );
        }
    }
}

/// validateAffinity: validateNodeAffinity, then validatePodAffinity and
/// validatePodAntiAffinity (one shape, one check).
fn affinity(ap: &str, a: &Value, out: &mut Out) {
    if !a.is_object() {
        return;
    }
    node_affinity(&child(ap, "nodeAffinity"), &a["nodeAffinity"], out);
    for kind in ["podAffinity", "podAntiAffinity"] {
        pod_affinity(&child(ap, kind), &a[kind], out);
    }
}

/// validateNodeAffinity: the required node selector (ValidateNodeSelector) and
/// ValidatePreferredSchedulingTerms (weights 1-100, each preference a node selector term).
fn node_affinity(np: &str, na: &Value, out: &mut Out) {
    let req = &na["requiredDuringSchedulingIgnoredDuringExecution"];
    if req.is_object() {
        node_selector(
            &child(np, "requiredDuringSchedulingIgnoredDuringExecution"),
            req,
            out,
        );
    }
    let pp = child(np, "preferredDuringSchedulingIgnoredDuringExecution");
    for (i, t) in na["preferredDuringSchedulingIgnoredDuringExecution"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        let tp = format!("{pp}/{i}");
        preference_weight(&child(&tp, "weight"), &t["weight"], out);
        // invalid label values are allowed in preferred terms
        node_selector_term(&child(&tp, "preference"), &t["preference"], false, out);
    }
}

/// ValidateNodeSelector: at least one term, each a node selector term.
fn node_selector(rp: &str, req: &Value, out: &mut Out) {
    let terms = req["nodeSelectorTerms"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    if terms.is_empty() {
        out.required(
            codes::K8S159,
            &if req["nodeSelectorTerms"].is_null() {
                rp.to_string()
            } else {
                child(rp, "nodeSelectorTerms")
            },
            "must have at least one node selector term",
            "give at least one nodeSelectorTerms entry with matchExpressions",
        );
    }
    for (i, t) in terms.iter().enumerate() {
        node_selector_term(&format!("{rp}/nodeSelectorTerms/{i}"), t, true, out);
    }
}

/// ValidateNodeSelectorTerm: each of its matchExpressions.
fn node_selector_term(tp: &str, t: &Value, check_values: bool, out: &mut Out) {
    for (j, r) in t["matchExpressions"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        node_selector_requirement(&format!("{tp}/matchExpressions/{j}"), r, check_values, out);
    }
}

/// ValidateNodeSelectorRequirement: the values the operator needs, a qualified key, and (for
/// required terms only) label values.
fn node_selector_requirement(rp: &str, r: &Value, check_values: bool, out: &mut Out) {
    let code = codes::K8S159;
    let values = r["values"].as_array().map(Vec::as_slice).unwrap_or(&[]);
    let vp = if r["values"].is_null() {
        rp.to_string()
    } else {
        child(rp, "values")
    };
    match r["operator"].as_str().unwrap_or("") {
        "In" | "NotIn" if values.is_empty() => out.required(
            code,
            &vp,
            "must be specified when `operator` is 'In' or 'NotIn'",
            "list the label values to match, e.g. values: [ssd]",
        ),
        "Exists" | "DoesNotExist" if !values.is_empty() => out.forbidden(
            code,
            &vp,
            "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
            "Exists and DoesNotExist look at the key only; remove values",
        ),
        "Gt" | "Lt" if values.len() != 1 => out.required(
            code,
            &vp,
            "must be specified single value when `operator` is 'Lt' or 'Gt'",
            "Gt and Lt compare with one integer, e.g. values: [\"4\"]",
        ),
        "In" | "NotIn" | "Exists" | "DoesNotExist" | "Gt" | "Lt" => {}
        _ => out.invalid_at(
            code,
            &child(rp, "operator"),
            &r["operator"],
            "not a valid selector operator",
            "an operator is In, NotIn, Exists, DoesNotExist, Gt or Lt",
        ),
    }
    if let Some(k) = r["key"].as_str() {
        let errs = super::format::qualified_name(k);
        if !errs.is_empty() {
            out.invalid_at(
                code,
                &child(rp, "key"),
                &r["key"],
                &errs.join(", "),
                "a node label key such as kubernetes.io/arch",
            );
        }
    }
    if check_values {
        for (k, v) in values.iter().enumerate() {
            if let Some(s) = v.as_str() {
                let errs = super::format::label_value(s);
                if !errs.is_empty() {
                    out.invalid_at(
                        code,
                        &format!("{rp}/values/{k}"),
                        v,
                        &errs.join(", "),
                        "a node label value",
                    );
                }
            }
        }
    }
}

/// validatePodAffinity / validatePodAntiAffinity: each required term and each weighted
/// preferred term (validateWeightedPodAffinityTerms) through validatePodAffinityTerm.
fn pod_affinity(kp: &str, k: &Value, out: &mut Out) {
    let rq = child(kp, "requiredDuringSchedulingIgnoredDuringExecution");
    for (i, t) in k["requiredDuringSchedulingIgnoredDuringExecution"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        pod_affinity_term(&format!("{rq}/{i}"), t, out);
    }
    let pf = child(kp, "preferredDuringSchedulingIgnoredDuringExecution");
    for (i, t) in k["preferredDuringSchedulingIgnoredDuringExecution"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        let tp = format!("{pf}/{i}");
        preference_weight(&child(&tp, "weight"), &t["weight"], out);
        pod_affinity_term(&child(&tp, "podAffinityTerm"), &t["podAffinityTerm"], out);
    }
}

/// validatePodAffinityTerm: a topologyKey is required and a qualified name.
fn pod_affinity_term(tp: &str, t: &Value, out: &mut Out) {
    match t["topologyKey"].as_str() {
        None | Some("") => out.required(
            codes::K8S159,
            &if t["topologyKey"].is_null() {
                tp.to_string()
            } else {
                child(tp, "topologyKey")
            },
            "can not be empty",
            "name the node label that groups nodes, e.g. topologyKey: kubernetes.io/hostname",
        ),
        Some(key) => {
            let errs = super::format::qualified_name(key);
            if !errs.is_empty() {
                out.invalid_at(
                    codes::K8S159,
                    &child(tp, "topologyKey"),
                    &t["topologyKey"],
                    &errs.join(", "),
                    "a topology key is a node label key such as topology.kubernetes.io/zone",
                );
            }
        }
    }
}

/// The weight of a preferred scheduling or pod affinity term: 1-100.
fn preference_weight(wp: &str, w: &Value, out: &mut Out) {
    if let Some(n) = w.as_i64()
        && !(1..=100).contains(&n)
    {
        out.invalid_at(
            codes::K8S159,
            wp,
            w,
            "must be in the range 1-100",
            "a preference weighs 1 to 100",
        );
    }
}
