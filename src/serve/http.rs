//! The small HTTP/1.1 server under `kubebook serve`. Every limit a hostile or broken client
//! could push against is stated here: the request head is capped (431 beyond it), reads and
//! writes time out, connections wait in a bounded queue (503 when it is full), and every
//! response closes its connection. Live-reload streams get a thread and a bounded queue of
//! their own ([`EventClients`]), so a client that never reads blocks nobody.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Request line plus headers; browsers send well under 8 KiB.
pub(super) const MAX_HEAD_BYTES: usize = 16 * 1024;
/// How long a client may take to take a response off our hands.
pub(super) const IO_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a client may take to send its whole request head, however it trickles in
/// (a byte every few seconds does not keep a connection alive).
pub(super) const HEAD_DEADLINE: Duration = Duration::from_secs(10);
/// Open live-reload streams at most (each holds a thread and a socket).
pub(super) const MAX_EVENT_CLIENTS: usize = 256;
/// Events queued for one stream; a client further behind than this is dropped (its browser
/// reconnects by itself and gets the current state).
const EVENT_QUEUE: usize = 16;
/// A stream write that takes longer than this means the client stopped reading.
const EVENT_WRITE_TIMEOUT: Duration = Duration::from_secs(5);
/// How often a stream checks that its client is still there, and sends a keep-alive comment
/// (which also finds connections that vanished without a FIN).
const EVENT_POLL: Duration = Duration::from_millis(500);
const KEEPALIVE_EVERY: u32 = 30;

#[derive(Debug, PartialEq, Eq)]
pub(super) enum HeadError {
    /// The request line and headers exceed [`MAX_HEAD_BYTES`].
    TooLarge,
    Malformed,
    /// Timed out or closed before the head was complete.
    Io,
}

/// Method and target of a request, read from `r` without reading more than `max` bytes of
/// head (what follows the head, a body, is never read).
pub(super) fn read_head(r: &mut impl Read, max: usize) -> Result<(String, String), HeadError> {
    let mut buf: Vec<u8> = Vec::with_capacity(1024);
    let mut chunk = [0u8; 2048];
    let end = loop {
        if let Some(i) = head_end(&buf) {
            break i;
        }
        if buf.len() >= max {
            return Err(HeadError::TooLarge);
        }
        let want = chunk.len().min(max - buf.len());
        match r.read(&mut chunk[..want]) {
            Ok(0) | Err(_) => return Err(HeadError::Io),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    };
    let head = std::str::from_utf8(&buf[..end]).map_err(|_| HeadError::Malformed)?;
    let line = head.lines().next().unwrap_or("");
    let mut parts = line.split(' ');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(m), Some(t), Some(v), None)
            if !m.is_empty() && !t.is_empty() && v.starts_with("HTTP/1.") =>
        {
            Ok((m.to_string(), t.to_string()))
        }
        _ => Err(HeadError::Malformed),
    }
}

/// Where the blank line ending the head is, if it has arrived.
fn head_end(buf: &[u8]) -> Option<usize> {
    let crlf = buf.windows(4).position(|w| w == b"\r\n\r\n");
    let lf = buf.windows(2).position(|w| w == b"\n\n");
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Reads from a socket until a deadline for all reads together.
pub(super) struct Deadline<'a> {
    stream: &'a TcpStream,
    until: std::time::Instant,
}

impl<'a> Deadline<'a> {
    pub(super) fn new(stream: &'a TcpStream, limit: Duration) -> Deadline<'a> {
        Deadline {
            stream,
            until: std::time::Instant::now() + limit,
        }
    }
}

impl Read for Deadline<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let left = self
            .until
            .saturating_duration_since(std::time::Instant::now());
        if left.is_zero() {
            return Err(std::io::ErrorKind::TimedOut.into());
        }
        self.stream.set_read_timeout(Some(left))?;
        let mut s = self.stream;
        s.read(buf)
    }
}

/// Write a whole response and close. Errors are the client's problem: it went away.
pub(super) fn respond(mut s: TcpStream, status: &str, ctype: &str, body: &[u8], head: bool) {
    let header = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = s.set_write_timeout(Some(IO_TIMEOUT));
    let _ = s.write_all(header.as_bytes());
    if !head {
        let _ = s.write_all(body);
    }
    let _ = s.flush();
    let _ = s.shutdown(std::net::Shutdown::Write);
}

/// The open live-reload streams: one bounded queue each.
#[derive(Clone, Default)]
pub(super) struct EventClients {
    queues: Arc<Mutex<Vec<Queue>>>,
}

/// A stream's queue and whether its thread still runs.
struct Queue {
    tx: SyncSender<Arc<str>>,
    open: Arc<AtomicBool>,
}

impl EventClients {
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Queue>> {
        self.queues.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queue one event for every stream; never blocks. Streams whose queue is full (a client
    /// that stopped reading) or whose thread ended (a client that went away) are dropped.
    pub(super) fn broadcast(&self, event: &str, data: &str) {
        let msg: Arc<str> = format!("event: {event}\ndata: {data}\n\n").into();
        self.lock().retain(|q| match q.tx.try_send(msg.clone()) {
            Ok(()) => true,
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => false,
        });
    }

    /// Take over `stream` as an event stream that starts with `hello`. Returns the stream
    /// back when there are too many already.
    pub(super) fn add(&self, stream: TcpStream, hello: String) -> Result<(), TcpStream> {
        let mut qs = self.lock();
        // Streams whose client went away free their place at once, not at the next event.
        qs.retain(|q| q.open.load(Ordering::SeqCst));
        if qs.len() >= MAX_EVENT_CLIENTS {
            return Err(stream);
        }
        let Ok(own) = stream.try_clone() else {
            return Err(stream);
        };
        let (tx, rx) = mpsc::sync_channel::<Arc<str>>(EVENT_QUEUE);
        let _ = tx.try_send(hello.into());
        let open = Arc::new(AtomicBool::new(true));
        let flag = open.clone();
        let spawned = std::thread::Builder::new()
            .name("kubebook-events".into())
            .stack_size(128 * 1024)
            .spawn(move || {
                stream_events(own, rx);
                flag.store(false, Ordering::SeqCst);
            });
        match spawned {
            Ok(_) => {
                qs.push(Queue { tx, open });
                Ok(())
            }
            Err(_) => Err(stream),
        }
    }
}

/// One stream's thread: write queued events (with a write timeout), check every
/// [`EVENT_POLL`] that the client is still connected, send a keep-alive now and then. Ends,
/// closing the socket, when the client goes, stops reading, or is dropped by `broadcast`.
fn stream_events(mut s: TcpStream, rx: Receiver<Arc<str>>) {
    let _ = s.set_write_timeout(Some(EVENT_WRITE_TIMEOUT));
    let mut idle = 0u32;
    loop {
        let msg = match rx.recv_timeout(EVENT_POLL) {
            Ok(m) => m,
            Err(RecvTimeoutError::Disconnected) => break,
            Err(RecvTimeoutError::Timeout) => {
                if peer_closed(&s) {
                    break;
                }
                idle += 1;
                if idle < KEEPALIVE_EVERY {
                    continue;
                }
                Arc::from(": keep-alive\n\n")
            }
        };
        idle = 0;
        if s.write_all(msg.as_bytes()).and_then(|_| s.flush()).is_err() {
            break;
        }
    }
    let _ = s.shutdown(std::net::Shutdown::Both);
}

/// Has the client closed its side? An EventSource never sends after its request, so readable
/// data or end-of-stream both mean the connection is over or misused.
fn peer_closed(s: &TcpStream) -> bool {
    if s.set_nonblocking(true).is_err() {
        return true;
    }
    let mut b = [0u8; 1];
    let closed = match s.peek(&mut b) {
        Ok(_) => true,
        Err(e) => e.kind() != std::io::ErrorKind::WouldBlock,
    };
    let _ = s.set_nonblocking(false);
    closed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_are_parsed_and_bounded() {
        let ok = |t: &str| read_head(&mut t.as_bytes(), MAX_HEAD_BYTES);
        assert_eq!(
            ok("GET /a.html HTTP/1.1\r\nHost: x\r\n\r\n"),
            Ok(("GET".into(), "/a.html".into()))
        );
        assert_eq!(ok("GET / HTTP/1.0\n\n").map(|h| h.1), Ok("/".into()));
        assert_eq!(ok("GARBAGE\r\n\r\n"), Err(HeadError::Malformed));
        assert_eq!(ok("GET / HTTP/1.1\r\nHost: x"), Err(HeadError::Io));
        let big = format!("GET / HTTP/1.1\r\nX-Big: {}", "a".repeat(100_000));
        assert_eq!(ok(&big), Err(HeadError::TooLarge));
    }
}
