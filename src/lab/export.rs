//! A lab outside the site: as text (`labs show`, the exported README) and as a folder with its
//! files and a script (`labs export`). The script only checks exit statuses: no output
//! matching and no retries, which are the runner's (`cluster::exec`).

use super::{BlockKind, Lab};
use std::path::Path;

/// The steps of a lab as a reader sees them.
pub fn show(l: &Lab) -> String {
    let mut s = format!(
        "{} — {}\nchapter {} ({}:{})\n",
        l.id,
        l.title,
        l.chapter_number,
        l.file.display(),
        l.line
    );
    if !l.requires.is_empty() {
        s.push_str(&format!("needs: {}\n", l.requires.join(", ")));
    }
    if let Some(why) = &l.skip_ci {
        s.push_str(&format!("not run in CI: {why}\n"));
    }
    s.push('\n');
    let mut n = 0;
    for b in l.blocks.iter().filter(|b| !b.hidden) {
        match &b.kind {
            BlockKind::File { name } => {
                s.push_str(&format!("--- file {name} ---\n{}", b.content));
                if !b.content.ends_with('\n') {
                    s.push('\n');
                }
                s.push('\n');
            }
            BlockKind::Console { steps } => {
                for st in steps {
                    n += 1;
                    let bg = if st.background { " &" } else { "" };
                    s.push_str(&format!("{n}. $ {}{bg}\n", st.command));
                    for e in &st.expected {
                        s.push_str(&format!("     {e}\n"));
                    }
                    if st.exit != 0 {
                        s.push_str(&format!("     (exit status {})\n", st.exit));
                    }
                }
                s.push('\n');
            }
            BlockKind::Snippet => {}
        }
    }
    s
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// A script that runs the lab's commands in order in its own directory, stopping at the first
/// unexpected exit status and killing background commands at the end.
pub fn script(l: &Lab) -> String {
    let mut s = format!(
        "#!/usr/bin/env bash\n# {} — {}\n# Exported by kubebook. Run it in a namespace of its own:\n#   kubectl create namespace {id} && kubectl config set-context --current --namespace {id}\n# No pipefail: each step runs as in an interactive shell, where a pipeline's status is its\n# last command's (what the book's expected exit status and the runner assume).\nset -u\ncd \"$(dirname \"$0\")\"\nexport KUBEBOOK_ROOT=\"${{KUBEBOOK_ROOT:-$PWD}}\"\nexport KUBEBOOK_NAMESPACE=\"${{KUBEBOOK_NAMESPACE:-$(kubectl config view --minify -o jsonpath='{{..namespace}}' 2>/dev/null)}}\"\npids=()\ntrap 'for p in \"${{pids[@]}}\"; do kill \"$p\" 2>/dev/null; done' EXIT\n",
        l.id,
        l.title,
        id = l.id
    );
    for (b, st) in l.steps() {
        let _ = b;
        s.push_str(&format!(
            "\necho {}\n",
            shell_quote(&format!("$ {}", st.command.replace('\n', " ")))
        ));
        if st.background {
            s.push_str(&format!("( {} ) &\npids+=($!)\nsleep 2\n", st.command));
        } else {
            s.push_str(&format!(
                "( {} )\nstatus=$?\nif [ \"$status\" -ne {} ]; then echo \"step failed: exit status $status, expected {}\" >&2; exit 1; fi\n",
                st.command, st.exit, st.exit
            ));
        }
    }
    s
}

pub fn export(labs: &[Lab], dir: &Path) -> std::io::Result<usize> {
    if dir.exists() && !dir.is_dir() {
        return Err(std::io::Error::other("it is a file"));
    }
    std::fs::create_dir_all(dir)?;
    for l in labs {
        for (name, b) in l.files() {
            // Names were checked by `lab::safe_file_name` (no `..`, relative).
            write_new(
                dir,
                &format!("{}/{name}", l.id),
                b.content.as_bytes(),
                false,
            )?;
        }
        write_new(dir, &format!("{}/run.sh", l.id), script(l).as_bytes(), true)?;
        write_new(
            dir,
            &format!("{}/README.txt", l.id),
            show(l).as_bytes(),
            false,
        )?;
    }
    Ok(labs.len())
}

/// Write `dir/rel` without ever writing through a symbolic link (L08): folders below `dir`
/// that are links are refused, and the file is written beside its place and renamed over
/// it, which replaces a link instead of following it.
fn write_new(dir: &Path, rel: &str, bytes: &[u8], executable: bool) -> std::io::Result<()> {
    let path = dir.join(rel);
    let mut folder = dir.to_path_buf();
    let segments: Vec<&str> = rel.split('/').collect();
    for seg in &segments[..segments.len() - 1] {
        folder.push(seg);
        if std::fs::symlink_metadata(&folder).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(std::io::Error::other(format!(
                "{} is a symbolic link; kubebook does not write through links",
                folder.display()
            )));
        }
        if !folder.exists() {
            std::fs::create_dir(&folder)?;
        }
    }
    let tmp = folder.join(format!(
        ".{}.kubebook-tmp-{}",
        segments[segments.len() - 1],
        std::process::id()
    ));
    std::fs::write(&tmp, bytes)?;
    #[cfg(unix)]
    if executable {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o755))?;
    }
    #[cfg(not(unix))]
    let _ = executable;
    std::fs::rename(&tmp, &path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}
