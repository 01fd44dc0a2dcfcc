//! Shared helpers: a throw-away project (book.toml + chapters) in a temp directory, and the
//! one way to run the kubebook binary (`kubebook_cmd`), which can never reach a real
//! cluster unless the test points it at one.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, MutexGuard, OnceLock};

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

/// The kubebook binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_kubebook");

/// An empty kubeconfig file, shared by the whole test process.
pub fn empty_kubeconfig() -> &'static Path {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("kubebook-it");
        std::fs::create_dir_all(&dir).expect("CARGO_TARGET_TMPDIR is writable");
        let path = dir.join("empty.kubeconfig");
        std::fs::write(&path, "").expect("write the empty kubeconfig");
        path
    })
}

/// Make `cmd` unable to reach the developer's cluster: `KUBECONFIG` names an empty file, so
/// neither kubectl nor kube-rs reads `~/.kube/config` or an ambient `KUBECONFIG`. A test that
/// wants a cluster sets `KUBECONFIG` again on the command (the later `.env` wins), always to
/// a file it made (a control plane's). `NO_COLOR` keeps output plain.
pub fn scrub(cmd: &mut Command) -> &mut Command {
    cmd.env("KUBECONFIG", empty_kubeconfig())
        .env("NO_COLOR", "1")
}

/// `kubebook` as a `Command`, scrubbed (see `scrub`). Every test runs the binary through
/// this (`suite::the_binary_is_only_started_through_common` checks the sources).
pub fn kubebook_cmd() -> Command {
    let mut cmd = Command::new(BIN);
    scrub(&mut cmd);
    cmd
}

/// Say why a test did not run, on the real stderr: libtest captures `println!`, and a skip
/// must never look like a silent pass.
pub fn skipped(why: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "SKIPPED: {why}");
}

/// Control planes are heavy on 2 cores: the tests that start one (labs_run, oracle) hold
/// this, so one runs at a time in this process.
pub fn control_plane_lock() -> MutexGuard<'static, ()> {
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
    ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner())
}

/// Run kubebook with explicit arguments (no ROOT appended).
pub fn kubebook(args: &[&str]) -> Run {
    let out = kubebook_cmd().args(args).output().expect("run kubebook");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}
