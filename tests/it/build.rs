//! `kubebook build` and `clean` on fixture books: the HTML they produce and the errors they
//! give for bad input.

use crate::common;
use common::{Project, kubebook};

fn two_chapter_book() -> Project {
    let p = Project::new();
    p.chapter(
        "02-second.md",
        "Second\npart: Part B",
        "## Deployments\n\nBack to [the first](01-first.md#pods-and-qos).\n\n```yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: \"1\"\n```\n",
    );
    p.chapter(
        "01-first.md",
        "First\npart: Part A\ndescription: The first chapter.",
        "Intro text with **bold**.\n\n## Pods and QoS\n\nSee [Deployments](02-second.md#deployments) and [here](#pods-and-qos).\n\n## Pods and QoS\n\n> [!WARNING]\n> Careful now.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n\nA note.[^1]\n\n[^1]: The footnote.\n\n```console\n$ kubectl get pods\nNAME   READY\n```\n\n## Interview questions {.interview}\n\n### What is a Pod?\nThe smallest unit of deployment.\n",
    );
    p
}

#[test]
fn builds_pages_in_order_with_navigation() {
    let p = two_chapter_book();
    let r = p.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let first = p.site("01-first.html");
    let second = p.site("02-second.html");
    let index = p.site("index.html");
    assert!(index.find("01-first.html").unwrap() < index.find("02-second.html").unwrap());
    assert!(
        first.contains("rel=\"next\" href=\"02-second.html\""),
        "next link"
    );
    assert!(
        second.contains("rel=\"prev\" href=\"01-first.html\""),
        "prev link"
    );
    assert!(first.contains("aria-current=\"page\""));
    assert!(first.contains("<p class=\"part-title\">Part A</p>"));
    assert!(
        first.contains("https://example.org/edit/book/01-first.md"),
        "edit link"
    );
    for f in [
        "print.html",
        "404.html",
        "practice.html",
        "sitemap.xml",
        ".kubebook-site",
    ] {
        assert!(p.site_path().join(f).exists(), "{f}");
    }
    // The sitemap lists every page a reader can land on (labs.html too), never the 404 page.
    let map = p.site("sitemap.xml");
    for e in std::fs::read_dir(p.site_path()).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.ends_with(".html") && name != "404.html" {
            assert!(
                map.contains(&format!("{name}</loc>")),
                "{name} missing from {map}"
            );
        }
    }
    assert!(map.contains("labs.html</loc>"), "{map}");
    assert!(!map.contains("404.html"), "{map}");
}

#[test]
fn anchors_links_and_markdown_features() {
    let p = two_chapter_book();
    assert_eq!(p.run(&["build"]).code, 0);
    let first = p.site("01-first.html");
    assert!(first.contains("<h2 id=\"pods-and-qos\">"));
    assert!(
        first.contains("<h2 id=\"pods-and-qos-1\">"),
        "duplicate heading made unique"
    );
    assert!(
        first.contains("href=\"02-second.html#deployments\""),
        "chapter link rewritten"
    );
    assert!(first.contains("href=\"#pods-and-qos\""));
    assert!(
        first.contains("<aside class=\"callout callout-warning\""),
        "GitHub alert"
    );
    assert!(first.contains("<table>"));
    assert!(first.contains("type=\"checkbox\""), "task list");
    assert!(first.contains("footnote"), "footnote");
    assert!(
        first.contains("<span class=\"prompt\" aria-hidden=\"true\">$ </span>"),
        "console prompt"
    );
    assert!(first.contains("<span class=\"output\">NAME   READY</span>"));
    assert!(first.contains("<article class=\"qa\" data-qid=\"01-first/what-is-a-pod\">"));
    let second = p.site("02-second.html");
    assert!(
        second.contains("class=\"hl-"),
        "yaml highlighted with classes"
    );
    let css: String = std::fs::read_dir(p.site_path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("highlight-"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect();
    assert!(
        css.contains(":root[data-theme=\"dark\"] .hl-"),
        "dark highlight theme"
    );
    let print = p.site("print.html");
    assert!(
        print.contains("id=\"01-first--pods-and-qos\""),
        "print ids are prefixed"
    );
    assert!(
        print.contains("href=\"#02-second--deployments\""),
        "print links stay on the page"
    );
}

#[test]
fn search_index_has_sections() {
    let p = two_chapter_book();
    assert_eq!(p.run(&["build"]).code, 0);
    let name = std::fs::read_dir(p.site_path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .find(|n| n == "search-index.js")
        .expect("search index");
    let js = p.site(&name);
    let json = js
        .trim()
        .strip_prefix("window.KUBEBOOK_SEARCH=")
        .unwrap()
        .strip_suffix(';')
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    let docs = v["docs"].as_array().unwrap();
    assert!(
        docs.iter()
            .any(|d| d[1] == "Pods and QoS" && d[2] == "pods-and-qos"),
        "{docs:?}"
    );
    assert!(
        docs.iter()
            .any(|d| d[3].as_str().unwrap().contains("smallest unit"))
    );
    assert_eq!(v["chapters"][0][1], "01-first.html");
}

#[test]
fn failed_build_leaves_previous_site() {
    let p = two_chapter_book();
    assert_eq!(p.run(&["build"]).code, 0);
    let before = p.site("01-first.html");
    p.chapter("03-broken.md", "Broken", "A [bad link](99-nowhere.md).\n");
    let r = p.run(&["build"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("error[MD001]"), "{}", r.stderr);
    assert!(r.stderr.contains("book/03-broken.md:4:3"), "{}", r.stderr);
    assert_eq!(p.site("01-first.html"), before, "old site untouched");
    assert!(!p.site_path().join("03-broken.html").exists());
}

#[test]
fn build_refuses_to_replace_a_foreign_directory() {
    let p = two_chapter_book();
    p.write("site/keep.txt", "mine");
    let r = p.run(&["build"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("not made by kubebook"), "{}", r.stderr);
    assert_eq!(
        std::fs::read_to_string(p.site_path().join("keep.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn clean_removes_only_kubebook_output() {
    let p = two_chapter_book();
    assert_eq!(p.run(&["build"]).code, 0);
    let r = p.run(&["clean"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!p.site_path().exists());
    // No marker: refused.
    p.write("site/mine.txt", "x");
    let r = p.run(&["clean"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("no .kubebook-site marker"),
        "{}",
        r.stderr
    );
    assert!(p.site_path().join("mine.txt").exists());
    // The project root, even with a marker.
    p.write(".kubebook-site", "");
    let root = p.root().to_string_lossy().to_string();
    let r = kubebook(&["clean", &root, "--dest", &root]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("refusing"), "{}", r.stderr);
    let r = kubebook(&["clean", &root, "--dest", "/"]);
    assert_eq!(r.code, 2);
    assert!(p.root().join("book/book.toml").exists());
}

fn expect_error(p: &Project, code: &str, location: &str) {
    let r = p.run(&["build"]);
    assert_eq!(r.code, 1, "stderr: {}", r.stderr);
    assert!(
        r.stderr.contains(&format!("[{code}]")),
        "want {code}: {}",
        r.stderr
    );
    assert!(r.stderr.contains(location), "want {location}: {}", r.stderr);
    assert!(!r.stderr.contains("panicked"));
}

#[test]
fn bad_book_toml() {
    let p = Project::new();
    p.chapter("01-a.md", "A", "x\n");
    p.write(
        "book/book.toml",
        "[book]\ntitle = \"T\"\nkubernetes = \"1.37\"\ncolour = \"red\"\n",
    );
    expect_error(&p, "CFG001", "book/book.toml:4:1");
    p.write(
        "book/book.toml",
        "[book]\ntitle = [1]\nkubernetes = \"1.37\"\n",
    );
    expect_error(&p, "CFG001", "book/book.toml:2:9");
    p.write("book/book.toml", "[book\n");
    expect_error(&p, "CFG001", "book/book.toml:1:");
    p.write("book/book.toml", "");
    expect_error(&p, "CFG001", "book/book.toml:1:1");
}

#[test]
fn bad_front_matter() {
    let p = Project::new();
    p.write("book/01-a.md", "---\ntitle: A\ncolour: red\n---\nx\n");
    expect_error(&p, "FM001", "book/01-a.md:3:1");
    p.write("book/01-a.md", "---\ntitle: [unclosed\n---\nx\n");
    expect_error(&p, "FM001", "book/01-a.md:2:");
    p.write("book/01-a.md", "---\ndescription: no title\n---\nx\n");
    expect_error(&p, "FM001", "book/01-a.md:2:1");
    p.write("book/01-a.md", "no front matter at all\n");
    expect_error(&p, "FM001", "book/01-a.md:1:1");
}

#[test]
fn duplicate_numbers_and_bad_names() {
    let p = Project::new();
    p.chapter("01-a.md", "A", "x\n");
    p.chapter("01-b.md", "B", "x\n");
    expect_error(&p, "BOOK006", "book/01-b.md:1:1");
    std::fs::remove_file(p.root().join("book/01-b.md")).unwrap();
    p.chapter("Intro.md", "I", "x\n");
    expect_error(&p, "BOOK003", "book/Intro.md:1:1");
}

#[test]
fn broken_links_anchors_and_images() {
    let p = Project::new();
    p.chapter("01-a.md", "A", "## Real\n\n[x](#unreal)\n");
    expect_error(&p, "MD002", "book/01-a.md:6:1");
    p.chapter("01-a.md", "A", "## Real\n\n[x](02-b.md)\n");
    expect_error(&p, "MD001", "book/01-a.md:6:1");
    p.chapter("01-a.md", "A", "## Real\n\n![diagram](images/none.svg)\n");
    expect_error(&p, "MD003", "book/01-a.md:6:1");
}

#[test]
fn hostile_and_huge_input_gives_errors_not_panics() {
    let p = Project::new();
    p.write("book/01-a.md", "");
    expect_error(&p, "FM001", "book/01-a.md:1:1");
    std::fs::write(
        p.root().join("book/01-a.md"),
        b"---\ntitle: A\n---\n\xff\xfe bad utf8\n",
    )
    .unwrap();
    expect_error(&p, "BOOK005", "book/01-a.md:4:1");
    let mut big = String::from("---\ntitle: Big\n---\n");
    for i in 0..20_000 {
        big.push_str(&format!(
            "## Heading {i}\n\nSome `code` and [a link](#heading-{i}).\n\n"
        ));
    }
    p.write("book/01-a.md", &big);
    let r = p.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    p.write(
        "book/01-a.md",
        &format!("---\ntitle: A\n---\n{}\n", "> ".repeat(5000)),
    );
    let r = p.run(&["build"]);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"));
}

#[test]
fn usage_errors_and_unimplemented_commands_exit_2() {
    assert_eq!(kubebook(&["frobnicate"]).code, 2);
    assert_eq!(kubebook(&["build", "--nope"]).code, 2);
    let r = kubebook(&["build", "/definitely/not/here"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("has no book/ directory"), "{}", r.stderr);
    let help = kubebook(&["--help"]);
    assert_eq!(help.code, 0);
    assert!(help.stdout.contains("Examples:"));
}

/// Fragments of a page come from the theme's partials: a theme that overrides one changes
/// every place it is used, and one that breaks it stops the build with the partial's name.
#[test]
fn theme_partials_make_the_fragments() {
    let p = Project::new();
    p.chapter(
        "01-a.md",
        "A",
        "# A\n\n> [!TIP]\n> Read the logs.\n\n```console lab=ch01-l requires=host\n$ echo hi\nhi\n```\n",
    );
    p.write(
        "themes/default/templates/partials/callout.html",
        "<div class=\"my-callout {{ kind }}\">{{ body_html | safe }}</div>\n",
    );
    let r = p.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let page = p.site("01-a.html");
    assert!(
        page.contains("<div class=\"my-callout tip\"><p>Read the logs.</p>\n</div>"),
        "{page}"
    );
    // The partials not overridden are the default theme's.
    assert!(
        page.contains("<ol class=\"lab-steps\" data-lab=\"ch01-l\">"),
        "{page}"
    );
    p.write(
        "themes/default/templates/partials/callout.html",
        "{{ missing.field }}",
    );
    let r = p.run(&["build"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("THEME003") && r.stderr.contains("partials/callout.html"),
        "{}",
        r.stderr
    );
}
