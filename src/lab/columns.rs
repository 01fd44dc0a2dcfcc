//! Expected output laid out as kubectl prints it. Authors may squash a table's columns to a
//! few spaces (the matcher takes any run of spaces for any run), so the page re-aligns them:
//! kubectl's tabwriter pads every cell but a line's last to the widest in its column plus
//! three spaces, at least six wide. Display only; the matcher reads the lines as written.

/// kubectl's tabwriter: padding 3, minimum cell width 6.
const PADDING: usize = 3;
const MIN_WIDTH: usize = 6;

/// The lines with each table's columns aligned. A table starts at a header line (two or more
/// cells, no lowercase letters outside placeholders: `NAME   READY   STATUS`) and goes on
/// while lines have two or more cells at the same indentation, or stand for lines (`...`,
/// a lone placeholder). Cells are separated by two or more spaces or a tab; single spaces
/// stay inside a cell (`ACCESS MODES`). Everything else is left as it is.
pub fn align(lines: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        let Some((indent, header)) = split(&lines[i]).filter(|(_, c)| is_header(c)) else {
            out.push(lines[i].clone());
            i += 1;
            continue;
        };
        let mut rows: Vec<Option<Vec<&str>>> = vec![Some(header)];
        let mut j = i + 1;
        while j < lines.len() {
            let line = &lines[j];
            if stands_for_lines(line) {
                rows.push(None);
            } else {
                match split(line) {
                    Some((ind, cells)) if ind == indent && cells.len() >= 2 => {
                        rows.push(Some(cells))
                    }
                    _ => break,
                }
            }
            j += 1;
        }
        let mut widths: Vec<usize> = Vec::new();
        for cells in rows.iter().flatten() {
            // A line's last cell is not padded, so it does not widen its column.
            for (k, c) in cells.iter().take(cells.len() - 1).enumerate() {
                let w = c.chars().count();
                if widths.len() <= k {
                    widths.push(w);
                } else {
                    widths[k] = widths[k].max(w);
                }
            }
        }
        for (row, line) in rows.iter().zip(&lines[i..j]) {
            let Some(cells) = row else {
                out.push(line.clone());
                continue;
            };
            let mut s = " ".repeat(indent);
            for (k, c) in cells.iter().enumerate() {
                s.push_str(c);
                if k + 1 < cells.len() {
                    let width = (widths[k] + PADDING).max(MIN_WIDTH);
                    s.push_str(&" ".repeat(width - c.chars().count()));
                }
            }
            out.push(s);
        }
        i = j;
    }
    out
}

/// The indentation and the cells of a line, split at runs of two or more spaces or at tabs.
fn split(line: &str) -> Option<(usize, Vec<&str>)> {
    let body = line.trim_end();
    let rest = body.trim_start_matches(' ');
    if rest.is_empty() || rest.starts_with('\t') {
        return None;
    }
    let indent = body.len() - rest.len();
    let mut cells = Vec::new();
    let mut start = 0;
    let bytes = rest.as_bytes();
    let mut k = 0;
    while k < bytes.len() {
        let run = bytes[k..]
            .iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
        if run >= 2 || (run == 1 && bytes[k] == b'\t') {
            cells.push(&rest[start..k]);
            start = k + run;
            k += run;
        } else {
            k += run.max(1);
        }
    }
    cells.push(&rest[start..]);
    Some((indent, cells))
}

fn without_placeholders(s: &str) -> String {
    super::matcher::PLACEHOLDERS
        .iter()
        .filter(|p| !p.whole_line)
        .fold(s.to_string(), |t, p| t.replace(p.notation, ""))
}

fn is_header(cells: &[&str]) -> bool {
    cells.len() >= 2
        && cells.iter().all(|c| {
            let c = without_placeholders(c);
            !c.chars().any(|ch| ch.is_lowercase())
        })
        && cells[0].starts_with(|c: char| c.is_ascii_uppercase() || c == '[')
}

/// `...` (any number of lines) or a line that is only placeholders (`[..]`: any one line).
fn stands_for_lines(line: &str) -> bool {
    let t = line.trim();
    t == "..." || (!t.is_empty() && without_placeholders(t).trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &str) -> Vec<String> {
        s.lines().map(String::from).collect()
    }

    #[test]
    fn squashed_columns_line_up_as_kubectl_prints_them() {
        let got = align(&lines(
            "NAME   STATUS   ROLES   AGE   VERSION\n...\n[..]-control-plane   Ready   control-plane   [AGE]   v1.[NUM].[NUM]\n...",
        ));
        assert_eq!(
            got,
            lines(
                "NAME                 STATUS   ROLES           AGE     VERSION\n...\n[..]-control-plane   Ready    control-plane   [AGE]   v1.[NUM].[NUM]\n..."
            )
        );
        // Real kubectl output stays as it is.
        let real = lines(
            "NAME                 STATUS   ROLES           AGE   VERSION\nkind-control-plane   Ready    control-plane   5m    v1.37.0",
        );
        assert_eq!(align(&real), real);
    }

    #[test]
    fn cells_keep_single_spaces_and_the_last_cell_does_not_widen_its_column() {
        let got = align(&lines(
            "NAME   STATUS   ACCESS MODES   AGE\ndata   Bound   RWO   a-very-long-last-cell\ndone",
        ));
        assert_eq!(
            got,
            lines(
                "NAME   STATUS   ACCESS MODES   AGE\ndata   Bound    RWO            a-very-long-last-cell\ndone"
            )
        );
    }

    #[test]
    fn prose_and_indented_describe_sections_are_left_alone_unless_they_are_tables() {
        let prose = lines("pod/web created\ndeployment.apps/web   configured");
        assert_eq!(align(&prose), prose);
        let events = lines(
            "Events:\n  Type   Reason   Age\n  ----   ------   ----\n  Normal   Scheduled   [AGE]",
        );
        assert_eq!(
            align(&events),
            lines(
                "Events:\n  Type   Reason   Age\n  ----   ------   ----\n  Normal   Scheduled   [AGE]"
            )
        );
        let header =
            lines("  TYPE   REASON   AGE\n  Normal   Scheduled   [AGE]\nafter   the table");
        assert_eq!(
            align(&header),
            lines("  TYPE     REASON      AGE\n  Normal   Scheduled   [AGE]\nafter   the table")
        );
    }
}
