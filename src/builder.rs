//! One build of the site in memory, shared by `kubebook build` (once) and `serve` (after every
//! save): the pipeline with its cache of rendered chapters (keyed by everything a chapter's
//! HTML depends on, see `pipeline::fingerprint`), the theme, loaded again only when it may have
//! changed, and the pages. Writing the files and the search index are the caller's: `serve`
//! builds the index after the browsers have reloaded.

use crate::diag::{Diagnostic, Report, Sources};
use crate::pipeline::{self, Cache, Output};
use crate::site::{self, Files, Theme};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub(crate) struct Builder {
    root: PathBuf,
    cache: Cache,
    theme: Option<Theme>,
}

/// A good build: the checked book and every page but the search index.
pub(crate) struct Build {
    pub out: Output,
    pub pages: Files,
    /// Time spent loading, rendering and checking (the rest is the pages).
    pub checks: Duration,
}

/// Why there is no site this time. The previous one (on disk, or in `serve`) stays.
pub(crate) enum BuildError {
    /// The book could not be loaded at all (book.toml, chapters, theme partials).
    Load(Report),
    /// The book has errors (or warnings, when they are denied): its report is in `out`.
    Book(Box<Output>),
    /// A theme template failed; `sources` place the diagnostic.
    Theme(Diagnostic, Sources),
}

impl Builder {
    pub(crate) fn new(root: &Path) -> Builder {
        Builder {
            root: root.to_path_buf(),
            cache: Cache::default(),
            theme: None,
        }
    }

    /// Build the pages. `theme_changed`: the theme's files or book.toml may have changed
    /// since the last build (always true for the first).
    pub(crate) fn build(
        &mut self,
        theme_changed: bool,
        deny_warnings: bool,
    ) -> Result<Build, BuildError> {
        let t0 = Instant::now();
        let out = pipeline::run_cached(&self.root, &mut self.cache).map_err(BuildError::Load)?;
        if out.report.has_errors() || (deny_warnings && out.report.warnings() > 0) {
            return Err(BuildError::Book(Box::new(out)));
        }
        let theme = match self.theme.take() {
            Some(t) if !theme_changed => t,
            _ => Theme::load(&self.root, &out.book.config.book.theme)
                .map_err(|d| BuildError::Theme(d, out.book.sources.clone()))?,
        };
        let checks = t0.elapsed();
        let pages = site::render_pages(&out, &theme);
        self.theme = Some(theme);
        match pages {
            Ok(pages) => Ok(Build { out, pages, checks }),
            Err(d) => Err(BuildError::Theme(d, out.book.sources.clone())),
        }
    }
}

impl Build {
    /// The search index of this build, for `site::SEARCH_INDEX`.
    pub(crate) fn search_index(&self) -> Vec<u8> {
        site::search_index(&self.out).into_bytes()
    }
}
