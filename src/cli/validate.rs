//! `kubebook validate`: reads the arguments, runs [`crate::validate::files`], prints the
//! report in the chosen format and chooses the exit status (0 valid, 1 invalid or not
//! judged, 2 usage). The report is the command's output, so all of it goes to stdout, as
//! kubeconform's does.

use super::{ValidateArgs, ValidateFormat};
use crate::config::SCHEMA_KUBERNETES_VERSION;
use crate::diag::{self, Diagnostic, Report};
use crate::validate::crd;
use crate::validate::files::{self, Outcome, Resource, Verdict};
use std::fmt::Write as _;
use std::io::IsTerminal;

pub(super) fn run(args: ValidateArgs) -> u8 {
    if let Some(v) = &args.kubernetes_version
        && !same_minor(v, SCHEMA_KUBERNETES_VERSION)
    {
        eprintln!(
            "error: --kubernetes-version {}: this kubebook judges manifests as Kubernetes {SCHEMA_KUBERNETES_VERSION} does\n  = hint: drop the option, pass {SCHEMA_KUBERNETES_VERSION}, or use a kubebook built for {}",
            diag::terminal_safe(v),
            diag::terminal_safe(v)
        );
        return 2;
    }
    let inputs = match files::inputs(&args.paths) {
        Ok(i) => i,
        Err(files::InputsError(e)) => {
            eprintln!(
                "error: {}\n  = hint: name manifest files, directories of them, or `-` for standard input",
                diag::terminal_safe(&e)
            );
            return 2;
        }
    };
    let mut crds = crd::Registry::default();
    let mut crd_report = Report::default();
    files::load_crds(&args.crds, &mut crds, &mut crd_report);
    if crd_report.has_errors() {
        for d in &crd_report.diagnostics {
            eprintln!(
                "{}",
                diag::render_human(d, &diag::Sources::default(), color_err())
            );
        }
        eprintln!("error: the CRDs given with --crds cannot all be used");
        return 2;
    }
    let texts = files::read_all(&inputs);
    files::learn_crds(&texts, &mut crds);
    let opts = files::Options {
        ignore_missing_schemas: args.ignore_missing_schemas,
        skip: args.skip.iter().map(|s| s.trim().to_string()).collect(),
    };
    let outcome = files::validate(&inputs, texts, &crds, &opts);
    let text = match args.output {
        ValidateFormat::Text => text(&outcome, args.verbose, !args.no_summary, color_out()),
        ValidateFormat::Json => json(&outcome),
        ValidateFormat::Junit => junit(&outcome),
        ValidateFormat::Tap => tap(&outcome),
        ValidateFormat::Github => github(&outcome),
    };
    super::out(&text);
    if outcome.failed() { 1 } else { 0 }
}

/// `1.37`, `1.37.2`, `v1.37.0` all name the minor release `1.37`.
fn same_minor(asked: &str, ours: &str) -> bool {
    let asked = asked.trim().trim_start_matches('v');
    let mut parts = asked.split('.');
    let minor = match (parts.next(), parts.next()) {
        (Some(a), Some(b)) => format!("{a}.{b}"),
        _ => return false,
    };
    minor == ours && parts.all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

fn color_out() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

fn color_err() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// `Deployment web` (or `document 3` when it has no kind).
fn what(r: &Resource) -> String {
    match (r.kind.as_str(), r.name.as_str()) {
        ("", _) if r.document == 0 => "the file".to_string(),
        ("", _) => format!("document {}", r.document),
        (k, "") => format!("{k} (document {})", r.document),
        (k, n) => format!("{k} {n}"),
    }
}

fn summary(o: &Outcome) -> String {
    format!(
        "Summary: {} resources found in {} files - Valid: {}, Invalid: {}, Errors: {}, Skipped: {}",
        o.resources.len(),
        o.files,
        o.count(Verdict::Valid),
        o.count(Verdict::Invalid),
        o.count(Verdict::Error),
        o.count(Verdict::Skipped)
    )
}

fn text(o: &Outcome, verbose: bool, with_summary: bool, color: bool) -> String {
    let mut out = String::new();
    for r in &o.resources {
        for d in &r.diagnostics {
            out.push_str(&diag::render_human(d, &o.sources, color));
            out.push('\n');
        }
        if verbose && matches!(r.verdict, Verdict::Valid | Verdict::Skipped) {
            let _ = writeln!(
                out,
                "{}:{} - {} is {}",
                diag::terminal_safe(&r.file.display().to_string()),
                r.line,
                diag::terminal_safe(&what(r)),
                if r.verdict == Verdict::Valid {
                    "valid"
                } else {
                    "skipped"
                }
            );
        }
    }
    if with_summary {
        out.push_str(&summary(o));
        out.push('\n');
    }
    out
}

fn json(o: &Outcome) -> String {
    #[derive(serde::Serialize)]
    struct Summary {
        files: usize,
        resources: usize,
        valid: usize,
        invalid: usize,
        errors: usize,
        skipped: usize,
    }
    #[derive(serde::Serialize)]
    struct Out<'a> {
        resources: &'a [Resource],
        summary: Summary,
    }
    let out = Out {
        resources: &o.resources,
        summary: Summary {
            files: o.files,
            resources: o.resources.len(),
            valid: o.count(Verdict::Valid),
            invalid: o.count(Verdict::Invalid),
            errors: o.count(Verdict::Error),
            skipped: o.count(Verdict::Skipped),
        },
    };
    let mut s =
        serde_json::to_string_pretty(&out).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    s.push('\n');
    s
}

/// JUnit XML: a test suite per file, a test case per resource; invalid resources and errors
/// are failures, skipped resources `<skipped/>`.
fn junit(o: &Outcome) -> String {
    use crate::xml::{self, Suite};
    let mut suites: Vec<Suite> = Vec::new();
    for r in &o.resources {
        let name = r.file.display().to_string();
        let ds: Vec<&Diagnostic> = r.diagnostics.iter().collect();
        let mut case = diag::junit_case(what(r), &ds);
        case.classname = Some(format!("{name}:{}", r.line));
        match r.verdict {
            Verdict::Skipped => case.outcome = xml::Outcome::Skipped(None),
            // Judged valid: a warning does not fail it.
            Verdict::Valid => case.outcome = xml::Outcome::Passed,
            Verdict::Invalid | Verdict::Error => {
                if let xml::Outcome::Passed = case.outcome {
                    case.outcome = xml::Outcome::Failed(vec![xml::Failure {
                        kind: None,
                        message: "not valid".into(),
                        detail: format!("{name}:{}", r.line),
                    }]);
                }
            }
        }
        match suites.last_mut() {
            Some(s) if s.name == name => s.cases.push(case),
            _ => suites.push(Suite {
                name,
                cases: vec![case],
            }),
        }
    }
    xml::render("kubebook validate", &suites)
}

/// TAP version 13: one test point per resource, the diagnostics as a YAML block.
fn tap(o: &Outcome) -> String {
    let mut out = format!("TAP version 13\n1..{}\n", o.resources.len());
    for (n, r) in o.resources.iter().enumerate() {
        let name = tap_text(&format!("{}:{} - {}", r.file.display(), r.line, what(r)));
        match r.verdict {
            Verdict::Valid => {
                let _ = writeln!(out, "ok {} - {name}", n + 1);
            }
            Verdict::Skipped => {
                let _ = writeln!(out, "ok {} - {name} # SKIP", n + 1);
            }
            Verdict::Invalid | Verdict::Error => {
                let _ = writeln!(out, "not ok {} - {name}", n + 1);
                out.push_str("  ---\n  diagnostics:\n");
                for d in &r.diagnostics {
                    let _ = writeln!(
                        out,
                        "    - code: {}\n      at: {}\n      message: {}",
                        d.code,
                        serde_json::Value::String(d.location()),
                        serde_json::Value::String(d.message.clone())
                    );
                    if let Some(h) = &d.hint {
                        let _ =
                            writeln!(out, "      hint: {}", serde_json::Value::String(h.clone()));
                    }
                }
                out.push_str("  ...\n");
            }
        }
    }
    out
}

/// A test point's description stays on one line and cannot start a directive.
fn tap_text(s: &str) -> String {
    diag::terminal_safe(s)
        .replace(['\n', '\r'], " ")
        .replace('#', "\\#")
}

fn github(o: &Outcome) -> String {
    let mut report = Report::default();
    let all: Vec<Diagnostic> = o
        .resources
        .iter()
        .flat_map(|r| r.diagnostics.iter().cloned())
        .collect();
    report.extend(all);
    let mut out = diag::render_github(&report);
    out.push_str(&summary(o));
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::same_minor;

    #[test]
    fn versions_of_the_same_minor() {
        for v in ["1.37", "1.37.0", "v1.37.2", " 1.37 "] {
            assert!(same_minor(v, "1.37"), "{v}");
        }
        for v in [
            "1.36", "1.3", "1.370", "1", "", "v1.37.x", "1.37.", "latest",
        ] {
            assert!(!same_minor(v, "1.37"), "{v}");
        }
    }
}
