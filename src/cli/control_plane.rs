//! `kubebook labs control-plane install | up`: build the pinned control plane, or run it in
//! the foreground for trying labs by hand.

use super::ControlPlaneCommand;
use crate::controlplane::{Components, ControlPlane, Options, binaries};
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

pub(super) fn run(cmd: ControlPlaneCommand) -> u8 {
    match cmd {
        ControlPlaneCommand::Install { root } => install(&root),
        ControlPlaneCommand::Up {
            root,
            kubeconfig,
            context,
            api_only,
            audit,
        } => up(&root, kubeconfig.as_deref(), context, api_only, audit),
    }
}

fn install(root: &Path) -> u8 {
    let script =
        crate::project::Project::new(root).path(crate::project::paths::CONTROL_PLANE_INSTALL);
    if !script.is_file() {
        eprintln!(
            "error: {} does not exist\n  = hint: run this in the kubebook project (the folder holding labs/control-plane/), or pass --root",
            script.display()
        );
        return 2;
    }
    match Command::new("bash").arg(&script).status() {
        Ok(st) if st.success() => 0,
        Ok(st) => {
            eprintln!("error: building the control plane failed ({st})");
            2
        }
        Err(e) => {
            eprintln!("error: cannot run bash: {e}");
            2
        }
    }
}

fn up(root: &Path, copy_to: Option<&Path>, context: String, api_only: bool, audit: bool) -> u8 {
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = stop.clone();
        let _ = ctrlc::set_handler(move || stop.store(true, Ordering::SeqCst));
    }
    let opts = Options {
        context,
        components: if api_only {
            Components::ApiOnly
        } else {
            Components::Full
        },
        audit,
        kind_config: Some(
            crate::project::Project::new(root).path(crate::project::paths::KIND_CONFIG),
        ),
        progress: true,
    };
    let cp = match ControlPlane::start(&opts) {
        Ok(cp) => cp,
        Err(e) => {
            eprintln!("error: the control plane did not start: {e}");
            return 2;
        }
    };
    let mut kubeconfig = cp.kubeconfig.clone();
    if let Some(dest) = copy_to {
        if let Err(e) = std::fs::copy(&cp.kubeconfig, dest) {
            eprintln!("error: cannot write {}: {e}", dest.display());
            return 2;
        }
        kubeconfig = dest.to_path_buf();
    }
    eprintln!(
        "control plane {} ready in {:.1} s at {}",
        binaries::PINNED,
        cp.started_in.as_secs_f64(),
        cp.server
    );
    if let Some(a) = &cp.audit_log {
        eprintln!("audit log: {}", a.display());
    }
    // The last line is machine-readable: tests and scripts wait for it.
    println!("export KUBECONFIG={}", kubeconfig.display());
    eprintln!("Ctrl-C stops it and removes everything it made");
    while !stop.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(100));
    }
    drop(cp);
    if let Some(dest) = copy_to {
        let _ = std::fs::remove_file(dest);
    }
    0
}
