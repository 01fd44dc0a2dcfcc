//! Manifest validation throughput on one core: parse (serde-saphyr with spans) + strict
//! schema validation. `cargo bench --bench validate -- [N] [--write DIR]`; bench/validate.sh
//! runs it side by side with kubernetes-validate.

use std::time::Instant;

/// A corpus of realistic manifests: Deployments, Services, ConfigMaps and Pods with varied
/// names, replicas, resources and probes.
fn corpus(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| match i % 4 {
            0 => format!(
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-{i}\n  labels: {{app: app-{i}, tier: web}}\nspec:\n  replicas: {}\n  selector:\n    matchLabels: {{app: app-{i}}}\n  template:\n    metadata:\n      labels: {{app: app-{i}}}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27.{}\n          ports:\n            - containerPort: 80\n              name: http\n          resources:\n            requests: {{cpu: {}m, memory: {}Mi}}\n            limits: {{cpu: 500m, memory: 256Mi}}\n          readinessProbe:\n            httpGet: {{path: /healthz, port: http}}\n            periodSeconds: 5\n          env:\n            - name: MODE\n              value: production\n",
                1 + i % 5, i % 4, 50 + i % 50, 64 + i % 64
            ),
            1 => format!(
                "apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-{i}\nspec:\n  type: ClusterIP\n  selector: {{app: app-{i}}}\n  ports:\n    - name: http\n      port: 80\n      targetPort: http\n      protocol: TCP\n"
            ),
            2 => format!(
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg-{i}\ndata:\n  LOG_LEVEL: info\n  FEATURE_X: \"true\"\n  settings.json: |\n    {{\"retries\": {}}}\n",
                i % 7
            ),
            _ => format!(
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: pod-{i}\nspec:\n  restartPolicy: Never\n  containers:\n    - name: job\n      image: busybox:1.36.1\n      command: [\"sh\", \"-c\", \"echo {i}\"]\n      securityContext:\n        runAsNonRoot: true\n        runAsUser: 1000\n        allowPrivilegeEscalation: false\n"
            ),
        })
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let n: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let docs = corpus(n);
    if let Some(pos) = args.iter().position(|a| a == "--write") {
        let dir = std::path::PathBuf::from(args.get(pos + 1).expect("--write DIR"));
        std::fs::create_dir_all(&dir).expect("create dir");
        for (i, d) in docs.iter().enumerate() {
            std::fs::write(dir.join(format!("m{i:05}.yaml")), d).expect("write");
        }
        return;
    }
    // Warm up: load the schema once.
    let _ = kubebook::validate::validate_text(&docs[0]);
    let mut best = f64::MAX;
    for _ in 0..3 {
        let t0 = Instant::now();
        let mut issues = 0;
        for d in &docs {
            issues += kubebook::validate::validate_text(d)
                .map(|v| v.len())
                .unwrap_or(1);
        }
        let dt = t0.elapsed().as_secs_f64();
        assert_eq!(issues, 0, "the corpus is valid");
        best = best.min(dt);
    }
    println!(
        "kubebook: {n} manifests in {:.3} s = {:.0} manifests/s (one core, best of 3)",
        best,
        n as f64 / best
    );
}
