//! `labs/verified.json`: the record of lab runs (`kubebook labs run --record`), read by the
//! site to show "verified on kind vX on DATE" on lab cards.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Record {
    /// `passed` or `failed`.
    pub result: String,
    /// Kubernetes server version, e.g. `v1.36.1`.
    pub kubernetes: String,
    /// kind version, e.g. `v0.32.0`, when known.
    #[serde(default)]
    pub kind: Option<String>,
    /// Date of the run, `YYYY-MM-DD`.
    pub date: String,
    pub duration_seconds: f64,
}

impl Record {
    pub fn badge(&self) -> String {
        match &self.kind {
            Some(k) => format!(
                "verified on kind {k} (Kubernetes {}) on {}",
                self.kubernetes, self.date
            ),
            None => format!(
                "verified on Kubernetes {} on {}",
                self.kubernetes, self.date
            ),
        }
    }
}

pub type Records = BTreeMap<String, Record>;

pub fn parse(text: &str) -> Result<Records, serde_json::Error> {
    serde_json::from_str(text)
}

pub fn to_string(records: &Records) -> String {
    let mut s = serde_json::to_string_pretty(records).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_badge() {
        let text = r#"{"ch06-first-pod": {"result": "passed", "kubernetes": "v1.36.1", "kind": "v0.32.0", "date": "2026-11-27", "duration_seconds": 12.5}}"#;
        let r = parse(text).unwrap();
        assert_eq!(
            r["ch06-first-pod"].badge(),
            "verified on kind v0.32.0 (Kubernetes v1.36.1) on 2026-11-27"
        );
        assert_eq!(parse(&to_string(&r)).unwrap(), r);
        assert!(parse(r#"{"x": {"result": "passed"}}"#).is_err());
    }
}
