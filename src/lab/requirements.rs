//! The catalogue of requirements a lab may name in `requires=`: one table that `collect`
//! checks names against (LAB006), the runner probes before a lab (`cluster::run::probe`, by
//! `Probe`), `book.toml [needs]` keys are checked against, and the authoring guide's table
//! (docs/authoring.md) is generated from (`KUBEBOOK_WRITE_DOCS=1 cargo test --lib
//! lab::requirements`).

/// How the runner finds out whether a requirement is met before it starts a lab.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Probe {
    /// Always met (kubectl has it built in, or it says where the lab runs).
    Nothing,
    /// A daemon on the machine that runs `kubebook` (`docker info` must succeed).
    HostDaemon {
        program: &'static str,
        args: &'static [&'static str],
    },
    /// A program on the PATH the lab's commands run with (`helm version` must succeed).
    Program {
        program: &'static str,
        args: &'static [&'static str],
    },
    /// A controller in the cluster, probed through the cluster's API for readiness; never met
    /// on the control plane's nodes, which run no containers.
    Fixture,
}

#[derive(Debug)]
pub struct Requirement {
    pub name: &'static str,
    pub probe: Probe,
    /// What it means, for the guide (Markdown).
    pub meaning: &'static str,
}

pub const REQUIREMENTS: &[Requirement] = &[
    Requirement {
        name: "host",
        probe: Probe::Nothing,
        meaning: "the lab runs on the reader's machine and never touches a cluster: it gets no namespace, and it runs even when no cluster is reachable",
    },
    Requirement {
        name: "cluster",
        probe: Probe::Nothing,
        meaning: "a cluster; every lab but a `host` one has this already, so writing it changes nothing",
    },
    Requirement {
        name: "docker",
        probe: Probe::HostDaemon {
            program: "docker",
            args: &["info"],
        },
        meaning: "a running Docker engine on the reader's machine (`docker info`)",
    },
    Requirement {
        name: "helm",
        probe: Probe::Program {
            program: "helm",
            args: &["version"],
        },
        meaning: "the `helm` CLI",
    },
    Requirement {
        name: "python3",
        probe: Probe::Program {
            program: "python3",
            args: &["--version"],
        },
        meaning: "`python3`",
    },
    Requirement {
        name: "curl",
        probe: Probe::Program {
            program: "curl",
            args: &["--version"],
        },
        meaning: "`curl`",
    },
    Requirement {
        name: "kustomize",
        probe: Probe::Nothing,
        meaning: "Kustomize, built into `kubectl` (`kubectl kustomize`, `apply -k`)",
    },
    Requirement {
        name: "ingress",
        probe: Probe::Fixture,
        meaning: "an Ingress controller: cloud-provider-kind's IngressClass `cloud-provider-kind`, which `labs run --create-cluster` starts",
    },
    Requirement {
        name: "gateway",
        probe: Probe::Fixture,
        meaning: "a Gateway API controller: cloud-provider-kind's GatewayClass `cloud-provider-kind`, Accepted",
    },
    Requirement {
        name: "metrics-server",
        probe: Probe::Fixture,
        meaning: "metrics-server serving `v1beta1.metrics.k8s.io` (`kubectl top`, HPA), which `labs run --create-cluster` installs",
    },
];

/// The requirement named `name`, if there is one.
pub fn find(name: &str) -> Option<&'static Requirement> {
    REQUIREMENTS.iter().find(|r| r.name == name)
}

/// Every requirement name, in the table's order.
pub fn names() -> impl Iterator<Item = &'static str> + Clone {
    REQUIREMENTS.iter().map(|r| r.name)
}

/// The guide's requirement table (docs/authoring.md).
pub fn markdown_table() -> String {
    let mut s =
        String::from("| requirement | means | checked before the lab by |\n|---|---|---|\n");
    for r in REQUIREMENTS {
        let probe = match r.probe {
            Probe::Nothing => "nothing".to_string(),
            Probe::HostDaemon { program, args } | Probe::Program { program, args } => {
                format!("`{program} {}` succeeding", args.join(" "))
            }
            Probe::Fixture => "the cluster's API (ready, not only present)".to_string(),
        };
        s.push_str(&format!("| `{}` | {} | {probe} |\n", r.name, r.meaning));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for r in REQUIREMENTS {
            assert!(seen.insert(r.name), "{} twice", r.name);
        }
        assert!(find("helm").is_some() && find("helmm").is_none());
    }

    #[test]
    fn the_authoring_guide_shows_this_table() {
        crate::docgen::check_section("docs/authoring.md", "requirements", &markdown_table());
    }
}
