//! The oracle corpus of the second batch of semantic rules: for each rule at least one
//! manifest it rejects and at least one tricky valid control (a name starting with
//! `control:` is a manifest the API server is expected to accept).

fn pod(extra: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27.3\n{extra}"
    )
}

fn res(req: &str, lim: &str) -> String {
    let mut s = String::from("      resources:\n");
    if !req.is_empty() {
        s.push_str(&format!("        requests: {{{req}}}\n"));
    }
    if !lim.is_empty() {
        s.push_str(&format!("        limits: {{{lim}}}\n"));
    }
    pod(&s)
}

fn probe(kind: &str, body: &str) -> String {
    pod(&format!("      {kind}:\n{body}"))
}

fn dep(spec_extra: &str, container_extra: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n{spec_extra}  selector:\n    matchLabels: {{app: web}}\n  template:\n    metadata:\n      labels: {{app: web}}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27.3\n{container_extra}"
    )
}

fn sts(spec_extra: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n{spec_extra}  selector:\n    matchLabels: {{app: db}}\n  template:\n    metadata:\n      labels: {{app: db}}\n    spec:\n      containers:\n        - name: db\n          image: busybox:1.37\n"
    )
}

fn ds(strategy: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  updateStrategy:\n{strategy}  selector:\n    matchLabels: {{app: agent}}\n  template:\n    metadata:\n      labels: {{app: agent}}\n    spec:\n      containers:\n        - name: agent\n          image: busybox:1.37\n"
    )
}

fn dep_sel(selector: &str, labels: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    {selector}\n  template:\n    metadata:\n      labels: {labels}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27.3\n"
    )
}

fn job(spec_extra: &str, policy: &str) -> String {
    format!(
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n{spec_extra}  template:\n    spec:\n      restartPolicy: {policy}\n      containers:\n        - name: j\n          image: busybox:1.37\n"
    )
}

fn pfp(rule: &str) -> String {
    format!("  podFailurePolicy:\n    rules:\n      - {rule}\n")
}

fn cron(name: &str, schedule: &str, tz: &str) -> String {
    format!(
        "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: {name}\nspec:\n  schedule: \"{schedule}\"\n{tz}  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n            - name: j\n              image: busybox:1.37\n"
    )
}

fn obj(api_version: &str, kind: &str, body: &str) -> String {
    format!("apiVersion: {api_version}\nkind: {kind}\nmetadata:\n  name: x\n{body}")
}

fn hpa(body: &str) -> String {
    obj(
        "autoscaling/v2",
        "HorizontalPodAutoscaler",
        &format!(
            "spec:\n  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: web}}\n{body}"
        ),
    )
}

fn pdb(body: &str) -> String {
    obj(
        "policy/v1",
        "PodDisruptionBudget",
        &format!("spec:\n  selector:\n    matchLabels: {{app: web}}\n{body}"),
    )
}

const RBAC: &str = "rbac.authorization.k8s.io/v1";

fn ingress(host: &str, path: &str, path_type: &str, port: &str) -> String {
    obj(
        "networking.k8s.io/v1",
        "Ingress",
        &format!(
            "spec:\n  rules:\n    - {host}http:\n        paths:\n          - {path}pathType: {path_type}\n            backend:\n              service:\n                name: web\n                port: {port}\n"
        ),
    )
}

fn netpol(ingress: &str) -> String {
    obj(
        "networking.k8s.io/v1",
        "NetworkPolicy",
        &format!("spec:\n  podSelector: {{}}\n  ingress:\n{ingress}"),
    )
}

fn pvc(body: &str) -> String {
    obj("v1", "PersistentVolumeClaim", &format!("spec:\n{body}"))
}

fn pv(body: &str) -> String {
    obj(
        "v1",
        "PersistentVolume",
        &format!("spec:\n  hostPath: {{path: /tmp/x}}\n{body}"),
    )
}

fn limit_range(item: &str) -> String {
    obj(
        "v1",
        "LimitRange",
        &format!("spec:\n  limits:\n    - type: Container\n{item}"),
    )
}

fn secret(ty: &str, data: &str) -> String {
    obj("v1", "Secret", &format!("type: {ty}\n{data}"))
}

pub fn corpus() -> Vec<(&'static str, String)> {
    vec![
        // Resources: ValidateResourceRequirements, ValidateContainerResourceName,
        // ValidateResourceQuantityValue.
        (
            "cpu request 2 above limit 1500m",
            res("cpu: \"2\"", "cpu: 1500m"),
        ),
        (
            "memory request 1Gi above limit 1G",
            res("memory: 1Gi", "memory: 1G"),
        ),
        (
            "extended resource request 1, limit 2",
            res("example.com/gpu: 1", "example.com/gpu: 2"),
        ),
        (
            "extended resource request without a limit",
            res("example.com/gpu: 1", ""),
        ),
        (
            "extended resource 500m",
            res("example.com/gpu: 500m", "example.com/gpu: 500m"),
        ),
        ("resource named cpus", res("cpus: 1", "")),
        ("negative cpu request", res("cpu: \"-1\"", "")),
        (
            "hugepages without cpu or memory",
            res("hugepages-2Mi: 2Mi", "hugepages-2Mi: 2Mi"),
        ),
        (
            "hugepages request below its limit",
            res(
                "memory: 1Gi, hugepages-2Mi: 2Mi",
                "memory: 1Gi, hugepages-2Mi: 4Mi",
            ),
        ),
        (
            "control: cpu request 500m, limit 1",
            res("cpu: 500m", "cpu: \"1\""),
        ),
        (
            "control: memory request 1024Mi, limit 1Gi",
            res("memory: 1024Mi", "memory: 1Gi"),
        ),
        (
            "control: memory request 1e9, limit 1G",
            res("memory: 1e9", "memory: 1G"),
        ),
        (
            "control: cpu request 0.5, limit 500m",
            res("cpu: 0.5", "cpu: 500m"),
        ),
        (
            "control: extended resource with only a limit",
            res("", "example.com/gpu: 2"),
        ),
        (
            "control: extended resource 1.9999999 (its milli-value is whole)",
            res("example.com/gpu: 1.9999999", "example.com/gpu: 1.9999999"),
        ),
        (
            "control: request without limit",
            res("cpu: 100m, memory: 64Mi", ""),
        ),
        (
            "control: extended resource with only a limit in a Deployment",
            dep(
                "",
                "          resources:\n            limits: {example.com/gpu: 1}\n",
            ),
        ),
        // Probes and hooks: validateProbe, validateHandler, validateLivenessProbe, …
        (
            "probe without a handler",
            probe("livenessProbe", "        periodSeconds: 5\n"),
        ),
        (
            "probe with two handlers",
            probe(
                "readinessProbe",
                "        httpGet: {path: /, port: 80}\n        tcpSocket: {port: 80}\n",
            ),
        ),
        (
            "exec probe without a command",
            probe("startupProbe", "        exec: {command: []}\n"),
        ),
        (
            "liveness terminationGracePeriodSeconds 0",
            probe(
                "livenessProbe",
                "        tcpSocket: {port: 80}\n        terminationGracePeriodSeconds: 0\n",
            ),
        ),
        (
            "readiness terminationGracePeriodSeconds",
            probe(
                "readinessProbe",
                "        tcpSocket: {port: 80}\n        terminationGracePeriodSeconds: 5\n",
            ),
        ),
        (
            "liveness successThreshold 2",
            probe(
                "livenessProbe",
                "        tcpSocket: {port: 80}\n        successThreshold: 2\n",
            ),
        ),
        (
            "probe periodSeconds -1",
            probe(
                "livenessProbe",
                "        tcpSocket: {port: 80}\n        periodSeconds: -1\n",
            ),
        ),
        (
            "grpc probe port 0",
            probe("livenessProbe", "        grpc: {port: 0}\n"),
        ),
        (
            "preStop hook with two handlers",
            probe(
                "lifecycle",
                "        preStop:\n          exec: {command: [sh]}\n          sleep: {seconds: 5}\n",
            ),
        ),
        (
            "control: probe periodSeconds 0 and timeoutSeconds 0 (defaulted)",
            probe(
                "livenessProbe",
                "        tcpSocket: {port: 80}\n        periodSeconds: 0\n        timeoutSeconds: 0\n        successThreshold: 0\n",
            ),
        ),
        (
            "control: readiness successThreshold 3",
            probe(
                "readinessProbe",
                "        tcpSocket: {port: 80}\n        successThreshold: 3\n",
            ),
        ),
        (
            "control: liveness terminationGracePeriodSeconds 1",
            probe(
                "livenessProbe",
                "        exec: {command: [\"true\"]}\n        terminationGracePeriodSeconds: 1\n",
            ),
        ),
        (
            "control: preStop sleep",
            probe(
                "lifecycle",
                "        preStop:\n          sleep: {seconds: 5}\n",
            ),
        ),
        // Deployment strategy: ValidateDeploymentStrategy, ValidateRollingUpdateDeployment.
        (
            "Recreate with rollingUpdate",
            dep(
                "  strategy:\n    type: Recreate\n    rollingUpdate: {maxSurge: 1}\n",
                "",
            ),
        ),
        (
            "maxSurge 0 and maxUnavailable 0",
            dep(
                "  strategy:\n    rollingUpdate: {maxSurge: 0, maxUnavailable: 0}\n",
                "",
            ),
        ),
        (
            "maxUnavailable 150%",
            dep(
                "  strategy:\n    rollingUpdate: {maxUnavailable: 150%}\n",
                "",
            ),
        ),
        (
            "maxSurge 0% and maxUnavailable 0%",
            dep(
                "  strategy:\n    rollingUpdate: {maxSurge: 0%, maxUnavailable: 0%}\n",
                "",
            ),
        ),
        (
            "control: maxSurge 0 alone (maxUnavailable defaults to 25%)",
            dep("  strategy:\n    rollingUpdate: {maxSurge: 0}\n", ""),
        ),
        (
            "control: maxSurge 200%",
            dep("  strategy:\n    rollingUpdate: {maxSurge: 200%}\n", ""),
        ),
        (
            "control: Recreate",
            dep("  strategy:\n    type: Recreate\n", ""),
        ),
        // Selectors: ValidatePodTemplateSpecForReplicaSet, ValidateLabelSelectorRequirement.
        (
            "selector app=web, template app=api",
            dep_sel("matchLabels: {app: web}", "{app: api}"),
        ),
        (
            "selector In without values",
            dep_sel(
                "matchExpressions: [{key: app, operator: In, values: []}]",
                "{app: web}",
            ),
        ),
        (
            "selector Exists with values",
            dep_sel(
                "matchExpressions: [{key: app, operator: Exists, values: [web]}]",
                "{app: web}",
            ),
        ),
        (
            "selector DoesNotExist on a template label",
            dep_sel(
                "matchExpressions: [{key: tier, operator: DoesNotExist}]",
                "{app: web, tier: fe}",
            ),
        ),
        (
            "selector NotIn the template's value",
            dep_sel(
                "matchExpressions: [{key: app, operator: NotIn, values: [web]}]",
                "{app: web}",
            ),
        ),
        (
            "control: selector In one of two values",
            dep_sel(
                "matchExpressions: [{key: app, operator: In, values: [api, web]}]",
                "{app: web, tier: fe}",
            ),
        ),
        (
            "control: selector NotIn on an absent label",
            dep_sel(
                "matchLabels: {app: web}\n    matchExpressions: [{key: track, operator: NotIn, values: [canary]}]",
                "{app: web}",
            ),
        ),
        // Security contexts and pod fields: validatePodSpecSecurityContext,
        // ValidateSecurityContext, ValidatePodSpec.
        (
            "container runAsUser -1",
            pod("      securityContext: {runAsUser: -1}\n"),
        ),
        (
            "pod fsGroup 2147483648",
            pod("  securityContext: {fsGroup: 2147483648}\n"),
        ),
        (
            "pod supplementalGroups -5",
            pod("  securityContext: {supplementalGroups: [1000, -5]}\n"),
        ),
        (
            "privileged with allowPrivilegeEscalation false",
            pod("      securityContext: {privileged: true, allowPrivilegeEscalation: false}\n"),
        ),
        (
            "pod activeDeadlineSeconds 0",
            pod("  activeDeadlineSeconds: 0\n"),
        ),
        (
            "pod hostname with an underscore",
            pod("  hostname: web_1\n"),
        ),
        ("pod subdomain with a dot", pod("  subdomain: a.b\n")),
        (
            "control: runAsUser 0 and runAsGroup 2147483647",
            pod(
                "      securityContext: {runAsUser: 0, runAsGroup: 2147483647, allowPrivilegeEscalation: false}\n  securityContext: {fsGroup: 0, supplementalGroups: [0]}\n",
            ),
        ),
        (
            "control: pod hostname starting with a digit, activeDeadlineSeconds 1",
            pod("  hostname: 1web\n  activeDeadlineSeconds: 1\n"),
        ),
        (
            "windows Pod with runAsUser",
            pod("      securityContext: {runAsUser: 1000}\n  os: {name: windows}\n"),
        ),
        (
            "windows Pod with hostPID",
            pod("  hostPID: true\n  os: {name: windows}\n"),
        ),
        (
            "linux Pod with windowsOptions",
            pod(
                "      securityContext:\n        windowsOptions: {runAsUserName: ContainerUser}\n  os: {name: linux}\n",
            ),
        ),
        (
            "control: windows Pod with windowsOptions and hostPID false",
            pod(
                "      securityContext:\n        windowsOptions: {runAsUserName: ContainerUser}\n  hostPID: false\n  os: {name: windows}\n",
            ),
        ),
        (
            "control: Pod without os sets both kinds",
            pod(
                "      securityContext:\n        runAsUser: 1000\n        windowsOptions: {runAsUserName: ContainerUser}\n",
            ),
        ),
        (
            "control: volume without a source (SetDefaults_Volume makes it an emptyDir)",
            pod("  volumes:\n    - name: data\n"),
        ),
        (
            "volume with two sources",
            pod("  volumes:\n    - name: data\n      emptyDir: {}\n      configMap: {name: c}\n"),
        ),
        (
            "configMap volume defaultMode 0o1000",
            pod("  volumes:\n    - name: c\n      configMap: {name: c, defaultMode: 512}\n"),
        ),
        (
            "secret volume without secretName",
            pod("  volumes:\n    - name: s\n      secret: {optional: true}\n"),
        ),
        (
            "configMap item with an absolute path",
            pod(
                "  volumes:\n    - name: c\n      configMap:\n        name: c\n        items: [{key: a, path: /etc/a}]\n",
            ),
        ),
        (
            "configMap item climbing with ..",
            pod(
                "  volumes:\n    - name: c\n      configMap:\n        name: c\n        items: [{key: a, path: conf/../../a}]\n",
            ),
        ),
        (
            "secret item mode 1000 (decimal)",
            pod(
                "  volumes:\n    - name: s\n      secret:\n        secretName: s\n        items: [{key: a, path: a, mode: 1000}]\n",
            ),
        ),
        (
            "emptyDir sizeLimit negative",
            pod("  volumes:\n    - name: e\n      emptyDir: {sizeLimit: \"-1Gi\"}\n"),
        ),
        (
            "control: octal modes 0644 and 0777, a dotted item path",
            pod(
                "  volumes:\n    - name: c\n      configMap:\n        name: c\n        defaultMode: 0777\n        items: [{key: a, path: a..b/c, mode: 0644}, {key: b, path: ./x/.hidden}]\n    - name: s\n      secret: {secretName: s, defaultMode: 0}\n",
            ),
        ),
        (
            "two containers on hostPort 8080",
            pod(
                "      ports: [{containerPort: 80, hostPort: 8080}]\n    - name: side\n      image: busybox:1.37\n      ports: [{containerPort: 81, hostPort: 8080}]\n",
            ),
        ),
        (
            "hostNetwork Pod, two containers on port 80 (hostPort defaulted)",
            pod(
                "      ports: [{containerPort: 80}]\n    - name: side\n      image: busybox:1.37\n      ports: [{containerPort: 80}]\n  hostNetwork: true\n",
            ),
        ),
        (
            "control: hostPort 8080 over TCP and UDP, and on two host IPs",
            pod(
                "      ports: [{containerPort: 80, hostPort: 8080}, {containerPort: 80, hostPort: 8080, protocol: UDP}]\n    - name: side\n      image: busybox:1.37\n      ports: [{containerPort: 81, hostPort: 8080, hostIP: 127.0.0.1}]\n",
            ),
        ),
        (
            "control: two Pod-network containers on containerPort 80 without hostPort",
            pod(
                "      ports: [{containerPort: 80}]\n    - name: side\n      image: busybox:1.37\n      ports: [{containerPort: 80}]\n",
            ),
        ),
        (
            "toleration Exists with a value",
            pod("  tolerations: [{key: gpu, operator: Exists, value: \"true\"}]\n"),
        ),
        (
            "toleration without key and operator Equal",
            pod("  tolerations: [{operator: Equal, value: x}]\n"),
        ),
        (
            "toleration tolerationSeconds with NoSchedule",
            pod(
                "  tolerations: [{key: k, operator: Exists, effect: NoSchedule, tolerationSeconds: 30}]\n",
            ),
        ),
        (
            "toleration value with a space",
            pod("  tolerations: [{key: k, value: \"a b\", effect: NoSchedule}]\n"),
        ),
        (
            "toleration key with two slashes",
            pod("  tolerations: [{key: a/b/c, operator: Exists}]\n"),
        ),
        (
            "control: tolerations Exists without key, NoExecute with seconds, empty value",
            pod(
                "  tolerations:\n    - {operator: Exists}\n    - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 60}\n    - {key: dedicated, value: \"\", effect: NoSchedule}\n",
            ),
        ),
        (
            "dnsPolicy None without dnsConfig",
            pod("  dnsPolicy: None\n"),
        ),
        (
            "dnsPolicy None without nameservers",
            pod("  dnsPolicy: None\n  dnsConfig: {searches: [example.com]}\n"),
        ),
        (
            "four nameservers",
            pod("  dnsConfig: {nameservers: [1.1.1.1, 8.8.8.8, 9.9.9.9, 1.0.0.1]}\n"),
        ),
        (
            "dns option without a name",
            pod("  dnsConfig:\n    options: [{value: \"2\"}]\n"),
        ),
        (
            "control: dnsPolicy None with one nameserver and options",
            pod(
                "  dnsPolicy: None\n  dnsConfig:\n    nameservers: [1.1.1.1]\n    searches: [svc.cluster.local, example.com.]\n    options: [{name: ndots, value: \"2\"}, {name: edns0}]\n",
            ),
        ),
        (
            "nodeAffinity without nodeSelectorTerms",
            pod(
                "  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: []}\n",
            ),
        ),
        (
            "nodeAffinity In without values",
            pod(
                "  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n        nodeSelectorTerms: [{matchExpressions: [{key: disk, operator: In, values: []}]}]\n",
            ),
        ),
        (
            "nodeAffinity Gt with two values",
            pod(
                "  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n        nodeSelectorTerms: [{matchExpressions: [{key: cores, operator: Gt, values: [\"2\", \"4\"]}]}]\n",
            ),
        ),
        (
            "nodeAffinity operator Equals",
            pod(
                "  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n        nodeSelectorTerms: [{matchExpressions: [{key: disk, operator: Equals, values: [ssd]}]}]\n",
            ),
        ),
        (
            "nodeAffinity preferred weight 0",
            pod(
                "  affinity:\n    nodeAffinity:\n      preferredDuringSchedulingIgnoredDuringExecution:\n        - weight: 0\n          preference: {matchExpressions: [{key: disk, operator: Exists}]}\n",
            ),
        ),
        (
            "podAntiAffinity without topologyKey",
            pod(
                "  affinity:\n    podAntiAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n        - labelSelector: {matchLabels: {app: web}}\n          topologyKey: \"\"\n",
            ),
        ),
        (
            "podAffinity preferred weight 101",
            pod(
                "  affinity:\n    podAffinity:\n      preferredDuringSchedulingIgnoredDuringExecution:\n        - weight: 101\n          podAffinityTerm: {labelSelector: {matchLabels: {app: web}}, topologyKey: kubernetes.io/hostname}\n",
            ),
        ),
        (
            "control: affinity with Gt, preferred invalid value, weights 1 and 100",
            pod(
                "  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n        nodeSelectorTerms: [{matchExpressions: [{key: cores, operator: Gt, values: [\"2\"]}, {key: gpu, operator: DoesNotExist}]}]\n      preferredDuringSchedulingIgnoredDuringExecution:\n        - weight: 1\n          preference: {matchExpressions: [{key: zone, operator: In, values: [\"not a label value\"]}]}\n    podAntiAffinity:\n      preferredDuringSchedulingIgnoredDuringExecution:\n        - weight: 100\n          podAffinityTerm: {labelSelector: {matchLabels: {app: web}}, topologyKey: kubernetes.io/hostname}\n",
            ),
        ),
        // Environment: ValidateEnv, validateEnvVarValueFrom.
        (
            "env name with =",
            pod("      env:\n        - {name: \"A=B\", value: x}\n"),
        ),
        (
            "env value and valueFrom",
            pod(
                "      env:\n        - {name: A, value: x, valueFrom: {fieldRef: {fieldPath: metadata.name}}}\n",
            ),
        ),
        (
            "env valueFrom without a source",
            pod("      env:\n        - {name: A, valueFrom: {}}\n"),
        ),
        (
            "env valueFrom with two sources",
            pod(
                "      env:\n        - name: A\n          valueFrom:\n            configMapKeyRef: {name: c, key: k}\n            secretKeyRef: {name: s, key: k}\n",
            ),
        ),
        (
            "env configMapKeyRef with an empty name",
            pod(
                "      env:\n        - {name: A, valueFrom: {configMapKeyRef: {name: \"\", key: k}}}\n",
            ),
        ),
        (
            "env secretKeyRef key with a slash",
            pod(
                "      env:\n        - {name: A, valueFrom: {secretKeyRef: {name: s, key: \"a/b\"}}}\n",
            ),
        ),
        (
            "control: env names with dots, spaces and symbols",
            pod(
                "      env:\n        - {name: spring.profiles.active, value: prod}\n        - {name: \"my var-1:$\", value: x}\n        - {name: B, value: \"\", valueFrom: {configMapKeyRef: {name: c, key: .k_1}}}\n",
            ),
        ),
        (
            "DaemonSet maxSurge and maxUnavailable both set",
            ds("    rollingUpdate: {maxSurge: 1, maxUnavailable: 1}\n"),
        ),
        (
            "DaemonSet maxUnavailable 0 (maxSurge defaults to 0)",
            ds("    rollingUpdate: {maxUnavailable: 0}\n"),
        ),
        (
            "DaemonSet maxSurge 1 alone (maxUnavailable defaults to 1)",
            ds("    rollingUpdate: {maxSurge: 1}\n"),
        ),
        (
            "DaemonSet maxUnavailable 110%",
            ds("    rollingUpdate: {maxUnavailable: 110%}\n"),
        ),
        (
            "control: DaemonSet maxSurge 10%, maxUnavailable 0",
            ds("    rollingUpdate: {maxSurge: 10%, maxUnavailable: 0}\n"),
        ),
        ("control: DaemonSet OnDelete", ds("    type: OnDelete\n")),
        (
            "PriorityClass value above a billion",
            obj(
                "scheduling.k8s.io/v1",
                "PriorityClass",
                "value: 1000000001\n",
            ),
        ),
        (
            "PriorityClass named system-",
            obj("scheduling.k8s.io/v1", "PriorityClass", "value: 1000\n")
                .replace("name: x", "name: system-mine"),
        ),
        (
            "control: PriorityClass value a billion, negative value too",
            obj(
                "scheduling.k8s.io/v1",
                "PriorityClass",
                "value: 1000000000\n",
            ),
        ),
        (
            "control: PriorityClass negative value",
            obj("scheduling.k8s.io/v1", "PriorityClass", "value: -5\n")
                .replace("name: x", "name: low"),
        ),
        (
            "StatefulSet OnDelete with rollingUpdate",
            sts("  updateStrategy:\n    type: OnDelete\n    rollingUpdate: {partition: 1}\n"),
        ),
        (
            "StatefulSet maxUnavailable 0",
            sts("  updateStrategy:\n    rollingUpdate: {maxUnavailable: 0}\n"),
        ),
        (
            "StatefulSet maxUnavailable 0%",
            sts("  updateStrategy:\n    rollingUpdate: {maxUnavailable: 0%}\n"),
        ),
        (
            "StatefulSet partition -1",
            sts("  updateStrategy:\n    rollingUpdate: {partition: -1}\n"),
        ),
        (
            "StatefulSet serviceName with a dot",
            sts("  serviceName: db.headless\n"),
        ),
        (
            "control: StatefulSet maxUnavailable 50%, partition 2",
            sts(
                "  updateStrategy:\n    type: RollingUpdate\n    rollingUpdate: {partition: 2, maxUnavailable: 50%}\n",
            ),
        ),
        (
            "control: StatefulSet OnDelete",
            sts("  updateStrategy: {type: OnDelete}\n  serviceName: db\n"),
        ),
        // Jobs: validateJobSpec.
        ("Job completions -1", job("  completions: -1\n", "Never")),
        ("Job parallelism -1", job("  parallelism: -1\n", "Never")),
        ("Job restartPolicy Always", job("", "Always")),
        (
            "Job podFailurePolicy with restartPolicy OnFailure",
            job(
                "  podFailurePolicy:\n    rules:\n      - action: FailJob\n        onExitCodes: {operator: In, values: [42]}\n",
                "OnFailure",
            ),
        ),
        (
            "podFailurePolicy exit code 0 with In",
            job(
                &pfp("{action: FailJob, onExitCodes: {operator: In, values: [0, 1]}}"),
                "Never",
            ),
        ),
        (
            "podFailurePolicy exit codes out of order",
            job(
                &pfp("{action: FailJob, onExitCodes: {operator: In, values: [3, 1]}}"),
                "Never",
            ),
        ),
        (
            "podFailurePolicy repeated exit code",
            job(
                &pfp("{action: FailJob, onExitCodes: {operator: NotIn, values: [1, 1]}}"),
                "Never",
            ),
        ),
        (
            "podFailurePolicy unknown containerName",
            job(
                &pfp(
                    "{action: FailJob, onExitCodes: {containerName: side, operator: In, values: [1]}}",
                ),
                "Never",
            ),
        ),
        (
            "podFailurePolicy rule matching nothing",
            job(&pfp("{action: FailJob}"), "Never"),
        ),
        (
            "podFailurePolicy rule with exit codes and conditions",
            job(
                &pfp(
                    "{action: Ignore, onExitCodes: {operator: In, values: [1]}, onPodConditions: [{type: DisruptionTarget, status: \"True\"}]}",
                ),
                "Never",
            ),
        ),
        (
            "podFailurePolicy FailIndex without backoffLimitPerIndex",
            job(
                &pfp("{action: FailIndex, onExitCodes: {operator: In, values: [1]}}"),
                "Never",
            ),
        ),
        (
            "podFailurePolicy condition status Maybe",
            job(
                &pfp(
                    "{action: Ignore, onPodConditions: [{type: DisruptionTarget, status: Maybe}]}",
                ),
                "Never",
            ),
        ),
        (
            "control: podFailurePolicy NotIn 0, a named container, a condition without status",
            job(
                &pfp(
                    "{action: FailJob, onExitCodes: {containerName: j, operator: NotIn, values: [0]}}\n      - {action: Ignore, onPodConditions: [{type: DisruptionTarget}]}",
                ),
                "Never",
            ),
        ),
        (
            "control: Job restartPolicy OnFailure, backoffLimit 0",
            job("  backoffLimit: 0\n", "OnFailure"),
        ),
        (
            "Indexed Job with parallelism but no completions",
            job("  completionMode: Indexed\n  parallelism: 2\n", "Never"),
        ),
        (
            "backoffLimitPerIndex without Indexed",
            job("  backoffLimitPerIndex: 1\n", "Never"),
        ),
        (
            "maxFailedIndexes without backoffLimitPerIndex",
            job(
                "  completionMode: Indexed\n  completions: 3\n  maxFailedIndexes: 1\n",
                "Never",
            ),
        ),
        (
            "maxFailedIndexes above completions",
            job(
                "  completionMode: Indexed\n  completions: 3\n  backoffLimitPerIndex: 1\n  maxFailedIndexes: 4\n",
                "Never",
            ),
        ),
        (
            "CronJob Indexed jobTemplate without completions (not defaulted)",
            cron("c", "@daily", "").replace(
                "    spec:\n      template:",
                "    spec:\n      completionMode: Indexed\n      template:",
            ),
        ),
        (
            "control: Indexed Job without completions or parallelism (defaulted to 1)",
            job("  completionMode: Indexed\n", "Never"),
        ),
        (
            "control: Indexed Job with per-index backoff",
            job(
                "  completionMode: Indexed\n  completions: 5\n  parallelism: 2\n  backoffLimitPerIndex: 1\n  maxFailedIndexes: 5\n",
                "Never",
            ),
        ),
        // CronJobs: validateScheduleFormat, validateTimeZone, ValidateCronJobCreate.
        ("cron schedule with 4 fields", cron("c", "0 0 * *", "")),
        ("cron minute 61", cron("c", "61 * * * *", "")),
        ("cron day of week 7", cron("c", "0 0 * * 7", "")),
        ("cron step 0", cron("c", "*/0 * * * *", "")),
        ("cron TZ= in schedule", cron("c", "TZ=UTC 0 * * * *", "")),
        ("cron unknown macro", cron("c", "@fortnightly", "")),
        (
            "cron unknown time zone",
            cron("c", "0 * * * *", "  timeZone: Mars/Olympus_Mons\n"),
        ),
        (
            "cron time zone Local",
            cron("c", "0 * * * *", "  timeZone: Local\n"),
        ),
        (
            "cron time zone with a trailing space",
            cron("c", "0 * * * *", "  timeZone: \"Europe/Paris \"\n"),
        ),
        ("control: cron @daily", cron("c", "@daily", "")),
        (
            "control: cron MON-FRI in Europe/Paris",
            cron("c", "0 9 * * MON-FRI", "  timeZone: Europe/Paris\n"),
        ),
        (
            "control: cron ? and names, Etc/GMT+5",
            cron("c", "*/5 * ? jan,JUL sun", "  timeZone: Etc/GMT+5\n"),
        ),
        (
            "control: cron time zone UTC",
            cron("c", "0 0 1 * *", "  timeZone: UTC\n"),
        ),
        (
            "control: cron name of 52 characters",
            cron(&"c".repeat(52), "@hourly", ""),
        ),
        // HorizontalPodAutoscaler: validateHorizontalPodAutoscalerSpec, validateMetricTarget.
        (
            "HPA minReplicas 0 without an Object or External metric",
            hpa("  minReplicas: 0\n  maxReplicas: 3\n"),
        ),
        (
            "HPA minReplicas -1",
            hpa("  minReplicas: -1\n  maxReplicas: 3\n"),
        ),
        (
            "control: HPA minReplicas 0 with an External metric (HPAScaleToZero)",
            hpa(
                "  minReplicas: 0\n  maxReplicas: 3\n  metrics:\n    - type: External\n      external:\n        metric: {name: queue_length}\n        target: {type: AverageValue, averageValue: \"30\"}\n",
            ),
        ),
        (
            "HPA maxReplicas below minReplicas",
            hpa("  minReplicas: 3\n  maxReplicas: 2\n"),
        ),
        (
            "HPA averageUtilization 0",
            hpa(
                "  maxReplicas: 3\n  metrics:\n    - type: Resource\n      resource:\n        name: cpu\n        target: {type: Utilization, averageUtilization: 0}\n",
            ),
        ),
        (
            "HPA target with no value",
            hpa(
                "  maxReplicas: 3\n  metrics:\n    - type: Resource\n      resource:\n        name: cpu\n        target: {type: Utilization}\n",
            ),
        ),
        (
            "HPA target with utilization and averageValue",
            hpa(
                "  maxReplicas: 3\n  metrics:\n    - type: Resource\n      resource:\n        name: memory\n        target: {type: AverageValue, averageUtilization: 50, averageValue: 100Mi}\n",
            ),
        ),
        (
            "control: HPA maxReplicas equal to minReplicas",
            hpa("  minReplicas: 2\n  maxReplicas: 2\n"),
        ),
        (
            "control: HPA maxReplicas 1 (minReplicas defaults to 1)",
            hpa(
                "  maxReplicas: 1\n  metrics:\n    - type: Resource\n      resource:\n        name: memory\n        target: {type: AverageValue, averageValue: 500Mi}\n",
            ),
        ),
        (
            "HPA stabilizationWindowSeconds 7200",
            hpa(
                "  maxReplicas: 3\n  behavior:\n    scaleDown: {stabilizationWindowSeconds: 7200}\n",
            ),
        ),
        (
            "HPA policy periodSeconds 0",
            hpa(
                "  maxReplicas: 3\n  behavior:\n    scaleUp:\n      policies: [{type: Pods, value: 2, periodSeconds: 0}]\n",
            ),
        ),
        (
            "HPA policy value 0",
            hpa(
                "  maxReplicas: 3\n  behavior:\n    scaleUp:\n      policies: [{type: Percent, value: 0, periodSeconds: 60}]\n",
            ),
        ),
        (
            "control: HPA behavior at the bounds",
            hpa(
                "  maxReplicas: 3\n  behavior:\n    scaleDown:\n      stabilizationWindowSeconds: 3600\n      selectPolicy: Disabled\n    scaleUp:\n      stabilizationWindowSeconds: 0\n      policies: [{type: Percent, value: 100, periodSeconds: 1800}]\n",
            ),
        ),
        // PodDisruptionBudget: ValidatePodDisruptionBudgetSpec.
        (
            "PDB minAvailable and maxUnavailable",
            pdb("  minAvailable: 1\n  maxUnavailable: 1\n"),
        ),
        ("PDB minAvailable 120%", pdb("  minAvailable: 120%\n")),
        ("PDB maxUnavailable -1", pdb("  maxUnavailable: -1\n")),
        ("control: PDB minAvailable 0", pdb("  minAvailable: 0\n")),
        (
            "control: PDB maxUnavailable 100%",
            pdb("  maxUnavailable: 100%\n"),
        ),
        // RBAC: ValidatePolicyRule, ValidateRoleBinding, ValidateClusterRoleBinding.
        (
            "Role rule without verbs",
            obj(
                RBAC,
                "Role",
                "rules:\n  - apiGroups: [\"\"]\n    resources: [pods]\n    verbs: []\n",
            ),
        ),
        (
            "Role rule without apiGroups",
            obj(
                RBAC,
                "Role",
                "rules:\n  - resources: [pods]\n    verbs: [get]\n",
            ),
        ),
        (
            "Role rule without resources",
            obj(
                RBAC,
                "Role",
                "rules:\n  - apiGroups: [apps]\n    verbs: [get]\n",
            ),
        ),
        (
            "Role with nonResourceURLs",
            obj(
                RBAC,
                "Role",
                "rules:\n  - nonResourceURLs: [/healthz]\n    verbs: [get]\n",
            ),
        ),
        (
            "ClusterRole rule with resources and nonResourceURLs",
            obj(
                RBAC,
                "ClusterRole",
                "rules:\n  - nonResourceURLs: [/healthz]\n    resources: [pods]\n    verbs: [get]\n",
            ),
        ),
        (
            "ClusterRoleBinding to a Role",
            obj(
                RBAC,
                "ClusterRoleBinding",
                "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}\nsubjects:\n  - {kind: User, name: jane}\n",
            ),
        ),
        // (A roleRef of another kind, e.g. Deployment, is refused too, but before validation:
        // the RBAC registry's escalation check answers 500 "unsupported role reference kind",
        // which the oracle does not count as a verdict.)
        (
            "RoleBinding roleRef apiGroup apps",
            obj(
                RBAC,
                "RoleBinding",
                "roleRef: {apiGroup: apps, kind: Role, name: r}\n",
            ),
        ),
        (
            "RoleBinding subject kind Robot",
            obj(
                RBAC,
                "RoleBinding",
                "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}\nsubjects:\n  - {kind: Robot, name: r2d2}\n",
            ),
        ),
        (
            "ClusterRoleBinding ServiceAccount without namespace",
            obj(
                RBAC,
                "ClusterRoleBinding",
                "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}\nsubjects:\n  - {kind: ServiceAccount, name: default}\n",
            ),
        ),
        (
            "control: ClusterRole with nonResourceURLs",
            obj(
                RBAC,
                "ClusterRole",
                "rules:\n  - nonResourceURLs: [\"/healthz\", \"/metrics\"]\n    verbs: [get]\n",
            ),
        ),
        (
            "control: Role for the core group",
            obj(
                RBAC,
                "Role",
                "rules:\n  - apiGroups: [\"\"]\n    resources: [pods, pods/log]\n    verbs: [get, list]\n",
            ),
        ),
        (
            "control: RoleBinding to a ClusterRole, User without apiGroup",
            obj(
                RBAC,
                "RoleBinding",
                "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}\nsubjects:\n  - {kind: User, name: jane}\n  - {kind: ServiceAccount, name: default}\n",
            ),
        ),
        // Ingress: validateIngressRules, validateHTTPIngressPath, validateIngressBackend.
        (
            "Ingress path without a leading /",
            ingress("", "path: api\n            ", "Prefix", "{number: 80}"),
        ),
        (
            "Ingress Exact path with //",
            ingress("", "path: /a//b\n            ", "Exact", "{number: 80}"),
        ),
        (
            "Ingress Prefix path ending in /..",
            ingress("", "path: /a/..\n            ", "Prefix", "{number: 80}"),
        ),
        (
            "Ingress ImplementationSpecific relative path",
            ingress(
                "",
                "path: api\n            ",
                "ImplementationSpecific",
                "{number: 80}",
            ),
        ),
        (
            "Ingress host is an IP",
            ingress(
                "host: 10.0.0.1\n      ",
                "path: /\n            ",
                "Prefix",
                "{number: 80}",
            ),
        ),
        (
            "Ingress host with upper case",
            ingress(
                "host: Example.com\n      ",
                "path: /\n            ",
                "Prefix",
                "{number: 80}",
            ),
        ),
        (
            "Ingress bad wildcard host",
            ingress(
                "host: \"*foo.example.com\"\n      ",
                "path: /\n            ",
                "Prefix",
                "{number: 80}",
            ),
        ),
        (
            "Ingress backend port name and number",
            ingress(
                "",
                "path: /\n            ",
                "Prefix",
                "{name: http, number: 80}",
            ),
        ),
        (
            "Ingress backend port without name or number",
            ingress("", "path: /\n            ", "Prefix", "{}"),
        ),
        (
            "Ingress backend port number 70000",
            ingress("", "path: /\n            ", "Prefix", "{number: 70000}"),
        ),
        (
            "Ingress TLS host with upper case",
            ingress("", "path: /\n            ", "Prefix", "{number: 80}").replace(
                "spec:\n",
                "spec:\n  tls:\n    - hosts: [App.example.com]\n      secretName: app-tls\n",
            ),
        ),
        (
            "Ingress TLS secretName with an underscore",
            ingress("", "path: /\n            ", "Prefix", "{number: 80}").replace(
                "spec:\n",
                "spec:\n  tls:\n    - hosts: [app.example.com]\n      secretName: app_tls\n",
            ),
        ),
        (
            "control: Ingress TLS wildcard host, no secretName",
            ingress("", "path: /\n            ", "Prefix", "{number: 80}").replace(
                "spec:\n",
                "spec:\n  tls:\n    - hosts: [\"*.example.com\"]\n",
            ),
        ),
        (
            "control: Ingress ImplementationSpecific without a path",
            ingress("", "", "ImplementationSpecific", "{number: 80}"),
        ),
        (
            "control: Ingress wildcard host",
            ingress(
                "host: \"*.example.com\"\n      ",
                "path: /a/b/\n            ",
                "Prefix",
                "{name: http}",
            ),
        ),
        (
            "control: Ingress Exact path with a dot segment name",
            ingress(
                "host: app.example.com\n      ",
                "path: /a/.well-known\n            ",
                "Exact",
                "{number: 8080}",
            ),
        ),
        // NetworkPolicy: ValidateNetworkPolicyPort, ValidateIPBlock.
        (
            "NetworkPolicy endPort below port",
            netpol("    - ports:\n        - {port: 8080, endPort: 80}\n"),
        ),
        (
            "NetworkPolicy endPort with a named port",
            netpol("    - ports:\n        - {port: http, endPort: 90}\n"),
        ),
        (
            "NetworkPolicy endPort without port",
            netpol("    - ports:\n        - {endPort: 90}\n"),
        ),
        (
            "NetworkPolicy port 0",
            netpol("    - ports:\n        - {port: 0}\n"),
        ),
        (
            "NetworkPolicy protocol tcp",
            netpol("    - ports:\n        - {port: 80, protocol: tcp}\n"),
        ),
        (
            "NetworkPolicy except outside cidr",
            netpol("    - from:\n        - ipBlock: {cidr: 10.0.0.0/16, except: [10.1.0.0/24]}\n"),
        ),
        (
            "NetworkPolicy except equal to cidr",
            netpol("    - from:\n        - ipBlock: {cidr: 10.0.0.0/16, except: [10.0.0.0/16]}\n"),
        ),
        (
            "control: NetworkPolicy endPort equal to port, SCTP",
            netpol("    - ports:\n        - {port: 80, endPort: 80, protocol: SCTP}\n"),
        ),
        (
            "control: NetworkPolicy except inside cidr (IPv6 too)",
            netpol(
                "    - from:\n        - ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16, 10.2.3.0/24]}\n        - ipBlock: {cidr: \"fd00::/8\", except: [\"fd00:1::/32\"]}\n",
            ),
        ),
        // PersistentVolumeClaim / PersistentVolume.
        (
            "PVC without accessModes",
            pvc("  resources:\n    requests: {storage: 1Gi}\n"),
        ),
        (
            "PVC without a storage request",
            pvc("  accessModes: [ReadWriteOnce]\n  resources:\n    requests: {}\n"),
        ),
        (
            "PVC ReadWriteOncePod with ReadWriteOnce",
            pvc(
                "  accessModes: [ReadWriteOnce, ReadWriteOncePod]\n  resources:\n    requests: {storage: 1Gi}\n",
            ),
        ),
        (
            "PVC storage 0",
            pvc("  accessModes: [ReadWriteOnce]\n  resources:\n    requests: {storage: \"0\"}\n"),
        ),
        (
            "PVC unknown access mode",
            pvc(
                "  accessModes: [ReadWriteSometimes]\n  resources:\n    requests: {storage: 1Gi}\n",
            ),
        ),
        (
            "PV without capacity",
            pv("  accessModes: [ReadWriteOnce]\n"),
        ),
        (
            "PV capacity with cpu",
            pv("  accessModes: [ReadWriteOnce]\n  capacity: {storage: 1Gi, cpu: \"1\"}\n"),
        ),
        ("PV without accessModes", pv("  capacity: {storage: 1Gi}\n")),
        (
            "control: PVC ReadWriteOncePod, 500Mi",
            pvc(
                "  accessModes: [ReadWriteOncePod]\n  resources:\n    requests: {storage: 500Mi}\n",
            ),
        ),
        (
            "control: PV ReadWriteMany 1Ti",
            pv("  accessModes: [ReadWriteMany, ReadOnlyMany]\n  capacity: {storage: 1Ti}\n"),
        ),
        (
            "StorageClass provisioner with a space",
            obj(
                "storage.k8s.io/v1",
                "StorageClass",
                "provisioner: \"my provisioner\"\n",
            ),
        ),
        (
            "StorageClass reclaimPolicy Recycle",
            obj(
                "storage.k8s.io/v1",
                "StorageClass",
                "provisioner: rancher.io/local-path\nreclaimPolicy: Recycle\n",
            ),
        ),
        (
            "StorageClass volumeBindingMode Lazy",
            obj(
                "storage.k8s.io/v1",
                "StorageClass",
                "provisioner: rancher.io/local-path\nvolumeBindingMode: Lazy\n",
            ),
        ),
        (
            "control: StorageClass with an upper-case provisioner",
            obj(
                "storage.k8s.io/v1",
                "StorageClass",
                "provisioner: Example.COM/Fast\nreclaimPolicy: Retain\nvolumeBindingMode: WaitForFirstConsumer\n",
            ),
        ),
        // LimitRange: ValidateLimitRange after SetDefaults_LimitRangeItem.
        (
            "LimitRange min above max",
            limit_range("      max: {cpu: 100m}\n      min: {cpu: \"1\"}\n"),
        ),
        (
            "LimitRange defaultRequest above default",
            limit_range("      default: {memory: 256Mi}\n      defaultRequest: {memory: 512Mi}\n"),
        ),
        (
            "LimitRange default above max",
            limit_range("      default: {memory: 2Gi}\n      max: {memory: 1Gi}\n"),
        ),
        (
            "LimitRange min above default (defaultRequest defaults to it)",
            limit_range("      default: {cpu: 500m}\n      min: {cpu: \"1\"}\n"),
        ),
        (
            "LimitRange ratio below 1",
            limit_range("      maxLimitRequestRatio: {cpu: 500m}\n"),
        ),
        (
            "control: LimitRange min only",
            limit_range("      min: {cpu: 100m}\n"),
        ),
        (
            "control: LimitRange default equal to max, in other units",
            limit_range(
                "      default: {memory: 1024Mi}\n      max: {memory: 1Gi}\n      min: {memory: 128Mi}\n",
            ),
        ),
        (
            "ResourceQuota hard cpus",
            obj("v1", "ResourceQuota", "spec:\n  hard: {cpus: \"4\"}\n"),
        ),
        (
            "ResourceQuota pods 1.5",
            obj("v1", "ResourceQuota", "spec:\n  hard: {pods: 1.5}\n"),
        ),
        (
            "ResourceQuota negative memory",
            obj(
                "v1",
                "ResourceQuota",
                "spec:\n  hard: {requests.memory: \"-1Gi\"}\n",
            ),
        ),
        (
            "ResourceQuota count/pods 500m",
            obj("v1", "ResourceQuota", "spec:\n  hard: {count/pods: 500m}\n"),
        ),
        (
            "control: ResourceQuota with counts, extended and hugepages",
            obj(
                "v1",
                "ResourceQuota",
                "spec:\n  hard: {requests.cpu: 500m, limits.memory: 1Gi, count/deployments.apps: \"3\", requests.example.com/gpu: \"2\", requests.hugepages-2Mi: 1Gi, services.nodeports: \"0\"}\n",
            ),
        ),
        // Secrets: ValidateSecret.
        (
            "tls Secret without tls.key",
            secret("kubernetes.io/tls", "stringData:\n  tls.crt: x\n"),
        ),
        (
            "dockerconfigjson Secret without .dockerconfigjson",
            secret(
                "kubernetes.io/dockerconfigjson",
                "stringData:\n  config.json: \"{}\"\n",
            ),
        ),
        (
            "dockerconfigjson Secret that is not JSON",
            secret(
                "kubernetes.io/dockerconfigjson",
                "stringData:\n  .dockerconfigjson: \"[1]\"\n",
            ),
        ),
        (
            "basic-auth Secret without username or password",
            secret("kubernetes.io/basic-auth", "stringData:\n  user: x\n"),
        ),
        (
            "ssh-auth Secret with an empty key",
            secret("kubernetes.io/ssh-auth", "data:\n  ssh-privatekey: \"\"\n"),
        ),
        (
            "service-account-token Secret without its annotation",
            secret("kubernetes.io/service-account-token", ""),
        ),
        (
            "Secret key with a slash",
            secret("Opaque", "stringData:\n  a/b: x\n"),
        ),
        (
            "Secret key starting with ..",
            secret("Opaque", "data:\n  ..x: eA==\n"),
        ),
        (
            "control: tls Secret from data",
            secret(
                "kubernetes.io/tls",
                "data:\n  tls.crt: eA==\n  tls.key: eA==\n",
            ),
        ),
        (
            "control: dockerconfigjson null",
            secret(
                "kubernetes.io/dockerconfigjson",
                "stringData:\n  .dockerconfigjson: \"null\"\n",
            ),
        ),
        (
            "control: basic-auth with an empty password only",
            secret(
                "kubernetes.io/basic-auth",
                "stringData:\n  password: \"\"\n",
            ),
        ),
        (
            "control: Secret key .env",
            secret("Opaque", "stringData:\n  .env: A=1\n"),
        ),
        (
            "control: custom Secret type",
            secret("example.com/anything", "stringData:\n  k: v\n"),
        ),
        // ConfigMaps: ValidateConfigMap.
        (
            "ConfigMap key with a space",
            obj("v1", "ConfigMap", "data:\n  \"my key\": x\n"),
        ),
        (
            "ConfigMap key ..",
            obj("v1", "ConfigMap", "data:\n  \"..\": x\n"),
        ),
        (
            "ConfigMap key in data and binaryData",
            obj("v1", "ConfigMap", "data:\n  k: x\nbinaryData:\n  k: eA==\n"),
        ),
        (
            "control: ConfigMap keys _a.b-C and .hidden",
            obj(
                "v1",
                "ConfigMap",
                "data:\n  _a.b-C: x\n  .hidden: \"y\"\n  \"123\": z\n",
            ),
        ),
    ]
}
