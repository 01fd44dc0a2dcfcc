//! Services: pkg/apis/core/validation/validation.go validateService and validateServicePort,
//! and the node port allocation of pkg/registry/core/service/storage/alloc.go initNodePorts
//! (pkg/registry/core/service/portallocator/allocator.go ErrNotInRange).

use super::format::{dns1123_label, port_name, port_num};
use super::{Out, meta};
use crate::diag::codes;
use serde_json::Value;
use std::collections::HashSet;

/// The API server's default --service-node-port-range.
const NODE_PORTS: std::ops::RangeInclusive<i64> = 30000..=32767;

/// validateService: each port (validateServicePort), unique port and protocol pairs, node
/// ports, and the selector's labels.
pub(super) fn service(v: &Value, out: &mut Out) {
    let spec = &v["spec"];
    if !spec.is_object() {
        return;
    }
    // SetDefaults_Service: type ClusterIP, protocol TCP, targetPort = port.
    let ty = spec["type"].as_str().unwrap_or("ClusterIP");
    let ports = spec["ports"].as_array().map(Vec::as_slice).unwrap_or(&[]);
    let mut names: HashSet<&str> = HashSet::new();
    let mut seen: HashSet<(i64, &str)> = HashSet::new();
    let mut node_ports: HashSet<(i64, &str)> = HashSet::new();
    for (i, p) in ports.iter().enumerate() {
        let pp = format!("/spec/ports/{i}");
        let proto = p["protocol"].as_str().unwrap_or("TCP");
        service_port(&pp, p, ports.len() > 1, &mut names, out);
        // Duplicate (port, protocol) pairs.
        if let Some(n) = p["port"].as_i64()
            && !seen.insert((n, proto))
        {
            out.duplicate(
                codes::K8S132,
                &pp,
                &Value::String(format!("{n}/{proto}")),
                "two ports of one Service cannot share a port number and protocol",
            );
        }
        node_port(&pp, p, proto, ty, &mut node_ports, out);
    }
    if let Some(sel) = spec.get("selector") {
        meta::labels("/spec/selector", sel, out);
    }
}

/// validateServicePort: a name (required when the Service has several ports, a DNS-1123
/// label, unique), the port number, and the targetPort (ValidatePortNumOrName).
fn service_port<'a>(
    pp: &str,
    p: &'a Value,
    require_name: bool,
    names: &mut HashSet<&'a str>,
    out: &mut Out,
) {
    match p["name"].as_str().filter(|n| !n.is_empty()) {
        None if require_name => out.required(
            codes::K8S131,
            &format!("{pp}/name"),
            "",
            "a Service with more than one port must name each of them (e.g. name: http)",
        ),
        None => {}
        Some(n) => {
            let errs = dns1123_label(n);
            if !errs.is_empty() {
                out.invalid_at(
                    codes::K8S113,
                    &format!("{pp}/name"),
                    &p["name"],
                    &errs.join(", "),
                    "a Service port name is a DNS-1123 label: lower-case letters, digits and `-`",
                );
            }
            if !names.insert(n) {
                out.duplicate(
                    codes::K8S114,
                    &format!("{pp}/name"),
                    &p["name"],
                    "port names must be unique within a Service",
                );
            }
        }
    }
    if let Some(n) = p["port"].as_i64()
        && !port_num(n).is_empty()
    {
        out.invalid_at(
            codes::K8S112,
            &format!("{pp}/port"),
            &p["port"],
            &port_num(n).join(", "),
            "a port number is between 1 and 65535",
        );
    }
    target_port(&format!("{pp}/targetPort"), &p["targetPort"], out);
}

/// ValidatePortNumOrName for a Service port's targetPort.
fn target_port(tp: &str, t: &Value, out: &mut Out) {
    match t {
        Value::Number(n) => {
            // 0 is defaulted to `port` (SetDefaults_Service).
            if let Some(n) = n.as_i64()
                && n != 0
                && !port_num(n).is_empty()
            {
                out.invalid_at(
                    codes::K8S112,
                    tp,
                    t,
                    &port_num(n).join(", "),
                    "a port number is between 1 and 65535",
                );
            }
        }
        Value::String(s) if !s.is_empty() => {
            let errs = port_name(s);
            if !errs.is_empty() {
                out.invalid_at(
                    codes::K8S113,
                    tp,
                    t,
                    &errs.join(", "),
                    "name a container port (e.g. http) or give its number unquoted",
                );
            }
        }
        _ => {}
    }
}

/// A port's nodePort, when given (not 0): not with type ClusterIP, unique with its protocol
/// among the Service's node ports, and in the node port range (initNodePorts, ErrNotInRange).
fn node_port<'a>(
    pp: &str,
    p: &Value,
    proto: &'a str,
    ty: &str,
    node_ports: &mut HashSet<(i64, &'a str)>,
    out: &mut Out,
) {
    let Some(np) = p["nodePort"].as_i64().filter(|np| *np != 0) else {
        return;
    };
    let npp = format!("{pp}/nodePort");
    if ty == "ClusterIP" {
        out.forbidden(
            codes::K8S133,
            &npp,
            "may not be used when `type` is 'ClusterIP'",
            "set type: NodePort (or LoadBalancer), or remove nodePort",
        );
    } else if !node_ports.insert((np, proto)) {
        out.duplicate(
            codes::K8S132,
            &npp,
            &p["nodePort"],
            "two ports of one Service cannot share a nodePort and protocol",
        );
    } else if matches!(ty, "NodePort" | "LoadBalancer") && !NODE_PORTS.contains(&np) {
        out.invalid_at(
            codes::K8S130,
            &npp,
            &p["nodePort"],
            "provided port is not in the valid range. The range of valid ports is 30000-32767",
            "node ports come from the API server's --service-node-port-range (30000-32767 by default); pick one in it, or leave nodePort out to get one assigned",
        );
    }
}
