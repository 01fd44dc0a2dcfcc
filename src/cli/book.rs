//! `build`, `check` and `clean`: the book's own commands.

use super::{Format, color, load_with, print_report, summary_errors};
use crate::builder::{BuildError, Builder};
use crate::diag;
use crate::pipeline;
use crate::project::Project;
use crate::site;
use std::path::{Path, PathBuf};
use std::time::Instant;

pub(super) fn build(root: &Path, dest: Option<PathBuf>, deny_warnings: bool) -> u8 {
    let t0 = Instant::now();
    if let Err(code) = super::has_book(root) {
        return code;
    }
    let dest = Project::new(root).site(dest);
    // Refused before any work, so a bad --dest costs nothing and changes nothing.
    if let Err(e) = crate::fsx::check_dest(&dest, root) {
        eprintln!("error: {e}");
        return 2;
    }
    let build = match Builder::new(root).build(true, deny_warnings) {
        Ok(b) => b,
        Err(BuildError::Load(report)) => {
            print_report(&report, &diag::Sources::default());
            eprintln!("{}", summary_errors(&report));
            return 1;
        }
        Err(BuildError::Book(out)) => {
            print_report(&out.report, &out.book.sources);
            eprintln!(
                "build stopped: {}; the previous site (if any) is untouched",
                summary_errors(&out.report)
            );
            return 1;
        }
        Err(BuildError::Theme(d, sources)) => {
            eprintln!("{}", diag::render_human(&d, &sources, color()));
            return 1;
        }
    };
    let out = &build.out;
    print_report(&out.report, &out.book.sources);
    let index = build.search_index();
    let search = index.len();
    let mut files = build.pages;
    files.insert(site::SEARCH_INDEX.into(), index);
    if let Err(e) = site::write_atomic(&dest, root, &files) {
        eprintln!("error: cannot write the site to {}: {e}", dest.display());
        return 2;
    }
    let bytes: usize = files.values().map(Vec::len).sum();
    eprintln!(
        "built {} chapters, {} labs, {} files ({} KiB; search index {} KiB) into {} in {} ms{}",
        out.book.chapters.len(),
        out.labs.len(),
        files.len(),
        bytes / 1024,
        search / 1024,
        dest.display(),
        t0.elapsed().as_millis(),
        if out.report.warnings() > 0 {
            format!(" ({} warning(s))", out.report.warnings())
        } else {
            String::new()
        }
    );
    0
}

pub(super) fn check(root: &Path, format: Format, deny_warnings: bool) -> u8 {
    let out = match load_with(root, pipeline::check) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let s = &out.stats;
    let summary = format!(
        "checked {} chapters: {} labs, {} manifests, {} fragments, {} broken on purpose, {} opted out (novalidate), {} labs skipped in CI — {}",
        out.book.chapters.len(),
        s.labs,
        s.manifests,
        s.fragments,
        s.expected_errors,
        s.opted_out,
        s.skip_ci,
        summary_errors(&out.report)
    );
    match format {
        Format::Human => {
            print_report(&out.report, &out.book.sources);
            eprintln!("{summary}");
        }
        Format::Json => super::out(&format!("{}\n", diag::render_json(&out.report))),
        Format::Github => {
            super::out(&diag::render_github(&out.report));
            eprintln!("{summary}");
        }
        Format::Junit => {
            super::out(&check_junit(&out));
            eprintln!("{summary}");
        }
    }
    if out.report.has_errors() || (deny_warnings && out.report.warnings() > 0) {
        1
    } else {
        0
    }
}

pub(super) fn clean(root: &Path, dest: Option<PathBuf>) -> u8 {
    let dest = Project::new(root).site(dest);
    match site::clean(&dest, root) {
        Ok(true) => {
            eprintln!("removed {}", dest.display());
            0
        }
        Ok(false) => {
            eprintln!("nothing to clean: {} does not exist", dest.display());
            0
        }
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}

/// `check --format junit`: a test case per chapter, and one named `book` for what belongs to
/// no chapter (book.toml, the theme, the lab files).
fn check_junit(out: &pipeline::Output) -> String {
    let in_chapter = |d: &diag::Diagnostic, c: &crate::book::Chapter| {
        d.span.as_ref().is_some_and(|sp| sp.file == c.rel_path)
    };
    let ds = &out.report.diagnostics;
    let mut cases: Vec<crate::xml::Case> = out
        .book
        .chapters
        .iter()
        .map(|c| {
            let mine: Vec<&diag::Diagnostic> = ds.iter().filter(|d| in_chapter(d, c)).collect();
            diag::junit_case(c.rel_path.display().to_string(), &mine)
        })
        .collect();
    let other: Vec<&diag::Diagnostic> = ds
        .iter()
        .filter(|d| !out.book.chapters.iter().any(|c| in_chapter(d, c)))
        .collect();
    cases.push(diag::junit_case("book", &other));
    let suite = crate::xml::Suite {
        name: "kubebook check".into(),
        cases,
    };
    crate::xml::render("kubebook check", &[suite])
}
