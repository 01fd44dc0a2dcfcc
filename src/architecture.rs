//! The crate's shape, checked: data flows one way between the top-level modules (no cycle),
//! and only the CLI is allowed to know about the CLI. A `use crate::x` that breaks either
//! rule fails here with the files that make the loop.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Top-level module → the top-level modules its files name as `crate::…`.
fn module_graph() -> BTreeMap<String, BTreeMap<String, BTreeSet<String>>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&src)
        .into_iter()
        .filter_map(Result::ok)
    {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path.strip_prefix(&src).expect("below src");
        let top = rel
            .components()
            .next()
            .map(|c| {
                c.as_os_str()
                    .to_string_lossy()
                    .trim_end_matches(".rs")
                    .to_string()
            })
            .unwrap_or_default();
        if matches!(top.as_str(), "lib" | "main" | "architecture") {
            continue;
        }
        let text = std::fs::read_to_string(path).expect("read source");
        let edges = graph.entry(top.clone()).or_default();
        for (i, _) in text.match_indices("crate::") {
            let name: String = text[i + 7..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_' || c.is_ascii_digit())
                .collect();
            if !name.is_empty() && name != top {
                edges
                    .entry(name)
                    .or_default()
                    .insert(rel.display().to_string());
            }
        }
    }
    graph
}

#[test]
fn top_level_modules_form_no_cycle() {
    let graph = module_graph();
    // Depth-first search; a module met again on the current path closes a cycle.
    fn visit(
        m: &str,
        graph: &BTreeMap<String, BTreeMap<String, BTreeSet<String>>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|p| p == m) {
            let mut cycle = path[start..].to_vec();
            cycle.push(m.to_string());
            return Some(cycle);
        }
        if done.contains(m) {
            return None;
        }
        path.push(m.to_string());
        for next in graph.get(m).into_iter().flat_map(|e| e.keys()) {
            if let Some(c) = visit(next, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(m.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for m in graph.keys() {
        if let Some(cycle) = visit(m, &graph, &mut Vec::new(), &mut done) {
            let files: Vec<String> = cycle
                .windows(2)
                .map(|w| format!("{} → {}: {:?}", w[0], w[1], graph[&w[0]][&w[1]]))
                .collect();
            panic!("module cycle {}\n{}", cycle.join(" → "), files.join("\n"));
        }
    }
}

#[test]
fn only_the_cli_knows_the_cli() {
    for (module, edges) in module_graph() {
        if module != "cli" {
            assert!(
                !edges.contains_key("cli"),
                "{module} uses crate::cli ({:?}): domain modules take plain options and return typed errors; the CLI converts",
                edges["cli"]
            );
        }
    }
}

#[test]
fn the_graph_sees_the_real_modules() {
    // Guards the test itself: a parser that found nothing would pass the two above.
    let graph = module_graph();
    assert!(graph["cli"].contains_key("pipeline"), "{graph:?}");
    assert!(graph["pipeline"].contains_key("markdown"), "{graph:?}");
}
