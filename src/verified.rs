//! `labs/verified.json`: the record of lab runs (`kubebook labs run --record`), read by the
//! site to show each lab's proof level on its card and on the labs page.
//!
//! Three levels of proof, weakest first: every build validates a lab's manifests (no record
//! needed); a run on the local control plane (`--control-plane`) proves every step that
//! talks only to the API; a run on kind proves every step. A lab keeps its last record of
//! each run level, so a control-plane run never hides a kind result.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Record {
    pub result: RunResult,
    /// Kubernetes server version, e.g. `v1.37.2`.
    pub kubernetes: String,
    /// kind version, e.g. `v0.33.0`, on kind runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Date of the run, `YYYY-MM-DD`.
    pub date: String,
    pub duration_seconds: f64,
    /// Steps not run because they need a container runtime (control-plane runs).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub needs_kind_steps: u32,
    /// `Lab::digest` of the lab that ran: a record of an earlier version of the lab is stale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
}

/// How a recorded run ended (`passed` or `failed` in the file; anything else is refused).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum RunResult {
    Passed,
    Failed,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// Where a run happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    ControlPlane,
    Kind,
}

impl Level {
    pub fn name(self) -> &'static str {
        match self {
            Level::ControlPlane => "control plane",
            Level::Kind => "kind",
        }
    }
}

/// The last record of each level for one lab.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LabRecords {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<Record>,
    #[serde(
        rename = "control-plane",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub control_plane: Option<Record>,
}

impl LabRecords {
    pub fn get(&self, level: Level) -> Option<&Record> {
        match level {
            Level::Kind => self.kind.as_ref(),
            Level::ControlPlane => self.control_plane.as_ref(),
        }
    }

    pub fn set(&mut self, level: Level, r: Record) {
        match level {
            Level::Kind => self.kind = Some(r),
            Level::ControlPlane => self.control_plane = Some(r),
        }
    }

    /// The records that still describe the lab as it is now (`digest` its `Lab::digest`):
    /// a run of an earlier version proves nothing about this one. Records written before
    /// digests existed are kept.
    pub fn current(&self, digest: &str) -> LabRecords {
        let fresh = |r: &Option<Record>| {
            r.clone()
                .filter(|r| r.digest.as_deref().is_none_or(|d| d == digest))
        };
        LabRecords {
            kind: fresh(&self.kind),
            control_plane: fresh(&self.control_plane),
        }
    }

    /// The strongest passed proof: kind, else the control plane.
    pub fn best(&self) -> Option<(Level, &Record)> {
        [Level::Kind, Level::ControlPlane]
            .into_iter()
            .find_map(|l| {
                self.get(l)
                    .filter(|r| r.result == RunResult::Passed)
                    .map(|r| (l, r))
            })
    }

    /// What a reader is told: the strongest passed proof, with version and date.
    pub fn badge(&self) -> Option<String> {
        let (level, r) = self.best()?;
        Some(match level {
            Level::Kind => match &r.kind {
                Some(k) => format!(
                    "verified on kind {k} (Kubernetes {}) on {}",
                    r.kubernetes, r.date
                ),
                None => format!("verified on Kubernetes {} on {}", r.kubernetes, r.date),
            },
            Level::ControlPlane => match r.needs_kind_steps {
                0 => format!(
                    "every step verified on control plane {} on {}",
                    r.kubernetes, r.date
                ),
                n => format!(
                    "API steps verified on control plane {} on {}; {n} step{} need{} kind",
                    r.kubernetes,
                    r.date,
                    if n == 1 { "" } else { "s" },
                    if n == 1 { "s" } else { "" },
                ),
            },
        })
    }

    /// The latest failure, when no level passed.
    pub fn failure(&self) -> Option<String> {
        if self.best().is_some() {
            return None;
        }
        [Level::Kind, Level::ControlPlane]
            .into_iter()
            .find_map(|l| {
                self.get(l).map(|r| {
                    format!(
                        "failed on {} (Kubernetes {}) on {}",
                        l.name(),
                        r.kubernetes,
                        r.date
                    )
                })
            })
    }
}

pub(crate) type Records = BTreeMap<String, LabRecords>;

pub(crate) fn parse(text: &str) -> Result<Records, serde_json::Error> {
    serde_json::from_str(text)
}

#[cfg_attr(not(feature = "cluster"), allow(dead_code))] // written by the runner only
pub(crate) fn to_string(records: &Records) -> String {
    let mut s = serde_json::to_string_pretty(records).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_badges() {
        let text = r#"{
          "ch06-first-pod": {"kind": {"result": "passed", "kubernetes": "v1.37.0", "kind": "v0.33.0", "date": "2026-12-01", "duration_seconds": 12.5},
                             "control-plane": {"result": "passed", "kubernetes": "v1.37.2", "date": "2026-12-02", "duration_seconds": 3.0, "needs_kind_steps": 2}},
          "ch07-roll": {"control-plane": {"result": "passed", "kubernetes": "v1.37.2", "date": "2026-12-02", "duration_seconds": 3.0, "needs_kind_steps": 1}},
          "ch09-all": {"control-plane": {"result": "passed", "kubernetes": "v1.37.2", "date": "2026-12-02", "duration_seconds": 3.0}},
          "ch08-x": {"control-plane": {"result": "failed", "kubernetes": "v1.37.2", "date": "2026-12-02", "duration_seconds": 3.0}}
        }"#;
        let r = parse(text).unwrap();
        // kind wins over the control plane.
        assert_eq!(
            r["ch06-first-pod"].badge().as_deref(),
            Some("verified on kind v0.33.0 (Kubernetes v1.37.0) on 2026-12-01")
        );
        assert_eq!(
            r["ch07-roll"].badge().as_deref(),
            Some("API steps verified on control plane v1.37.2 on 2026-12-02; 1 step needs kind")
        );
        // No step left for kind: the whole lab is proven, and the badge says so.
        assert_eq!(
            r["ch09-all"].badge().as_deref(),
            Some("every step verified on control plane v1.37.2 on 2026-12-02")
        );
        assert_eq!(r["ch08-x"].badge(), None);
        assert_eq!(
            r["ch08-x"].failure().as_deref(),
            Some("failed on control plane (Kubernetes v1.37.2) on 2026-12-02")
        );
        assert_eq!(parse(&to_string(&r)).unwrap(), r);
        // A record of another version of the lab no longer counts.
        let mut edited = r["ch09-all"].clone();
        if let Some(cp) = edited.control_plane.as_mut() {
            cp.digest = Some("0123abcd".into());
        }
        assert!(edited.current("0123abcd").badge().is_some());
        assert_eq!(edited.current("ffff0000").badge(), None);
        assert_eq!(edited.current("ffff0000").failure(), None);
        assert!(parse(r#"{"x": {"kind": {"result": "passed"}}}"#).is_err());
        // A result is passed or failed, nothing else.
        assert!(parse(r#"{"x": {"kind": {"result": "skipped", "kubernetes": "v1", "date": "d", "duration_seconds": 1}}}"#).is_err());
        assert!(parse(r#"{"x": {"minikube": {}}}"#).is_err());
    }
}
