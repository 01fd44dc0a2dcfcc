//! `kubebook serve` over real HTTP on an ephemeral port: pages, live reload events, the error
//! overlay with the last good pages kept, traversal attempts, many connections, atomic saves.

use crate::common;
use common::Project;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(p: &Project) -> Server {
    let mut child = common::kubebook_cmd()
        .args(["serve", "--port", "0"])
        .arg(p.root())
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    Server { child, addr }
}

/// A raw HTTP/1.1 request; returns (status code, body).
fn request(addr: &str, method: &str, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    let text = String::from_utf8_lossy(&buf).to_string();
    let code = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (code, body)
}

fn get(addr: &str, path: &str) -> (u16, String) {
    request(addr, "GET", path)
}

/// Subscribe to the event stream; events arrive on the channel as (event, data).
fn events(addr: &str) -> mpsc::Receiver<(String, String)> {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(s, "GET /__kubebook/events HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut r = BufReader::new(s);
        let mut event = String::new();
        let mut line = String::new();
        while r.read_line(&mut line).map(|n| n > 0).unwrap_or(false) {
            let l = line.trim_end().to_string();
            line.clear();
            if let Some(e) = l.strip_prefix("event: ") {
                event = e.to_string();
            } else if let Some(d) = l.strip_prefix("data: ")
                && tx.send((event.clone(), d.to_string())).is_err()
            {
                return;
            }
        }
    });
    std::thread::sleep(Duration::from_millis(200));
    rx
}

fn wait_for(rx: &mpsc::Receiver<(String, String)>, event: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(15);
    while Instant::now() < deadline {
        if let Ok((e, d)) = rx.recv_timeout(Duration::from_millis(200))
            && e == event
        {
            return d;
        }
    }
    panic!("no `{event}` event within 15 s");
}

fn book() -> Project {
    let p = Project::new();
    p.chapter("01-one.md", "One", "## Start\n\nFirst version.\n");
    p.chapter("02-two.md", "Two", "## Other\n\nUntouched.\n");
    p
}

#[test]
fn serves_pages_with_live_reload_script() {
    let p = book();
    let s = start(&p);
    let (code, body) = get(&s.addr, "/");
    assert_eq!(code, 200);
    assert!(body.contains("/__kubebook/events"), "live reload injected");
    let (code, body) = get(&s.addr, "/01-one.html");
    assert_eq!(code, 200);
    assert!(body.contains("First version."));
    let (code, body) = get(&s.addr, "/missing.html");
    assert_eq!(code, 404);
    assert!(body.contains("Page not found"), "theme's 404 page");
    let (code, body) = request(&s.addr, "HEAD", "/01-one.html");
    assert_eq!((code, body.as_str()), (200, ""));
    assert_eq!(request(&s.addr, "POST", "/01-one.html").0, 405);
    // The built site on disk has no live-reload script: it is what `build` writes.
    let on_disk = std::fs::read_to_string(p.root().join("site/01-one.html")).unwrap();
    assert!(!on_disk.contains("__kubebook"));
}

#[test]
fn edit_reloads_only_affected_pages() {
    let p = book();
    let s = start(&p);
    let rx = events(&s.addr);
    p.chapter("01-one.md", "One", "## Start\n\nSecond version.\n");
    let data = wait_for(&rx, "reload");
    assert!(data.contains("01-one.html"), "{data}");
    assert!(
        !data.contains("02-two.html"),
        "untouched chapter is not reloaded: {data}"
    );
    assert!(get(&s.addr, "/01-one.html").1.contains("Second version."));
    // A rename-style atomic save (write a temp file, rename over the chapter).
    let tmp = p.root().join("book/.01-one.md.tmp");
    std::fs::write(&tmp, "---\ntitle: One\n---\n## Start\n\nThird version.\n").unwrap();
    std::fs::rename(&tmp, p.root().join("book/01-one.md")).unwrap();
    wait_for(&rx, "reload");
    assert!(get(&s.addr, "/01-one.html").1.contains("Third version."));
}

#[test]
fn broken_save_keeps_last_good_page_and_reports() {
    let p = book();
    let s = start(&p);
    let rx = events(&s.addr);
    p.chapter(
        "01-one.md",
        "One",
        "## Start\n\nBroken version.\n\n```yaml lab=x file=p.yaml\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: \"nginx:1.27.3\", comand: [sh]}]\n```\n",
    );
    let data = wait_for(&rx, "error");
    let v: serde_json::Value = serde_json::from_str(&data).unwrap();
    let text = v["text"].as_str().unwrap();
    assert!(text.contains("error[K8S001]"), "{text}");
    assert!(text.contains("book/01-one.md:13:"), "{text}");
    let (code, body) = get(&s.addr, "/01-one.html");
    assert_eq!(code, 200);
    assert!(
        body.contains("First version."),
        "last good page still served"
    );
    // A new browser tab learns about the error at once.
    let late = events(&s.addr);
    assert!(wait_for(&late, "error").contains("K8S001"));
    // Fix it: the overlay goes away and the page reloads.
    p.chapter("01-one.md", "One", "## Start\n\nFixed version.\n");
    wait_for(&rx, "ok");
    wait_for(&rx, "reload");
    assert!(get(&s.addr, "/01-one.html").1.contains("Fixed version."));
    let (_, status) = get(&s.addr, "/__kubebook/status");
    assert!(status.contains("\"error\":null"), "{status}");
}

#[test]
fn traversal_attempts_never_leave_the_site() {
    let p = book();
    p.write("secret.txt", "TOP SECRET");
    let s = start(&p);
    #[cfg(unix)]
    std::os::unix::fs::symlink(p.root().join("secret.txt"), p.root().join("site/link.txt"))
        .unwrap();
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "//secret.txt",
        "/labs/../../secret.txt",
        "/link.txt",
        "/%00",
        "/%zz",
    ] {
        let (code, body) = get(&s.addr, path);
        assert!(code == 400 || code == 404, "{path}: {code}");
        assert!(!body.contains("TOP SECRET"), "{path}");
    }
}

#[test]
fn holds_many_concurrent_connections() {
    let p = book();
    let s = start(&p);
    // 150 open event streams ...
    let streams: Vec<TcpStream> = (0..150)
        .map(|_| {
            let mut t = TcpStream::connect(&s.addr).unwrap();
            write!(t, "GET /__kubebook/events HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
            t
        })
        .collect();
    // ... and 50 page loads at once, all answered promptly.
    let t0 = Instant::now();
    let handles: Vec<_> = (0..50)
        .map(|_| {
            let addr = s.addr.clone();
            std::thread::spawn(move || get(&addr, "/01-one.html").0)
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), 200);
    }
    assert!(
        t0.elapsed() < Duration::from_secs(5),
        "page loads stalled: {:?}",
        t0.elapsed()
    );
    // The streams are live: an edit reaches them.
    p.chapter("01-one.md", "One", "## Start\n\nBurst.\n");
    let mut first = streams.into_iter().next().unwrap();
    first
        .set_read_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    let mut buf = [0u8; 4096];
    let mut seen = String::new();
    let deadline = Instant::now() + Duration::from_secs(15);
    while !seen.contains("event: reload") && Instant::now() < deadline {
        let n = first.read(&mut buf).unwrap_or(0);
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    assert!(seen.contains("event: reload"), "{seen}");
}

#[test]
fn output_directory_matches_kubebook_build() {
    let p = book();
    let s = start(&p);
    let rx = events(&s.addr);
    p.chapter("01-one.md", "One", "## Start\n\nEdited while serving.\n");
    wait_for(&rx, "reload");
    // The search index and the files on disk follow the reload; give them a moment.
    let deadline = Instant::now() + Duration::from_secs(10);
    let built = tempfile::tempdir().unwrap();
    let dest = built.path().join("site");
    let r = common::kubebook_cmd()
        .args(["build", "--dest"])
        .arg(&dest)
        .arg(p.root())
        .output()
        .unwrap();
    assert!(r.status.success());
    let listing = |root: &std::path::Path| -> Vec<(String, Vec<u8>)> {
        let mut v: Vec<(String, Vec<u8>)> = walk(root)
            .into_iter()
            .map(|f| {
                (
                    f.strip_prefix(root).unwrap().display().to_string(),
                    std::fs::read(&f).unwrap(),
                )
            })
            .collect();
        v.sort();
        v
    };
    let want = listing(&dest);
    loop {
        let got = listing(&p.root().join("site"));
        if got == want {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "serve's output differs from kubebook build: {:?}",
            got.iter().map(|(n, _)| n).collect::<Vec<_>>()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // And what it serves is the same bytes, plus the live-reload script on HTML pages.
    let (_, body) = get(&s.addr, "/search-index.js");
    assert_eq!(
        body.as_bytes(),
        std::fs::read(dest.join("search-index.js")).unwrap()
    );
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().filter_map(Result::ok) {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

// ---- red-team findings (../shared/reference/redteam.md) ----

#[test]
fn s06_oversized_request_head_gets_431_and_bounded_memory() {
    let p = book();
    let s = start(&p);
    let pid = s.child.id();
    let rss0 = rss_kib(pid);
    let mut t = TcpStream::connect(&s.addr).unwrap();
    t.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    t.write_all(b"GET / HTTP/1.1\r\nX-Big: ").unwrap();
    // Keep sending a header without a newline: the server answers and stops reading.
    let chunk = vec![b'a'; 64 * 1024];
    let mut sent = 0usize;
    while sent < 64 * 1024 * 1024 {
        match t.write(&chunk) {
            Ok(n) => sent += n,
            Err(_) => break,
        }
    }
    let mut buf = Vec::new();
    let _ = t.read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf);
    assert!(text.starts_with("HTTP/1.1 431"), "{text}");
    assert!(
        sent < 64 * 1024 * 1024,
        "the server kept reading the header"
    );
    let rss1 = rss_kib(pid);
    assert!(
        rss1 < rss0 + 16 * 1024,
        "RSS grew from {rss0} to {rss1} KiB"
    );
    // A long but legal URL is still served.
    assert_eq!(get(&s.addr, &format!("/?{}", "q".repeat(4000))).0, 200);
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn open_fds(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .map(|d| d.count())
        .unwrap_or(0)
}

#[test]
fn s07_closed_event_streams_are_released() {
    let p = book();
    let s = start(&p);
    let pid = s.child.id();
    let before = open_fds(pid);
    for _ in 0..300 {
        let mut t = TcpStream::connect(&s.addr).unwrap();
        write!(t, "GET /__kubebook/events HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let mut b = [0u8; 64];
        t.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let _ = t.read(&mut b);
    }
    // No save, no broadcast: the streams notice their clients left by themselves.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let now = open_fds(pid);
        if now <= before + 10 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{now} fds still open ({before} before 300 closed streams)"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(get(&s.addr, "/").0, 200);
}

/// A connected socket whose receive buffer is 1 KiB and that never reads: the client of S11.
#[cfg(target_os = "linux")]
fn stalled_client(addr: &str) -> TcpStream {
    use std::os::fd::FromRawFd;
    let sa: std::net::SocketAddrV4 = addr.parse().unwrap();
    // SAFETY: plain socket calls on a descriptor this function owns until it is wrapped.
    unsafe {
        let fd = libc::socket(libc::AF_INET, libc::SOCK_STREAM, 0);
        assert!(fd >= 0);
        let size: libc::c_int = 1024;
        libc::setsockopt(
            fd,
            libc::SOL_SOCKET,
            libc::SO_RCVBUF,
            &size as *const _ as *const libc::c_void,
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        );
        let sin = libc::sockaddr_in {
            sin_family: libc::AF_INET as libc::sa_family_t,
            sin_port: sa.port().to_be(),
            sin_addr: libc::in_addr {
                s_addr: u32::from(*sa.ip()).to_be(),
            },
            sin_zero: [0; 8],
        };
        let rc = libc::connect(
            fd,
            &sin as *const _ as *const libc::sockaddr,
            std::mem::size_of::<libc::sockaddr_in>() as libc::socklen_t,
        );
        assert_eq!(rc, 0);
        let mut t = TcpStream::from_raw_fd(fd);
        write!(t, "GET /__kubebook/events HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        t
    }
}

#[cfg(target_os = "linux")]
#[test]
fn s11_clients_that_never_read_block_no_page() {
    let p = book();
    let s = start(&p);
    // An error with large diagnostics: 5 fences with a 200 KB info string each.
    let big = format!("```yaml Q{}=1\nx: 1\n```\n\n", "A".repeat(200_000)).repeat(5);
    let rx = events(&s.addr);
    p.chapter("01-one.md", "One", &big);
    wait_for(&rx, "error");
    let stalled: Vec<TcpStream> = (0..8).map(|_| stalled_client(&s.addr)).collect();
    // More errors while they stall: every broadcast must return at once.
    for i in 0..5 {
        p.chapter("01-one.md", "One", &format!("{big}\n[x](#nope{i})\n"));
        std::thread::sleep(Duration::from_millis(150));
    }
    for _ in 0..10 {
        let t0 = Instant::now();
        assert_eq!(get(&s.addr, "/index.html").0, 200);
        assert!(t0.elapsed() < Duration::from_secs(2), "{:?}", t0.elapsed());
    }
    // The reading client still gets events; and a fix still reaches it.
    p.chapter("01-one.md", "One", "## Start\n\nFixed.\n");
    wait_for(&rx, "reload");
    assert!(get(&s.addr, "/01-one.html").1.contains("Fixed."));
    drop(stalled);
}

#[test]
fn s12_serve_refuses_dest_inside_watched_folders() {
    let p = book();
    for dest in ["book/out", "themes/out", "labs/out"] {
        let out = common::kubebook_cmd()
            .args(["serve", "--port", "0", "--dest"])
            .arg(p.root().join(dest))
            .arg(p.root())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{dest}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("inside"), "{err}");
    }
}

#[test]
fn slow_request_heads_wait_on_their_own_threads() {
    // 200 slowloris connections trickling a header each: pages are still answered at once.
    let p = book();
    let s = start(&p);
    let mut slow: Vec<TcpStream> = (0..200)
        .map(|_| {
            let mut t = TcpStream::connect(&s.addr).unwrap();
            t.write_all(b"GET / HTTP/1.1\r\nX-Slow: ").unwrap();
            t
        })
        .collect();
    for round in 0..3 {
        for t in &mut slow {
            let _ = t.write_all(b"a");
        }
        let t0 = Instant::now();
        assert_eq!(get(&s.addr, "/01-one.html").0, 200, "round {round}");
        assert!(t0.elapsed() < Duration::from_secs(2), "{:?}", t0.elapsed());
        std::thread::sleep(Duration::from_millis(200));
    }
}
