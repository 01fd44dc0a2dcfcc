#!/usr/bin/env bash
# Full build, kubebook vs mdBook, on the same synthetic 15-chapter book (~45k words,
# ~120 code blocks in yaml/bash/dockerfile), interleaved runs, medians and ratios.
# Run by hand from the project root: bash bench/build.sh [RUNS] [CHAPTERS]   (not run by CI;
# CHAPTERS defaults to 15, the issue also measures 500)
set -euo pipefail
runs=${1:-10}
chapters=${2:-15}
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED:-$root/../shared}
cargo build --release --quiet --manifest-path "$root/Cargo.toml"
bin="${CARGO_TARGET_DIR:-$root/target}/release/kubebook"
command -v mdbook >/dev/null || cargo install mdbook --locked
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$shared/tools/synthetic-book.py" "$work/md" --chapters "$chapters" >/dev/null
# The generator writes one manifest whose memory limit is below its request; kubebook refuses
# to build that (K8S140: the API server would reject it). Fix it in the shared source so both
# tools build identical Markdown.
python3 - "$work/md/src" <<'PY'
import pathlib, re, sys
for f in pathlib.Path(sys.argv[1]).glob("ch*.md"):
    t = f.read_text()
    f.write_text(re.sub(r"(memory: 256Mi\n\s+limits:\n\s+memory: )128Mi", r"\g<1>512Mi", t))
PY
python3 "$root/bench/to_kubebook.py" "$work/md" "$work/kb"
echo "book: $(cat "$work"/md/src/ch*.md | wc -w) words, $(grep -c '^```[a-z]' "$work"/md/src/ch*.md | awk -F: '{s+=$2} END {print s}') code blocks"
echo "kubebook $("$bin" --version | cut -d' ' -f2), $(mdbook --version)"
python3 "$root/bench/compare.py" "$runs" \
  "kubebook=$bin build $work/kb --dest $work/kb-site" \
  "mdbook=mdbook build $work/md -d $work/md-site"
