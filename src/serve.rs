//! `kubebook serve`: live preview (not implemented yet).

use std::path::{Path, PathBuf};

pub fn run(_root: &Path, _dest: Option<PathBuf>, _bind: &str, _port: u16, _open: bool) -> u8 {
    crate::cli::not_yet("serve")
}
