//! Generated sections of the docs. A catalogue in the code (lab attributes, requirements,
//! matcher placeholders) writes its table between two markers in a docs page:
//!
//! ```text
//! <!-- generated: NAME (do not edit; KUBEBOOK_WRITE_DOCS=1 cargo test --lib) -->
//! …
//! <!-- end generated: NAME -->
//! ```
//!
//! A test compares the section with the catalogue; `KUBEBOOK_WRITE_DOCS=1` rewrites it.

fn begin(name: &str) -> String {
    format!("<!-- generated: {name} (do not edit; KUBEBOOK_WRITE_DOCS=1 cargo test --lib) -->\n")
}

fn end(name: &str) -> String {
    format!("<!-- end generated: {name} -->")
}

/// `doc` with the section `name` replaced by `body`, or why it cannot be.
pub(crate) fn replace_section(doc: &str, name: &str, body: &str) -> Result<String, String> {
    let (b, e) = (begin(name), end(name));
    let start = doc
        .find(&b)
        .ok_or_else(|| format!("no `{}` marker", b.trim_end()))?
        + b.len();
    let stop = doc[start..]
        .find(&e)
        .ok_or_else(|| format!("no `{e}` marker after the start"))?
        + start;
    Ok(format!("{}{body}{}", &doc[..start], &doc[stop..]))
}

/// Assert that section `name` of `rel` (from the crate root) is `body`; with
/// KUBEBOOK_WRITE_DOCS set, write it instead.
pub(crate) fn check_section(rel: &str, name: &str, body: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    let want = replace_section(&have, name, body).unwrap_or_else(|e| panic!("{rel}: {e}"));
    if std::env::var_os("KUBEBOOK_WRITE_DOCS").is_some() {
        std::fs::write(&path, &want).unwrap_or_else(|e| panic!("write {rel}: {e}"));
        return;
    }
    assert!(
        have == want,
        "{rel}: section `{name}` differs from its catalogue; run KUBEBOOK_WRITE_DOCS=1 cargo test --lib"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_section_is_replaced_between_its_markers_only() {
        let doc = format!("a\n{}old\n{}\nz\n", begin("x"), end("x"));
        let new = replace_section(&doc, "x", "new\n").unwrap();
        assert_eq!(new, format!("a\n{}new\n{}\nz\n", begin("x"), end("x")));
        assert!(replace_section("no markers", "x", "").is_err());
        assert!(replace_section(&begin("x"), "x", "").is_err());
    }
}
