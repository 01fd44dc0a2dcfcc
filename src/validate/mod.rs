//! Manifest validation: YAML with spans → Kubernetes schema and lints → diagnostics.

pub mod suggest;
pub mod yaml;
