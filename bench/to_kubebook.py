#!/usr/bin/env python3
"""Convert an mdBook-layout book (book.toml, src/SUMMARY.md, src/chNN-slug.md) into the
kubebook layout (book/book.toml, book/NN-slug.md with front matter). Same Markdown bodies."""
import pathlib, re, sys

src, dest = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
book = dest / "book"
book.mkdir(parents=True, exist_ok=True)
for old in book.glob("*.md"):
    old.unlink()
(book / "book.toml").write_text('[book]\ntitle = "Synthetic"\nkubernetes = "1.37"\n')
for f in sorted((src / "src").glob("ch*.md")):
    m = re.match(r"ch(\d+)-(.*)\.md", f.name)
    if not m:
        continue
    text = f.read_text()
    title = text.splitlines()[0].lstrip("# ").strip()
    body = "\n".join(text.splitlines()[1:])
    (book / f"{m.group(1)}-{m.group(2)}.md").write_text(f"---\ntitle: \"{title}\"\n---\n{body}\n")
