//! XML out: the escape for text and attributes, and the one JUnit writer that `check`,
//! `validate` and `labs run --report` share. Each command says what its test cases are
//! (a chapter, a resource, a lab or a step that needs kind); the counts, the escaping and the
//! element layout are written here, so the three reports read alike in a CI's test view.

use std::fmt::Write as _;
use std::time::Duration;

/// Text for XML attributes and elements: the HTML escape, minus the control characters XML
/// 1.0 does not allow at all.
pub(crate) fn escape(s: &str) -> String {
    let allowed: String = s
        .chars()
        .filter(|&c| (c as u32) >= 0x20 || matches!(c, '\n' | '\t' | '\r'))
        .collect();
    crate::highlight::escape_html(&allowed)
}

/// A `<testsuite>`: a group of test cases (a file, a run).
pub(crate) struct Suite {
    pub name: String,
    pub cases: Vec<Case>,
}

/// A `<testcase>`.
pub(crate) struct Case {
    pub name: String,
    pub classname: Option<String>,
    pub time: Option<Duration>,
    pub outcome: Outcome,
    /// Shown beside the result (warnings): `<system-out>`.
    pub output: Option<String>,
}

pub(crate) enum Outcome {
    Passed,
    /// One `<failure>` each; never empty for a failed case.
    Failed(Vec<Failure>),
    /// `<skipped>`, with its reason when there is one.
    Skipped(Option<String>),
}

pub(crate) struct Failure {
    /// The `type` attribute: a diagnostic code, when there is one.
    pub kind: Option<String>,
    pub message: String,
    /// The element's text: where and what to do.
    pub detail: String,
}

impl Case {
    pub(crate) fn new(name: impl Into<String>, outcome: Outcome) -> Case {
        Case {
            name: name.into(),
            classname: None,
            time: None,
            outcome,
            output: None,
        }
    }

    fn failed(&self) -> bool {
        matches!(self.outcome, Outcome::Failed(_))
    }

    fn skipped(&self) -> bool {
        matches!(self.outcome, Outcome::Skipped(_))
    }
}

/// Counts of a set of cases, as JUnit's attributes name them.
fn counts<'a>(cases: impl Iterator<Item = &'a Case> + Clone) -> String {
    format!(
        "tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\"",
        cases.clone().count(),
        cases.clone().filter(|c| c.failed()).count(),
        cases.filter(|c| c.skipped()).count()
    )
}

/// The report: `<testsuites name=NAME>` around each suite, totals on both levels.
pub(crate) fn render(name: &str, suites: &[Suite]) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"{}\" {}>",
        escape(name),
        counts(suites.iter().flat_map(|s| &s.cases))
    );
    for suite in suites {
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" {}>",
            escape(&suite.name),
            counts(suite.cases.iter())
        );
        for case in &suite.cases {
            write_case(&mut out, case);
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

fn write_case(out: &mut String, case: &Case) {
    let _ = write!(out, "    <testcase name=\"{}\"", escape(&case.name));
    if let Some(c) = &case.classname {
        let _ = write!(out, " classname=\"{}\"", escape(c));
    }
    if let Some(t) = case.time {
        let _ = write!(out, " time=\"{:.3}\"", t.as_secs_f64());
    }
    out.push('>');
    match &case.outcome {
        Outcome::Passed => {}
        Outcome::Failed(failures) => {
            for f in failures {
                out.push_str("<failure");
                if let Some(k) = &f.kind {
                    let _ = write!(out, " type=\"{}\"", escape(k));
                }
                let _ = write!(
                    out,
                    " message=\"{}\">{}</failure>",
                    escape(&f.message),
                    escape(&f.detail)
                );
            }
        }
        Outcome::Skipped(None) => out.push_str("<skipped/>"),
        Outcome::Skipped(Some(why)) => {
            let _ = write!(out, "<skipped message=\"{}\"/>", escape(why));
        }
    }
    if let Some(o) = &case.output {
        let _ = write!(out, "<system-out>{}</system-out>", escape(o));
    }
    out.push_str("</testcase>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(message: &str) -> Failure {
        Failure {
            kind: Some("E100".into()),
            message: message.into(),
            detail: "a.yaml:3:5 fix it".into(),
        }
    }

    #[test]
    fn totals_count_every_suite_and_each_suite_its_own() {
        let suites = [
            Suite {
                name: "a.yaml".into(),
                cases: vec![
                    Case::new("ok", Outcome::Passed),
                    Case::new("bad", Outcome::Failed(vec![failure("x")])),
                ],
            },
            Suite {
                name: "b.yaml".into(),
                cases: vec![Case::new("later", Outcome::Skipped(None))],
            },
        ];
        let x = render("kubebook validate", &suites);
        assert!(
            x.contains("<testsuites name=\"kubebook validate\" tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"1\">"),
            "{x}"
        );
        assert!(
            x.contains(
                "<testsuite name=\"a.yaml\" tests=\"2\" failures=\"1\" errors=\"0\" skipped=\"0\">"
            ),
            "{x}"
        );
        assert!(
            x.contains(
                "<testsuite name=\"b.yaml\" tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"1\">"
            ),
            "{x}"
        );
        assert!(
            x.contains("<testcase name=\"later\"><skipped/></testcase>"),
            "{x}"
        );
        assert!(x.ends_with("  </testsuite>\n</testsuites>\n"), "{x}");
    }

    #[test]
    fn text_is_escaped_and_characters_xml_forbids_are_dropped() {
        let mut case = Case::new(
            "line 3: kubectl get <pods> & \"more\"",
            Outcome::Failed(vec![failure("a\u{1}b < c")]),
        );
        case.classname = Some("kubebook.labs".into());
        case.time = Some(Duration::from_millis(1500));
        case.output = Some("warning\u{7}[LINT001]".into());
        let x = render(
            "r",
            &[Suite {
                name: "s".into(),
                cases: vec![case],
            }],
        );
        assert!(
            x.contains("<testcase name=\"line 3: kubectl get &lt;pods&gt; &amp; &quot;more&quot;\" classname=\"kubebook.labs\" time=\"1.500\">"),
            "{x}"
        );
        assert!(
            x.contains("<failure type=\"E100\" message=\"ab &lt; c\">a.yaml:3:5 fix it</failure>"),
            "{x}"
        );
        assert!(
            x.contains("<system-out>warning[LINT001]</system-out>"),
            "{x}"
        );
        assert!(!x.chars().any(|c| (c as u32) < 0x20 && c != '\n'), "{x}");
    }

    #[test]
    fn an_empty_report_is_still_a_document() {
        let x = render("kubebook check", &[]);
        assert_eq!(
            x,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"kubebook check\" tests=\"0\" failures=\"0\" errors=\"0\" skipped=\"0\">\n</testsuites>\n"
        );
    }
}
