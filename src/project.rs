//! The layout of a kubebook project: every file and folder kubebook reads or writes, named
//! once, relative to the project root. Code asks a `Project` for a path (and diagnostics
//! quote the relative name from `paths`) instead of spelling `root.join("labs/…")`, so
//! moving a file is one edit here, and docs/authoring.md's layout can be checked against it.

use std::path::{Path, PathBuf};

/// The project's files and folders, relative to its root.
pub(crate) mod paths {
    /// The chapters (`NN-slug.md`) and book.toml.
    pub(crate) const BOOK: &str = "book";
    pub(crate) const BOOK_TOML: &str = "book/book.toml";
    /// Images a chapter may show, published as they are.
    pub(crate) const IMAGES: &str = "book/images";
    /// Themes (`theme = "themes/default"` in book.toml).
    pub(crate) const THEMES: &str = "themes";
    /// Records of lab runs (`kubebook labs run --record`).
    pub(crate) const VERIFIED: &str = "labs/verified.json";
    /// CustomResourceDefinitions that the book's custom resources are validated against.
    pub(crate) const CRDS: &str = "labs/crds";
    /// The kind cluster the labs run on.
    #[cfg_attr(not(feature = "cluster"), allow(dead_code))] // the runner's
    pub(crate) const KIND_CONFIG: &str = "labs/kind.yaml";
    /// Manifests applied to a new cluster before any lab (`--create-cluster`).
    #[cfg_attr(not(feature = "cluster"), allow(dead_code))] // the runner's
    pub(crate) const FIXTURES: &str = "labs/fixtures";
    /// Images preloaded into a new kind cluster.
    #[cfg_attr(not(feature = "cluster"), allow(dead_code))] // the runner's
    pub(crate) const IMAGES_LIST: &str = "labs/images.txt";
    /// Builds the pinned control-plane binaries (`kubebook labs control-plane install`).
    #[cfg_attr(not(feature = "cluster"), allow(dead_code))] // the runner's
    pub(crate) const CONTROL_PLANE_INSTALL: &str = "labs/control-plane/install.sh";
    /// Where `build` writes the site unless told otherwise.
    pub(crate) const SITE: &str = "site";
}

/// The kind cluster the labs run on (`kind create cluster --name kubebook`, as the labs
/// workflow does), and the kubeconfig context kind names after it; the local control plane
/// takes the same context name so that a lab sees one name everywhere.
#[cfg_attr(not(feature = "cluster"), allow(dead_code))]
pub(crate) const KIND_CLUSTER: &str = "kubebook";
#[cfg_attr(not(feature = "cluster"), allow(dead_code))]
pub(crate) const KIND_CONTEXT: &str = "kind-kubebook";

/// A project: its root, and the paths below it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Project {
    root: PathBuf,
}

impl Project {
    pub(crate) fn new(root: &Path) -> Project {
        Project {
            root: root.to_path_buf(),
        }
    }
    /// A path of `paths` below the root.
    pub(crate) fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }
    pub(crate) fn book_dir(&self) -> PathBuf {
        self.path(paths::BOOK)
    }
    pub(crate) fn book_toml(&self) -> PathBuf {
        self.path(paths::BOOK_TOML)
    }
    /// The output directory: `dest` when given, else `site/`.
    pub(crate) fn site(&self, dest: Option<PathBuf>) -> PathBuf {
        dest.unwrap_or_else(|| self.path(paths::SITE))
    }
    /// Whether this looks like a project at all (it has book/).
    pub(crate) fn exists(&self) -> bool {
        self.book_dir().is_dir()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The authoring guide's project layout names every path of the table.
    #[test]
    fn the_guide_names_every_path() {
        let guide = include_str!("../docs/authoring.md");
        for p in [
            paths::BOOK_TOML,
            paths::IMAGES,
            paths::THEMES,
            paths::VERIFIED,
            paths::CRDS,
            paths::KIND_CONFIG,
            paths::FIXTURES,
            paths::IMAGES_LIST,
            paths::CONTROL_PLANE_INSTALL,
            paths::SITE,
        ] {
            assert!(
                guide.lines().any(|l| l.starts_with(p)),
                "docs/authoring.md's layout does not list {p}"
            );
        }
        let p = Project::new(Path::new("/x"));
        assert_eq!(p.book_toml(), Path::new("/x/book/book.toml"));
        assert_eq!(p.site(None), Path::new("/x/site"));
        assert_eq!(p.site(Some("/o".into())), Path::new("/o"));
    }
}
