//! Ingresses and NetworkPolicies: pkg/apis/networking/validation/validation.go
//! ValidateIngressSpec (validateIngressRules, validateHTTPIngressPath, validateIngressBackend)
//! and ValidateNetworkPolicySpec (ValidateNetworkPolicyPort, ValidateIPBlock).

use super::format::{dns1123_label, dns1123_subdomain, port_name, port_num};
use super::{Out, child};
use crate::diag::codes;
use serde_json::Value;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// netutils.ParseIPSloppy: an IPv4 address may have leading zeros.
fn parse_ip_sloppy(s: &str) -> Option<IpAddr> {
    if s.contains(':') {
        return s.parse::<Ipv6Addr>().ok().map(IpAddr::V6);
    }
    let parts: Vec<&str> = s.split('.').collect();
    if parts.len() != 4 {
        return None;
    }
    let mut b = [0u8; 4];
    for (i, p) in parts.iter().enumerate() {
        if p.is_empty() || p.len() > 3 || !p.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        b[i] = p.parse().ok()?;
    }
    Some(IpAddr::V4(Ipv4Addr::from(b)))
}

/// validation.IsWildcardDNS1123Subdomain
fn wildcard_subdomain(h: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if h.len() > 253 {
        errs.push(super::format::max_len_error(253));
    }
    let ok = h
        .strip_prefix("*.")
        .is_some_and(|rest| dns1123_subdomain(rest).is_empty());
    if !ok {
        errs.push("a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')".into());
    }
    errs
}

/// ValidateIngressSpec: rules or a defaultBackend, the defaultBackend, validateIngressTLS and
/// validateIngressRules.
pub(super) fn ingress(v: &Value, out: &mut Out) {
    let spec = &v["spec"];
    if !spec.is_object() {
        return;
    }
    let rules = spec["rules"].as_array().map(Vec::as_slice).unwrap_or(&[]);
    if rules.is_empty() && spec["defaultBackend"].is_null() {
        out.issues.push(super::Issue {
            code: codes::K8S172,
            message:
                "spec: Invalid value: null: either `defaultBackend` or `rules` must be specified"
                    .into(),
            pointer: "/spec".into(),
            at_key: true,
            hint: Some("give the Ingress rules (host and paths) or a defaultBackend".into()),
        });
    }
    if spec["defaultBackend"].is_object() {
        backend("/spec/defaultBackend", &spec["defaultBackend"], out);
    }
    for (i, t) in spec["tls"].as_array().into_iter().flatten().enumerate() {
        ingress_tls(&format!("/spec/tls/{i}"), t, out);
    }
    for (i, r) in rules.iter().enumerate() {
        ingress_rule(&format!("/spec/rules/{i}"), r, out);
    }
}

/// validateIngressTLS: hosts (DNS names or wildcards) and the Secret's name.
fn ingress_tls(tp: &str, t: &Value, out: &mut Out) {
    for (j, h) in t["hosts"].as_array().into_iter().flatten().enumerate() {
        let Some(hs) = h.as_str() else { continue };
        let errs = if hs.contains('*') {
            wildcard_subdomain(hs)
        } else {
            dns1123_subdomain(hs)
        };
        if !errs.is_empty() {
            out.invalid_at(
                codes::K8S171,
                &format!("{tp}/hosts/{j}"),
                h,
                &errs.join(", "),
                "a TLS host is a lower-case DNS name or a wildcard such as *.example.com",
            );
        }
    }
    if let Some(s) = t["secretName"].as_str()
        && !s.is_empty()
    {
        let errs = dns1123_subdomain(s);
        if !errs.is_empty() {
            out.invalid_at(
                codes::K8S171,
                &format!("{tp}/secretName"),
                &t["secretName"],
                &errs.join(", "),
                "name the kubernetes.io/tls Secret that holds the certificate (a DNS-1123 subdomain)",
            );
        }
    }
}

/// validateIngressRules for one rule: its host (a DNS name, not an IP; wildcards allowed),
/// then validateHTTPIngressRuleValue (at least one path, each validateHTTPIngressPath).
fn ingress_rule(rp: &str, r: &Value, out: &mut Out) {
    if let Some(h) = r["host"].as_str()
        && !h.is_empty()
    {
        let hp = format!("{rp}/host");
        if parse_ip_sloppy(h).is_some() {
            out.invalid_at(
                codes::K8S171,
                &hp,
                &r["host"],
                "must be a DNS name, not an IP address",
                "an Ingress host is a DNS name; leave host out to match every address",
            );
        }
        let errs = if h.contains('*') {
            wildcard_subdomain(h)
        } else {
            dns1123_subdomain(h)
        };
        if !errs.is_empty() {
            out.invalid_at(
                codes::K8S171,
                &hp,
                &r["host"],
                &errs.join(", "),
                "a host is a lower-case DNS name such as app.example.com, or a wildcard such as *.example.com (no port)",
            );
        }
    }
    let http = &r["http"];
    if !http.is_object() {
        return;
    }
    let paths = http["paths"].as_array().map(Vec::as_slice).unwrap_or(&[]);
    if paths.is_empty() {
        out.required(
            codes::K8S170,
            &format!("{rp}/http/paths"),
            "",
            "list at least one path, e.g. {path: /, pathType: Prefix, backend: …}",
        );
    }
    for (j, p) in paths.iter().enumerate() {
        path(&format!("{rp}/http/paths/{j}"), p, out);
    }
}

/// validateHTTPIngressPath
fn path(pp: &str, p: &Value, out: &mut Out) {
    let Some(ty) = p["pathType"].as_str() else {
        out.required(
            codes::K8S170,
            &format!("{pp}/pathType"),
            "pathType must be specified",
            "add pathType: Prefix (or Exact, or ImplementationSpecific)",
        );
        return;
    };
    let path = p["path"].as_str().unwrap_or("");
    let ptr = format!("{pp}/path");
    let at = if p["path"].is_null() {
        pp.to_string()
    } else {
        ptr.clone()
    };
    let shown = Value::String(path.into());
    let bad = |detail: String, out: &mut Out| {
        out.invalid(
            codes::K8S170,
            &at,
            &super::pointer_to_path(&ptr),
            &shown,
            &detail,
            "an Ingress path is absolute (starts with /), e.g. /api",
        );
    };
    match ty {
        "Exact" | "Prefix" => {
            if !path.starts_with('/') {
                bad("must be an absolute path".into(), out);
            }
            if !path.is_empty() {
                for seq in ["//", "/./", "/../", "%2f", "%2F"] {
                    if path.contains(seq) {
                        bad(format!("must not contain '{seq}'"), out);
                    }
                }
                for suf in ["/..", "/."] {
                    if path.ends_with(suf) {
                        bad(format!("cannot end with '{suf}'"), out);
                    }
                }
            }
        }
        "ImplementationSpecific" if !path.is_empty() && !path.starts_with('/') => {
            bad("must be an absolute path".into(), out);
        }
        _ => {} // the schema's enum reports it
    }
    backend(&format!("{pp}/backend"), &p["backend"], out);
}

/// validateIngressBackend (a Service backend; RelaxedServiceNameValidation is on, so the
/// Service name is a DNS-1123 label).
fn backend(bp: &str, b: &Value, out: &mut Out) {
    if !b.is_object() {
        return;
    }
    let (res, svc) = (&b["resource"], &b["service"]);
    if !res.is_null() && !svc.is_null() {
        out.issues.push(super::Issue {
            code: codes::K8S172,
            message: format!(
                "{}: Invalid value: \"\": cannot set both resource and service backends",
                super::pointer_to_path(bp)
            ),
            pointer: format!("{bp}/resource"),
            at_key: true,
            hint: Some("a backend is a service or a resource, not both".into()),
        });
        return;
    }
    if !res.is_null() {
        return;
    }
    if svc.is_null() {
        out.issues.push(super::Issue {
            code: codes::K8S172,
            message: format!(
                "{}: Invalid value: \"\": resource or service backend is required",
                super::pointer_to_path(bp)
            ),
            pointer: bp.to_string(),
            at_key: true,
            hint: Some("give the backend a service: {name: web, port: {number: 80}}".into()),
        });
        return;
    }
    let sp = format!("{bp}/service");
    if let Some(n) = svc["name"].as_str()
        && !n.is_empty()
    {
        let errs = dns1123_label(n);
        if !errs.is_empty() {
            out.invalid_at(
                codes::K8S172,
                &format!("{sp}/name"),
                &svc["name"],
                &errs.join(", "),
                "name the Service exactly as it is named (a DNS-1123 label)",
            );
        }
    }
    service_backend_port(bp, &sp, &svc["port"], out);
}

/// validateIngressBackend on the Service port (of the backend at `bp`, its service at `sp`):
/// a name or a number, exactly one, valid.
fn service_backend_port(bp: &str, sp: &str, port: &Value, out: &mut Out) {
    let name = port["name"].as_str().unwrap_or("");
    let number = port["number"].as_i64().unwrap_or(0);
    let pp = format!("{sp}/port");
    if !name.is_empty() && number != 0 {
        out.issues.push(super::Issue {
            code: codes::K8S172,
            message: format!(
                "{}: Invalid value: \"\": cannot set both port name & port number",
                super::pointer_to_path(bp)
            ),
            pointer: format!("{pp}/number"),
            at_key: true,
            hint: Some("give the Service port by name or by number, not both".into()),
        });
    } else if !name.is_empty() {
        let errs = port_name(name);
        if !errs.is_empty() {
            out.invalid_at(
                codes::K8S172,
                &format!("{pp}/name"),
                &port["name"],
                &errs.join(", "),
                "a port name is what the Service calls the port (e.g. http)",
            );
        }
    } else if number != 0 {
        let errs = port_num(number);
        if !errs.is_empty() {
            out.invalid_at(
                codes::K8S172,
                &format!("{pp}/number"),
                &port["number"],
                &errs.join(", "),
                "a port number is between 1 and 65535",
            );
        }
    } else {
        out.issues.push(super::Issue {
            code: codes::K8S172,
            message: format!(
                "{}: Required value: port name or number is required",
                super::pointer_to_path(bp)
            ),
            pointer: if port.is_object() { pp } else { sp.to_string() },
            at_key: true,
            hint: Some("name the Service port: port: {number: 80} or port: {name: http}".into()),
        });
    }
}

/// ValidateNetworkPolicySpec: ports of ingress and egress rules, and ipBlocks.
pub(super) fn network_policy(v: &Value, out: &mut Out) {
    let spec = &v["spec"];
    for (dir, peers) in [("ingress", "from"), ("egress", "to")] {
        for (i, r) in spec[dir].as_array().into_iter().flatten().enumerate() {
            let rp = format!("/spec/{dir}/{i}");
            for (j, p) in r["ports"].as_array().into_iter().flatten().enumerate() {
                np_port(&format!("{rp}/ports/{j}"), p, out);
            }
            for (j, p) in r[peers].as_array().into_iter().flatten().enumerate() {
                let pp = format!("{rp}/{peers}/{j}");
                if p["ipBlock"].is_object() {
                    ip_block(&format!("{pp}/ipBlock"), &p["ipBlock"], out);
                }
            }
        }
    }
}

/// ValidateNetworkPolicyPort
fn np_port(pp: &str, p: &Value, out: &mut Out) {
    if let Some(proto) = p["protocol"].as_str()
        && !matches!(proto, "TCP" | "UDP" | "SCTP")
    {
        out.not_supported(
            codes::K8S175,
            &format!("{pp}/protocol"),
            &p["protocol"],
            &["TCP", "UDP", "SCTP"],
            "a protocol is TCP, UDP or SCTP (upper case)",
        );
    }
    let end = &p["endPort"];
    let ep = format!("{pp}/endPort");
    match &p["port"] {
        Value::Number(n) => {
            let Some(n) = n.as_i64() else { return };
            for m in port_num(n) {
                out.invalid_at(
                    codes::K8S175,
                    &format!("{pp}/port"),
                    &p["port"],
                    &m,
                    "a port number is between 1 and 65535",
                );
            }
            if let Some(e) = end.as_i64() {
                if e < n {
                    out.invalid_at(
                        codes::K8S175,
                        &ep,
                        end,
                        "must be greater than or equal to `port`",
                        "endPort closes the range that starts at port; make it at least port",
                    );
                }
                for m in port_num(e) {
                    out.invalid_at(
                        codes::K8S175,
                        &ep,
                        end,
                        &m,
                        "a port number is between 1 and 65535",
                    );
                }
            }
        }
        Value::String(s) => {
            if !end.is_null() {
                out.invalid_at(
                    codes::K8S175,
                    &ep,
                    end,
                    "may not be specified when `port` is non-numeric",
                    "a port range needs a numeric port; give the number, or remove endPort",
                );
            }
            let errs = port_name(s);
            if !errs.is_empty() {
                out.invalid_at(
                    codes::K8S175,
                    &format!("{pp}/port"),
                    &p["port"],
                    &errs.join(", "),
                    "a named port is a container port name (e.g. http), or give the number unquoted",
                );
            }
        }
        Value::Null if !end.is_null() => {
            out.invalid_at(
                codes::K8S175,
                &ep,
                end,
                "may not be specified when `port` is not specified",
                "give the first port of the range in port",
            );
        }
        _ => {}
    }
}

/// A CIDR in canonical form (no leading zeros): its network address and prefix length.
/// Anything else is None and not judged (the API server's CIDR strictness depends on
/// feature gates).
fn parse_cidr(s: &str) -> Option<(IpAddr, u8)> {
    let (ip, len) = s.split_once('/')?;
    if len.is_empty()
        || !len.bytes().all(|c| c.is_ascii_digit())
        || (len.len() > 1 && len.starts_with('0'))
    {
        return None;
    }
    let len: u8 = len.parse().ok()?;
    let ip: IpAddr = ip.parse().ok()?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    if len > max {
        return None;
    }
    Some((mask(ip, len), len))
}

fn mask(ip: IpAddr, len: u8) -> IpAddr {
    match ip {
        IpAddr::V4(a) => {
            let m = if len == 0 { 0 } else { u32::MAX << (32 - len) };
            IpAddr::V4(Ipv4Addr::from(u32::from(a) & m))
        }
        IpAddr::V6(a) => {
            let m = if len == 0 {
                0
            } else {
                u128::MAX << (128 - len)
            };
            IpAddr::V6(Ipv6Addr::from(u128::from(a) & m))
        }
    }
}

/// ValidateIPBlock: each `except` is a strict subset of `cidr`.
fn ip_block(bp: &str, b: &Value, out: &mut Out) {
    let Some((net, len)) = b["cidr"].as_str().and_then(parse_cidr) else {
        return;
    };
    for (i, e) in b["except"].as_array().into_iter().flatten().enumerate() {
        let Some((enet, elen)) = e.as_str().and_then(parse_cidr) else {
            continue;
        };
        let contains = enet.is_ipv4() == net.is_ipv4() && mask(enet, len) == net;
        if !contains || len >= elen {
            out.invalid_at(
                codes::K8S176,
                &child(&format!("{bp}/except"), &i.to_string()),
                e,
                "must be a strict subset of `cidr`",
                &format!(
                    "an except range lies inside {} and is smaller",
                    b["cidr"].as_str().unwrap_or("")
                ),
            );
        }
    }
}
