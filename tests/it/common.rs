//! A throw-away project (book.toml + chapters) in a temp directory, and a way to run the
//! kubebook binary on it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Project {
    pub dir: tempfile::TempDir,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub const BOOK_TOML: &str = "[book]\ntitle = \"Test Book\"\nkubernetes = \"1.37\"\nedit-url = \"https://example.org/edit/{path}\"\n";

impl Project {
    pub fn new() -> Project {
        let p = Project {
            dir: tempfile::tempdir().expect("tempdir"),
        };
        p.write("book/book.toml", BOOK_TOML);
        p
    }
    pub fn root(&self) -> &Path {
        self.dir.path()
    }
    pub fn write(&self, rel: &str, text: &str) -> &Project {
        let p = self.root().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }
    /// A chapter with front matter.
    pub fn chapter(&self, file: &str, title: &str, body: &str) -> &Project {
        self.write(
            &format!("book/{file}"),
            &format!("---\ntitle: {title}\n---\n{body}"),
        )
    }
    /// Run kubebook with `args` and this project as ROOT.
    pub fn run(&self, args: &[&str]) -> Run {
        let root = self.root().to_string_lossy().to_string();
        let mut all: Vec<&str> = args.to_vec();
        all.push(&root);
        kubebook(&all)
    }
    pub fn site(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root().join("site").join(rel))
            .unwrap_or_else(|e| panic!("site/{rel}: {e}"))
    }
    pub fn site_path(&self) -> PathBuf {
        self.root().join("site")
    }
}

/// Run kubebook with explicit arguments (no ROOT appended).
pub fn kubebook(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_kubebook"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run kubebook");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}
