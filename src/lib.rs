#![allow(clippy::result_large_err)] // Diagnostics are returned on cold paths only; boxing them buys nothing.
//! kubebook: compile a Kubernetes book from Markdown into a themed static site whose labs
//! are validated at build time and runnable on a kind cluster.
//!
//! Flow: `book` (load) → `markdown` (parse) → `lab` + `validate` (check) → `site` (render and
//! write). `pipeline` ties the stages together; `serve` reruns them on change.

pub mod anchors;
#[cfg(test)]
mod architecture;
pub mod book;
pub mod builder;
pub mod cli;
#[cfg(feature = "cluster")]
pub mod cluster;
pub mod config;
#[cfg(feature = "cluster")]
pub mod controlplane;
pub mod diag;
#[cfg(test)]
mod docgen;
pub mod fsx;
pub mod highlight;
pub mod lab;
pub mod markdown;
pub mod markup;
pub mod par;
pub mod pipeline;
pub mod project;
pub mod serve;
pub mod site;
pub mod suggest;
pub mod validate;
pub mod verified;
