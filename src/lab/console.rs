//! `console` blocks: `$ ` commands with `\` continuations, expected output, `? N` exit
//! status, background `&`.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    /// The command as bash runs it (continuation lines joined with newlines, `\` kept).
    pub command: String,
    /// 0-based line of the `$ ` within the block.
    pub line: usize,
    /// Expected output lines (matched with the rules of `matcher`).
    pub expected: Vec<String>,
    pub exit: i32,
    pub background: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ConsoleError {
    pub message: String,
    /// 0-based line within the block.
    pub line: usize,
    pub hint: &'static str,
}

const MAX_COMMAND_BYTES: usize = 64 * 1024;

pub fn parse(block: &str) -> Result<Vec<Step>, ConsoleError> {
    let mut r = Reader::default();
    for (i, line) in block.lines().enumerate() {
        if r.continuing {
            r.continuation(i, line)?;
        } else if let Some(cmd) = line
            .strip_prefix("$ ")
            .or_else(|| (line == "$").then_some(""))
        {
            r.command(i, cmd)?;
        } else if let Some(code) = line.strip_prefix("? ") {
            r.exit_status(i, code)?;
        } else {
            r.output(i, line)?;
        }
    }
    if r.continuing {
        return Err(ConsoleError {
            message: "the last command ends with `\\` but nothing continues it".into(),
            line: block.lines().count().saturating_sub(1),
            hint: "remove the trailing backslash",
        });
    }
    for s in &mut r.steps {
        settle(s)?;
    }
    Ok(r.steps)
}

/// The steps read so far, line by line.
#[derive(Default)]
struct Reader {
    steps: Vec<Step>,
    /// The last command ended with `\`: the next line continues it.
    continuing: bool,
    /// The last command's `? N` has been read: only blank lines may follow.
    exit_seen: bool,
}

impl Reader {
    /// A line that continues the last command.
    fn continuation(&mut self, i: usize, line: &str) -> Result<(), ConsoleError> {
        let Some(step) = self.steps.last_mut() else {
            // `continuing` is set only by a command, so there is one; be total anyway.
            self.continuing = false;
            return self.output(i, line);
        };
        step.command.push('\n');
        step.command.push_str(line);
        self.continuing = line.ends_with('\\');
        if step.command.len() > MAX_COMMAND_BYTES {
            return Err(ConsoleError {
                message: "command is longer than 64 KiB".into(),
                line: i,
                hint: "put long scripts in a file block (file=NAME)",
            });
        }
        Ok(())
    }

    /// `$ command`: a new step.
    fn command(&mut self, i: usize, cmd: &str) -> Result<(), ConsoleError> {
        if cmd.trim().is_empty() {
            return Err(ConsoleError {
                message: "`$` with no command".into(),
                line: i,
                hint: "write the command after `$ `",
            });
        }
        self.continuing = cmd.ends_with('\\');
        self.exit_seen = false;
        self.steps.push(Step {
            command: cmd.to_string(),
            line: i,
            expected: Vec::new(),
            exit: 0,
            background: false,
        });
        Ok(())
    }

    /// `? N`: the last command's exit status, once, after its output.
    fn exit_status(&mut self, i: usize, code: &str) -> Result<(), ConsoleError> {
        let Some(step) = self.steps.last_mut() else {
            return Err(ConsoleError {
                message: "`? N` before any command".into(),
                line: i,
                hint: "`? N` follows a command's output and gives its exit status",
            });
        };
        if self.exit_seen {
            return Err(ConsoleError {
                message: "a second `? N` for one command".into(),
                line: i,
                hint: "give one exit status per command",
            });
        }
        step.exit = code.trim().parse().map_err(|_| ConsoleError {
            message: format!("`? {}` is not an exit status", code.trim()),
            line: i,
            hint: "write `? N` with N from 0 to 255",
        })?;
        if !(0..=255).contains(&step.exit) {
            return Err(ConsoleError {
                message: format!("exit status {} is out of range", step.exit),
                line: i,
                hint: "exit statuses are 0 to 255",
            });
        }
        self.exit_seen = true;
        Ok(())
    }

    /// Any other line: the last command's expected output (before the first command, only
    /// blank lines and `#` comments).
    fn output(&mut self, i: usize, line: &str) -> Result<(), ConsoleError> {
        let Some(step) = self.steps.last_mut() else {
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                return Ok(());
            }
            return Err(ConsoleError {
                message: "output before the first command".into(),
                line: i,
                hint: "commands start with `$ `; comments before the first command start with #",
            });
        };
        if self.exit_seen && !line.trim().is_empty() {
            return Err(ConsoleError {
                message: "output after `? N`".into(),
                line: i,
                hint: "`? N` comes after all of a command's output",
            });
        }
        step.expected.push(line.to_string());
        Ok(())
    }
}

/// A step once its block is read: trailing blank lines dropped (layout, not output) and a
/// trailing `&` taken as "run in the background".
fn settle(s: &mut Step) -> Result<(), ConsoleError> {
    while s.expected.last().is_some_and(|l| l.trim().is_empty()) {
        s.expected.pop();
    }
    let trimmed = s.command.trim_end();
    if let Some(head) = trimmed.strip_suffix('&')
        && !head.ends_with('&')
    {
        // `$ &` alone would run `( ) &`, a bash syntax error (found by fuzzing).
        if head.trim().is_empty() {
            return Err(ConsoleError {
                message: "`$ &` with no command".into(),
                line: s.line,
                hint: "write the command before the `&` that runs it in the background",
            });
        }
        s.background = true;
        s.command = head.trim_end().to_string();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fuzz_background_marker_alone_is_an_error() {
        // tests/fuzz-corpus/console/crash-background-and-nul.txt, minimised.
        let e = parse("$ &\n").unwrap_err();
        assert!(e.message.contains("no command"), "{}", e.message);
        assert_eq!(e.line, 0);
        assert!(parse("$ sleep 300 &\n").unwrap()[0].background);
    }

    #[test]
    fn parses_steps() {
        let s = parse(
            "# a comment\n$ kubectl apply -f pod.yaml\npod/x created\n$ kubectl get pod \\\n  x\nNAME\nx\n? 1\n$ kubectl port-forward svc/web 8080:80 &\n$ true && false\n? 1\n",
        )
        .unwrap();
        assert_eq!(s.len(), 4);
        assert_eq!(s[0].expected, vec!["pod/x created"]);
        assert_eq!(s[1].command, "kubectl get pod \\\n  x");
        assert_eq!(s[1].exit, 1);
        assert_eq!(s[1].line, 3);
        assert!(s[2].background);
        assert_eq!(s[2].command, "kubectl port-forward svc/web 8080:80");
        assert!(!s[3].background);
    }

    #[test]
    fn malformed_blocks() {
        assert_eq!(parse("output\n$ x\n").unwrap_err().line, 0);
        assert_eq!(parse("$ x\n? abc\n").unwrap_err().line, 1);
        assert_eq!(parse("$ x\n? 1\nmore\n").unwrap_err().line, 2);
        assert_eq!(parse("$ x\n? 1\n? 2\n").unwrap_err().line, 2);
        assert!(
            parse("$ x \\\n")
                .unwrap_err()
                .message
                .contains("nothing continues")
        );
        assert!(parse("$ \n").is_err());
        assert!(parse("? 0\n").is_err());
        assert!(parse("$ x\n? 300\n").is_err());
    }

    #[test]
    fn empty_block_has_no_steps() {
        assert!(parse("").unwrap().is_empty());
    }
}
