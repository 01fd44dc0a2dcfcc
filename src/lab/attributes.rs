//! The catalogue of code-block attributes: one table that the info-string check
//! (`fence::check_known`), the lab model (`lab::collect`) and the authoring guide's attribute
//! table (docs/authoring.md, generated from here) all read. To add an attribute, add a row here,
//! then read it where it takes effect (`lab::collect` for a lab's data, the runner for a step)
//! and run `KUBEBOOK_WRITE_DOCS=1 cargo test --lib lab::attributes` to regenerate the guide.

/// Whether an attribute is written `key=value` or alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Takes {
    Value,
    /// Alone (`serial`); giving it a value is an error.
    Flag,
}

/// Which blocks an attribute belongs on; `collect` reports one in the wrong place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Any code block, in a lab or not (`lab=` itself, and what validation reads).
    AnyBlock,
    /// A block of a lab (`lab=ID`): outside a lab it is an error (LAB002).
    LabBlock,
    /// The lab as a whole: only on a lab's first block (LAB005), and only in a lab (LAB002).
    Lab,
}

#[derive(Debug)]
pub struct Attribute {
    pub name: &'static str,
    pub takes: Takes,
    pub scope: Scope,
    /// How the guide writes it (`title="…"`).
    pub syntax: &'static str,
    /// Where the guide says it goes, in words.
    pub on: &'static str,
    /// What it means, for the guide (Markdown).
    pub meaning: &'static str,
}

pub const ATTRIBUTES: &[Attribute] = &[
    Attribute {
        name: "lab",
        takes: Takes::Value,
        scope: Scope::AnyBlock,
        syntax: "lab=ID",
        on: "any block",
        meaning: "the block belongs to lab ID (letters, digits, `-`)",
    },
    Attribute {
        name: "title",
        takes: Takes::Value,
        scope: Scope::Lab,
        syntax: "title=\"…\"",
        on: "first block of a lab",
        meaning: "the lab card's title",
    },
    Attribute {
        name: "file",
        takes: Takes::Value,
        scope: Scope::LabBlock,
        syntax: "file=NAME",
        on: "any non-console block",
        meaning: "a file of the lab: validated (YAML), written to the lab's working directory when it runs, downloadable at `labs/ID/NAME` on the site. Relative, no `..`, unique in the lab",
    },
    Attribute {
        name: "requires",
        takes: Takes::Value,
        scope: Scope::Lab,
        syntax: "requires=a,b",
        on: "first block",
        meaning: "what the lab needs besides a cluster, comma-separated; the names are in the table below",
    },
    Attribute {
        name: "skip-ci",
        takes: Takes::Value,
        scope: Scope::Lab,
        syntax: "skip-ci=\"why\"",
        on: "first block",
        meaning: "the lab cannot run unattended (cloud console, interactive); counted and reported",
    },
    Attribute {
        name: "serial",
        takes: Takes::Flag,
        scope: Scope::Lab,
        syntax: "serial",
        on: "first block",
        meaning: "never run concurrently with other labs (cluster-scoped objects, node labels)",
    },
    Attribute {
        name: "hidden",
        takes: Takes::Flag,
        scope: Scope::LabBlock,
        syntax: "hidden",
        on: "any block",
        meaning: "runs but is not shown on the site (setup or teardown)",
    },
    Attribute {
        name: "timeout",
        takes: Takes::Value,
        scope: Scope::LabBlock,
        syntax: "timeout=90s",
        on: "console block",
        meaning: "how long a step may be retried until its output matches (default `60s`, at most `60m`)",
    },
    Attribute {
        name: "retry",
        takes: Takes::Flag,
        scope: Scope::LabBlock,
        syntax: "retry",
        on: "console block",
        meaning: "retry every step of the block until it matches or the timeout is up, also steps that change things (an apply that an admission webhook or a just-created policy may refuse for a moment). Without it only read-only steps are retried",
    },
    Attribute {
        name: "needs-kind",
        takes: Takes::Value,
        scope: Scope::LabBlock,
        syntax: "needs-kind=\"why\"",
        on: "console block",
        meaning: "the block's steps need a container runtime for a reason the commands do not show (a Pod expected to crash, an image pull expected to fail): on the control plane they are reported needs-kind with that reason instead of run; on kind they run. Commands that plainly need a container (`kubectl exec`, `logs`, `port-forward`, `curl` to a Service, …) are recognised without it",
    },
    Attribute {
        name: "fragment",
        takes: Takes::Value,
        scope: Scope::AnyBlock,
        syntax: "fragment=TYPE",
        on: "yaml",
        meaning: "a partial snippet validated against that definition: `Container`, `PodSpec`, `Probe`, `PodTemplateSpec`, `ObjectMeta`, `ResourceRequirements`, `Volume`, `EnvVar`, `ServicePort`, `DeploymentSpec`, `ServiceSpec`, …",
    },
    Attribute {
        name: "novalidate",
        takes: Takes::Flag,
        scope: Scope::AnyBlock,
        syntax: "novalidate",
        on: "yaml",
        meaning: "opt out of validation (counted by `check`)",
    },
    Attribute {
        name: "expect-error",
        takes: Takes::Value,
        scope: Scope::AnyBlock,
        syntax: "expect-error=CODE",
        on: "yaml",
        meaning: "broken on purpose: `check` passes it only if that diagnostic occurs",
    },
];

/// The attribute named `name`, if there is one.
pub fn find(name: &str) -> Option<&'static Attribute> {
    ATTRIBUTES.iter().find(|a| a.name == name)
}

/// Every attribute name, in the table's order.
pub fn names() -> impl Iterator<Item = &'static str> + Clone {
    ATTRIBUTES.iter().map(|a| a.name)
}

/// The attributes of one scope.
pub fn in_scope(scope: Scope) -> impl Iterator<Item = &'static Attribute> {
    ATTRIBUTES.iter().filter(move |a| a.scope == scope)
}

/// The guide's attribute table (docs/authoring.md).
pub fn markdown_table() -> String {
    let mut s = String::from("| attribute | on | meaning |\n|---|---|---|\n");
    for a in ATTRIBUTES {
        s.push_str(&format!("| `{}` | {} | {} |\n", a.syntax, a.on, a.meaning));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_syntax_starts_with_the_name() {
        let mut seen = std::collections::HashSet::new();
        for a in ATTRIBUTES {
            assert!(seen.insert(a.name), "{} twice", a.name);
            assert!(a.syntax.starts_with(a.name), "{}: {}", a.name, a.syntax);
            assert_eq!(a.takes == Takes::Flag, a.syntax == a.name, "{}", a.name);
        }
    }

    #[test]
    fn the_authoring_guide_shows_this_table() {
        crate::docgen::check_section("docs/authoring.md", "attributes", &markdown_table());
    }
}
