//! Which steps need a container runtime. On the control plane (fake kwok nodes, no
//! kubelet, no containers) such a step cannot pass, so the runner reports it `needs-kind`
//! instead of running it; every other step must match the book's output there too.
//!
//! The command tells most cases: talking to a container (`kubectl exec`, `attach`, `cp`,
//! `port-forward`, `debug`, `logs`, `top`, an attached `kubectl run`), traffic (`curl`,
//! `wget`, `nc`, DNS look-ups), a container engine or kind itself, `helm test`. What the
//! command cannot tell (a Pod expected to crash or to fail its image pull) the block says
//! with the `needs-kind` attribute.

/// Why a command needs a container runtime, or None.
pub fn needs_runtime(command: &str) -> Option<String> {
    for words in simple_commands(command) {
        if let Some(why) = simple_needs_runtime(&words) {
            return Some(why);
        }
    }
    None
}

/// Split a bash command into its simple commands' words (on pipes, `;`, `&&`, `||`,
/// newlines and command substitutions), quotes kept out of the way.
fn simple_commands(command: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut cur: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let flush_word = |word: &mut String, cur: &mut Vec<String>| {
        if !word.is_empty() {
            cur.push(std::mem::take(word));
        }
    };
    for c in command.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => quote = Some(c),
            (None, '|' | ';' | '&' | '\n' | '(' | ')' | '`' | '{' | '}') => {
                flush_word(&mut word, &mut cur);
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            (None, c) if c.is_whitespace() => flush_word(&mut word, &mut cur),
            (None, '$') => {
                // `$(` starts a new command; a plain `$VAR` stays in the word.
                word.push('$');
            }
            (None, c) => word.push(c),
        }
    }
    flush_word(&mut word, &mut cur);
    if !cur.is_empty() {
        out.push(cur);
    }
    // `$(kubectl …)`: the `$` was kept before `(`; drop a lone `$` word.
    for c in &mut out {
        c.retain(|w| w != "$");
    }
    out
}

/// Words before the real program: `sudo`, `env A=B`, `time`, `timeout 5`, `watch`.
fn program(words: &[String]) -> (&str, &[String]) {
    let mut i = 0;
    while i < words.len() {
        let w = words[i].as_str();
        if matches!(
            w,
            "sudo" | "time" | "env" | "exec" | "command" | "nohup" | "!"
        ) || w.contains('=') && !w.starts_with('-')
        {
            i += 1;
        } else if w == "timeout" || w == "watch" {
            i += 1;
            // Their own flags and the duration.
            while i < words.len()
                && (words[i].starts_with('-')
                    || words[i].chars().next().is_some_and(|c| c.is_ascii_digit()))
            {
                i += 1;
            }
        } else {
            return (w, &words[i + 1..]);
        }
    }
    ("", &[])
}

/// kubectl's global flags that take a value as the next word.
const KUBECTL_VALUE_FLAGS: &[&str] = &[
    "-n",
    "--namespace",
    "--context",
    "--kubeconfig",
    "--cluster",
    "--user",
    "-s",
    "--server",
    "--request-timeout",
    "--as",
    "--as-group",
];

/// The verb of a kubectl command line: the first word that is neither a flag nor a flag's
/// value.
pub fn kubectl_verb(args: &[String]) -> Option<(&str, &[String])> {
    let mut i = 0;
    while i < args.len() {
        let w = args[i].as_str();
        if KUBECTL_VALUE_FLAGS.contains(&w) {
            i += 2;
        } else if w.starts_with('-') {
            i += 1;
        } else {
            return Some((w, &args[i + 1..]));
        }
    }
    None
}

fn simple_needs_runtime(words: &[String]) -> Option<String> {
    let (prog, args) = program(words);
    let prog = prog.rsplit('/').next().unwrap_or(prog);
    match prog {
        "kubectl" => {
            let (verb, rest) = kubectl_verb(args)?;
            let attached = |r: &[String]| {
                r.iter().any(|w| {
                    matches!(
                        w.as_str(),
                        "-i" | "-t" | "-it" | "-ti" | "--stdin" | "--tty" | "--attach" | "--rm"
                    ) || w.starts_with("--attach=true")
                        || w.starts_with("--stdin=true")
                })
            };
            match verb {
                "exec" | "attach" | "cp" | "port-forward" | "debug" | "logs" | "top" => {
                    Some(format!("kubectl {verb} needs a running container"))
                }
                "run" if attached(rest) => {
                    Some("kubectl run attached to its Pod needs a running container".into())
                }
                _ => None,
            }
        }
        "curl" | "wget" | "nc" | "ncat" | "nslookup" | "dig" | "host" | "telnet" => {
            Some(format!("{prog} sends traffic to a Pod"))
        }
        "docker" | "podman" | "nerdctl" | "ctr" | "crictl" | "buildah" | "kind" => {
            Some(format!("{prog} needs a container runtime"))
        }
        "helm" if args.first().is_some_and(|a| a == "test") => {
            Some("helm test runs test Pods".into())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runtime_commands() {
        for c in [
            "kubectl exec web -- cat /etc/hostname",
            "kubectl -n x exec -it web -- sh",
            "kubectl logs deploy/web",
            "kubectl logs -f web &",
            "kubectl port-forward svc/web 8080:80",
            "kubectl run tmp --rm -i --image=busybox:1.36.1 -- wget -qO- web",
            "kubectl top pods",
            "curl -s localhost:8080",
            "sleep 1; curl -s http://127.0.0.1:8080/ | head -1",
            "docker build -t x .",
            "kind load docker-image x",
            "POD=$(kubectl get pod -o name | head -1); kubectl exec $POD -- ls",
            "timeout 5 kubectl logs web",
            "helm test hello",
            "kubectl debug node/kubebook-worker -it --image=busybox:1.36.1",
            "kubectl cp web:/tmp/x ./x",
        ] {
            assert!(needs_runtime(c).is_some(), "{c}");
        }
    }

    #[test]
    fn api_commands() {
        for c in [
            "kubectl apply -f web.yaml",
            "kubectl get pods -l app=web",
            "kubectl rollout status deploy/web --timeout=60s",
            "kubectl run web --image=nginx:1.27.3",
            "kubectl -n logs get pods",
            "kubectl get pods -o jsonpath='{.items[*].metadata.name}'",
            "echo 'curl is a word here'",
            "kubectl wait --for=condition=Ready pod/web --timeout=60s",
            "kubectl create deployment web --image=nginx:1.27.3 --replicas=2",
            "helm install hello ./chart",
            "grep -c exec file.txt",
        ] {
            assert_eq!(needs_runtime(c), None, "{c}");
        }
    }

    #[test]
    fn verbs_skip_global_flags() {
        let w = |s: &str| s.split_whitespace().map(String::from).collect::<Vec<_>>();
        assert_eq!(
            kubectl_verb(&w("-n ns --context c get pods")).map(|v| v.0),
            Some("get")
        );
        assert_eq!(kubectl_verb(&w("--v=6 logs x")).map(|v| v.0), Some("logs"));
        assert_eq!(kubectl_verb(&w("-n")).map(|v| v.0), None);
    }
}
