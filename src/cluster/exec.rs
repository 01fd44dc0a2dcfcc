//! Running one console step the way a reader would: `bash` in the lab directory, stdout and
//! stderr together, matched against the expected output, retried while a read-only command
//! does not match yet, bounded by the block's timeout.

use crate::lab::console::Step;
use crate::lab::matcher;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Where and with what environment steps run.
pub(crate) struct Env {
    pub dir: PathBuf,
    pub vars: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Outcome {
    pub end: End,
    pub attempts: u32,
    /// Exit status and output of the last attempt.
    pub exit: i32,
    pub output: String,
    pub elapsed: Duration,
}

/// How a step's last attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum End {
    /// The exit status and the output are what the book says.
    Matched,
    /// It finished, but its exit status or output differ.
    Differs,
    /// Its last attempt ran out of time.
    TimedOut,
    /// Ctrl-C.
    Cancelled,
}

impl Outcome {
    pub(crate) fn ok(&self) -> bool {
        self.end == End::Matched
    }
}

/// Output kept per attempt; a runaway command cannot fill memory.
const MAX_OUTPUT: usize = 1024 * 1024;
const RETRY_PAUSE: Duration = Duration::from_millis(1000);

/// Commands that only read, and so may be run again until their output matches.
pub(crate) fn read_only(command: &str) -> bool {
    let words: Vec<&str> = command.split_whitespace().collect();
    let first = words.first().copied().unwrap_or("");
    match first {
        "kubectl" => {
            // The verb is the first word that is neither a flag nor a flag's value.
            let mut verb = "";
            let mut skip_next = false;
            for w in words.iter().skip(1) {
                if skip_next {
                    skip_next = false;
                } else if matches!(
                    *w,
                    "-n" | "--namespace"
                        | "-l"
                        | "--selector"
                        | "-o"
                        | "--output"
                        | "--request-timeout"
                ) {
                    skip_next = true;
                } else if !w.starts_with('-') {
                    verb = w;
                    break;
                }
            }
            matches!(
                verb,
                "get"
                    | "describe"
                    | "logs"
                    | "top"
                    | "explain"
                    | "api-resources"
                    | "api-versions"
                    | "version"
                    | "cluster-info"
                    | "wait"
                    | "events"
            ) || (verb == "rollout" && words.iter().any(|w| *w == "status" || *w == "history"))
                || (verb == "auth" && words.contains(&"can-i"))
        }
        "helm" => words.get(1).is_some_and(|v| {
            matches!(
                *v,
                "list" | "status" | "get" | "history" | "template" | "lint"
            )
        }),
        "curl" | "wget" | "cat" | "ls" | "grep" | "getent" | "nslookup" | "echo" | "test"
        | "ss" | "ps" | "pgrep" | "stat" | "head" | "tail" | "wc" | "id" | "df" | "free"
        | "uname" | "findmnt" | "lsns" => true,
        _ => false,
    }
}

fn spawn(command: &str, env: &Env, capture: bool) -> std::io::Result<Child> {
    // `{ …; } 2>&1`: what a reader sees in a terminal is stdout and stderr interleaved. No
    // pipefail, as in an interactive shell and in the exported run.sh (D19).
    let script = format!("{{\n{command}\n}} 2>&1");
    let mut c = Command::new("bash");
    c.arg("-c")
        .arg(script)
        .current_dir(&env.dir)
        .stdin(Stdio::null());
    for (k, v) in &env.vars {
        c.env(k, v);
    }
    if capture {
        c.stdout(Stdio::piped()).stderr(Stdio::null());
    } else {
        c.stdout(Stdio::null()).stderr(Stdio::null());
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        // Own process group, so the whole tree (pipes, port-forwards) can be stopped at once.
        c.process_group(0);
    }
    c.spawn()
}

/// Signal a whole process group.
#[cfg(unix)]
fn signal_group(pgid: u32, sig: i32) {
    // SAFETY: kill(2) on a process group this runner created.
    unsafe {
        libc::kill(-(pgid as i32), sig);
    }
}

/// Stop a process and everything it started.
pub(crate) fn kill_tree(child: &mut Child) {
    #[cfg(unix)]
    {
        signal_group(child.id(), libc::SIGTERM);
        let deadline = Instant::now() + Duration::from_millis(500);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = child.try_wait() {
                // The leader is gone; anything left in its group goes too.
                signal_group(child.id(), libc::SIGKILL);
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        signal_group(child.id(), libc::SIGKILL);
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// How long the output may still flow once the step's shell has exited.
const DRAIN: Duration = Duration::from_secs(2);

/// Run once: (exit status, output, timed out, cancelled).
fn attempt(
    command: &str,
    env: &Env,
    limit: Duration,
    cancel: &AtomicBool,
) -> (i32, String, bool, bool) {
    let mut child = match spawn(command, env, true) {
        Ok(c) => c,
        Err(e) => return (127, format!("cannot start bash: {e}"), false, false),
    };
    // The reader fills a shared buffer, so the output read so far can be taken without
    // waiting for the pipe to close: a child left running with the pipe open (`sleep 99 &`)
    // never holds the step up.
    let buf = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
    if let Some(mut out) = child.stdout.take() {
        let buf = buf.clone();
        std::thread::spawn(move || {
            let mut chunk = [0u8; 8192];
            loop {
                match out.read(&mut chunk) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        let mut b = buf.lock().unwrap_or_else(|e| e.into_inner());
                        // Keep the first MiB; drain the rest so the command never blocks.
                        let room = MAX_OUTPUT.saturating_sub(b.len());
                        b.extend_from_slice(&chunk[..n.min(room)]);
                    }
                }
            }
            let _ = done_tx.send(());
        });
    } else {
        drop(done_tx);
    }
    let start = Instant::now();
    let (status, timed_out, cancelled) = loop {
        match child.try_wait() {
            Ok(Some(s)) => break (s.code().unwrap_or(128 + 9), false, false),
            Ok(None) => {}
            Err(_) => break (127, false, false),
        }
        if cancel.load(Ordering::SeqCst) {
            kill_tree(&mut child);
            break (130, false, true);
        }
        if start.elapsed() > limit {
            kill_tree(&mut child);
            break (124, true, false);
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    // The shell is done; what it left running in its group goes with it (D6). `&` in the
    // middle of a step is for the step's own use, not for later steps.
    #[cfg(unix)]
    signal_group(child.id(), libc::SIGKILL);
    let _ = done_rx.recv_timeout(DRAIN);
    let bytes = buf.lock().unwrap_or_else(|e| e.into_inner()).clone();
    (
        status,
        String::from_utf8_lossy(&bytes).into_owned(),
        timed_out,
        cancelled,
    )
}

/// Run a step until it matches (exit status and output) or its time is up.
/// Time a command with its own deadline has, beyond it, to print why it gave up.
const GRACE: Duration = Duration::from_secs(10);

/// The longest deadline a command sets itself: kubectl's `--timeout=DUR` / `--timeout DUR`
/// (Go durations such as `90s`, `2m`, `1m30s`) and `timeout N` (seconds, or with a suffix).
fn own_deadline(command: &str) -> Option<Duration> {
    let words: Vec<&str> = command.split_whitespace().collect();
    let mut best: Option<Duration> = None;
    for (i, w) in words.iter().enumerate() {
        let value = if let Some(v) = w.strip_prefix("--timeout=") {
            Some(v)
        } else if *w == "--timeout" || *w == "timeout" {
            words.get(i + 1).copied()
        } else {
            None
        };
        if let Some(d) = value.and_then(parse_duration) {
            best = Some(best.map_or(d, |b| b.max(d)));
        }
    }
    best
}

/// `120s`, `2m`, `1m30s`, `1h`, `500ms`, or a bare number of seconds (`timeout 5`).
fn parse_duration(v: &str) -> Option<Duration> {
    let v = v.trim_matches(|c| c == '"' || c == '\'');
    if let Ok(n) = v.parse::<u64>() {
        return Some(Duration::from_secs(n));
    }
    let mut total = Duration::ZERO;
    let mut rest = v;
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit())?;
        let n: u64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let (unit, len) = if rest.starts_with("ms") {
            (Duration::from_millis(1), 2)
        } else {
            match rest.chars().next()? {
                'h' => (Duration::from_secs(3600), 1),
                'm' => (Duration::from_secs(60), 1),
                's' => (Duration::from_secs(1), 1),
                _ => return None,
            }
        };
        total += unit.checked_mul(u32::try_from(n).ok()?)?;
        rest = &rest[len..];
    }
    Some(total)
}

pub(crate) fn run_step(
    step: &Step,
    timeout: Duration,
    retry: bool,
    env: &Env,
    cancel: &AtomicBool,
) -> Outcome {
    let start = Instant::now();
    // A command with a deadline of its own (`kubectl wait --timeout=120s`) gets it, plus time
    // to report, even in a block with a shorter timeout (D10).
    let timeout = own_deadline(&step.command).map_or(timeout, |own| timeout.max(own + GRACE));
    let retry = retry || read_only(&step.command);
    let mut attempts = 0;
    loop {
        attempts += 1;
        let left = timeout
            .saturating_sub(start.elapsed())
            .max(Duration::from_millis(100));
        let (exit, output, timed_out, cancelled) = attempt(&step.command, env, left, cancel);
        let end = if cancelled {
            End::Cancelled
        } else if timed_out {
            End::TimedOut
        } else if exit == step.exit && matcher::matches(&step.expected, &output) {
            End::Matched
        } else {
            End::Differs
        };
        let done = matches!(end, End::Matched | End::Cancelled)
            || !retry
            || start.elapsed() + RETRY_PAUSE >= timeout;
        if done {
            return Outcome {
                end,
                attempts,
                exit,
                output,
                elapsed: start.elapsed(),
            };
        }
        let pause_until = Instant::now() + RETRY_PAUSE;
        while Instant::now() < pause_until {
            if cancel.load(Ordering::SeqCst) {
                return Outcome {
                    end: End::Cancelled,
                    attempts,
                    exit,
                    output,
                    elapsed: start.elapsed(),
                };
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Background commands (`… &`) of one lab, stopped when the lab ends.
#[derive(Default)]
pub(crate) struct Background {
    children: Vec<Child>,
}

impl Background {
    pub(crate) fn start(&mut self, command: &str, env: &Env) -> std::io::Result<()> {
        let c = spawn(command, env, false)?;
        self.children.push(c);
        // Give port-forwards and servers a moment to listen before the next step.
        std::thread::sleep(Duration::from_millis(300));
        Ok(())
    }
    pub(crate) fn stop_all(&mut self) {
        for c in &mut self.children {
            kill_tree(c);
        }
        self.children.clear();
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        self.stop_all();
    }
}

/// A line-by-line comparison of expected and actual output for failure reports.
pub(crate) fn diff(expected: &[String], actual: &str) -> String {
    let mut s = String::from("expected:\n");
    for l in expected {
        s.push_str(&format!("  | {l}\n"));
    }
    s.push_str("actual:\n");
    for l in actual.lines().take(60) {
        let mark = if expected.iter().any(|e| matcher::line_matches(e, l)) {
            ' '
        } else {
            '>'
        };
        s.push_str(&format!("{mark} | {l}\n"));
    }
    if actual.lines().count() > 60 {
        s.push_str("  | …\n");
    }
    s
}

pub(crate) fn lab_dir_files(dir: &Path, files: &[(String, String)]) -> std::io::Result<()> {
    for (name, content) in files {
        // Names were checked by `lab::safe_file_name` when the book was loaded.
        let p = dir.join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(p, content)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_with_their_own_deadline_get_it() {
        let s = Duration::from_secs;
        assert_eq!(
            own_deadline("kubectl wait --for=condition=Ready pod/p --timeout=120s"),
            Some(s(120))
        );
        assert_eq!(
            own_deadline("kubectl rollout status deploy/web --timeout 2m"),
            Some(s(120))
        );
        assert_eq!(
            own_deadline("timeout 5 python3 -m http.server | tail -n 1"),
            Some(s(5))
        );
        assert_eq!(own_deadline("kubectl wait x --timeout=1m30s"), Some(s(90)));
        assert_eq!(own_deadline("kubectl get pods"), None);
        assert_eq!(own_deadline("kubectl wait --timeout=soon"), None);
        assert_eq!(own_deadline("kubectl wait --timeout=99999999999999h"), None);
        assert_eq!(parse_duration("500ms"), Some(Duration::from_millis(500)));
        assert_eq!(parse_duration(""), Some(Duration::ZERO));
        assert_eq!(parse_duration("5x"), None);
    }

    fn env(dir: &Path) -> Env {
        Env {
            dir: dir.to_path_buf(),
            vars: vec![("GREETING".into(), "hello".into())],
        }
    }

    fn step(cmd: &str, expected: &[&str], exit: i32) -> Step {
        Step {
            command: cmd.into(),
            line: 0,
            expected: expected.iter().map(|s| s.to_string()).collect(),
            exit,
            background: false,
        }
    }

    #[test]
    fn read_only_commands() {
        assert!(read_only("kubectl get pods"));
        assert!(read_only("kubectl -n x get pods"));
        assert!(read_only("kubectl rollout status deployment/web"));
        assert!(!read_only("kubectl apply -f x.yaml"));
        assert!(!read_only("kubectl delete pod x"));
        assert!(!read_only("kubectl rollout undo deployment/web"));
        assert!(read_only("curl -s localhost:8080"));
        assert!(read_only("helm list"));
        assert!(!read_only("helm install x ./chart"));
    }

    #[test]
    fn matches_output_and_exit_and_merges_stderr() {
        let d = tempfile::tempdir().unwrap();
        let never = AtomicBool::new(false);
        let o = run_step(
            &step(
                "echo $GREETING; echo oops >&2; exit 3",
                &["hello", "oops"],
                3,
            ),
            Duration::from_secs(5),
            false,
            &env(d.path()),
            &never,
        );
        assert!(o.ok(), "{o:?}");
        assert_eq!(o.attempts, 1);
        let o = run_step(
            &step("printf 'nope\\n'", &["hello"], 0),
            Duration::from_secs(5),
            false,
            &env(d.path()),
            &never,
        );
        assert_eq!(o.end, End::Differs);
        assert_eq!(o.attempts, 1, "not read-only: no retry");
    }

    #[test]
    fn read_only_steps_retry_until_they_match() {
        let d = tempfile::tempdir().unwrap();
        let never = AtomicBool::new(false);
        // `cat` is read-only; the file appears after a moment.
        let writer = {
            let p = d.path().join("status");
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(1500));
                std::fs::write(p, "Running\n").unwrap();
            })
        };
        let o = run_step(
            &step("cat status 2>/dev/null || echo Pending", &["Running"], 0),
            Duration::from_secs(10),
            false,
            &env(d.path()),
            &never,
        );
        writer.join().unwrap();
        assert!(o.ok(), "{o:?}");
        assert!(o.attempts >= 2, "{o:?}");
    }

    #[test]
    fn timeouts_stop_the_command() {
        let d = tempfile::tempdir().unwrap();
        let never = AtomicBool::new(false);
        let t0 = Instant::now();
        let o = run_step(
            &step("sleep 30", &[], 0),
            Duration::from_millis(500),
            false,
            &env(d.path()),
            &never,
        );
        assert_eq!(o.end, End::TimedOut);
        assert!(t0.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn cancel_stops_a_running_step() {
        let d = tempfile::tempdir().unwrap();
        let cancel = std::sync::Arc::new(AtomicBool::new(false));
        let c2 = cancel.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            c2.store(true, Ordering::SeqCst);
        });
        let o = run_step(
            &step("sleep 30", &[], 0),
            Duration::from_secs(60),
            false,
            &env(d.path()),
            &cancel,
        );
        assert_eq!(o.end, End::Cancelled);
    }

    #[test]
    fn background_commands_are_stopped() {
        let d = tempfile::tempdir().unwrap();
        let mut bg = Background::default();
        bg.start("sleep 300 & echo $! > child.pid; wait", &env(d.path()))
            .unwrap();
        std::thread::sleep(Duration::from_millis(200));
        let pid = std::fs::read_to_string(d.path().join("child.pid")).unwrap();
        bg.stop_all();
        std::thread::sleep(Duration::from_millis(200));
        // Gone, or a zombie waiting for a reaper (PID 1 in a container may not reap).
        let stat =
            std::fs::read_to_string(format!("/proc/{}/stat", pid.trim())).unwrap_or_default();
        let state = stat
            .rsplit(')')
            .next()
            .and_then(|r| r.split_whitespace().next())
            .unwrap_or("");
        assert!(
            stat.is_empty() || state == "Z",
            "the grandchild of a background step is stopped too: {stat}"
        );
    }

    #[test]
    fn d6_a_child_holding_stdout_neither_hangs_the_step_nor_survives_it() {
        let d = tempfile::tempdir().unwrap();
        let never = AtomicBool::new(false);
        let t0 = Instant::now();
        let o = run_step(
            &step(
                "sleep 77 & echo $! > child.pid; echo started",
                &["started"],
                0,
            ),
            Duration::from_secs(30),
            false,
            &env(d.path()),
            &never,
        );
        assert!(o.ok(), "{o:?}");
        assert!(
            t0.elapsed() < Duration::from_secs(5),
            "took {:?}",
            t0.elapsed()
        );
        std::thread::sleep(Duration::from_millis(200));
        let pid = std::fs::read_to_string(d.path().join("child.pid")).unwrap();
        let stat =
            std::fs::read_to_string(format!("/proc/{}/stat", pid.trim())).unwrap_or_default();
        let state = stat
            .rsplit(')')
            .next()
            .and_then(|r| r.split_whitespace().next())
            .unwrap_or("");
        assert!(
            stat.is_empty() || state == "Z",
            "the step's child survived: {stat}"
        );
    }

    #[test]
    fn d6_a_step_that_times_out_with_a_child_holding_stdout_ends_at_its_timeout() {
        let d = tempfile::tempdir().unwrap();
        let never = AtomicBool::new(false);
        let t0 = Instant::now();
        let o = run_step(
            &step("sleep 60 & sleep 60", &["never"], 0),
            Duration::from_millis(800),
            false,
            &env(d.path()),
            &never,
        );
        assert_eq!(o.end, End::TimedOut, "{o:?}");
        assert!(
            t0.elapsed() < Duration::from_secs(5),
            "took {:?}",
            t0.elapsed()
        );
    }

    #[test]
    fn diff_marks_unexpected_lines() {
        let d = diff(&["pod/x created".into()], "pod/x configured\n");
        assert!(d.contains("> | pod/x configured"), "{d}");
    }
}
