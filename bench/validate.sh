#!/usr/bin/env bash
# Manifest validation, end to end as a user runs it, side by side in one run (bench/compare.py:
# interleaved, medians, peak RSS, ratios):
#   kubebook validate DIR                     (schema + API-server rules, spans, 2 cores)
#   kubeconform -strict DIR                   (v0.8.0 from the Go module proxy, local schemas)
#   kubernetes-validate --strict FILES        (PyPI, Kubernetes 1.37.0 schemas)
# on a folder of real manifests (bench/manifest_corpus.py: pinned upstream YAML from the Go
# module cache, copied until it holds TARGET manifests), then `check` on one chapter of 100,
# 1,000 and 10,000 manifest blocks (linear cost) and on the shipped book (peak memory).
# Run by hand from the project root: bash bench/validate.sh [RUNS] [TARGET]   (not run by CI)
set -euo pipefail
runs=${1:-5}
target=${2:-20000}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cargo build --release --quiet
kb=${CARGO_TARGET_DIR:-$root/target}/release/kubebook
gobin=$(go env GOPATH)/bin
[ -x "$gobin/kubeconform" ] || GOFLAGS= go install github.com/yannh/kubeconform/cmd/kubeconform@v0.8.0
command -v kubernetes-validate >/dev/null || pip install --quiet 'kubernetes-validate==1.37.0'
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== corpus"
"$kb" labs export "$work/labs" --root "$root" 2>/dev/null
python3 bench/manifest_corpus.py "$work/corpus" "$target" "$work/kc-schemas" "$work/labs"
echo "  $(du -sh "$work/corpus" | cut -f1) of YAML; kubebook's verdict:"
"$kb" validate --ignore-missing-schemas "$work/corpus" | tail -1 | sed 's/^/  /' || true
find "$work/corpus" -name '*.y*ml' > "$work/files"

echo "== validate a folder ($runs runs each; custom resources without a CRD skipped by all three)"
ANY_STATUS=1 python3 bench/compare.py "$runs" \
  "kubebook=$kb validate --ignore-missing-schemas $work/corpus" \
  "kubeconform=$gobin/kubeconform -strict -ignore-missing-schemas -schema-location '$work/kc-schemas/{{ .ResourceKind }}{{ .KindSuffix }}.json' $work/corpus" \
  "k8s-validate=xargs -a $work/files -n 5000 kubernetes-validate -k 1.37.0 --strict --quiet"

echo "== the book's own lab manifests (application-sized), copied to about $target manifests"
per=$(find "$work/labs" -name '*.yaml' -exec grep -c '^kind:' {} + | awk -F: '{s+=$NF} END {print s}')
copies=$(( (target + per - 1) / per ))
for k in $(seq 1 "$copies"); do
  mkdir -p "$work/book-corpus/c$k"
  find "$work/labs" -name '*.yaml' | while read -r f; do
    cp "$f" "$work/book-corpus/c$k/$(basename "$(dirname "$f")")-$(basename "$f")"
  done
done
echo "  $(du -sh "$work/book-corpus" | cut -f1); kubebook's verdict:"
"$kb" validate --ignore-missing-schemas "$work/book-corpus" | tail -1 | sed 's/^/  /' || true
find "$work/book-corpus" -name '*.yaml' > "$work/book-files"
ANY_STATUS=1 python3 bench/compare.py "$runs" \
  "kubebook=$kb validate --ignore-missing-schemas $work/book-corpus" \
  "kubeconform=$gobin/kubeconform -strict -ignore-missing-schemas -schema-location '$work/kc-schemas/{{ .ResourceKind }}{{ .KindSuffix }}.json' $work/book-corpus" \
  "k8s-validate=xargs -a $work/book-files -n 5000 kubernetes-validate -k 1.37.0 --strict --quiet"

echo "== check: one chapter of N manifest blocks (linear?)"
for n in 100 1000 10000; do
  python3 - "$work/book$n" "$n" <<'PY'
import os, sys
d, n = sys.argv[1], int(sys.argv[2])
os.makedirs(f"{d}/book")
open(f"{d}/book/book.toml", "w").write('[book]\ntitle = "Scale test"\nkubernetes = "1.37"\n')
blocks = [f"Step {i}.\n\n```yaml lab=ch01-l{i // 10} file=d{i}.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web{i}\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {{app: web{i}}}\n  template:\n    metadata:\n      labels: {{app: web{i}}}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27.3\n```\n\n" for i in range(n)]
open(f"{d}/book/01-big.md", "w").write("---\ntitle: One big chapter\n---\n\n" + "".join(blocks))
PY
done
python3 bench/compare.py "$runs" \
  "check-100=$kb check $work/book100" \
  "check-1000=$kb check $work/book1000" \
  "check-10000=$kb check $work/book10000"

echo "== check and build of the shipped book"
python3 bench/compare.py "$runs" "check=$kb check $root" "build=$kb build $root --dest $work/site"
