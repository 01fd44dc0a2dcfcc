//! What a run of the labs produced, in the forms people read: JUnit for CI, JSON for tools,
//! `labs/verified.json` for the site.

use crate::verified::{self, Level, Record};
use serde_json::json;
use std::path::Path;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Verdict {
    Passed,
    Failed(String),
    Skipped(String),
    /// Stopped by Ctrl-C or SIGTERM: neither passed nor failed, never recorded.
    Interrupted,
}

/// One step's fate.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum StepStatus {
    Passed,
    /// Not run: it needs a container runtime and the run is on the control plane.
    NeedsKind(String),
    Failed,
}

#[derive(Debug, Clone)]
pub(crate) struct StepResult {
    /// Markdown line of the step's command.
    pub line: usize,
    pub command: String,
    pub status: StepStatus,
}

pub(crate) struct LabResult {
    pub id: String,
    pub verdict: Verdict,
    pub duration: Duration,
    pub steps: Vec<StepResult>,
    /// A lab whose steps all run on the reader's machine, never against the cluster.
    pub host_only: bool,
    /// `Lab::digest` of the lab that ran.
    pub digest: String,
}

impl LabResult {
    pub(crate) fn needs_kind(&self) -> usize {
        self.steps
            .iter()
            .filter(|s| matches!(s.status, StepStatus::NeedsKind(_)))
            .count()
    }
    pub(crate) fn passed_steps(&self) -> usize {
        self.steps
            .iter()
            .filter(|s| s.status == StepStatus::Passed)
            .count()
    }
}

/// Counts over a run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Summary {
    pub passed: usize,
    pub failed: usize,
    pub skipped: usize,
    pub interrupted: usize,
    pub needs_kind_steps: usize,
}

pub(crate) fn summary(results: &[LabResult]) -> Summary {
    let mut s = Summary::default();
    for r in results {
        match r.verdict {
            Verdict::Passed => s.passed += 1,
            Verdict::Failed(_) => s.failed += 1,
            Verdict::Skipped(_) => s.skipped += 1,
            Verdict::Interrupted => s.interrupted += 1,
        }
        s.needs_kind_steps += r.needs_kind();
    }
    s
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or("")
}

/// JUnit: a test case per lab, and a skipped test case per step that needs kind (so CI
/// shows exactly what the control plane could not prove).
pub(crate) fn junit(results: &[LabResult]) -> String {
    use crate::xml::{Case, Failure, Outcome, Suite};
    let mut cases = Vec::new();
    for r in results {
        let outcome = match &r.verdict {
            Verdict::Passed => Outcome::Passed,
            Verdict::Failed(why) => Outcome::Failed(vec![Failure {
                kind: None,
                message: "lab failed".into(),
                detail: why.clone(),
            }]),
            Verdict::Skipped(why) => Outcome::Skipped(Some(why.clone())),
            Verdict::Interrupted => Outcome::Skipped(Some("interrupted".into())),
        };
        let mut case = Case::new(r.id.clone(), outcome);
        case.classname = Some("kubebook.labs".into());
        case.time = Some(r.duration);
        cases.push(case);
        for st in &r.steps {
            if let StepStatus::NeedsKind(why) = &st.status {
                let mut step = Case::new(
                    format!("line {}: {}", st.line, first_line(&st.command)),
                    Outcome::Skipped(Some(format!("needs-kind: {why}"))),
                );
                step.classname = Some(format!("kubebook.labs.{}", r.id));
                step.time = Some(Duration::ZERO);
                cases.push(step);
            }
        }
    }
    let suite = Suite {
        name: "kubebook labs".into(),
        cases,
    };
    crate::xml::render("kubebook labs", &[suite])
}

/// JSON: every lab with its verdict and every step with its status.
pub(crate) fn json(results: &[LabResult], level: Level, kubernetes: &str) -> String {
    let labs: Vec<serde_json::Value> = results
        .iter()
        .map(|r| {
            let (verdict, reason) = match &r.verdict {
                Verdict::Passed => ("passed", None),
                Verdict::Failed(w) => ("failed", Some(w.as_str())),
                Verdict::Skipped(w) => ("skipped", Some(w.as_str())),
                Verdict::Interrupted => ("interrupted", None),
            };
            let steps: Vec<serde_json::Value> = r
                .steps
                .iter()
                .map(|s| {
                    let (status, why) = match &s.status {
                        StepStatus::Passed => ("passed", None),
                        StepStatus::NeedsKind(w) => ("needs-kind", Some(w.as_str())),
                        StepStatus::Failed => ("failed", None),
                    };
                    json!({ "line": s.line, "command": s.command, "status": status, "reason": why })
                })
                .collect();
            json!({
                "id": r.id,
                "verdict": verdict,
                "reason": reason,
                "duration_seconds": (r.duration.as_secs_f64() * 10.0).round() / 10.0,
                "steps": steps,
            })
        })
        .collect();
    let s = summary(results);
    let doc = json!({
        "level": match level { Level::Kind => "kind", Level::ControlPlane => "control-plane" },
        "kubernetes": kubernetes,
        "summary": {
            "passed": s.passed, "failed": s.failed, "skipped": s.skipped,
            "interrupted": s.interrupted, "needs_kind_steps": s.needs_kind_steps,
        },
        "labs": labs,
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into());
    text.push('\n');
    text
}

/// Merge this run's passed and failed labs into `labs/verified.json` at their level.
/// Skipped and interrupted labs keep their earlier record.
pub(crate) fn record(
    path: &Path,
    results: &[LabResult],
    level: Level,
    kubernetes: &str,
    kind_version: Option<String>,
    date: &str,
) -> std::io::Result<()> {
    // Records of earlier runs are kept; a file that is there but does not parse is not
    // replaced, or every record in it would be lost.
    let mut records = match std::fs::read_to_string(path) {
        Ok(t) => verified::parse(&t).map_err(|e| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("it is not valid ({e}); fix or delete it, then record again"),
            )
        })?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Default::default(),
        Err(e) => return Err(e),
    };
    for r in results {
        let result = match r.verdict {
            Verdict::Passed => verified::RunResult::Passed,
            Verdict::Failed(_) => verified::RunResult::Failed,
            Verdict::Skipped(_) | Verdict::Interrupted => continue,
        };
        records.entry(r.id.clone()).or_default().set(
            level,
            Record {
                result,
                kubernetes: kubernetes.to_string(),
                kind: kind_version.clone(),
                date: date.to_string(),
                duration_seconds: (r.duration.as_secs_f64() * 10.0).round() / 10.0,
                needs_kind_steps: r.needs_kind() as u32,
                digest: Some(r.digest.clone()),
            },
        );
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    // Write whole or not at all: a reader of the file never sees half of it.
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, verified::to_string(&records))?;
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lab(id: &str, verdict: Verdict, steps: Vec<StepStatus>) -> LabResult {
        LabResult {
            id: id.into(),
            verdict,
            duration: Duration::from_millis(1500),
            host_only: false,
            digest: "00ff00ff00ff00ff".into(),
            steps: steps
                .into_iter()
                .enumerate()
                .map(|(i, status)| StepResult {
                    line: 10 + i,
                    command: format!("kubectl step {i} <x>"),
                    status,
                })
                .collect(),
        }
    }

    #[test]
    fn junit_counts_needs_kind_steps_as_skipped_test_cases() {
        let results = vec![
            lab(
                "a",
                Verdict::Passed,
                vec![
                    StepStatus::Passed,
                    StepStatus::NeedsKind("kubectl exec needs a running container".into()),
                ],
            ),
            lab("b", Verdict::Interrupted, vec![]),
        ];
        let x = junit(&results);
        assert!(
            x.contains("tests=\"3\" failures=\"0\" errors=\"0\" skipped=\"2\""),
            "{x}"
        );
        assert!(
            x.contains("name=\"line 11: kubectl step 1 &lt;x&gt;\""),
            "{x}"
        );
        assert!(
            x.contains("needs-kind: kubectl exec needs a running container"),
            "{x}"
        );
        let j: serde_json::Value =
            serde_json::from_str(&json(&results, Level::ControlPlane, "v1.37.2")).unwrap();
        assert_eq!(j["summary"]["needs_kind_steps"], 1);
        assert_eq!(j["labs"][0]["steps"][1]["status"], "needs-kind");
        assert_eq!(j["labs"][1]["verdict"], "interrupted");
    }

    #[test]
    fn record_keeps_levels_apart_and_never_records_interruptions() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("labs/verified.json");
        record(
            &p,
            &[lab("a", Verdict::Passed, vec![])],
            Level::Kind,
            "v1.37.0",
            Some("v0.33.0".into()),
            "2026-12-01",
        )
        .unwrap();
        record(
            &p,
            &[
                lab("a", Verdict::Failed("x".into()), vec![StepStatus::Failed]),
                lab("b", Verdict::Interrupted, vec![]),
            ],
            Level::ControlPlane,
            "v1.37.2",
            None,
            "2026-12-02",
        )
        .unwrap();
        let r = verified::parse(&std::fs::read_to_string(&p).unwrap()).unwrap();
        // A records file that does not parse is refused, not replaced: its records are kept.
        std::fs::write(&p, "{ not json").unwrap();
        let e = record(
            &p,
            &[lab("a", Verdict::Passed, vec![])],
            Level::Kind,
            "v1",
            None,
            "d",
        )
        .unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::InvalidData, "{e}");
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "{ not json");
        assert_eq!(
            r["a"].kind.as_ref().unwrap().result,
            verified::RunResult::Passed
        );
        assert_eq!(
            r["a"].control_plane.as_ref().unwrap().result,
            verified::RunResult::Failed
        );
        assert!(!r.contains_key("b"));
    }
}
