//! Rules for the test suite itself, checked over its sources.

use std::path::{Path, PathBuf};

fn sources() -> Vec<(PathBuf, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it");
    walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| {
            let rel = e.path().strip_prefix(&dir).unwrap().to_path_buf();
            (rel, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect()
}

/// No test can reach a real cluster unless it asked for one: the binary is started only
/// through `common::kubebook_cmd` (or `common::kubebook`), which points `KUBECONFIG` at an
/// empty file. A test that wants a cluster sets `KUBECONFIG` to one it made.
#[test]
fn the_binary_is_only_started_through_common() {
    let needle = concat!("CARGO_BIN_EXE", "_kubebook");
    let offenders: Vec<String> = sources()
        .into_iter()
        .filter(|(rel, text)| rel != Path::new("common.rs") && text.contains(needle))
        .map(|(rel, _)| rel.display().to_string())
        .collect();
    assert!(
        offenders.is_empty(),
        "start kubebook with common::kubebook_cmd(), not {needle}: {offenders:?}"
    );
}

/// The tests share one process: changing its environment would race with every other test.
/// Set variables on the `Command` instead.
#[test]
fn no_test_changes_the_process_environment() {
    let forbidden = [concat!("env::", "set_var"), concat!("env::", "remove_var")];
    let offenders: Vec<String> = sources()
        .into_iter()
        .filter(|(_, text)| forbidden.iter().any(|f| text.contains(f)))
        .map(|(rel, _)| rel.display().to_string())
        .collect();
    assert!(offenders.is_empty(), "{offenders:?}");
}
