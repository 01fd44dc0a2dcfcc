//! The two filesystem rules every command follows, in one place:
//!
//! - **inputs** (book.toml, chapters, labs/verified.json, theme files, images) are read only
//!   when they are regular files whose real path is inside the project root, so a FIFO cannot
//!   hang a build and a symbolic link cannot publish files from elsewhere;
//! - **outputs** (the site, `clean`, `labs export`) go only to a destination that is not the
//!   project root, HOME, `/` or an ancestor of any of them, not inside the folders kubebook
//!   reads, and not a symbolic link.

use std::fmt;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// Why an input file was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputError {
    NotFound,
    /// A directory, FIFO, socket or device.
    NotRegular(&'static str),
    /// Its real path (after following links) is outside the project.
    OutsideProject(PathBuf),
    TooLarge(u64),
    Io(String),
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::NotFound => write!(f, "it does not exist"),
            InputError::NotRegular(kind) => write!(f, "it is a {kind}, not a regular file"),
            InputError::OutsideProject(p) => write!(
                f,
                "it is a link to {}, outside the project; kubebook reads only files inside it",
                p.display()
            ),
            InputError::TooLarge(max) => write!(f, "it is larger than {} MiB", max >> 20),
            InputError::Io(e) => write!(f, "{e}"),
        }
    }
}

/// Inputs larger than this are refused (a chapter or template is never this big).
pub const MAX_INPUT_BYTES: u64 = 8 * 1024 * 1024;
/// Images may be larger than text, but not unbounded: the site is built in memory.
pub const MAX_IMAGE_BYTES: u64 = 64 * 1024 * 1024;

fn kind_of(ft: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "FIFO";
        }
        if ft.is_socket() {
            return "socket";
        }
        if ft.is_block_device() || ft.is_char_device() {
            return "device";
        }
    }
    if ft.is_dir() {
        "directory"
    } else {
        "special file"
    }
}

fn io_err(e: std::io::Error) -> InputError {
    if e.kind() == std::io::ErrorKind::NotFound {
        InputError::NotFound
    } else {
        InputError::Io(e.to_string())
    }
}

/// The rule itself: `path` is a regular file whose real path is inside `root`. Returns its
/// size. Cheap (metadata only); [`read_input`] applies it before reading.
pub fn check_input(root: &Path, path: &Path) -> Result<u64, InputError> {
    let real = path.canonicalize().map_err(io_err)?;
    let root = root.canonicalize().map_err(io_err)?;
    if !real.starts_with(&root) {
        return Err(InputError::OutsideProject(real));
    }
    let meta = std::fs::metadata(&real).map_err(io_err)?;
    if !meta.is_file() {
        return Err(InputError::NotRegular(kind_of(meta.file_type())));
    }
    Ok(meta.len())
}

/// Read an input file's bytes under the input rule, at most `max` bytes.
pub fn read_input_bytes(root: &Path, path: &Path, max: u64) -> Result<Vec<u8>, InputError> {
    let size = check_input(root, path)?;
    if size > max {
        return Err(InputError::TooLarge(max));
    }
    let file = open_nonblocking(path).map_err(io_err)?;
    // The file could have been swapped for a FIFO since the check: look at what was opened.
    let meta = file.metadata().map_err(io_err)?;
    if !meta.is_file() {
        return Err(InputError::NotRegular(kind_of(meta.file_type())));
    }
    let mut bytes = Vec::with_capacity(meta.len().min(max) as usize);
    file.take(max + 1).read_to_end(&mut bytes).map_err(io_err)?;
    if bytes.len() as u64 > max {
        return Err(InputError::TooLarge(max));
    }
    Ok(bytes)
}

/// Read a text file named on the command line, wherever it is: a regular file (never a FIFO
/// or device, which could block or never end), at most `max` bytes, UTF-8.
pub fn read_regular_text(path: &Path, max: u64) -> Result<String, InputError> {
    let file = open_nonblocking(path).map_err(io_err)?;
    let meta = file.metadata().map_err(io_err)?;
    if !meta.is_file() {
        return Err(InputError::NotRegular(kind_of(meta.file_type())));
    }
    if meta.len() > max {
        return Err(InputError::TooLarge(max));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(max + 1).read_to_end(&mut bytes).map_err(io_err)?;
    if bytes.len() as u64 > max {
        return Err(InputError::TooLarge(max));
    }
    String::from_utf8(bytes).map_err(|e| {
        InputError::Io(format!(
            "it is not valid UTF-8 (byte {})",
            e.utf8_error().valid_up_to()
        ))
    })
}

/// Read an input text file (UTF-8) under the input rule.
pub fn read_input(root: &Path, path: &Path) -> Result<String, InputError> {
    let bytes = read_input_bytes(root, path, MAX_INPUT_BYTES)?;
    String::from_utf8(bytes).map_err(|e| {
        InputError::Io(format!(
            "it is not valid UTF-8 (byte {})",
            e.utf8_error().valid_up_to()
        ))
    })
}

/// Opening a FIFO for reading blocks until a writer appears; O_NONBLOCK makes `open` return
/// at once so the check on the opened file can refuse it.
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.custom_flags(libc::O_NONBLOCK);
    }
    o.open(path)
}

/// `path` made absolute and with `.`/`..` resolved against the real parent directories, but
/// its last component left as it is (so a symbolic link named as the destination is seen as
/// a link, also when written `link/`).
pub fn resolve_dest(path: &Path) -> std::io::Result<PathBuf> {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    match abs.components().next_back() {
        Some(Component::Normal(name)) => {
            let parent = abs.parent().unwrap_or(Path::new("/"));
            Ok(canonical_prefix(parent)?.join(name))
        }
        // `..`, `.` or `/` as the last component: it names a real directory.
        _ => canonical_prefix(&abs),
    }
}

/// Canonicalize the longest existing prefix of `p` and append the rest (a destination need
/// not exist yet). Missing components are plain names: `..` after a missing one is refused.
fn canonical_prefix(p: &Path) -> std::io::Result<PathBuf> {
    let mut existing = p.to_path_buf();
    let mut rest: Vec<std::ffi::OsString> = Vec::new();
    loop {
        match existing.canonicalize() {
            Ok(c) => {
                let mut out = c;
                for r in rest.iter().rev() {
                    if r == ".." || r == "." {
                        return Err(std::io::Error::other(format!(
                            "{} has `{}` after a folder that does not exist",
                            p.display(),
                            r.to_string_lossy()
                        )));
                    }
                    out.push(r);
                }
                return Ok(out);
            }
            Err(e) => {
                let Some(name) = existing.file_name().map(|n| n.to_os_string()) else {
                    return Err(e);
                };
                rest.push(name);
                if !existing.pop() {
                    return Err(e);
                }
            }
        }
    }
}

/// Refuse a destination kubebook must never write into or delete: the project root, HOME,
/// `/` or any ancestor of them; anything inside book/, themes/ or labs/ (a site there would
/// be read back as input); a symbolic link. Returns the resolved destination.
pub fn check_dest(dest: &Path, root: &Path) -> Result<PathBuf, String> {
    let real = resolve_dest(dest).map_err(|e| format!("cannot resolve {}: {e}", dest.display()))?;
    if std::fs::symlink_metadata(&real).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(format!(
            "{} is a symbolic link; kubebook writes and deletes only real directories",
            dest.display()
        ));
    }
    let root = root
        .canonicalize()
        .map_err(|e| format!("cannot resolve the project root {}: {e}", root.display()))?;
    let mut protected = vec![root.clone()];
    if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        let home = PathBuf::from(home);
        protected.push(home.canonicalize().unwrap_or(home));
    }
    for p in &protected {
        if p.starts_with(&real) {
            let what = if *p == root {
                "the project root"
            } else {
                "HOME"
            };
            return Err(format!(
                "{} is {} or contains it ({}); choose an output directory of its own, e.g. {}",
                dest.display(),
                what,
                p.display(),
                root.join("site").display()
            ));
        }
    }
    for input in ["book", "themes", "labs"] {
        if real.starts_with(root.join(input)) {
            return Err(format!(
                "{} is inside {input}/, which kubebook reads; put the output outside it, e.g. {}",
                dest.display(),
                root.join("site").display()
            ));
        }
    }
    Ok(real)
}

/// File name endings `book/images/` may publish; anything else there is not copied.
const IMAGE_EXTENSIONS: &[&str] = &[
    "svg", "png", "jpg", "jpeg", "gif", "webp", "avif", "ico", "bmp",
];

/// The one rule for images, used by `check` (MD003) and by the copy into the site, so an
/// image that passes the check is always published: `rel` is `images/…` below book/, has an
/// image extension, and is a regular file inside the project (see [`check_input`]).
pub fn image_file(root: &Path, rel: &str) -> Result<PathBuf, String> {
    if !rel.starts_with("images/") || rel.split('/').any(|s| s == ".." || s.is_empty()) {
        return Err("images live in book/images/ and are linked as images/NAME.svg".into());
    }
    let ext = rel.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    if !ext.is_some_and(|e| IMAGE_EXTENSIONS.contains(&e.as_str())) {
        return Err(format!(
            "only images are published from book/images/ ({})",
            IMAGE_EXTENSIONS.join(", ")
        ));
    }
    let path = root.join("book").join(rel);
    match check_input(root, &path) {
        Ok(size) if size > MAX_IMAGE_BYTES => {
            Err(format!("it is larger than {} MiB", MAX_IMAGE_BYTES >> 20))
        }
        Ok(_) => Ok(path),
        Err(e) => Err(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dest_rules() {
        let t = tempfile::tempdir().unwrap();
        let root = t.path().join("p");
        std::fs::create_dir_all(root.join("book")).unwrap();
        assert!(check_dest(&root.join("site"), &root).is_ok());
        assert!(check_dest(&root.join("site/deeper/new"), &root).is_ok());
        assert!(check_dest(&root, &root).is_err());
        assert!(check_dest(&root.join(".."), &root).is_err());
        assert!(check_dest(&root.join("site/../.."), &root).is_err());
        assert!(check_dest(Path::new("/"), &root).is_err());
        assert!(check_dest(&root.join("book/out"), &root).is_err());
        assert!(check_dest(&root.join("labs/x"), &root).is_err());
        assert!(check_dest(&root.join("missing/../.."), &root).is_err());
    }

    #[test]
    fn input_rules() {
        let t = tempfile::tempdir().unwrap();
        let root = t.path().join("p");
        std::fs::create_dir_all(root.join("book")).unwrap();
        std::fs::write(root.join("book/a.md"), "x").unwrap();
        std::fs::write(t.path().join("outside"), "secret").unwrap();
        assert_eq!(read_input(&root, &root.join("book/a.md")).unwrap(), "x");
        assert_eq!(
            read_input(&root, &root.join("book/none")),
            Err(InputError::NotFound)
        );
        assert!(matches!(
            read_input(&root, &root.join("book")),
            Err(InputError::NotRegular("directory"))
        ));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(t.path().join("outside"), root.join("book/l")).unwrap();
            assert!(matches!(
                read_input(&root, &root.join("book/l")),
                Err(InputError::OutsideProject(_))
            ));
            std::os::unix::fs::symlink(root.join("book/a.md"), root.join("book/in")).unwrap();
            assert_eq!(read_input(&root, &root.join("book/in")).unwrap(), "x");
        }
    }
}
