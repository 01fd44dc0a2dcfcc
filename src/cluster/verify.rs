//! `kubebook labs verify ID`: after a learner has done a lab's steps by hand, run the lab's
//! read-only checks (`kubectl get`, `describe`, `logs`, `rollout status`, `auth can-i`, …, the
//! steps with an expected output) against their cluster, in the lab's namespace, and say which
//! match and how the others differ. Nothing that changes the cluster is run.

use super::RunError;
use super::exec::{self, Env, Outcome};
use super::target::Target;
use crate::lab::console::Step;
use crate::lab::{BlockKind, Lab, matcher};
use std::sync::atomic::AtomicBool;
use std::time::Duration;

/// What to verify and where.
pub(crate) struct Options {
    /// Namespace the learner ran the lab in (the card's setup: the lab's id).
    pub namespace: String,
    /// Only the check of this step (numbered as `labs show` and the card number them).
    pub step: Option<usize>,
    /// How long a check may keep retrying until it matches (pods starting, rollouts).
    pub patience: Duration,
}

/// One check and how it went.
pub(crate) struct Check {
    /// The step's number in the lab.
    pub number: usize,
    pub command: String,
    pub expected: Vec<String>,
    pub expected_exit: i32,
    pub outcome: Outcome,
}

/// The lab's checks: every shown, read-only, foreground step that states an output or an exit
/// status, with its number as the reader sees it.
pub(crate) fn checks_of(lab: &Lab) -> Vec<(usize, &Step)> {
    let mut n = 0;
    let mut out = Vec::new();
    for b in lab.blocks.iter().filter(|b| !b.hidden) {
        let BlockKind::Console { steps } = &b.kind else {
            continue;
        };
        for s in steps {
            n += 1;
            if !s.background
                && exec::read_only(&s.command)
                && (!s.expected.is_empty() || s.exit != 0)
            {
                out.push((n, s));
            }
        }
    }
    out
}

/// Run the checks on `target`, each in a working folder holding the lab's files, with a
/// kubeconfig whose context points at `opts.namespace`.
pub(crate) fn verify(
    lab: &Lab,
    target: &Target,
    opts: &Options,
    cancel: &AtomicBool,
) -> Result<Vec<Check>, RunError> {
    let chosen: Vec<(usize, &Step)> = checks_of(lab)
        .into_iter()
        .filter(|(n, _)| opts.step.is_none_or(|k| k == *n))
        .collect();
    if chosen.is_empty() {
        return Err(RunError::NotACheck {
            lab: lab.id.clone(),
            step: opts.step,
        });
    }
    let dir = tempfile::Builder::new()
        .prefix(&format!("kubebook-verify-{}-", lab.id))
        .tempdir()
        .map_err(super::io("create a working directory"))?;
    let files: Vec<(String, String)> = lab
        .files()
        .map(|(n, b)| (n.to_string(), b.content.clone()))
        .collect();
    exec::lab_dir_files(dir.path(), &files).map_err(super::io("write the lab's files"))?;
    let kc = super::run::lab_kubeconfig(dir.path(), target, &opts.namespace)
        .map_err(super::io("write a kubeconfig"))?;
    let mut vars = vec![
        ("KUBECONFIG".to_string(), kc),
        ("KUBEBOOK_LAB".to_string(), lab.id.clone()),
        ("KUBEBOOK_NAMESPACE".to_string(), opts.namespace.clone()),
    ];
    if let Some(p) = super::run::target_path(Some(target)) {
        vars.push(("PATH".into(), p));
    }
    let env = Env {
        dir: dir.path().to_path_buf(),
        vars,
    };
    let mut out = Vec::new();
    for (number, step) in chosen {
        let outcome = exec::run_step(step, opts.patience, true, &env, cancel);
        let cancelled = outcome.end == exec::End::Cancelled;
        out.push(Check {
            number,
            command: step.command.clone(),
            expected: step.expected.clone(),
            expected_exit: step.exit,
            outcome,
        });
        if cancelled {
            return Err(RunError::Interrupted);
        }
    }
    Ok(out)
}

/// The report a learner reads: one line per check, and for a check that differs the expected
/// and actual output side by side with the first differing line marked.
pub(crate) fn report(lab: &Lab, namespace: &str, context: &str, checks: &[Check]) -> String {
    let mut s = format!(
        "verifying {} in namespace {namespace} (context {context})\n",
        lab.id
    );
    for c in checks {
        if c.outcome.ok() {
            s.push_str(&format!(
                "  ok      step {:>2}  $ {}\n",
                c.number, c.command
            ));
            continue;
        }
        s.push_str(&format!(
            "  DIFFERS step {:>2}  $ {}\n",
            c.number, c.command
        ));
        if c.outcome.end == exec::End::TimedOut {
            s.push_str("          (it did not finish in time)\n");
        } else if c.outcome.exit != c.expected_exit {
            s.push_str(&format!(
                "          exit status {} (expected {})\n",
                c.outcome.exit, c.expected_exit
            ));
        }
        let actual = matcher::normalize(&c.outcome.output, &c.expected);
        let got: Vec<&str> = actual.lines().collect();
        let first_bad = c
            .expected
            .iter()
            .zip(got.iter())
            .position(|(e, g)| !matcher::line_matches(e, g))
            .unwrap_or(c.expected.len().min(got.len()));
        s.push_str("          expected:\n");
        for (i, e) in c.expected.iter().enumerate() {
            let mark = if i == first_bad { ">" } else { " " };
            s.push_str(&format!("          {mark} {e}\n"));
        }
        s.push_str("          got:\n");
        for (i, g) in got.iter().take(40).enumerate() {
            let mark = if i == first_bad { ">" } else { " " };
            s.push_str(&format!("          {mark} {g}\n"));
        }
        if got.len() > 40 {
            s.push_str(&format!("            … {} more lines\n", got.len() - 40));
        }
    }
    let ok = checks.iter().filter(|c| c.outcome.ok()).count();
    s.push_str(&format!(
        "{ok} of {} checks match{}\n",
        checks.len(),
        if ok == checks.len() {
            String::new()
        } else {
            format!(
                "; a check shows the state at its step, so one that a later step changes differs now: run `kubebook labs verify {} --step N` right after step N",
                lab.id
            )
        }
    ));
    s
}
