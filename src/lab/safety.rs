//! Lab commands the runner refuses: they would switch contexts or delete cluster-wide.
//! `check` reports them too (LAB014), so an author learns before anything runs.

/// Flags that point kubectl at another kubeconfig, cluster, user or server (L09: also in
/// their `--flag=value` forms).
const TARGET_FLAGS: &[&str] = &[
    "--kubeconfig",
    "--context",
    "--cluster",
    "--user",
    "--token",
    "--server",
    "-s",
];

/// kubectl flags whose value is the next word (when not written `--flag=value`), so that
/// value is not taken for a verb or a resource type.
const VALUE_FLAGS: &[&str] = &[
    "--kubeconfig",
    "--context",
    "--cluster",
    "--user",
    "--token",
    "--server",
    "-s",
    "-n",
    "--namespace",
    "-l",
    "--selector",
    "-f",
    "--filename",
    "-o",
    "--output",
    "--field-selector",
    "--grace-period",
    "--timeout",
    "--as",
    "--as-group",
    "--request-timeout",
    "-v",
];

/// Resource types whose deletion takes the cluster down with the lab (lower case; kubectl
/// reads kinds case-insensitively, with or without a group).
const CLUSTER_KINDS: &[&str] = &["namespace", "namespaces", "ns", "node", "nodes", "no"];

/// `--flag` of `--flag` or `--flag=value`.
fn flag_name(w: &str) -> &str {
    w.split_once('=').map_or(w, |(f, _)| f)
}

/// The positional words of a kubectl command line (its flags and their values left out).
fn positional<'a>(words: &[&'a str]) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        if w.starts_with('-') {
            if !w.contains('=') && VALUE_FLAGS.contains(&w) {
                i += 1;
            }
        } else {
            out.push(w);
        }
        i += 1;
    }
    out
}

/// Does a resource argument (`Namespace`, `ns/default`, `namespace,pod`,
/// `namespaces.v1`) name a namespace or node?
fn names_cluster_kind(arg: &str) -> bool {
    arg.to_ascii_lowercase().split(',').any(|item| {
        let kind = item.split('/').next().unwrap_or("");
        let kind = kind.split('.').next().unwrap_or("");
        CLUSTER_KINDS.contains(&kind)
    })
}

/// `--all-namespaces`, `--all-namespaces=true`, `-A` (not `--all-namespaces=false`).
fn all_namespaces(words: &[&str]) -> bool {
    words.iter().any(|w| {
        *w == "-A"
            || *w == "--all-namespaces"
            || w.strip_prefix("--all-namespaces=")
                .is_some_and(|v| !v.eq_ignore_ascii_case("false"))
    })
}

/// Why a lab command must not run, if it must not.
pub fn refuse(command: &str) -> Option<&'static str> {
    let words: Vec<&str> = command.split_whitespace().collect();
    if command.contains("KUBECONFIG=")
        || words.iter().any(|w| {
            matches!(
                flag_name(w),
                "--kubeconfig" | "--context" | "--kube-context"
            )
        })
    {
        return Some("it chooses another kubeconfig or context");
    }
    // Every kubectl of the line (`a && kubectl …`, `$(kubectl …)`), each up to its own end.
    for k in (0..words.len()).filter(|&i| words[i] == "kubectl" || words[i].ends_with("(kubectl")) {
        // kubectl's own arguments end at `--` (what follows is the container's command, as in
        // `kubectl exec web -- curl -s …`) or at the end of the shell command.
        let rest = &words[k + 1..];
        let end = rest
            .iter()
            .enumerate()
            .find_map(|(i, w)| {
                if matches!(*w, "--" | "|" | "||" | "&&" | ";" | "&") {
                    Some(i)
                } else if w.ends_with([';', ')', '|', '&']) {
                    // `…jsonpath='{.x}');` ends a `$(kubectl …)` glued to its last word.
                    Some(i + 1)
                } else {
                    None
                }
            })
            .unwrap_or(rest.len());
        let rest = &rest[..end];
        if rest.iter().any(|w| {
            TARGET_FLAGS.contains(&flag_name(w)) || (w.starts_with("-s") && !w.starts_with("--"))
        }) {
            return Some("it points kubectl at another cluster, user or server");
        }
        let pos = positional(rest);
        let verb = pos.first().copied().unwrap_or("");
        if verb == "config"
            && pos.iter().any(|w| {
                matches!(
                    *w,
                    "use-context" | "use" | "delete-context" | "delete-cluster" | "rename-context"
                )
            })
        {
            return Some("it switches or deletes kubeconfig contexts");
        }
        if verb == "config" && pos.contains(&"set-context") && !rest.contains(&"--current") {
            return Some("it changes a kubeconfig context other than the current one");
        }
        if verb == "delete" {
            if pos.get(1).is_some_and(|t| names_cluster_kind(t)) {
                return Some("it deletes namespaces or nodes");
            }
            if all_namespaces(rest) {
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
            "kubectl get pods -s https://elsewhere -- x",
            "kubectl get pods && kubectl --server=https://x get pods",
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
            // Flags after `--` are the container command's, not kubectl's.
            "kubectl exec client -- curl -s http://web",
            "kubectl exec client -- wget -s --server x",
            "kubectl get pods | grep -s web",
            "IP=$(kubectl get ingress web -o jsonpath='{.status}'); curl -s http://$IP/",
        ] {
            assert!(refuse(ok).is_none(), "{ok}");
        }
    }

    #[test]
    fn l09_case_comma_and_flag_forms_are_refused() {
        for bad in [
            "kubectl delete Namespace default",
            "kubectl delete NS default",
            "kubectl delete namespace,pod default",
            "kubectl delete pod,Namespace x",
            "kubectl delete namespaces.v1 x",
            "kubectl delete Node/kind-worker",
            "kubectl delete -n lab namespace x",
            "kubectl delete pods --all --all-namespaces=true",
            "kubectl delete pods --all --all-namespaces",
            "kubectl --server https://127.0.0.1:1 get pods",
            "kubectl --server=https://127.0.0.1:1 get pods",
            "kubectl -s https://127.0.0.1:1 get pods",
            "kubectl -shttps://127.0.0.1:1 get pods",
            "kubectl --cluster other get pods",
            "kubectl --user=admin get pods",
            "kubectl --token abc get pods",
            "kubectl --context=prod get pods",
            "kubectl --kubeconfig=/etc/k get pods",
        ] {
            assert!(refuse(bad).is_some(), "{bad}");
        }
        for ok in [
            "kubectl delete pods --all --all-namespaces=false",
            "kubectl delete -n lab pod web",
            "kubectl get pods -o wide",
            "curl -s http://127.0.0.1:8080",
            "kubectl logs deploy/web --since=1m",
        ] {
            assert!(refuse(ok).is_none(), "{ok}");
        }
    }
}
