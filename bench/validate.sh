#!/usr/bin/env bash
# Validation throughput: kubebook vs kubernetes-validate (PyPI, strict offline schemas) on the
# same generated corpus. Run by hand from the project root: bash bench/validate.sh [N]
set -euo pipefail
n=${1:-10000}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cargo bench --quiet --bench validate -- "$n"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo bench --quiet --bench validate -- "$n" --write "$work/corpus"
if ! command -v kubernetes-validate >/dev/null; then
  pip install --quiet kubernetes-validate || { echo "SKIPPED: kubernetes-validate could not be installed"; exit 0; }
fi
# kubernetes-validate takes many files per process; time the whole corpus in one run.
start=$(date +%s.%N)
find "$work/corpus" -name '*.yaml' -print0 | xargs -0 -n 2000 kubernetes-validate -k 1.36.0 --strict --quiet >/dev/null
end=$(date +%s.%N)
python3 -c "import sys; n=$n; dt=$end-$start; print(f'kubernetes-validate: {n} manifests in {dt:.3f} s = {n/dt:.0f} manifests/s')"
