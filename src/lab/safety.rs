//! Lab commands the runner refuses: they would switch contexts or delete cluster-wide.
//! `check` reports them too (LAB014), so an author learns before anything runs.

/// Why a lab command must not run, if it must not.
pub fn refuse(command: &str) -> Option<&'static str> {
    let words: Vec<&str> = command.split_whitespace().collect();
    let has = |w: &str| words.contains(&w);
    let kubectl = words.iter().position(|w| *w == "kubectl");
    if command.contains("KUBECONFIG=")
        || has("--kubeconfig")
        || words
            .iter()
            .any(|w| w.starts_with("--kubeconfig=") || w.starts_with("--context="))
        || has("--context")
    {
        return Some("it chooses another kubeconfig or context");
    }
    if let Some(k) = kubectl {
        let rest = &words[k + 1..];
        let verb = rest
            .iter()
            .find(|w| !w.starts_with('-'))
            .copied()
            .unwrap_or("");
        if verb == "config"
            && rest.iter().any(|w| {
                matches!(
                    *w,
                    "use-context" | "use" | "delete-context" | "delete-cluster" | "rename-context"
                )
            })
        {
            return Some("it switches or deletes kubeconfig contexts");
        }
        if verb == "config" && rest.contains(&"set-context") && !rest.contains(&"--current") {
            return Some("it changes a kubeconfig context other than the current one");
        }
        if verb == "delete" {
            let target = rest
                .iter()
                .skip_while(|w| **w != "delete")
                .nth(1)
                .copied()
                .unwrap_or("");
            if matches!(
                target,
                "namespace" | "namespaces" | "ns" | "node" | "nodes" | "no"
            ) || target.starts_with("namespace/")
                || target.starts_with("ns/")
                || target.starts_with("node/")
            {
                return Some("it deletes namespaces or nodes");
            }
            if rest.iter().any(|w| *w == "-A" || *w == "--all-namespaces") {
                return Some("it deletes across all namespaces");
            }
        }
        if matches!(verb, "drain" | "cordon") {
            return Some("it takes nodes out of service");
        }
    }
    if words.first() == Some(&"kind")
        && words
            .get(1)
            .is_some_and(|w| *w == "delete" || *w == "create")
    {
        return Some("it creates or deletes clusters");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals() {
        for bad in [
            "kubectl config use-context prod",
            "kubectl config set-context prod --namespace x",
            "kubectl --context prod get pods",
            "KUBECONFIG=/etc/other kubectl get pods",
            "kubectl delete namespace kube-system",
            "kubectl delete ns/default",
            "kubectl delete pods --all -A",
            "kubectl delete node kind-worker",
            "kubectl drain kind-worker",
            "kind delete cluster",
        ] {
            assert!(refuse(bad).is_some(), "{bad}");
        }
        for ok in [
            "kubectl apply -f pod.yaml",
            "kubectl delete pod web",
            "kubectl config set-context --current --namespace lab",
            "kubectl get pods -A",
            "kubectl label node kind-worker disktype=ssd",
            "kubectl delete -f pv.yaml",
        ] {
            assert!(refuse(ok).is_none(), "{ok}");
        }
    }
}
