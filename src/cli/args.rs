//! The commands and options, as clap parses them. Nothing here runs anything.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "kubebook",
    version,
    about = "Compile a Kubernetes book from Markdown into a themed site whose labs are validated and runnable",
    after_help = "Examples:\n  kubebook build                 build ./book into ./site\n  kubebook check --format github validate every manifest and lab, GitHub annotations\n  kubebook serve --open          live preview on http://127.0.0.1:3000\n  kubebook labs list             the book's labs\n  kubebook clean                 remove ./site\n\nExit codes: 0 ok, 1 the book has errors (or a lab failed), 2 usage or environment problem."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Build the site (runs every check first; errors stop the build)
    #[command(after_help = "Example:\n  kubebook build --dest /tmp/site path/to/project")]
    Build {
        /// Project directory holding book/, themes/ and labs/
        #[arg(default_value = ".")]
        root: PathBuf,
        /// Output directory (default ROOT/site)
        #[arg(long)]
        dest: Option<PathBuf>,
        /// Also fail on warnings
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Build, serve on 127.0.0.1, rebuild and live-reload on save
    #[command(after_help = "Example:\n  kubebook serve --port 4000 --open")]
    Serve {
        #[arg(default_value = ".")]
        root: PathBuf,
        #[arg(long, default_value_t = 3000)]
        port: u16,
        /// Address to bind (default 127.0.0.1; anything else is reachable from other machines)
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Open the browser
        #[arg(long)]
        open: bool,
        #[arg(long)]
        dest: Option<PathBuf>,
    },
    /// Validate every manifest, lab and link without writing the site
    #[command(
        after_help = "Examples:\n  kubebook check\n  kubebook check --format junit > check.xml\n  kubebook check --deny-warnings"
    )]
    Check {
        #[arg(default_value = ".")]
        root: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Fail (exit 1) on warnings too
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Validate Kubernetes manifest files (any, not only the book's) as the API server would
    #[command(
        after_help = "Examples:\n  kubebook validate deploy/                      every *.yaml, *.yml, *.json below deploy/\n  helm template web ./chart | kubebook validate -\n  kubebook validate --crds crds/ --output junit manifests/ > validate.xml\n  kubebook validate --ignore-missing-schemas --skip Secret k8s/\n\nExit status: 0 every resource valid (or skipped), 1 a resource is invalid or could not be\njudged (unreadable, broken YAML, no kind, no schema), 2 a usage problem."
    )]
    Validate(ValidateArgs),
    /// List, show, export and run the book's labs
    Labs {
        #[command(subcommand)]
        command: LabsCommand,
    },
    /// Remove the output directory (only one kubebook created)
    Clean {
        #[arg(default_value = ".")]
        root: PathBuf,
        #[arg(long)]
        dest: Option<PathBuf>,
    },
}

/// Options of `kubebook validate` (read by `validate_cli`).
#[derive(clap::Args, Debug)]
pub struct ValidateArgs {
    /// Files, directories (searched recursively for *.yaml, *.yml, *.json) or `-` for
    /// standard input
    #[arg(required = true, value_name = "FILE|DIR|-")]
    pub paths: Vec<PathBuf>,
    /// Kubernetes version to judge against (this kubebook carries the schema and rules of one
    /// minor release)
    #[arg(long, value_name = "VERSION")]
    pub kubernetes_version: Option<String>,
    /// CustomResourceDefinitions to judge custom resources with: a file or a directory
    /// (repeatable); CRDs in the input are used too
    #[arg(long, value_name = "FILE|DIR")]
    pub crds: Vec<PathBuf>,
    /// Skip custom resources whose CRD is unknown instead of failing on them
    #[arg(long)]
    pub ignore_missing_schemas: bool,
    /// Kinds not to judge, comma-separated: Kind or apiVersion/Kind
    #[arg(long, value_delimiter = ',', value_name = "KIND,...")]
    pub skip: Vec<String>,
    #[arg(long, short = 'o', value_enum, default_value_t = ValidateFormat::Text)]
    pub output: ValidateFormat,
    /// Also list the valid and skipped resources (text output)
    #[arg(long, short = 'v')]
    pub verbose: bool,
    /// No summary line (text output)
    #[arg(long)]
    pub no_summary: bool,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum ValidateFormat {
    Text,
    Json,
    Junit,
    Tap,
    Github,
}

#[derive(Subcommand, Debug)]
pub enum LabsCommand {
    /// List the labs: id, chapter, title, requirements
    #[command(
        after_help = "Example:\n  kubebook labs list --root .\n\nPROOF is the strongest recorded run: kind, control-plane, or validated (every build)."
    )]
    List {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// ROOT as a plain argument, as the first releases took it (kept so scripts work)
        #[arg(hide = true, conflicts_with = "root")]
        root_arg: Option<PathBuf>,
    },
    /// Show one lab's steps as a reader sees them
    #[command(after_help = "Example:\n  kubebook labs show ch06-first-pod --root .")]
    Show {
        id: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Write each lab's files and a runnable script into DIR
    #[command(
        after_help = "Example:\n  kubebook labs export /tmp/labs --root .\n  bash /tmp/labs/ch06-first-pod/run.sh    # in a namespace of its own, as run.sh says"
    )]
    Export {
        dir: PathBuf,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Run labs against a kind cluster, or the local control plane (--control-plane)
    #[command(
        after_help = "Examples:\n  kubebook labs run --control-plane                 # no Docker: the API steps of every lab\n  kubebook labs run ch06-first-pod ch07-rolling-update\n  kubebook labs run --chapter 8 --jobs 2 --report junit.xml --record\n  kubebook labs run --shard 2/3                      # the second of three CI shards\n\nExit status: 0 every lab passed (steps that need kind allowed on the control plane), 1 a lab failed,\n2 a usage or environment problem, 130 interrupted (cleaned up)."
    )]
    Run(RunArgs),
    /// After doing a lab by hand: run its read-only checks on your cluster and say what differs
    #[command(
        after_help = "Examples:\n  kubebook labs verify ch06-first-pod\n  kubebook labs verify ch07-rolling-update --step 5     right after step 5\n  kubebook labs verify ch06-first-pod --context kind-dev --namespace practice\n\nOnly commands that read are run (kubectl get, describe, logs, rollout status, auth can-i, …).\nExit status: 0 every check matches, 1 one differs, 2 a usage or environment problem."
    )]
    Verify {
        id: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// kubeconfig context (default kind-kubebook, else the current one); any cluster, as
        /// nothing is changed
        #[arg(long)]
        context: Option<String>,
        /// Namespace you ran the lab in (default: the lab's id, as its card sets up)
        #[arg(long)]
        namespace: Option<String>,
        /// Only the check of step N (numbered as on the card and in `labs show`)
        #[arg(long, value_name = "N")]
        step: Option<usize>,
        /// Seconds a check may retry until it matches
        #[arg(long, default_value_t = 10)]
        patience: u64,
    },
    /// What this machine has for running the labs (kind, Docker, kubectl, the cluster and its
    /// fixtures, the control plane), each gap with the command that fills it
    #[command(
        after_help = "Example:\n  kubebook labs doctor --root .\n\nExit status: 0 when labs can run on kind or on the control plane, 1 when on neither.\nIt only reads: nothing on the machine or the cluster is changed."
    )]
    Doctor {
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Build or start the local Kubernetes control plane labs run on without Docker
    #[command(name = "control-plane")]
    ControlPlane {
        #[command(subcommand)]
        command: ControlPlaneCommand,
    },
}

#[derive(Subcommand, Debug)]
pub enum ControlPlaneCommand {
    /// Build kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, etcd and kwok
    /// from the pinned upstream release into ~/.cache/kubebook (needs Go 1.26)
    #[command(
        after_help = "Example:\n  kubebook labs control-plane install\n\nA second run with the same pins does nothing. With envtest binaries already on the\nmachine, point KUBEBUILDER_ASSETS at them for etcd, kube-apiserver and kubectl."
    )]
    Install {
        /// Project directory holding labs/control-plane/
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Start the control plane and keep it running until Ctrl-C: try labs by hand on it
    #[command(
        after_help = "Example:\n  kubebook labs control-plane up --kubeconfig /tmp/cp.kubeconfig\n  KUBECONFIG=/tmp/cp.kubeconfig kubectl get nodes"
    )]
    Up {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Also write the admin kubeconfig here (it is removed again on exit)
        #[arg(long, value_name = "FILE")]
        kubeconfig: Option<PathBuf>,
        /// Context (and cluster and user) name in that kubeconfig
        #[arg(long, default_value = crate::project::KIND_CONTEXT)]
        context: String,
        /// Only etcd and kube-apiserver (enough for server-side dry runs)
        #[arg(long)]
        api_only: bool,
        /// Write the API server's audit log (its path is printed)
        #[arg(long)]
        audit: bool,
    },
}

/// Options of `kubebook labs run` (turned into `cluster::run::Options` by `cli::labs`).
#[derive(clap::Args, Debug)]
pub struct RunArgs {
    /// Labs to run (default: all)
    pub ids: Vec<String>,
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Only the labs of chapter N
    #[arg(long)]
    pub chapter: Option<u32>,
    /// Only shard K of N (1-based, e.g. 2/3): the chosen labs dealt out in book order, so N CI
    /// jobs together run each lab once
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    pub shard: Option<(usize, usize)>,
    /// Labs to run at once
    #[arg(long, default_value_t = 1)]
    pub jobs: usize,
    /// kubeconfig context (default kind-kubebook, else the current one)
    #[arg(long)]
    pub context: Option<String>,
    /// With --context: allow a context that is not a local kind cluster
    #[arg(long)]
    pub allow_non_kind: bool,
    /// Create the kind cluster, preload images, install fixtures and metrics-server, and
    /// start cloud-provider-kind, as the labs workflow does
    #[arg(long)]
    pub create_cluster: bool,
    /// Keep namespaces and working directories for inspection
    #[arg(long)]
    pub keep: bool,
    /// Write a JUnit report
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// Record results in labs/verified.json
    #[arg(long)]
    pub record: bool,
    /// Run on a local Kubernetes control plane (kube-apiserver, etcd, controllers, scheduler,
    /// kwok nodes) instead of kind: no Docker needed; steps that need a container runtime are
    /// reported needs-kind. Build it first: kubebook labs control-plane install
    #[arg(long, conflicts_with_all = ["context", "create_cluster", "allow_non_kind"])]
    pub control_plane: bool,
    /// Write a JSON report: every lab and every step with its status
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
}

fn parse_shard(s: &str) -> Result<(usize, usize), String> {
    let bad = || format!("`{s}` is not K/N with 1 <= K <= N (e.g. 1/3)");
    let (k, n) = s.split_once('/').ok_or_else(bad)?;
    let (k, n) = (
        k.trim().parse::<usize>().map_err(|_| bad())?,
        n.trim().parse::<usize>().map_err(|_| bad())?,
    );
    if k == 0 || n == 0 || k > n {
        return Err(bad());
    }
    Ok((k, n))
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Github,
    Junit,
}
