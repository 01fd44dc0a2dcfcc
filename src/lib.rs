#![allow(clippy::result_large_err)]
// Diagnostics are returned on cold paths only; boxing them buys nothing.
// Only what the binary and the integration tests use is public; everything else is
// pub(crate), so the compiler reports what nothing uses.
#![warn(unreachable_pub)]
//! kubebook: compile a Kubernetes book from Markdown into a themed static site whose labs
//! are validated at build time and runnable on a kind cluster.
//!
//! Flow: `book` (load) → `markdown` (parse) → `lab` + `validate` (check) → `site` (render and
//! write). `pipeline` ties the stages together; `serve` reruns them on change.

pub(crate) mod anchors;
#[cfg(test)]
mod architecture;
pub mod book;
pub(crate) mod builder;
pub mod cli;
#[cfg(feature = "cluster")]
pub(crate) mod cluster;
pub(crate) mod config;
#[cfg(feature = "cluster")]
pub mod controlplane;
pub mod diag;
#[cfg(test)]
mod docgen;
pub(crate) mod fsx;
pub(crate) mod highlight;
pub mod lab;
pub mod markdown;
pub mod markup;
pub(crate) mod par;
pub mod pipeline;
pub(crate) mod project;
pub(crate) mod serve;
pub(crate) mod site;
pub(crate) mod suggest;
pub mod validate;
pub(crate) mod verified;
pub(crate) mod xml;
