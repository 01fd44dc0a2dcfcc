//! `kubebook serve`: build, serve the site from memory on 127.0.0.1, watch the sources,
//! rebuild what changed and tell open pages to reload (Server-Sent Events). A broken save
//! keeps the last good pages and shows the diagnostics in an overlay.

use crate::builder::{BuildError, Builder};
use crate::diag::{self, Report};
use crate::site::{self, Files};
use notify::EventKind;
use notify_debouncer_full::{DebounceEventResult, new_debouncer};
use serde_json::json;
use std::collections::BTreeSet;
use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

mod http;
use http::{EventClients, HeadError};

/// Connections handled at once, each on a small thread of its own (slow clients wait on
/// their own thread, never on another's); beyond this a client gets 503.
const MAX_CONNECTIONS: usize = 1024;
const CONNECTION_STACK: usize = 256 * 1024;
/// The error overlay shows at most this much text (the terminal has all of it).
const MAX_OVERLAY_BYTES: usize = 64 * 1024;

/// Path of the event stream; chosen so it cannot collide with a page of the book.
pub(crate) const EVENTS_PATH: &str = "/__kubebook/events";
const STATUS_PATH: &str = "/__kubebook/status";
const DEBOUNCE: Duration = Duration::from_millis(10);

/// The script added to every served HTML page (never to the built files). A `reload` naming
/// this page patches a chapter in place (fetch, compare with the served copy, swap the changed
/// elements, `window.kubebook.refresh`); a theme change, a changed page shell or any failure
/// reloads the page.
fn live_reload_script() -> &'static str {
    static SCRIPT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SCRIPT.get_or_init(|| {
        format!(
            "<script>(function(){{var EVENTS_PATH={};\n{}}})();</script>",
            serde_json::Value::String(EVENTS_PATH.into()),
            include_str!("serve/live-reload.js")
        )
    })
}

/// What the server shows: the last good files, and the current error (if the last save broke
/// the book).
struct State {
    files: Files,
    error: Option<String>,
    generation: u64,
}

type Clients = EventClients;

/// Why `serve` could not start. The CLI prints it and exits 2.
#[derive(Debug)]
pub(crate) enum ServeError {
    /// The project has no `book/` folder.
    NoBook(PathBuf),
    /// The destination was refused (`fsx::check_dest`).
    Dest(crate::fsx::DestError),
    /// `--bind` is not an IP address.
    Bind(String),
    /// The port could not be bound.
    Listen {
        addr: String,
        source: std::io::Error,
    },
    /// The file watcher could not start.
    Watch(notify::Error),
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServeError::NoBook(root) => write!(f, "{} has no book/ directory", root.display()),
            ServeError::Dest(why) => why.fmt(f),
            ServeError::Bind(bind) => write!(
                f,
                "--bind {bind} is not an IP address\n  = hint: use 127.0.0.1 (default) or 0.0.0.0 to listen on every interface"
            ),
            ServeError::Listen { addr, source } => {
                write!(
                    f,
                    "cannot listen on {addr}: {source}\n  = hint: pick another --port"
                )
            }
            ServeError::Watch(why) => write!(f, "cannot watch files: {why}"),
        }
    }
}

impl std::error::Error for ServeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ServeError::Dest(e) => Some(e),
            ServeError::Listen { source, .. } => Some(source),
            ServeError::Watch(e) => Some(e),
            ServeError::NoBook(_) | ServeError::Bind(_) => None,
        }
    }
}

/// Build, serve and watch until Ctrl-C; an error only when serving could not start.
pub(crate) fn run(
    root: &Path,
    dest: Option<PathBuf>,
    bind: &str,
    port: u16,
    open: bool,
) -> Result<(), ServeError> {
    if !crate::project::Project::new(root).exists() {
        return Err(ServeError::NoBook(root.to_path_buf()));
    }
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let dest = crate::project::Project::new(&root).site(dest);
    // A destination inside the watched folders would trigger a rebuild with every write.
    let dest = crate::fsx::check_dest(&dest, &root).map_err(ServeError::Dest)?;
    let listener = listen(bind, port)?;
    let local = listener.local_addr().ok();
    let addr = local.map(|a| a.to_string()).unwrap_or_default();

    let mut builder = Rebuilder::new(&root, &dest);
    let state = Arc::new(RwLock::new(State {
        files: Files::new(),
        error: None,
        generation: 0,
    }));
    let clients = EventClients::default();
    builder.rebuild(&state, &clients, None);

    println!(
        "serving {} on http://{addr}/ (Ctrl-C to stop)",
        root.display()
    );
    let _ = std::io::stdout().flush();
    if open {
        open_browser(&format!("http://{addr}/"));
    }
    let stop = stop_on_ctrl_c(local);
    // Watch the sources; rebuild on a worker thread so requests are never blocked.
    let (tx, rx) = mpsc::channel::<Vec<PathBuf>>();
    let watcher = watch_sources(&root, tx)?;
    spawn_rebuilds(rx, builder, state.clone(), clients.clone());
    serve_connections(&listener, &state, &clients, &stop);
    drop(watcher);
    eprintln!("stopped");
    Ok(())
}

/// Bind `bind:port` (a warning when other machines can reach it).
fn listen(bind: &str, port: u16) -> Result<TcpListener, ServeError> {
    let ip: std::net::IpAddr = bind
        .parse()
        .map_err(|_| ServeError::Bind(bind.to_string()))?;
    if !ip.is_loopback() {
        eprintln!("warning: serving on {ip}: other machines on the network can read the book");
    }
    TcpListener::bind((ip, port)).map_err(|source| ServeError::Listen {
        addr: format!("{ip}:{port}"),
        source,
    })
}

/// A flag Ctrl-C sets; the handler also wakes the accept loop (on `local`) so it sees it.
fn stop_on_ctrl_c(local: Option<std::net::SocketAddr>) -> Arc<AtomicBool> {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let _ = ctrlc::set_handler(move || {
        flag.store(true, Ordering::SeqCst);
        if let Some(a) = local {
            let _ = TcpStream::connect(a);
        }
    });
    stop
}

type Watcher = notify_debouncer_full::Debouncer<
    notify::RecommendedWatcher,
    notify_debouncer_full::RecommendedCache,
>;

/// Watch book/, themes/ and labs/ (those that exist); each debounced batch of changed
/// paths (accesses left out) goes to `tx`. Watching stops when the watcher is dropped.
fn watch_sources(root: &Path, tx: mpsc::Sender<Vec<PathBuf>>) -> Result<Watcher, ServeError> {
    let mut watcher = new_debouncer(DEBOUNCE, None, move |res: DebounceEventResult| {
        if let Ok(events) = res {
            let paths: Vec<PathBuf> = events
                .iter()
                .filter(|e| !matches!(e.kind, EventKind::Access(_)))
                .flat_map(|e| e.paths.iter().cloned())
                .collect();
            if !paths.is_empty() {
                let _ = tx.send(paths);
            }
        }
    })
    .map_err(ServeError::Watch)?;
    for dir in ["book", "themes", "labs"] {
        let p = root.join(dir);
        if p.exists()
            && let Err(e) = watcher.watch(&p, notify::RecursiveMode::Recursive)
        {
            eprintln!("warning: cannot watch {}: {e}", p.display());
        }
    }
    Ok(watcher)
}

/// The rebuild thread: one rebuild per burst of changes that touch the book.
fn spawn_rebuilds(
    rx: mpsc::Receiver<Vec<PathBuf>>,
    mut builder: Rebuilder,
    state: Arc<RwLock<State>>,
    clients: Clients,
) {
    std::thread::spawn(move || {
        while let Ok(mut paths) = rx.recv() {
            // Coalesce a burst of batches into one rebuild.
            while let Ok(more) = rx.recv_timeout(Duration::from_millis(5)) {
                paths.extend(more);
            }
            let relevant: Vec<PathBuf> = paths
                .into_iter()
                .filter(|p| relevant_path(&builder.root, &builder.dest, p))
                .collect();
            if relevant.is_empty() {
                continue;
            }
            builder.rebuild(&state, &clients, Some(&relevant));
        }
    });
}

/// Accept connections, each handled on a thread of its own, at most [`MAX_CONNECTIONS`] at
/// once; every response closes its connection, event streams move to threads of their own
/// ([`EventClients`]). Memory is bounded: threads × (stack + request head limit).
fn serve_connections(
    listener: &TcpListener,
    state: &Arc<RwLock<State>>,
    clients: &Clients,
    stop: &AtomicBool,
) {
    let active = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    for conn in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let Ok(s) = conn else { continue };
        if active.load(Ordering::SeqCst) >= MAX_CONNECTIONS {
            // Small enough for the socket buffer: this write does not wait for the client.
            http::respond(s, "503 Service Unavailable", TEXT, b"busy, retry\n", false);
            continue;
        }
        let slot = Slot::take(&active);
        let state = state.clone();
        let clients = clients.clone();
        let spawned = std::thread::Builder::new()
            .name("kubebook-http".into())
            .stack_size(CONNECTION_STACK)
            .spawn(move || {
                let _slot = slot;
                handle_connection(s, &state, &clients);
            });
        if spawned.is_err() {
            eprintln!("warning: cannot start a thread for a connection");
        }
    }
}

/// One of the [`MAX_CONNECTIONS`] places, given back when dropped (also on a panic).
struct Slot(Arc<std::sync::atomic::AtomicUsize>);

impl Slot {
    fn take(active: &Arc<std::sync::atomic::AtomicUsize>) -> Slot {
        active.fetch_add(1, Ordering::SeqCst);
        Slot(active.clone())
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

const TEXT: &str = "text/plain; charset=utf-8";

/// Read one request within the head limit and timeouts, then answer it.
fn handle_connection(s: TcpStream, state: &RwLock<State>, clients: &Clients) {
    let mut timed = http::Deadline::new(&s, http::HEAD_DEADLINE);
    match http::read_head(&mut timed, http::MAX_HEAD_BYTES) {
        Ok((method, url)) => handle(s, &method, &url, state, clients),
        Err(HeadError::TooLarge) => http::respond(
            s,
            "431 Request Header Fields Too Large",
            TEXT,
            b"request line and headers are limited to 16 KiB\n",
            false,
        ),
        Err(HeadError::Malformed) => {
            http::respond(s, "400 Bad Request", TEXT, b"bad request\n", false)
        }
        Err(HeadError::Io) => {}
    }
}

/// Is this changed path one that affects the book (and not our own output or editor litter)?
fn relevant_path(root: &Path, dest: &Path, p: &Path) -> bool {
    if p.starts_with(dest) {
        return false;
    }
    // Our own temporary and parked directories, wherever they are (S12).
    if p.components().any(|c| {
        let c = c.as_os_str().to_string_lossy();
        c.contains(".kubebook-tmp-") || c.contains(".kubebook-old-")
    }) {
        return false;
    }
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    if name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.starts_with(".#")
        || name == "4913"
        || name.contains(".kubebook-tmp-")
    {
        return false;
    }
    ["book", "themes", "labs"]
        .iter()
        .any(|d| p.starts_with(root.join(d)))
}

/// The site builder of every save, and where its files go.
struct Rebuilder {
    root: PathBuf,
    dest: PathBuf,
    builder: Builder,
}

impl Rebuilder {
    fn new(root: &Path, dest: &Path) -> Rebuilder {
        Rebuilder {
            root: root.to_path_buf(),
            dest: dest.to_path_buf(),
            builder: Builder::new(root),
        }
    }

    /// Rebuild, swap in the new files, tell the browsers which pages changed, then write the
    /// same files to the output directory (what `kubebook build` writes).
    fn rebuild(&mut self, state: &RwLock<State>, clients: &Clients, changed: Option<&[PathBuf]>) {
        let t0 = Instant::now();
        let theme_changed = changed.is_none_or(|c| {
            c.iter().any(|p| {
                p.starts_with(self.root.join(crate::project::paths::THEMES))
                    || p.ends_with("book.toml")
            })
        });
        let build = match self.builder.build(theme_changed, false) {
            Ok(b) => b,
            Err(BuildError::Load(report)) => {
                return self.fail(state, clients, &report, &diag::Sources::default());
            }
            Err(BuildError::Book(out)) => {
                return self.fail(state, clients, &out.report, &out.book.sources);
            }
            Err(BuildError::Theme(d, sources)) => {
                let mut r = Report::default();
                r.push(d);
                return self.fail(state, clients, &r, &sources);
            }
        };
        let crate::builder::Build {
            out,
            pages: mut files,
            checks: t_pipeline,
        } = build;
        cli_print(&out.report, &out.book.sources);
        let (pages, had_error) = {
            let mut st = state.write().unwrap_or_else(|e| e.into_inner());
            // Until the new index is built (after the reload below), serve the previous one.
            if let Some(old) = st.files.get(site::SEARCH_INDEX) {
                files.insert(site::SEARCH_INDEX.into(), old.clone());
            }
            let pages = changed_pages(&st.files, &files);
            st.files = files;
            st.generation += 1;
            (pages, st.error.take().is_some())
        };
        if had_error {
            broadcast(clients, "ok", "{}");
        }
        if !pages.is_empty() {
            let list: Vec<&str> = pages.iter().map(String::as_str).collect();
            broadcast(clients, "reload", &json!(list).to_string());
        }
        let elapsed = t0.elapsed();
        // Off the hot path: the search index, then the output directory.
        let index = site::search_index(&out).into_bytes();
        let files = {
            let mut st = state.write().unwrap_or_else(|e| e.into_inner());
            st.files.insert(site::SEARCH_INDEX.into(), index);
            st.files.clone()
        };
        if let Err(e) = site::write_atomic(&self.dest, &self.root, &files) {
            eprintln!("warning: cannot write {}: {e}", self.dest.display());
        }
        if changed.is_some() {
            eprintln!(
                "rebuilt in {} ms (checks {} ms); reloaded {}",
                elapsed.as_millis(),
                t_pipeline.as_millis(),
                if pages.is_empty() {
                    "nothing".to_string()
                } else {
                    pages.iter().cloned().collect::<Vec<_>>().join(", ")
                }
            );
        } else {
            eprintln!(
                "built {} chapters in {} ms",
                out.book.chapters.len(),
                elapsed.as_millis()
            );
        }
    }

    fn fail(
        &self,
        state: &RwLock<State>,
        clients: &Clients,
        report: &Report,
        sources: &diag::Sources,
    ) {
        cli_print(report, sources);
        let text = overlay_text(report, sources);
        let payload = json!({ "text": text, "errors": report.errors() }).to_string();
        state.write().unwrap_or_else(|e| e.into_inner()).error = Some(payload.clone());
        broadcast(clients, "error", &payload);
        eprintln!(
            "the book has {} error(s); still serving the last good build",
            report.errors()
        );
    }
}

/// The overlay's text: errors rendered until [`MAX_OVERLAY_BYTES`], then a count of the rest,
/// so a book with huge diagnostics does not send megabytes to every browser tab.
fn overlay_text(report: &Report, sources: &diag::Sources) -> String {
    let errors: Vec<&diag::Diagnostic> =
        report.diagnostics.iter().filter(|d| d.is_error()).collect();
    let mut text = String::new();
    for (i, d) in errors.iter().enumerate() {
        let one = diag::render_human(d, sources, false);
        if text.len() + one.len() > MAX_OVERLAY_BYTES {
            text.push_str(&format!(
                "… and {} more error(s); the terminal running `kubebook serve` shows them all\n",
                errors.len() - i
            ));
            break;
        }
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(&one);
    }
    text
}

fn cli_print(report: &Report, sources: &diag::Sources) {
    for d in &report.diagnostics {
        eprintln!("{}", diag::render_human(d, sources, false));
    }
}

/// HTML pages whose bytes differ between two builds (`*` when assets changed: every page).
fn changed_pages(old: &Files, new: &Files) -> BTreeSet<String> {
    let mut pages = BTreeSet::new();
    for (name, bytes) in new {
        if old.get(name) != Some(bytes) {
            if name.ends_with(".html") {
                pages.insert(name.clone());
            } else if name.ends_with(".css")
                || (name.ends_with(".js") && name != site::SEARCH_INDEX)
            {
                pages.insert("*".into());
            }
        }
    }
    pages
}

fn broadcast(clients: &Clients, event: &str, data: &str) {
    clients.broadcast(event, data);
}

/// Decode `%XX`; `None` for malformed escapes or a decoded NUL.
fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    let s = String::from_utf8(out).ok()?;
    (!s.contains('\0')).then_some(s)
}

/// Map a request URL to a site file name, refusing anything that could leave the site:
/// `..`, encoded traversal, backslashes, absolute or empty segments.
pub(crate) fn site_path(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_decode(path)?;
    let rel = decoded.strip_prefix('/')?;
    if rel.contains('\\') || rel.starts_with('/') {
        return None;
    }
    let mut segs = Vec::new();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => return None,
            s => segs.push(s),
        }
    }
    let mut p = segs.join("/");
    if p.is_empty() || rel.ends_with('/') {
        if !p.is_empty() {
            p.push('/');
        }
        p.push_str("index.html");
    }
    Some(p)
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "xml" => "application/xml",
        "yaml" | "yml" | "txt" | "md" | "sh" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn respond(s: TcpStream, status: &str, ctype: &str, body: &[u8], head: bool) {
    http::respond(s, status, ctype, body, head)
}

fn handle(rq: TcpStream, method: &str, url: &str, state: &RwLock<State>, clients: &Clients) {
    let head = method == "HEAD";
    if !(head || method == "GET") {
        respond(
            rq,
            "405 Method Not Allowed",
            "text/plain; charset=utf-8",
            b"only GET and HEAD\n",
            false,
        );
        return;
    }
    if url == EVENTS_PATH {
        return open_event_stream(rq, state, clients);
    }
    if url == STATUS_PATH {
        let st = state.read().unwrap_or_else(|e| e.into_inner());
        let body = json!({ "generation": st.generation, "error": st.error.as_ref().and_then(|e| serde_json::from_str::<serde_json::Value>(e).ok()) }).to_string();
        drop(st);
        respond(rq, "200 OK", "application/json", body.as_bytes(), head);
        return;
    }
    let Some(name) = site_path(url) else {
        respond(
            rq,
            "400 Bad Request",
            "text/plain; charset=utf-8",
            b"bad path\n",
            head,
        );
        return;
    };
    let (status, name, bytes) = lookup(state, name);
    if name.ends_with(".html") {
        let html = String::from_utf8_lossy(&bytes);
        let injected = match html.rfind("</body>") {
            Some(i) => format!("{}{}{}", &html[..i], live_reload_script(), &html[i..]),
            None => format!("{html}{}", live_reload_script()),
        };
        respond(rq, status, content_type(&name), injected.as_bytes(), head);
    } else {
        respond(rq, status, content_type(&name), &bytes, head);
    }
}

/// Hand the connection to the live-reload streams, with the current error (if any) as its
/// first event; 503 when there are too many streams.
fn open_event_stream(rq: TcpStream, state: &RwLock<State>, clients: &Clients) {
    let error = state
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .error
        .clone();
    let mut hello = String::from(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\nretry: 500\n\n",
    );
    if let Some(e) = error {
        hello.push_str(&format!("event: error\ndata: {e}\n\n"));
    }
    // The stream's own thread writes the hello too: a client that never reads must not
    // hold this worker (S11).
    if let Err(s) = clients.add(rq, hello) {
        respond(
            s,
            "503 Service Unavailable",
            TEXT,
            b"too many live-reload streams\n",
            false,
        );
    }
}

/// The site file a name serves: the file, else the folder's `index.html`, else the book's
/// 404 page. Returns the status, the name served (for its content type) and its bytes.
fn lookup(state: &RwLock<State>, name: String) -> (&'static str, String, Vec<u8>) {
    let st = state.read().unwrap_or_else(|e| e.into_inner());
    if let Some(b) = st.files.get(&name) {
        return ("200 OK", name, b.clone());
    }
    let index = format!("{name}/index.html");
    if let Some(b) = st.files.get(&index) {
        return ("200 OK", index, b.clone());
    }
    let page = st
        .files
        .get(crate::site::NOT_FOUND)
        .cloned()
        .unwrap_or_else(|| b"not found\n".to_vec());
    ("404 Not Found", crate::site::NOT_FOUND.to_string(), page)
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(opener)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .is_err()
    {
        eprintln!("warning: could not open a browser ({opener}); open {url} yourself");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_site() {
        assert_eq!(site_path("/").as_deref(), Some("index.html"));
        assert_eq!(
            site_path("/06-a.html?x=1#top").as_deref(),
            Some("06-a.html")
        );
        assert_eq!(
            site_path("/labs/x/pod.yaml").as_deref(),
            Some("labs/x/pod.yaml")
        );
        assert_eq!(site_path("/images/").as_deref(), Some("images/index.html"));
        assert_eq!(site_path("/a%20b.html").as_deref(), Some("a b.html"));
        for bad in [
            "/../Cargo.toml",
            "/%2e%2e/Cargo.toml",
            "/labs/..%2f..%2fetc/passwd",
            "/..\\..\\x",
            "/a%5c..%5cb",
            "//etc/passwd",
            "relative",
            "/%zz",
            "/a%00b",
            "/x/../../y",
        ] {
            assert_eq!(site_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn s12_own_temporary_directories_are_not_relevant() {
        let root = Path::new("/p");
        let dest = Path::new("/p/site");
        assert!(relevant_path(root, dest, Path::new("/p/book/01-a.md")));
        for ours in [
            "/p/site/index.html",
            "/p/book/.out.kubebook-tmp-42/index.html",
            "/p/book/.out.kubebook-old-42/images/x.svg",
            "/p/themes/.site.kubebook-tmp-1",
        ] {
            assert!(!relevant_path(root, dest, Path::new(ours)), "{ours}");
        }
    }

    #[test]
    fn changed_pages_lists_html_and_wildcards_assets() {
        let mut a = Files::new();
        a.insert("01.html".into(), b"a".to_vec());
        a.insert("02.html".into(), b"b".to_vec());
        let mut b = a.clone();
        b.insert("02.html".into(), b"c".to_vec());
        assert_eq!(
            changed_pages(&a, &b).into_iter().collect::<Vec<_>>(),
            vec!["02.html"]
        );
        b.insert("style-1.css".into(), b"x".to_vec());
        assert!(changed_pages(&a, &b).contains("*"));
    }
}
