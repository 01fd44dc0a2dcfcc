//! The command line, the only layer that parses arguments, prints reports and chooses exit
//! codes: 0 ok, 1 the book has errors (or a lab failed), 2 usage or environment problem,
//! 130 interrupted. The domain modules below it return values and typed errors.
//!
//! - `args`: the clap commands and their options
//! - `book`: `build`, `check`, `clean`
//! - `labs`: `labs list | show | export | run | verify | doctor`
//! - `control_plane`: `labs control-plane install | up`
//! - `validate`: `validate FILE|DIR|-`

mod args;
mod book;
#[cfg(feature = "cluster")]
mod control_plane;
mod labs;
mod validate;

pub use args::*;

use crate::diag::{self, Report};
use crate::pipeline::{self, Output};
use clap::Parser;
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    ExitCode::from(run(cli.command))
}

pub fn run(cmd: Command) -> u8 {
    match cmd {
        Command::Build {
            root,
            dest,
            deny_warnings,
        } => book::build(&root, dest, deny_warnings),
        Command::Check {
            root,
            format,
            deny_warnings,
        } => book::check(&root, format, deny_warnings),
        Command::Clean { root, dest } => book::clean(&root, dest),
        Command::Serve {
            root,
            port,
            bind,
            open,
            dest,
        } => match crate::serve::run(&root, dest, &bind, port, open) {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("error: {e}");
                2
            }
        },
        Command::Validate(args) => validate::run(args),
        Command::Labs { command } => labs::run(command),
    }
}

pub(crate) fn color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Print diagnostics in rustc style to stderr.
pub fn print_report(report: &Report, sources: &diag::Sources) {
    let c = color();
    for d in &report.diagnostics {
        eprintln!("{}", diag::render_human(d, sources, c));
    }
}

/// Load and check the book; on a load failure print the report and give the exit code.
pub fn load(root: &Path) -> Result<Output, u8> {
    load_with(root, pipeline::run)
}

/// As [`load`], through `pipeline` (the whole build's, or `check`'s without HTML).
pub(crate) fn load_with(
    root: &Path,
    pipeline: fn(&Path) -> Result<Output, Report>,
) -> Result<Output, u8> {
    has_book(root)?;
    pipeline(root).map_err(|report| {
        print_report(&report, &diag::Sources::default());
        eprintln!("{}", summary_errors(&report));
        1
    })
}

/// A project has a `book/` folder; otherwise say where kubebook looked, exit 2.
pub(crate) fn has_book(root: &Path) -> Result<(), u8> {
    if crate::project::Project::new(root).exists() {
        return Ok(());
    }
    eprintln!(
        "error: {} has no book/ directory\n  = hint: run kubebook in the project directory, or pass it: kubebook build path/to/project",
        root.display()
    );
    Err(2)
}

pub(crate) fn summary_errors(r: &Report) -> String {
    format!("{} error(s), {} warning(s)", r.errors(), r.warnings())
}

/// Write to stdout, ignoring a closed pipe (`kubebook labs list | head` must not panic).
pub fn out(text: &str) {
    use std::io::Write;
    let mut o = std::io::stdout().lock();
    let _ = o.write_all(text.as_bytes()).and_then(|_| o.flush());
}
