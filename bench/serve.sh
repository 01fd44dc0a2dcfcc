#!/usr/bin/env bash
# Save → reload latency on the shipped book, kubebook serve vs mdbook serve, 50 edits each.
# Run by hand from the project root: bash bench/serve.sh [EDITS]   (not run by CI)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cargo build --release --quiet --manifest-path "$root/Cargo.toml"
command -v mdbook >/dev/null || cargo install mdbook --locked
python3 "$root/bench/serve_latency.py" "$root/target/release/kubebook" "$root" "${1:-50}"
