//! kubebook's integration tests: one binary, one module per area (`cargo test --test it`,
//! or `cargo test --test it check::` for one area). The README's "Tests" section has the
//! module map; shared helpers live in `common`.

mod browser;
mod build;
mod check;
mod common;
mod crds;
mod labs;
mod labs_run;
mod no_panics;
mod oracle;
mod redteam;
mod serve;
mod shipped_book;
mod snapshots;
mod suite;
mod validate;
