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
        .definition(&s.kinds[&format!("{av}/{kind}")].0)
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
