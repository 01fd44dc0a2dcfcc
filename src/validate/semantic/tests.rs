use super::check;
use crate::diag::codes;
use crate::validate::yaml::{Document, parse_documents};

/// (code, line) of every issue of a one-document YAML text.
fn judge(yaml: &str) -> Vec<(&'static str, usize)> {
    let docs = parse_documents(yaml).expect("valid YAML");
    let d = Document::new(docs[0].clone());
    let av = d.str_at("/apiVersion").unwrap_or_default().to_string();
    let kind = d.str_at("/kind").unwrap_or_default().to_string();
    let s = crate::validate::schema::schema();
    let def = s
        .definition(&s.kinds[&format!("{av}/{kind}")].definition)
        .expect("definition");
    let schema_issues = crate::validate::schema::validate(&d.value, def);
    assert!(schema_issues.is_empty(), "{schema_issues:?}");
    check(&av, &kind, &d.value)
        .into_iter()
        .map(|i| {
            let p = if i.at_key {
                d.key_pos(&i.pointer)
            } else {
                d.pos(&i.pointer)
            };
            (i.code, p.line)
        })
        .collect()
}

const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: NAME\nspec:\n  containers:\n    - name: CNAME\n      image: nginx:1.27.3\n";

fn pod(name: &str, cname: &str, extra: &str) -> String {
    format!(
        "{}{extra}",
        POD.replace("NAME", name).replace("CNAME", cname)
    )
    .replace("c", "c")
}

#[test]
fn the_eleven_of_issue_15() {
    // 1. upper-case Pod name
    assert_eq!(
        judge(&POD.replace("CNAME", "web").replace("NAME", "My-Pod")),
        vec![(codes::K8S101, 4)]
    );
    // 2. upper-case container name
    assert_eq!(
        judge(&POD.replace("CNAME", "Web").replace("NAME", "p")),
        vec![(codes::K8S110, 7)]
    );
    // 3. containerPort 70000
    let y = format!(
        "{}      ports:\n        - containerPort: 70000\n",
        POD.replace("CNAME", "web").replace("NAME", "p")
    );
    assert_eq!(judge(&y), vec![(codes::K8S112, 10)]);
    // 4. two containers with one name
    let y = format!(
        "{}    - name: web\n      image: busybox:1.37\n",
        POD.replace("CNAME", "web").replace("NAME", "p")
    );
    assert_eq!(judge(&y), vec![(codes::K8S111, 9)]);
    // 5. volumeMount of a volume that does not exist
    let y = format!(
        "{}      volumeMounts:\n        - name: data\n          mountPath: /data\n",
        POD.replace("CNAME", "web").replace("NAME", "p")
    );
    assert_eq!(judge(&y), vec![(codes::K8S115, 10)]);
    // 6. replicas -1, 7. restartPolicy Never in a Deployment
    let dep = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: REPLICAS\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      POLICY\n      containers:\n        - name: web\n          image: nginx:1.27.3\n";
    assert_eq!(
        judge(
            &dep.replace("REPLICAS", "-1")
                .replace("POLICY", "restartPolicy: Always")
        ),
        vec![(codes::K8S120, 6)]
    );
    assert_eq!(
        judge(
            &dep.replace("REPLICAS", "2")
                .replace("POLICY", "restartPolicy: Never")
        ),
        vec![(codes::K8S121, 13)]
    );
    // 8. nodePort 80, 9. two unnamed Service ports, 11. a Service named web.v2
    let svc = "apiVersion: v1\nkind: Service\nmetadata:\n  name: NAME\nspec:\n  type: NodePort\n  selector: {app: web}\n  ports:\nPORTS";
    assert_eq!(
        judge(
            &svc.replace("NAME", "web")
                .replace("PORTS", "    - port: 80\n      nodePort: 80\n")
        ),
        vec![(codes::K8S130, 10)]
    );
    assert_eq!(
        judge(
            &svc.replace("NAME", "web")
                .replace("PORTS", "    - port: 80\n    - port: 443\n")
        ),
        vec![(codes::K8S131, 9), (codes::K8S131, 10)]
    );
    assert_eq!(
        judge(
            &svc.replace("NAME", "web.v2")
                .replace("PORTS", "    - port: 80\n")
        ),
        vec![(codes::K8S101, 4)]
    );
    // 10. a 64-character label value
    let y = POD.replace("CNAME", "web").replace("NAME", "p").replace(
        "  name: p\n",
        &format!("  name: p\n  labels:\n    app: {}\n", "a".repeat(64)),
    );
    assert_eq!(judge(&y), vec![(codes::K8S103, 6)]);
}

#[test]
fn tricky_valid_controls_pass() {
    let y = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p.v2\n  labels:\n    empty: \"\"\n    app.kubernetes.io/name: web\n  annotations:\n    Example.COM/Owner: me\nspec:\n  volumes:\n    - name: cfg\n      configMap:\n        name: c\n        defaultMode: 0644\n  initContainers:\n    - name: side\n      image: busybox:1.37\n      restartPolicy: Always\n      readinessProbe:\n        exec: {command: [\"true\"]}\n  containers:\n    - name: web\n      image: nginx:1.27.3\n      env:\n        - name: my.dotted-NAME\n          value: x\n      ports:\n        - {name: http, containerPort: 80}\n        - {name: metrics, containerPort: 9090, protocol: UDP}\n      volumeMounts:\n        - {name: cfg, mountPath: /etc/a}\n        - {name: cfg, mountPath: /etc/b}\n      livenessProbe:\n        httpGet: {port: http, path: /}\n        successThreshold: 1\n";
    assert_eq!(judge(y), vec![]);
    let svc = "apiVersion: v1\nkind: Service\nmetadata:\n  name: 1web\nspec:\n  type: NodePort\n  ports:\n    - {name: a, port: 80, nodePort: 30080}\n    - {name: b, port: 80, protocol: UDP}\n";
    assert_eq!(judge(svc), vec![]);
    let job = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: j\n          image: busybox:1.37\n";
    assert_eq!(judge(job), vec![]);
    let _ = pod("a", "b", "");
}

#[test]
fn more_rules() {
    let job = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  backoffLimit: -2\n  template:\n    spec:\n      containers:\n        - name: j\n          image: busybox:1.37\n";
    assert_eq!(judge(job), vec![(codes::K8S120, 6), (codes::K8S121, 8)]);
    let cj = format!(
        "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: {}\nspec:\n  schedule: \"* * * * *\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n            - name: j\n              image: busybox:1.37\n",
        "c".repeat(53)
    );
    assert_eq!(judge(&cj), vec![(codes::K8S102, 4)]);
    let dep = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  strategy:\n    rollingUpdate: {maxSurge: 0, maxUnavailable: 0}\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27.3\n          ports:\n            - {name: http, containerPort: 80}\n            - {name: http, containerPort: 81}\n";
    assert_eq!(judge(dep), vec![(codes::K8S114, 19), (codes::K8S122, 7)]);
}

/// A one-container Pod whose container ends with `extra` (indented 6 spaces).
fn pod_with(extra: &str) -> String {
    format!(
        "{}{extra}",
        POD.replace("CNAME", "web").replace("NAME", "p")
    )
}

#[test]
fn resources_compare_as_quantities() {
    // line 10: requests, 11: its key, 12: limits, 13: its key
    let res = |req: &str, lim: &str| {
        pod_with(&format!(
            "      resources:\n        requests:\n          {req}\n        limits:\n          {lim}\n"
        ))
    };
    assert_eq!(judge(&res("cpu: 500m", "cpu: 1")), vec![]);
    assert_eq!(judge(&res("memory: 1024Mi", "memory: 1Gi")), vec![]);
    assert_eq!(judge(&res("memory: 1e9", "memory: 1G")), vec![]);
    assert_eq!(
        judge(&res("cpu: \"2\"", "cpu: 1500m")),
        vec![(codes::K8S140, 11)]
    );
    assert_eq!(
        judge(&res("memory: 1Gi", "memory: 1G")),
        vec![(codes::K8S140, 11)]
    );
    // Extended resources: no overcommit, whole numbers, a limit is required.
    assert_eq!(
        judge(&res("example.com/gpu: 1", "example.com/gpu: 1")),
        vec![]
    );
    assert_eq!(
        judge(&res("example.com/gpu: 1", "example.com/gpu: 2")),
        vec![(codes::K8S140, 11)]
    );
    assert_eq!(
        judge(&res("example.com/gpu: 500m", "example.com/gpu: 500m")),
        vec![(codes::K8S142, 13), (codes::K8S142, 11)]
    );
    assert_eq!(
        judge(&res("example.com/gpu: 1", "cpu: 1")),
        // at the limits, which the API server names
        vec![(codes::K8S140, 12)]
    );
    // Names: typos and unqualified names.
    assert_eq!(judge(&res("cpus: 1", "cpu: 1")), vec![(codes::K8S141, 11)]);
    assert_eq!(
        judge(&res("cpu: \"-1\"", "cpu: 1")),
        vec![(codes::K8S142, 11)]
    );
    assert_eq!(
        judge(&res("hugepages-2Mi: 2Mi", "hugepages-2Mi: 2Mi")),
        vec![(codes::K8S140, 9)]
    );
}

#[test]
fn probes_have_exactly_one_handler() {
    let probe = |kind: &str, body: &str| pod_with(&format!("      {kind}:\n{body}"));
    assert_eq!(
        judge(&probe("livenessProbe", "        periodSeconds: 5\n")),
        vec![(codes::K8S125, 9)]
    );
    assert_eq!(
        judge(&probe(
            "readinessProbe",
            "        httpGet: {path: /, port: 80}\n        tcpSocket: {port: 80}\n"
        )),
        vec![(codes::K8S125, 11)]
    );
    assert_eq!(
        judge(&probe("startupProbe", "        exec: {command: []}\n")),
        vec![(codes::K8S125, 10)]
    );
    assert_eq!(
        judge(&probe(
            "livenessProbe",
            "        grpc: {port: 0}\n        periodSeconds: 0\n        timeoutSeconds: 0\n"
        )),
        vec![(codes::K8S112, 10)]
    );
    assert_eq!(
        judge(&probe(
            "livenessProbe",
            "        tcpSocket: {port: 80}\n        terminationGracePeriodSeconds: 0\n"
        )),
        vec![(codes::K8S126, 11)]
    );
    assert_eq!(
        judge(&probe(
            "readinessProbe",
            "        tcpSocket: {port: 80}\n        terminationGracePeriodSeconds: 5\n"
        )),
        vec![(codes::K8S126, 11)]
    );
    assert_eq!(
        judge(&probe(
            "lifecycle",
            "        preStop:\n          sleep: {seconds: 5}\n          exec: {command: [sh]}\n"
        )),
        // exec is taken first, as validateHandler does; sleep is the second handler
        vec![(codes::K8S125, 11)]
    );
}

fn doc(av: &str, kind: &str, body: &str) -> String {
    format!("apiVersion: {av}\nkind: {kind}\nmetadata:\n  name: x\n{body}")
}

#[test]
fn config_maps_and_secrets() {
    assert_eq!(
        judge(&doc(
            "v1",
            "ConfigMap",
            "data:\n  app.properties: a\n  ..data: b\n  a/b: c\n"
        )),
        vec![(codes::K8S150, 7), (codes::K8S150, 8)]
    );
    assert_eq!(
        judge(&doc(
            "v1",
            "ConfigMap",
            "data:\n  k: a\nbinaryData:\n  k: YQ==\n"
        )),
        vec![(codes::K8S150, 6)]
    );
    assert_eq!(
        judge(&doc(
            "v1",
            "Secret",
            "type: kubernetes.io/tls\nstringData:\n  tls.crt: x\n"
        )),
        vec![(codes::K8S151, 6)]
    );
    assert_eq!(
        judge(&doc(
            "v1",
            "Secret",
            "type: kubernetes.io/tls\ndata:\n  tls.crt: eA==\n  tls.key: eA==\n"
        )),
        vec![]
    );
    assert_eq!(
        judge(&doc(
            "v1",
            "Secret",
            "type: kubernetes.io/dockerconfigjson\nstringData:\n  .dockerconfigjson: \"[]\"\n"
        )),
        vec![(codes::K8S151, 7)]
    );
    assert_eq!(
        judge(&doc(
            "v1",
            "Secret",
            "type: kubernetes.io/basic-auth\nstringData:\n  password: \"\"\n"
        )),
        vec![]
    );
    assert_eq!(
        judge(&doc(
            "v1",
            "Secret",
            "type: kubernetes.io/ssh-auth\ndata:\n  ssh-privatekey: \"\"\n"
        )),
        vec![(codes::K8S151, 6)]
    );
}

#[test]
fn volumes_and_claims() {
    assert_eq!(
        judge(&doc(
            "v1",
            "PersistentVolumeClaim",
            "spec:\n  resources:\n    requests:\n      storage: 1Gi\n"
        )),
        vec![(codes::K8S155, 5)]
    );
    assert_eq!(
        judge(&doc(
            "v1",
            "PersistentVolumeClaim",
            "spec:\n  accessModes: [ReadWriteOnce, ReadWriteOncePod]\n  resources:\n    requests:\n      storage: \"0\"\n"
        )),
        vec![(codes::K8S155, 6), (codes::K8S155, 9)]
    );
    assert_eq!(
        judge(&doc(
            "v1",
            "PersistentVolume",
            "spec:\n  accessModes: [ReadWriteOnce]\n  capacity:\n    storage: 1Gi\n    cpu: \"1\"\n  hostPath: {path: /tmp}\n"
        )),
        vec![(codes::K8S155, 9)]
    );
}

#[test]
fn limit_ranges_in_order_after_defaulting() {
    let lr = |item: &str| {
        doc(
            "v1",
            "LimitRange",
            &format!("spec:\n  limits:\n    - type: Container\n{item}"),
        )
    };
    assert_eq!(
        judge(&lr("      max: {cpu: \"1\"}\n      min: {cpu: 100m}\n")),
        vec![]
    );
    assert_eq!(
        judge(&lr("      max: {cpu: 100m}\n      min: {cpu: \"1\"}\n")),
        // min > max, and the defaults taken from max are below min
        vec![(codes::K8S143, 9), (codes::K8S143, 8), (codes::K8S143, 8)]
    );
    assert_eq!(
        judge(&lr(
            "      default: {memory: 256Mi}\n      defaultRequest: {memory: 512Mi}\n"
        )),
        vec![(codes::K8S143, 9)]
    );
}

#[test]
fn budgets_autoscalers_and_rbac() {
    assert_eq!(
        judge(&doc(
            "policy/v1",
            "PodDisruptionBudget",
            "spec:\n  minAvailable: 1\n  maxUnavailable: 120%\n"
        )),
        vec![(codes::K8S160, 7), (codes::K8S160, 7)]
    );
    let hpa = "spec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  minReplicas: 3\n  maxReplicas: 2\n  metrics:\n    - type: Resource\n      resource:\n        name: cpu\n        target: {type: Utilization, averageUtilization: 0}\n";
    assert_eq!(
        judge(&doc("autoscaling/v2", "HorizontalPodAutoscaler", hpa)),
        vec![(codes::K8S161, 8), (codes::K8S161, 13)]
    );
    // HPAScaleToZero (on in 1.37): 0 needs an Object or External metric.
    let zero = "spec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  minReplicas: 0\n  maxReplicas: 2\n";
    assert_eq!(
        judge(&doc("autoscaling/v2", "HorizontalPodAutoscaler", zero)),
        vec![(codes::K8S161, 7)]
    );
    let ext = format!(
        "{zero}  metrics:\n    - type: External\n      external:\n        metric: {{name: q}}\n        target: {{type: Value, value: \"5\"}}\n"
    );
    assert_eq!(
        judge(&doc("autoscaling/v2", "HorizontalPodAutoscaler", &ext)),
        vec![]
    );
    let role = "rules:\n  - apiGroups: [\"\"]\n    resources: [pods]\n    verbs: []\n  - resources: [pods]\n    verbs: [get]\n  - nonResourceURLs: [/healthz]\n    verbs: [get]\n";
    assert_eq!(
        judge(&doc("rbac.authorization.k8s.io/v1", "Role", role)),
        vec![(codes::K8S165, 8), (codes::K8S165, 9), (codes::K8S165, 11)]
    );
    let crb = "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}\nsubjects:\n  - {kind: ServiceAccount, name: default}\n  - {kind: User, name: jane}\n";
    assert_eq!(
        judge(&doc(
            "rbac.authorization.k8s.io/v1",
            "ClusterRoleBinding",
            crb
        )),
        vec![(codes::K8S166, 5), (codes::K8S166, 7)]
    );
}

#[test]
fn ingresses_and_network_policies() {
    let ing = "spec:\n  rules:\n    - host: 10.0.0.1\n      http:\n        paths:\n          - path: api\n            pathType: Prefix\n            backend:\n              service: {name: web, port: {name: http, number: 80}}\n          - path: /x\n            pathType: ImplementationSpecific\n            backend:\n              service: {name: web, port: {number: 80}}\n";
    assert_eq!(
        judge(&doc("networking.k8s.io/v1", "Ingress", ing)),
        vec![(codes::K8S171, 7), (codes::K8S170, 10), (codes::K8S172, 13)]
    );
    let np = "spec:\n  podSelector: {}\n  ingress:\n    - ports:\n        - {port: 8080, endPort: 80}\n        - {port: http, endPort: 90}\n      from:\n        - ipBlock: {cidr: 10.0.0.0/16, except: [10.1.0.0/24, 10.0.1.0/24]}\n";
    assert_eq!(
        judge(&doc("networking.k8s.io/v1", "NetworkPolicy", np)),
        vec![(codes::K8S175, 9), (codes::K8S175, 10), (codes::K8S176, 12)]
    );
}

#[test]
fn cron_jobs_schedule_and_time_zone() {
    let cj = |sched: &str, tz: &str| {
        format!(
            "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  schedule: \"{sched}\"\n{tz}  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n            - name: j\n              image: busybox:1.37\n"
        )
    };
    assert_eq!(
        judge(&cj("*/5 * * * MON-FRI", "  timeZone: Europe/Paris\n")),
        vec![]
    );
    assert_eq!(judge(&cj("@daily", "")), vec![]);
    assert_eq!(judge(&cj("0 0 * *", "")), vec![(codes::K8S127, 6)]);
    assert_eq!(judge(&cj("61 * * * *", "")), vec![(codes::K8S127, 6)]);
    assert_eq!(judge(&cj("TZ=UTC 0 * * * *", "")), vec![(codes::K8S127, 6)]);
    assert_eq!(
        judge(&cj("0 * * * *", "  timeZone: Europe/Pariss\n")),
        vec![(codes::K8S128, 7)]
    );
}

#[test]
fn selectors_select_the_template() {
    // line 6 selector, 7 its body, 9 template metadata, 10 labels
    let dep = |sel: &str, labels: &str| {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    {sel}\n  template:\n    metadata:\n      labels: {labels}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27.3\n"
        )
    };
    assert_eq!(
        judge(&dep("matchLabels: {app: web}", "{app: web, tier: fe}")),
        vec![]
    );
    assert_eq!(
        judge(&dep("matchLabels: {app: web}", "{app: api}")),
        vec![(codes::K8S129, 10)]
    );
    assert_eq!(
        judge(&dep(
            "matchExpressions: [{key: app, operator: In, values: [web, api]}]",
            "{app: api}"
        )),
        vec![]
    );
    assert_eq!(
        judge(&dep(
            "matchExpressions: [{key: tier, operator: DoesNotExist}]",
            "{tier: x}"
        )),
        vec![(codes::K8S129, 10)]
    );
    assert_eq!(
        judge(&dep(
            "matchExpressions: [{key: app, operator: In}]",
            "{app: web}"
        )),
        vec![(codes::K8S129, 7)]
    );
    assert_eq!(
        judge(&dep(
            "matchExpressions: [{key: app, operator: Exists, values: [web]}]",
            "{app: web}"
        )),
        vec![(codes::K8S129, 7)]
    );
}

#[test]
fn env_vars_relaxed_names_and_one_source() {
    let env = |e: &str| pod_with(&format!("      env:\n        - {e}\n"));
    assert_eq!(judge(&env("{name: my.dotted-NAME 1, value: x}")), vec![]);
    assert_eq!(
        judge(&env("{name: \"A=B\", value: x}")),
        vec![(codes::K8S144, 10)]
    );
    assert_eq!(
        judge(&env(
            "{name: A, value: x, valueFrom: {fieldRef: {fieldPath: metadata.name}}}"
        )),
        vec![(codes::K8S144, 10)]
    );
    assert_eq!(
        judge(&env("{name: A, valueFrom: {}}")),
        vec![(codes::K8S144, 10)]
    );
    assert_eq!(
        judge(&env(
            "{name: A, valueFrom: {configMapKeyRef: {name: \"\", key: k}}}"
        )),
        vec![(codes::K8S144, 10)]
    );
    assert_eq!(
        judge(&env(
            "{name: A, valueFrom: {secretKeyRef: {name: s, key: \"a/b\"}}}"
        )),
        vec![(codes::K8S144, 10)]
    );
}

#[test]
fn pod_failure_policy_rules() {
    // line 6 podFailurePolicy, 8 the rule, 9 action, 10 onExitCodes
    let job = |rule: &str| {
        format!(
            "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  podFailurePolicy:\n    rules:\n      - {rule}\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: main\n          image: busybox:1.37\n"
        )
    };
    assert_eq!(
        judge(&job(
            "{action: FailJob, onExitCodes: {containerName: main, operator: In, values: [1, 42]}}"
        )),
        vec![]
    );
    assert_eq!(
        judge(&job(
            "{action: Ignore, onPodConditions: [{type: DisruptionTarget, status: \"True\"}]}"
        )),
        vec![]
    );
    assert_eq!(
        judge(&job(
            "{action: FailJob, onExitCodes: {operator: In, values: [0, 3, 2, 2]}}"
        )),
        vec![(codes::K8S146, 8), (codes::K8S146, 8), (codes::K8S146, 8)]
    );
    assert_eq!(
        judge(&job(
            "{action: FailJob, onExitCodes: {containerName: side, operator: NotIn, values: [0]}}"
        )),
        vec![(codes::K8S146, 8)]
    );
    assert_eq!(judge(&job("{action: FailJob}")), vec![(codes::K8S146, 8)]);
    assert_eq!(
        judge(&job(
            "{action: FailIndex, onExitCodes: {operator: In, values: [1]}}"
        )),
        vec![(codes::K8S146, 8)]
    );
}

#[test]
fn security_contexts_and_pod_fields() {
    let y = format!(
        "{}      securityContext:\n        runAsUser: -1\n        allowPrivilegeEscalation: false\n        privileged: true\n  securityContext:\n    fsGroup: 2147483648\n    supplementalGroups: [0, -5]\n  activeDeadlineSeconds: 0\n  hostname: web_1\n",
        POD.replace("CNAME", "web").replace("NAME", "p")
    );
    assert_eq!(
        judge(&y),
        vec![
            (codes::K8S148, 16),
            (codes::K8S148, 17),
            (codes::K8S147, 14),
            (codes::K8S147, 15),
            (codes::K8S147, 10),
            (codes::K8S147, 11),
        ]
    );
    let ok = format!(
        "{}      securityContext:\n        runAsUser: 0\n        runAsGroup: 2147483647\n        allowPrivilegeEscalation: false\n  hostname: web-1\n  activeDeadlineSeconds: 1\n",
        POD.replace("CNAME", "web").replace("NAME", "p")
    );
    assert_eq!(judge(&ok), vec![]);
}

#[test]
fn windows_and_linux_pods() {
    let y = pod_with(
        "      securityContext: {runAsUser: 1000, allowPrivilegeEscalation: false}\n  hostPID: true\n  os: {name: windows}\n",
    );
    assert_eq!(
        judge(&y),
        vec![(codes::K8S149, 10), (codes::K8S149, 9), (codes::K8S149, 9)]
    );
    let y = pod_with(
        "      securityContext:\n        windowsOptions: {runAsUserName: u}\n  os: {name: linux}\n",
    );
    assert_eq!(judge(&y), vec![(codes::K8S149, 10)]);
    let y = pod_with(
        "      securityContext:\n        windowsOptions: {runAsUserName: u}\n  os: {name: windows}\n",
    );
    assert_eq!(judge(&y), vec![]);
}

#[test]
fn daemon_set_strategy_and_priority_classes() {
    let ds = |ru: &str| {
        format!(
            "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: a\nspec:\n  updateStrategy:\n    rollingUpdate: {ru}\n  selector:\n    matchLabels: {{app: a}}\n  template:\n    metadata:\n      labels: {{app: a}}\n    spec:\n      containers:\n        - name: a\n          image: busybox:1.37\n"
        )
    };
    assert_eq!(judge(&ds("{maxSurge: 1, maxUnavailable: 0}")), vec![]);
    assert_eq!(judge(&ds("{maxSurge: 1}")), vec![(codes::K8S137, 7)]);
    assert_eq!(judge(&ds("{maxUnavailable: 0}")), vec![(codes::K8S137, 7)]);
    assert_eq!(
        judge(&doc(
            "scheduling.k8s.io/v1",
            "PriorityClass",
            "value: 1000000001\n"
        )),
        vec![(codes::K8S138, 5)]
    );
    assert_eq!(
        judge(
            &doc("scheduling.k8s.io/v1", "PriorityClass", "value: 1\n")
                .replace("name: x", "name: system-x")
        ),
        vec![(codes::K8S138, 4)]
    );
}

#[test]
fn volume_sources_and_modes() {
    let vol = |v: &str| pod_with(&format!("  volumes:\n    - name: v\n{v}"));
    // no source: defaulted to emptyDir (SetDefaults_Volume)
    assert_eq!(judge(&vol("")), vec![]);
    assert_eq!(
        judge(&vol("      emptyDir: {}\n      hostPath: {path: /tmp}\n")),
        vec![(codes::K8S139, 12)]
    );
    assert_eq!(
        judge(&vol("      configMap: {name: c, defaultMode: 0644}\n")),
        vec![]
    );
    assert_eq!(
        judge(&vol("      configMap: {name: c, defaultMode: 01000}\n")),
        vec![(codes::K8S139, 11)]
    );
    assert_eq!(
        judge(&vol(
            "      secret:\n        secretName: s\n        items: [{key: a, path: ../a}, {key: b, path: ..b}]\n"
        )),
        vec![(codes::K8S139, 13), (codes::K8S139, 13)]
    );
}

#[test]
fn ingress_tls() {
    let ing = "spec:\n  tls:\n    - hosts: [\"*.example.com\", Bad.example.com]\n      secretName: bad_name\n  defaultBackend:\n    service: {name: web, port: {number: 80}}\n";
    assert_eq!(
        judge(&doc("networking.k8s.io/v1", "Ingress", ing)),
        vec![(codes::K8S171, 7), (codes::K8S171, 8)]
    );
}

#[test]
fn resource_quotas() {
    let rq = |h: &str| doc("v1", "ResourceQuota", &format!("spec:\n  hard:\n{h}"));
    assert_eq!(
        judge(&rq("    requests.cpu: \"1\"\n    count/pods: \"5\"\n")),
        vec![]
    );
    assert_eq!(judge(&rq("    cpus: \"1\"\n")), vec![(codes::K8S136, 7)]);
    assert_eq!(judge(&rq("    pods: 1.5\n")), vec![(codes::K8S142, 7)]);
}

#[test]
fn stateful_set_strategy() {
    let sts = |extra: &str| {
        format!(
            "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n{extra}  selector:\n    matchLabels: {{app: db}}\n  template:\n    metadata:\n      labels: {{app: db}}\n    spec:\n      containers:\n        - name: db\n          image: busybox:1.37\n"
        )
    };
    assert_eq!(
        judge(&sts(
            "  updateStrategy:\n    rollingUpdate: {maxUnavailable: 2}\n"
        )),
        vec![]
    );
    assert_eq!(
        judge(&sts(
            "  updateStrategy:\n    rollingUpdate: {maxUnavailable: 0}\n"
        )),
        vec![(codes::K8S135, 7)]
    );
    assert_eq!(
        judge(&sts(
            "  updateStrategy:\n    type: OnDelete\n    rollingUpdate: {partition: 1}\n"
        )),
        vec![(codes::K8S135, 8)]
    );
}

#[test]
fn job_completion_modes() {
    let job = |extra: &str| {
        format!(
            "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n{extra}  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: j\n          image: busybox:1.37\n"
        )
    };
    assert_eq!(judge(&job("  completionMode: Indexed\n")), vec![]);
    assert_eq!(
        judge(&job("  completionMode: Indexed\n  parallelism: 2\n")),
        vec![(codes::K8S145, 6)]
    );
    assert_eq!(
        judge(&job("  backoffLimitPerIndex: 1\n")),
        vec![(codes::K8S145, 6)]
    );
}

#[test]
fn storage_classes() {
    let sc = |b: &str| doc("storage.k8s.io/v1", "StorageClass", b);
    assert_eq!(judge(&sc("provisioner: Example.COM/x\n")), vec![]);
    assert_eq!(
        judge(&sc("provisioner: \"a b\"\n")),
        vec![(codes::K8S156, 5)]
    );
    // reclaimPolicy and volumeBindingMode enums: the schema reports them first (K8S004).
}

#[test]
fn host_ports_are_unique() {
    let two = |a: &str, b: &str, extra: &str| {
        pod_with(&format!(
            "      ports: [{a}]\n    - name: side\n      image: busybox:1.37\n      ports: [{b}]\n{extra}"
        ))
    };
    assert_eq!(
        judge(&two(
            "{containerPort: 80, hostPort: 8080}",
            "{containerPort: 81, hostPort: 8080}",
            ""
        )),
        vec![(codes::K8S114, 12)]
    );
    assert_eq!(
        judge(&two("{containerPort: 80}", "{containerPort: 80}", "")),
        vec![]
    );
    assert_eq!(
        judge(&two(
            "{containerPort: 80}",
            "{containerPort: 80}",
            "  hostNetwork: true\n"
        )),
        vec![(codes::K8S114, 12)]
    );
}

#[test]
fn tolerations_as_the_api_server_reads_them() {
    let t = |x: &str| pod_with(&format!("  tolerations:\n    - {x}\n"));
    assert_eq!(judge(&t("{operator: Exists}")), vec![]);
    assert_eq!(
        judge(&t("{key: k, operator: Exists, value: v}")),
        vec![(codes::K8S157, 10)]
    );
    assert_eq!(judge(&t("{value: v}")), vec![(codes::K8S157, 10)]);
    assert_eq!(
        judge(&t("{key: k, operator: Exists, tolerationSeconds: 5}")),
        vec![(codes::K8S157, 10)]
    );
}

#[test]
fn dns_config() {
    assert_eq!(
        judge(&pod_with("  dnsPolicy: None\n")),
        vec![(codes::K8S158, 9)]
    );
    assert_eq!(
        judge(&pod_with(
            "  dnsPolicy: None\n  dnsConfig:\n    nameservers: [1.1.1.1]\n"
        )),
        vec![]
    );
    assert_eq!(
        judge(&pod_with("  dnsConfig:\n    nameservers: [a, b, c, d]\n")),
        vec![(codes::K8S158, 10)]
    );
}

#[test]
fn affinities() {
    let y = pod_with(
        "  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n        nodeSelectorTerms:\n          - matchExpressions:\n              - {key: disk, operator: In}\n      preferredDuringSchedulingIgnoredDuringExecution:\n        - weight: 0\n          preference: {matchExpressions: [{key: z, operator: In, values: [\"a b\"]}]}\n    podAntiAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n        - labelSelector: {matchLabels: {app: web}}\n          topologyKey: \"\"\n",
    );
    assert_eq!(
        judge(&y),
        vec![
            (codes::K8S159, 14),
            (codes::K8S159, 16),
            (codes::K8S159, 21)
        ]
    );
}

#[test]
fn hpa_behavior() {
    let hpa = "spec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  maxReplicas: 2\n  behavior:\n    scaleUp:\n      stabilizationWindowSeconds: -1\n      policies: [{type: Pods, value: 1, periodSeconds: 1801}]\n";
    assert_eq!(
        judge(&doc("autoscaling/v2", "HorizontalPodAutoscaler", hpa)),
        vec![(codes::K8S161, 10), (codes::K8S161, 11)]
    );
}
