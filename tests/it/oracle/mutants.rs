//! Mutants of the book's manifests: each mutation puts one defect that a rule of the second
//! batch rejects (or, for a `control:` mutation, a change the API server accepts) into every
//! manifest of a kind it applies to. Deterministic: one table, applied in book order.

use serde_json::{Value, json};

/// The Pod spec of a workload, as a JSON pointer.
fn pod_spec(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "Pod" => "/spec",
        "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet" | "Job" => "/spec/template/spec",
        "CronJob" => "/spec/jobTemplate/spec/template/spec",
        _ => return None,
    })
}

/// The first container of a workload.
fn first_container<'a>(
    v: &'a mut Value,
    kind: &str,
) -> Option<&'a mut serde_json::Map<String, Value>> {
    let p = pod_spec(kind)?;
    v.pointer_mut(&format!("{p}/containers/0"))?.as_object_mut()
}

/// Add a volume to a workload's Pod spec.
fn add_volume(kind: &str, v: &mut Value, vol: Value) -> bool {
    let Some(p) = pod_spec(kind) else {
        return false;
    };
    let Some(spec) = v.pointer_mut(p) else {
        return false;
    };
    match spec["volumes"].as_array_mut() {
        Some(a) => a.push(vol),
        None => spec["volumes"] = json!([vol]),
    }
    true
}

type Mutation = (&'static str, fn(&str, &mut Value) -> bool);

/// (name, mutation): a mutation returns false when it does not apply to the manifest.
const MUTATIONS: &[Mutation] = &[
    ("limits below requests", |k, v| {
        first_container(v, k).map(|c| {
            c.insert("resources".into(), json!({"requests": {"cpu": "2", "memory": "1Gi"}, "limits": {"cpu": "1", "memory": "1Gi"}}));
        }).is_some()
    }),
    ("extended resource without a limit", |k, v| {
        first_container(v, k)
            .map(|c| {
                c.insert(
                    "resources".into(),
                    json!({"requests": {"example.com/gpu": 1}}),
                );
            })
            .is_some()
    }),
    ("resource named mem", |k, v| {
        first_container(v, k)
            .map(|c| {
                c.insert("resources".into(), json!({"requests": {"mem": "64Mi"}}));
            })
            .is_some()
    }),
    ("probe with two handlers", |k, v| {
        first_container(v, k)
            .map(|c| {
                c.insert(
                    "livenessProbe".into(),
                    json!({"tcpSocket": {"port": 80}, "exec": {"command": ["true"]}}),
                );
            })
            .is_some()
    }),
    ("probe without a handler", |k, v| {
        first_container(v, k)
            .map(|c| {
                c.insert("readinessProbe".into(), json!({"periodSeconds": 5}));
            })
            .is_some()
    }),
    (
        "readiness probe with terminationGracePeriodSeconds",
        |k, v| {
            first_container(v, k)
                .map(|c| {
                    c.insert(
                        "readinessProbe".into(),
                        json!({"tcpSocket": {"port": 80}, "terminationGracePeriodSeconds": 10}),
                    );
                })
                .is_some()
        },
    ),
    ("startup probe successThreshold 3", |k, v| {
        first_container(v, k)
            .map(|c| {
                c.insert(
                    "startupProbe".into(),
                    json!({"tcpSocket": {"port": 80}, "successThreshold": 3}),
                );
            })
            .is_some()
    }),
    ("env with value and valueFrom", |k, v| {
        first_container(v, k).map(|c| {
            c.insert("env".into(), json!([{"name": "POD", "value": "x", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}]));
        }).is_some()
    }),
    ("control: env name with dots and a space", |k, v| {
        first_container(v, k)
            .map(|c| {
                c.insert(
                    "env".into(),
                    json!([{"name": "app.log level", "value": "debug"}]),
                );
            })
            .is_some()
    }),
    ("selector that misses the template", |k, v| {
        matches!(k, "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet")
            && v.pointer_mut("/spec/selector")
                .map(|s| {
                    s["matchExpressions"] =
                        json!([{"key": "kubebook-mutant", "operator": "Exists"}]);
                })
                .is_some()
    }),
    ("control: selector NotIn a value no template has", |k, v| {
        matches!(k, "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet")
            && v.pointer_mut("/spec/selector")
                .map(|s| {
                    s["matchExpressions"] =
                        json!([{"key": "kubebook-mutant", "operator": "NotIn", "values": ["x"]}]);
                })
                .is_some()
    }),
    ("container runAsUser -1", |k, v| {
        first_container(v, k)
            .map(|c| {
                c.insert("securityContext".into(), json!({"runAsUser": -1}));
            })
            .is_some()
    }),
    (
        "control: container runAsUser 0, runAsNonRoot unset",
        |k, v| {
            first_container(v, k)
                .map(|c| {
                    c.insert(
                        "securityContext".into(),
                        json!({"runAsUser": 0, "allowPrivilegeEscalation": false}),
                    );
                })
                .is_some()
        },
    ),
    ("volume with two sources", |k, v| {
        add_volume(
            k,
            v,
            json!({"name": "kubebook-mutant", "emptyDir": {}, "configMap": {"name": "x"}}),
        )
    }),
    ("configMap volume defaultMode 0o1000", |k, v| {
        add_volume(
            k,
            v,
            json!({"name": "kubebook-mutant", "configMap": {"name": "x", "defaultMode": 512}}),
        )
    }),
    (
        "control: volume without a source (defaulted to emptyDir)",
        |k, v| add_volume(k, v, json!({"name": "kubebook-mutant"})),
    ),
    ("toleration Exists with a value", |k, v| {
        pod_spec(k)
            .and_then(|p| v.pointer_mut(p))
            .map(|s| {
                s["tolerations"] =
                    json!([{"key": "dedicated", "operator": "Exists", "value": "web"}]);
            })
            .is_some()
    }),
    ("control: limits 1Gi, requests 1024Mi", |k, v| {
        first_container(v, k).map(|c| {
            c.insert("resources".into(), json!({"requests": {"cpu": "500m", "memory": "1024Mi"}, "limits": {"cpu": 1, "memory": "1Gi"}}));
        }).is_some()
    }),
    (
        "control: probe periodSeconds 0 (defaulted to 10)",
        |k, v| {
            first_container(v, k).map(|c| {
            c.insert("livenessProbe".into(), json!({"tcpSocket": {"port": 80}, "periodSeconds": 0, "successThreshold": 0}));
        }).is_some()
        },
    ),
    ("rollingUpdate in a Recreate Deployment", |k, v| {
        k == "Deployment" && {
            v["spec"]["strategy"] = json!({"type": "Recreate", "rollingUpdate": {"maxSurge": 1}});
            true
        }
    }),
    ("maxSurge 0 and maxUnavailable 0%", |k, v| {
        k == "Deployment"
            && {
                v["spec"]["strategy"] = json!({"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 0, "maxUnavailable": "0%"}});
                true
            }
    }),
    ("control: maxUnavailable 100%, maxSurge 0", |k, v| {
        k == "Deployment" && {
            v["spec"]["strategy"] =
                json!({"rollingUpdate": {"maxSurge": 0, "maxUnavailable": "100%"}});
            true
        }
    }),
    (
        "DaemonSet maxSurge beside the default maxUnavailable",
        |k, v| {
            k == "DaemonSet" && {
                v["spec"]["updateStrategy"] =
                    json!({"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}});
                true
            }
        },
    ),
    ("control: DaemonSet maxSurge 1, maxUnavailable 0", |k, v| {
        k == "DaemonSet" && {
            v["spec"]["updateStrategy"] =
                json!({"rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}});
            true
        }
    }),
    ("PriorityClass value above a billion", |k, v| {
        k == "PriorityClass" && {
            v["value"] = json!(2000000000);
            true
        }
    }),
    ("ResourceQuota hard mem", |k, v| {
        k == "ResourceQuota" && {
            v["spec"]["hard"]["mem"] = json!("1Gi");
            true
        }
    }),
    ("StatefulSet maxUnavailable 0", |k, v| {
        k == "StatefulSet" && {
            v["spec"]["updateStrategy"] =
                json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0}});
            true
        }
    }),
    ("Ingress host is an IP", |k, v| {
        k == "Ingress"
            && v.pointer_mut("/spec/rules/0")
                .map(|r| r["host"] = json!("192.168.0.1"))
                .is_some()
    }),
    ("NetworkPolicy ipBlock except outside its cidr", |k, v| {
        k == "NetworkPolicy" && {
            let rule =
                json!({"from": [{"ipBlock": {"cidr": "10.0.0.0/24", "except": ["10.0.1.0/28"]}}]});
            match v["spec"]["ingress"].as_array_mut() {
                Some(a) => a.push(rule),
                None => v["spec"]["ingress"] = json!([rule]),
            }
            true
        }
    }),
    (
        "control: NetworkPolicy ipBlock except inside its cidr",
        |k, v| {
            k == "NetworkPolicy"
                && {
                    let rule = json!({"from": [{"ipBlock": {"cidr": "10.0.0.0/16", "except": ["10.0.1.0/28"]}}], "ports": [{"port": 8000, "endPort": 9000}]});
                    match v["spec"]["ingress"].as_array_mut() {
                        Some(a) => a.push(rule),
                        None => v["spec"]["ingress"] = json!([rule]),
                    }
                    true
                }
        },
    ),
    ("Secret key with a space", |k, v| {
        k == "Secret" && {
            v["stringData"]["bad key"] = json!("x");
            true
        }
    }),
    ("cron TZ= in the schedule", |k, v| {
        k == "CronJob" && {
            let s = v["spec"]["schedule"]
                .as_str()
                .unwrap_or("0 0 * * *")
                .to_string();
            v["spec"]["schedule"] = json!(format!("CRON_TZ=UTC {s}"));
            true
        }
    }),
    ("LimitRange min above max", |k, v| {
        k == "LimitRange"
            && v.pointer_mut("/spec/limits/0")
                .map(|l| {
                    l["min"] = json!({"memory": "2Gi"});
                    l["max"] = json!({"memory": "1Gi"});
                })
                .is_some()
    }),
    ("PDB maxUnavailable 150%", |k, v| {
        k == "PodDisruptionBudget"
            && v["spec"]
                .as_object_mut()
                .map(|s| {
                    s.remove("minAvailable");
                    s.insert("maxUnavailable".into(), json!("150%"));
                })
                .is_some()
    }),
    ("HPA averageUtilization 0", |k, v| {
        k == "HorizontalPodAutoscaler"
            && {
                v["spec"]["metrics"] = json!([{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 0}}}]);
                true
            }
    }),
    ("StorageClass provisioner with a space", |k, v| {
        k == "StorageClass" && {
            v["provisioner"] = json!("local path");
            true
        }
    }),
    ("Job completions -1", |k, v| {
        k == "Job" && {
            v["spec"]["completions"] = json!(-1);
            true
        }
    }),
    ("podFailurePolicy exit codes out of order", |k, v| {
        k == "Job"
            && v.pointer_mut("/spec/template/spec")
                .map(|s| s["restartPolicy"] = json!("Never"))
                .is_some()
            && {
                v["spec"]["podFailurePolicy"] = json!({"rules": [{"action": "FailJob", "onExitCodes": {"operator": "In", "values": [42, 7]}}]});
                true
            }
    }),
    ("control: podFailurePolicy on DisruptionTarget", |k, v| {
        k == "Job"
            && v.pointer_mut("/spec/template/spec")
                .map(|s| s["restartPolicy"] = json!("Never"))
                .is_some()
            && {
                v["spec"]["podFailurePolicy"] = json!({"rules": [{"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget"}]}]});
                true
            }
    }),
    ("cron schedule with 6 fields", |k, v| {
        k == "CronJob" && {
            v["spec"]["schedule"] = json!("0 0 * * * *");
            true
        }
    }),
    ("cron unknown time zone", |k, v| {
        k == "CronJob" && {
            v["spec"]["timeZone"] = json!("Europe/Atlantis");
            true
        }
    }),
    (
        "control: cron time zone America/Argentina/Buenos_Aires",
        |k, v| {
            k == "CronJob" && {
                v["spec"]["timeZone"] = json!("America/Argentina/Buenos_Aires");
                true
            }
        },
    ),
    ("ConfigMap key with a colon", |k, v| {
        k == "ConfigMap" && {
            v["data"]["bad:key"] = json!("x");
            true
        }
    }),
    ("tls Secret type", |k, v| {
        k == "Secret"
            && v["stringData"].get("tls.key").is_none()
            && v["data"].get("tls.key").is_none()
            && {
                v["type"] = json!("kubernetes.io/tls");
                true
            }
    }),
    ("PVC without accessModes", |k, v| {
        k == "PersistentVolumeClaim"
            && v["spec"]
                .as_object_mut()
                .map(|s| s.remove("accessModes"))
                .is_some()
    }),
    ("PVC without a storage request", |k, v| {
        k == "PersistentVolumeClaim" && {
            v["spec"]["resources"] = json!({"requests": {}});
            true
        }
    }),
    ("PV capacity 0", |k, v| {
        k == "PersistentVolume" && {
            v["spec"]["capacity"] = json!({"storage": "0"});
            true
        }
    }),
    ("NetworkPolicy endPort below port", |k, v| {
        k == "NetworkPolicy" && {
            let rule = json!({"ports": [{"port": 8080, "endPort": 80}]});
            match v["spec"]["ingress"].as_array_mut() {
                Some(a) => a.push(rule),
                None => v["spec"]["ingress"] = json!([rule]),
            }
            true
        }
    }),
    ("Ingress relative path", |k, v| {
        k == "Ingress"
            && v.pointer_mut("/spec/rules/0/http/paths/0")
                .map(|p| {
                    p["path"] = json!("api");
                    p["pathType"] = json!("Prefix");
                })
                .is_some()
    }),
    ("HPA maxReplicas below minReplicas", |k, v| {
        k == "HorizontalPodAutoscaler" && {
            v["spec"]["minReplicas"] = json!(5);
            v["spec"]["maxReplicas"] = json!(4);
            true
        }
    }),
    ("PDB minAvailable and maxUnavailable", |k, v| {
        k == "PodDisruptionBudget" && {
            v["spec"]["minAvailable"] = json!(1);
            v["spec"]["maxUnavailable"] = json!("10%");
            true
        }
    }),
    ("Role rule without verbs", |k, v| {
        k == "Role"
            && v.pointer_mut("/rules/0")
                .map(|r| r["verbs"] = json!([]))
                .is_some()
    }),
    ("RoleBinding subject of an unknown kind", |k, v| {
        k == "RoleBinding"
            && v.pointer_mut("/subjects/0")
                .map(|s| s["kind"] = json!("Robot"))
                .is_some()
    }),
    ("LimitRange defaultRequest above default", |k, v| {
        k == "LimitRange"
            && v.pointer_mut("/spec/limits/0")
                .map(|l| {
                    l["type"] = json!("Container");
                    l["default"] = json!({"cpu": "100m"});
                    l["defaultRequest"] = json!({"cpu": "200m"});
                })
                .is_some()
    }),
];

/// Every mutant of one manifest: (mutation name, mutated manifest).
pub fn mutants(v: &Value) -> Vec<(&'static str, Value)> {
    let kind = v["kind"].as_str().unwrap_or_default().to_string();
    let mut out = Vec::new();
    for (name, m) in MUTATIONS {
        let mut c = v.clone();
        if m(&kind, &mut c) {
            out.push((*name, c));
        }
    }
    out
}
