//! The control plane's processes: each in a process group of its own with its output in a
//! log file, killed with kubebook (Linux `PR_SET_PDEATHSIG`), stopped with SIGTERM then
//! SIGKILL. And the folder they share: removed on stop, and found and removed by the next
//! start if a killed kubebook could not.

use super::StartError;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub(super) const DIR_PREFIX: &str = "kubebook-control-plane-";
const OWNER: &str = "owner.pid";

pub(super) struct Process {
    pub name: String,
    child: Child,
    log: PathBuf,
    stopped: bool,
}

impl Process {
    pub(super) fn spawn(
        name: &str,
        bin: &Path,
        args: &[String],
        dir: &Path,
    ) -> Result<Process, StartError> {
        let log = dir.join(format!("{name}.log"));
        let out = std::fs::File::create(&log)
            .map_err(super::setup(format!("cannot create {}", log.display())))?;
        let err = out
            .try_clone()
            .map_err(super::setup(format!("cannot open {}", log.display())))?;
        let mut cmd = Command::new(bin);
        cmd.args(args)
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err);
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt;
            cmd.process_group(0);
            #[cfg(target_os = "linux")]
            // SAFETY: prctl is async-signal-safe; nothing else runs between fork and exec.
            unsafe {
                cmd.pre_exec(|| {
                    // Die with the thread that started us: no orphan survives a killed kubebook.
                    libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                    Ok(())
                });
            }
        }
        let child = cmd.spawn().map_err(|e| StartError::Component {
            exited: false,
            name: name.into(),
            why: format!("cannot start {}: {e}", bin.display()),
            log: String::new(),
        })?;
        Ok(Process {
            name: name.into(),
            child,
            log,
            stopped: false,
        })
    }

    pub(super) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The last 20 lines of the process's log.
    pub(super) fn log_tail(&self) -> String {
        let Ok(mut f) = std::fs::File::open(&self.log) else {
            return String::new();
        };
        let len = f.metadata().map(|m| m.len()).unwrap_or(0);
        let _ = f.seek(SeekFrom::Start(len.saturating_sub(8192)));
        let mut buf = Vec::new();
        let _ = f.read_to_end(&mut buf);
        let text = String::from_utf8_lossy(&buf);
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }

    /// SIGTERM to the group, up to 5 s to exit, then SIGKILL.
    pub(super) fn stop(&mut self) {
        if self.stopped {
            return;
        }
        self.stopped = true;
        #[cfg(unix)]
        {
            let pgid = self.child.id() as i32;
            // SAFETY: plain syscalls on a process group we created.
            unsafe {
                libc::kill(-pgid, libc::SIGTERM);
            }
            let deadline = Instant::now() + Duration::from_secs(5);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = self.child.try_wait() {
                    // The leader is gone; take anything it left in its group with it.
                    unsafe {
                        libc::kill(-pgid, libc::SIGKILL);
                    }
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            unsafe {
                libc::kill(-pgid, libc::SIGKILL);
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    fn exited(&mut self) -> Option<String> {
        if self.stopped {
            return None;
        }
        match self.child.try_wait() {
            Ok(Some(st)) => Some(format!("exited ({st})")),
            _ => None,
        }
    }
}

/// An error if any process has exited.
pub(super) fn check_alive(procs: &mut [Process]) -> Result<(), StartError> {
    for p in procs.iter_mut() {
        if let Some(why) = p.exited() {
            return Err(StartError::Component {
                exited: true,
                name: p.name.clone(),
                why,
                log: p.log_tail(),
            });
        }
    }
    Ok(())
}

/// Wait until something accepts connections on a loopback port.
pub(super) fn wait_for_port(
    procs: &mut [Process],
    port: u16,
    limit: Duration,
) -> Result<(), StartError> {
    let deadline = Instant::now() + limit;
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    loop {
        check_alive(procs)?;
        if std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
            return Ok(());
        }
        if Instant::now() > deadline {
            let name = procs.last().map(|p| p.name.clone()).unwrap_or_default();
            return Err(StartError::Component {
                exited: false,
                log: procs.last().map(Process::log_tail).unwrap_or_default(),
                name,
                why: format!(
                    "did not listen on 127.0.0.1:{port} within {} s",
                    limit.as_secs()
                ),
            });
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Record which kubebook owns the folder, so a later start can tell a leftover.
pub(super) fn mark_owner(dir: &Path) -> std::io::Result<()> {
    std::fs::write(dir.join(OWNER), std::process::id().to_string())
}

fn alive(pid: i32) -> bool {
    // SAFETY: signal 0 only checks that the process exists.
    pid > 0 && unsafe { libc::kill(pid, 0) == 0 }
}

/// Remove the folders of control planes whose kubebook is gone (killed with SIGKILL, so it
/// could not clean up; its processes died with it).
pub(super) fn remove_stale_dirs() {
    let tmp = std::env::temp_dir();
    let Ok(entries) = std::fs::read_dir(&tmp) else {
        return;
    };
    for e in entries.filter_map(Result::ok) {
        let name = e.file_name();
        if !name.to_str().is_some_and(|n| n.starts_with(DIR_PREFIX)) {
            continue;
        }
        // Never follow a link out of the temp folder.
        if !e.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let owner = std::fs::read_to_string(e.path().join(OWNER))
            .ok()
            .and_then(|s| s.trim().parse::<i32>().ok());
        if let Some(pid) = owner
            && !alive(pid)
        {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A component that exits while starting is reported as such (the start is tried
    /// again); one that is still running is not an error.
    #[test]
    fn a_component_that_exits_while_starting_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let sh = Path::new("/bin/sh");
        let mut procs = vec![
            Process::spawn("sleeper", sh, &["-c".into(), "sleep 30".into()], dir.path()).unwrap(),
        ];
        assert!(check_alive(&mut procs).is_ok());
        procs.push(
            Process::spawn(
                "quitter",
                sh,
                &["-c".into(), "echo port taken; exit 1".into()],
                dir.path(),
            )
            .unwrap(),
        );
        let deadline = Instant::now() + Duration::from_secs(10);
        let err = loop {
            match check_alive(&mut procs) {
                Err(e) => break e,
                Ok(()) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(20))
                }
                Ok(()) => panic!("the quitter never exited"),
            }
        };
        match err {
            StartError::Component {
                name, exited, log, ..
            } => {
                assert_eq!(name, "quitter");
                assert!(exited);
                assert!(log.contains("port taken"), "{log}");
            }
            other => panic!("{other}"),
        }
    }
}
