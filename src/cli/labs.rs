//! `kubebook labs list | show | export | run | verify | doctor` and `labs control-plane`: arguments to the runner and the lab views, results to exit statuses.

use super::LabsCommand;
use crate::lab::Lab;
use crate::verified::{Level, Records};
use std::path::Path;

pub(super) fn run(cmd: LabsCommand) -> u8 {
    match cmd {
        LabsCommand::List { root, root_arg } => {
            with_book(&root_arg.unwrap_or(root), |labs, records| {
                list(labs, records);
                0
            })
        }
        LabsCommand::Show { id, root } => {
            with_labs(&root, |labs| match labs.iter().find(|l| l.id == id) {
                Some(l) => {
                    super::out(&crate::diag::terminal_safe(&crate::lab::export::show(l)));
                    0
                }
                None => no_such_lab(labs, &id),
            })
        }
        LabsCommand::Export { dir, root } => with_labs(&root, |labs| export(labs, &dir, &root)),
        #[cfg(feature = "cluster")]
        LabsCommand::Run(opts) => run_labs(&opts),
        #[cfg(feature = "cluster")]
        LabsCommand::ControlPlane { command } => super::control_plane::run(command),
        #[cfg(feature = "cluster")]
        LabsCommand::Doctor { root } => doctor(&root),
        #[cfg(feature = "cluster")]
        LabsCommand::Verify {
            id,
            root,
            context,
            namespace,
            step,
            patience,
        } => with_labs(&root, |labs| {
            let Some(lab) = labs.iter().find(|l| l.id == id) else {
                return no_such_lab(labs, &id);
            };
            verify(lab, context.as_deref(), namespace, step, patience)
        }),
        #[cfg(not(feature = "cluster"))]
        LabsCommand::Run(_)
        | LabsCommand::ControlPlane { .. }
        | LabsCommand::Doctor { .. }
        | LabsCommand::Verify { .. } => {
            eprintln!(
                "error: this kubebook was built without the `cluster` feature; rebuild with default features to run labs"
            );
            2
        }
    }
}

/// `labs export DIR`: the labs' files, to a destination `fsx::check_dest` accepts.
fn export(labs: &[Lab], dir: &Path, root: &Path) -> u8 {
    if let Err(e) = crate::fsx::check_dest(dir, root) {
        eprintln!("error: cannot export to {}: {e}", dir.display());
        return 2;
    }
    match crate::lab::export::export(labs, dir) {
        Ok(n) => {
            eprintln!("exported {n} labs to {}", dir.display());
            0
        }
        Err(e) => {
            eprintln!("error: cannot export to {}: {e}", dir.display());
            2
        }
    }
}

/// `labs run`: 0 every lab passed, 1 one failed, 2 it could not run, 130 interrupted.
#[cfg(feature = "cluster")]
fn run_labs(opts: &super::RunArgs) -> u8 {
    use crate::cluster::RunError;
    let abs = opts.root.canonicalize().unwrap_or(opts.root.clone());
    with_labs(&opts.root, |labs| {
        match crate::cluster::run::run(
            &abs,
            labs,
            &crate::cluster::cluster_objects(labs),
            &run_options(opts),
        ) {
            Ok(s) if s.failed > 0 => 1,
            Ok(_) => 0,
            Err(RunError::Interrupted) => 130,
            // Usage, environment, a refused context, a cluster or control plane that
            // cannot be reached or started.
            Err(e) => {
                eprintln!("error: {e}");
                2
            }
        }
    })
}

/// The runner's options from `labs run`'s arguments.
#[cfg(feature = "cluster")]
fn run_options(a: &super::RunArgs) -> crate::cluster::run::Options {
    crate::cluster::run::Options {
        ids: a.ids.clone(),
        root: a.root.clone(),
        chapter: a.chapter,
        shard: a.shard,
        jobs: a.jobs,
        context: a.context.clone(),
        allow_non_kind: a.allow_non_kind,
        create_cluster: a.create_cluster,
        keep: a.keep,
        report: a.report.clone(),
        record: a.record,
        control_plane: a.control_plane,
        json: a.json.clone(),
    }
}

/// An unknown lab id: say so with the closest id, exit 2.
fn no_such_lab(labs: &[Lab], id: &str) -> u8 {
    let ids: Vec<&str> = labs.iter().map(|l| l.id.as_str()).collect();
    let hint = crate::suggest::closest(id, ids.iter().copied())
        .map(|s| format!("did you mean `{s}`?"))
        .unwrap_or_else(|| "`kubebook labs list` shows every lab".into());
    let id = crate::diag::terminal_safe(id);
    eprintln!("error: no lab `{id}`\n  = hint: {hint}");
    2
}

#[cfg(feature = "cluster")]
fn verify(
    lab: &Lab,
    context: Option<&str>,
    namespace: Option<String>,
    step: Option<usize>,
    patience: u64,
) -> u8 {
    use crate::cluster::{RunError, target, verify};
    let target = match target::for_reading(context) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let opts = verify::Options {
        namespace: namespace.unwrap_or_else(|| lab.id.clone()),
        step,
        patience: std::time::Duration::from_secs(patience.max(1)),
    };
    // Ctrl-C stops the check in progress; the working folder is removed on the way out.
    let cancel = crate::cluster::run::install_signal_handler();
    match verify::verify(lab, &target, &opts, &cancel) {
        Ok(checks) => {
            super::out(&crate::diag::terminal_safe(&verify::report(
                lab,
                &opts.namespace,
                &target.context,
                &checks,
            )));
            if checks.iter().all(|c| c.outcome.ok()) {
                0
            } else {
                1
            }
        }
        Err(RunError::Interrupted) => 130,
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}

fn with_labs(root: &Path, f: impl FnOnce(&[Lab]) -> u8) -> u8 {
    with_book(root, |labs, _| f(labs))
}

/// The labs and their recorded runs, once the book checks clean.
fn with_book(root: &Path, f: impl FnOnce(&[Lab], &Records) -> u8) -> u8 {
    let out = match super::load(root) {
        Ok(o) => o,
        Err(code) => return code,
    };
    if out.report.has_errors() {
        super::print_report(&out.report, &out.book.sources);
        eprintln!("the book has errors; fix them first (kubebook check)");
        return 1;
    }
    f(&out.labs, &out.records)
}

/// The strongest proof a lab has: a passed run on kind, on the control plane, or only the
/// validation every build does.
/// A record of an earlier version of the lab does not count.
fn proof(records: &Records, lab: &Lab) -> String {
    let Some(all) = records.get(&lab.id) else {
        return "validated".into();
    };
    match all.current(&lab.digest()).best() {
        Some((Level::Kind, r)) => format!("kind {} {}", r.kubernetes, r.date),
        Some((Level::ControlPlane, r)) => format!("control-plane {} {}", r.kubernetes, r.date),
        None if all.best().is_some() => "validated (edited since run)".into(),
        None => "validated".into(),
    }
}

fn list(labs: &[Lab], records: &Records) {
    let w = labs.iter().map(|l| l.id.len()).max().unwrap_or(2).max(2);
    let mut t = format!(
        "{:<w$}  {:>2}  {:<22}  {:<7}  {:<32}  TITLE\n",
        "ID", "CH", "REQUIRES", "CI", "PROOF"
    );
    for l in labs {
        let req = if l.requires.is_empty() {
            "cluster".to_string()
        } else {
            l.requires.join(",")
        };
        let ci = if l.skip_ci.is_some() {
            "skip"
        } else if l.host_only() {
            "host"
        } else {
            "run"
        };
        t.push_str(&format!(
            "{:<w$}  {:>2}  {:<22}  {:<7}  {:<32}  {}\n",
            l.id,
            l.chapter_number,
            req,
            ci,
            proof(records, l),
            l.title
        ));
    }
    super::out(&t);
}

/// `labs doctor`: the findings as a table, then one line per target.
#[cfg(feature = "cluster")]
fn doctor(root: &Path) -> u8 {
    use crate::cluster::doctor::{self, Need, Status};
    let toml = crate::project::Project::new(root).book_toml();
    let minor = crate::fsx::read_input(root, &toml)
        .ok()
        .and_then(|t| crate::config::Config::parse(&t, &toml).ok())
        .map(|c| c.book.kubernetes)
        .unwrap_or_else(|| "1.37".into());
    let d = doctor::examine(&minor);
    let mut t = format!("Kubernetes {minor} (book/book.toml)\n");
    for (need, title) in [
        (Need::Kind, "on kind"),
        (
            Need::ControlPlane,
            "on the local control plane (--control-plane)",
        ),
    ] {
        t.push_str(&format!("\n{title}\n"));
        for c in d.checks.iter().filter(|c| c.target == need) {
            let mark = match c.status {
                Status::Pass => "ok     ",
                Status::Warn => "warn   ",
                Status::Missing => "MISSING",
            };
            t.push_str(&format!("  {mark} {:<44} {}\n", c.name, c.detail));
            if let Some(h) = &c.hint {
                t.push_str(&format!("          → {h}\n"));
            }
        }
    }
    let yes = |b: bool| if b { "ready" } else { "not ready" };
    t.push_str(&format!(
        "\nlabs on kind: {}; labs on the control plane: {}\n",
        yes(d.kind_ready),
        yes(d.control_plane_ready)
    ));
    super::out(&t);
    if d.kind_ready || d.control_plane_ready {
        0
    } else {
        1
    }
}
