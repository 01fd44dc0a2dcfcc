//! `kubebook labs list | show ID | export DIR` (and `run`, not implemented yet).

use crate::cli::LabsCommand;
use crate::lab::{BlockKind, Lab};
use crate::verified::{Level, Records};
use std::path::Path;

pub fn run(cmd: LabsCommand) -> u8 {
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
                    crate::cli::out(&crate::diag::terminal_safe(&show(l)));
                    0
                }
                None => no_such_lab(labs, &id),
            })
        }
        LabsCommand::Export { dir, root } => with_labs(&root, |labs| {
            if let Err(e) = crate::fsx::check_dest(&dir, &root) {
                eprintln!("error: cannot export to {}: {e}", dir.display());
                return 2;
            }
            match export(labs, &dir) {
                Ok(n) => {
                    eprintln!("exported {n} labs to {}", dir.display());
                    0
                }
                Err(e) => {
                    eprintln!("error: cannot export to {}: {e}", dir.display());
                    2
                }
            }
        }),
        #[cfg(feature = "cluster")]
        LabsCommand::Run(opts) => {
            let abs = opts.root.canonicalize().unwrap_or(opts.root.clone());
            with_labs(&opts.root, |labs| {
                use crate::cluster::RunError;
                match crate::cluster::run::run(
                    &abs,
                    labs,
                    &crate::cluster::cluster_objects(labs),
                    &opts,
                ) {
                    Ok(s) if s.failed > 0 => 1,
                    Ok(_) => 0,
                    Err(RunError::Interrupted(_)) => 130,
                    Err(
                        e @ (RunError::Usage(_) | RunError::Environment(_) | RunError::Refused(_)),
                    ) => {
                        eprintln!("error: {e}");
                        2
                    }
                }
            })
        }
        #[cfg(feature = "cluster")]
        LabsCommand::ControlPlane { command } => crate::controlplane_cli::run(command),
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

/// An unknown lab id: say so with the closest id, exit 2.
fn no_such_lab(labs: &[Lab], id: &str) -> u8 {
    let ids: Vec<&str> = labs.iter().map(|l| l.id.as_str()).collect();
    let hint = crate::validate::suggest::closest(id, ids.iter().copied())
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
            crate::cli::out(&crate::diag::terminal_safe(&verify::report(
                lab,
                &opts.namespace,
                &target.context,
                &checks,
            )));
            if checks.iter().all(|c| c.outcome.ok) {
                0
            } else {
                1
            }
        }
        Err(RunError::Interrupted(_)) => 130,
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
    let out = match crate::cli::load(root) {
        Ok(o) => o,
        Err(code) => return code,
    };
    if out.report.has_errors() {
        crate::cli::print_report(&out.report, &out.book.sources);
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
    crate::cli::out(&t);
}

/// The steps of a lab as a reader sees them.
pub fn show(l: &Lab) -> String {
    let mut s = format!(
        "{} — {}\nchapter {} ({}:{})\n",
        l.id,
        l.title,
        l.chapter_number,
        l.file.display(),
        l.line
    );
    if !l.requires.is_empty() {
        s.push_str(&format!("needs: {}\n", l.requires.join(", ")));
    }
    if let Some(why) = &l.skip_ci {
        s.push_str(&format!("not run in CI: {why}\n"));
    }
    s.push('\n');
    let mut n = 0;
    for b in l.blocks.iter().filter(|b| !b.hidden) {
        match &b.kind {
            BlockKind::File { name } => {
                s.push_str(&format!("--- file {name} ---\n{}", b.content));
                if !b.content.ends_with('\n') {
                    s.push('\n');
                }
                s.push('\n');
            }
            BlockKind::Console { steps } => {
                for st in steps {
                    n += 1;
                    let bg = if st.background { " &" } else { "" };
                    s.push_str(&format!("{n}. $ {}{bg}\n", st.command));
                    for e in &st.expected {
                        s.push_str(&format!("     {e}\n"));
                    }
                    if st.exit != 0 {
                        s.push_str(&format!("     (exit status {})\n", st.exit));
                    }
                }
                s.push('\n');
            }
            BlockKind::Snippet => {}
        }
    }
    s
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// A script that runs the lab's commands in order in its own directory, stopping at the first
/// unexpected exit status and killing background commands at the end.
pub fn script(l: &Lab) -> String {
    let mut s = format!(
        "#!/usr/bin/env bash\n# {} — {}\n# Exported by kubebook. Run it in a namespace of its own:\n#   kubectl create namespace {id} && kubectl config set-context --current --namespace {id}\n# No pipefail: each step runs as in an interactive shell, where a pipeline's status is its\n# last command's (what the book's expected exit status and the runner assume).\nset -u\ncd \"$(dirname \"$0\")\"\nexport KUBEBOOK_ROOT=\"${{KUBEBOOK_ROOT:-$PWD}}\"\nexport KUBEBOOK_NAMESPACE=\"${{KUBEBOOK_NAMESPACE:-$(kubectl config view --minify -o jsonpath='{{..namespace}}' 2>/dev/null)}}\"\npids=()\ntrap 'for p in \"${{pids[@]}}\"; do kill \"$p\" 2>/dev/null; done' EXIT\n",
        l.id,
        l.title,
        id = l.id
    );
    for (b, st) in l.steps() {
        let _ = b;
        s.push_str(&format!(
            "\necho {}\n",
            shell_quote(&format!("$ {}", st.command.replace('\n', " ")))
        ));
        if st.background {
            s.push_str(&format!("( {} ) &\npids+=($!)\nsleep 2\n", st.command));
        } else {
            s.push_str(&format!(
                "( {} )\nstatus=$?\nif [ \"$status\" -ne {} ]; then echo \"step failed: exit status $status, expected {}\" >&2; exit 1; fi\n",
                st.command, st.exit, st.exit
            ));
        }
    }
    s
}

fn export(labs: &[Lab], dir: &Path) -> std::io::Result<usize> {
    if dir.exists() && !dir.is_dir() {
        return Err(std::io::Error::other("it is a file"));
    }
    std::fs::create_dir_all(dir)?;
    for l in labs {
        for (name, b) in l.files() {
            // Names were checked by `lab::safe_file_name` (no `..`, relative).
            write_new(
                dir,
                &format!("{}/{name}", l.id),
                b.content.as_bytes(),
                false,
            )?;
        }
        write_new(dir, &format!("{}/run.sh", l.id), script(l).as_bytes(), true)?;
        write_new(
            dir,
            &format!("{}/README.txt", l.id),
            show(l).as_bytes(),
            false,
        )?;
    }
    Ok(labs.len())
}

/// Write `dir/rel` without ever writing through a symbolic link (L08): folders below `dir`
/// that are links are refused, and the file is written beside its place and renamed over
/// it, which replaces a link instead of following it.
fn write_new(dir: &Path, rel: &str, bytes: &[u8], executable: bool) -> std::io::Result<()> {
    let path = dir.join(rel);
    let mut folder = dir.to_path_buf();
    let segments: Vec<&str> = rel.split('/').collect();
    for seg in &segments[..segments.len() - 1] {
        folder.push(seg);
        if std::fs::symlink_metadata(&folder).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(std::io::Error::other(format!(
                "{} is a symbolic link; kubebook does not write through links",
                folder.display()
            )));
        }
        if !folder.exists() {
            std::fs::create_dir(&folder)?;
        }
    }
    let tmp = folder.join(format!(
        ".{}.kubebook-tmp-{}",
        segments[segments.len() - 1],
        std::process::id()
    ));
    std::fs::write(&tmp, bytes)?;
    #[cfg(unix)]
    if executable {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o755))?;
    }
    #[cfg(not(unix))]
    let _ = executable;
    std::fs::rename(&tmp, &path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// `labs doctor`: the findings as a table, then one line per target.
#[cfg(feature = "cluster")]
fn doctor(root: &Path) -> u8 {
    use crate::cluster::doctor::{self, Need, Status};
    let toml = root.join("book/book.toml");
    let minor = std::fs::read_to_string(&toml)
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
    crate::cli::out(&t);
    if d.kind_ready || d.control_plane_ready {
        0
    } else {
        1
    }
}
