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
pub(crate) enum InputError {
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

impl std::error::Error for InputError {}

/// Inputs larger than this are refused (a chapter or template is never this big).
pub(crate) const MAX_INPUT_BYTES: u64 = 8 * 1024 * 1024;
/// Images may be larger than text, but not unbounded: the site is built in memory.
pub(crate) const MAX_IMAGE_BYTES: u64 = 64 * 1024 * 1024;

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
pub(crate) fn check_input(root: &Path, path: &Path) -> Result<u64, InputError> {
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
pub(crate) fn read_input_bytes(root: &Path, path: &Path, max: u64) -> Result<Vec<u8>, InputError> {
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
pub(crate) fn read_regular_text(path: &Path, max: u64) -> Result<String, InputError> {
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
pub(crate) fn read_input(root: &Path, path: &Path) -> Result<String, InputError> {
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
pub(crate) fn resolve_dest(path: &Path) -> std::io::Result<PathBuf> {
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

/// Why a destination was refused ([`check_dest`]).
#[derive(Debug)]
pub(crate) enum DestError {
    /// The destination's path could not be resolved.
    Resolve {
        dest: PathBuf,
        source: std::io::Error,
    },
    /// The destination is a symbolic link.
    Symlink { dest: PathBuf },
    /// The project root could not be resolved.
    Root {
        root: PathBuf,
        source: std::io::Error,
    },
    /// The destination is the project root or HOME, or contains one of them.
    Protected {
        dest: PathBuf,
        /// `the project root` or `HOME`.
        what: &'static str,
        /// The protected folder, resolved.
        protected: PathBuf,
        /// A destination that would do: `<root>/site`.
        suggestion: PathBuf,
    },
    /// The destination is inside a folder kubebook reads (`book`, `themes`, `labs`).
    InsideInput {
        dest: PathBuf,
        input: &'static str,
        suggestion: PathBuf,
    },
}

impl fmt::Display for DestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DestError::Resolve { dest, source } => {
                write!(f, "cannot resolve {}: {source}", dest.display())
            }
            DestError::Symlink { dest } => write!(
                f,
                "{} is a symbolic link; kubebook writes and deletes only real directories",
                dest.display()
            ),
            DestError::Root { root, source } => write!(
                f,
                "cannot resolve the project root {}: {source}",
                root.display()
            ),
            DestError::Protected {
                dest,
                what,
                protected,
                suggestion,
            } => write!(
                f,
                "{} is {what} or contains it ({}); choose an output directory of its own, e.g. {}",
                dest.display(),
                protected.display(),
                suggestion.display()
            ),
            DestError::InsideInput {
                dest,
                input,
                suggestion,
            } => write!(
                f,
                "{} is inside {input}/, which kubebook reads; put the output outside it, e.g. {}",
                dest.display(),
                suggestion.display()
            ),
        }
    }
}

impl std::error::Error for DestError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            DestError::Resolve { source, .. } | DestError::Root { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Refuse a destination kubebook must never write into or delete: the project root, HOME,
/// `/` or any ancestor of them; anything inside book/, themes/ or labs/ (a site there would
/// be read back as input); a symbolic link. Returns the resolved destination.
pub(crate) fn check_dest(dest: &Path, root: &Path) -> Result<PathBuf, DestError> {
    let real = resolve_dest(dest).map_err(|source| DestError::Resolve {
        dest: dest.to_path_buf(),
        source,
    })?;
    if std::fs::symlink_metadata(&real).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(DestError::Symlink {
            dest: dest.to_path_buf(),
        });
    }
    let root = root.canonicalize().map_err(|source| DestError::Root {
        root: root.to_path_buf(),
        source,
    })?;
    let mut protected = vec![root.clone()];
    if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        let home = PathBuf::from(home);
        protected.push(home.canonicalize().unwrap_or(home));
    }
    for p in &protected {
        if p.starts_with(&real) {
            return Err(DestError::Protected {
                dest: dest.to_path_buf(),
                what: if *p == root {
                    "the project root"
                } else {
                    "HOME"
                },
                protected: p.clone(),
                suggestion: crate::project::Project::new(&root).site(None),
            });
        }
    }
    for input in ["book", "themes", "labs"] {
        if real.starts_with(root.join(input)) {
            return Err(DestError::InsideInput {
                dest: dest.to_path_buf(),
                input,
                suggestion: crate::project::Project::new(&root).site(None),
            });
        }
    }
    Ok(real)
}

/// File name endings `book/images/` may publish; anything else there is not copied.
const IMAGE_EXTENSIONS: &[&str] = &[
    "svg", "png", "jpg", "jpeg", "gif", "webp", "avif", "ico", "bmp",
];

/// Why an image of a chapter is not published ([`image_file`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ImageError {
    /// The link does not name a file below `images/` (or has `..` or empty segments).
    OutsideImages,
    /// The file name does not end in an image extension.
    NotAnImage,
    /// The file is larger than [`MAX_IMAGE_BYTES`].
    TooLarge(u64),
    /// The file breaks the input rule (missing, not regular, a link out of the project).
    Input(InputError),
}

impl fmt::Display for ImageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImageError::OutsideImages => {
                f.write_str("images live in book/images/ and are linked as images/NAME.svg")
            }
            ImageError::NotAnImage => write!(
                f,
                "only images are published from book/images/ ({})",
                IMAGE_EXTENSIONS.join(", ")
            ),
            ImageError::TooLarge(max) => write!(f, "it is larger than {} MiB", max >> 20),
            ImageError::Input(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for ImageError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ImageError::Input(e) => Some(e),
            _ => None,
        }
    }
}

/// The one rule for images, used by `check` (MD003) and by the copy into the site, so an
/// image that passes the check is always published: `rel` is `images/…` below book/, has an
/// image extension, and is a regular file inside the project (see [`check_input`]).
pub(crate) fn image_file(root: &Path, rel: &str) -> Result<PathBuf, ImageError> {
    if !rel.starts_with("images/") || rel.split('/').any(|s| s == ".." || s.is_empty()) {
        return Err(ImageError::OutsideImages);
    }
    let ext = rel.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    if !ext.is_some_and(|e| IMAGE_EXTENSIONS.contains(&e.as_str())) {
        return Err(ImageError::NotAnImage);
    }
    let path = crate::project::Project::new(root).book_dir().join(rel);
    match check_input(root, &path) {
        Ok(size) if size > MAX_IMAGE_BYTES => Err(ImageError::TooLarge(MAX_IMAGE_BYTES)),
        Ok(_) => Ok(path),
        Err(e) => Err(ImageError::Input(e)),
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
        assert!(matches!(
            check_dest(&root, &root),
            Err(DestError::Protected {
                what: "the project root",
                ..
            })
        ));
        let inside = check_dest(&root.join("book/out"), &root).unwrap_err();
        assert!(
            matches!(inside, DestError::InsideInput { input: "book", .. }),
            "{inside:?}"
        );
        assert!(
            inside
                .to_string()
                .contains("is inside book/, which kubebook reads")
        );
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(t.path(), root.join("link")).unwrap();
            assert!(matches!(
                check_dest(&root.join("link"), &root),
                Err(DestError::Symlink { .. })
            ));
        }
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
    fn image_rules() {
        let t = tempfile::tempdir().unwrap();
        let root = t.path();
        std::fs::create_dir_all(root.join("book/images")).unwrap();
        std::fs::write(root.join("book/images/a.svg"), "<svg/>").unwrap();
        std::fs::write(root.join("book/images/notes.txt"), "x").unwrap();
        assert!(image_file(root, "images/a.svg").is_ok());
        assert_eq!(image_file(root, "../a.svg"), Err(ImageError::OutsideImages));
        assert_eq!(
            image_file(root, "images/../../x.svg"),
            Err(ImageError::OutsideImages)
        );
        assert_eq!(
            image_file(root, "images/notes.txt"),
            Err(ImageError::NotAnImage)
        );
        let missing = image_file(root, "images/none.png").unwrap_err();
        assert_eq!(missing, ImageError::Input(InputError::NotFound));
        assert_eq!(missing.to_string(), "it does not exist");
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
