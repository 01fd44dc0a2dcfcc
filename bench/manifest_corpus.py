#!/usr/bin/env python3
"""A folder of real Kubernetes manifests for bench/validate.sh, from pinned upstream sources in
the Go module cache (kubernetes v1.37.2, gateway-api v1.6.3, kwok v0.8.0, kind v0.33.0): every
YAML file whose documents all parse and each carry apiVersion and kind, copied N times over
(copy-K/...) until the folder holds at least TARGET manifests. Also writes, for kubeconform, a
standalone strict schema per built-in kind found (kubernetes-validate's 1.37 schemas with
their $refs made local), since kubeconform's default schemas are fetched over the internet.

Usage: manifest_corpus.py OUT_DIR TARGET_MANIFESTS SCHEMA_OUT_DIR [EXTRA_DIR]
(schemas are also written for the kinds of the manifests under EXTRA_DIR)
Prints: files, manifests, distinct kinds."""
import json, os, pathlib, re, shutil, sys
import yaml
import kubernetes_validate

MODCACHE = pathlib.Path(os.environ.get("GOMODCACHE", pathlib.Path.home() / "go/pkg/mod"))
SOURCES = [
    "k8s.io/kubernetes@v1.37.2",
    "sigs.k8s.io/gateway-api@v1.6.3",
    "sigs.k8s.io/kwok@v0.8.0",
    "sigs.k8s.io/kind@v0.33.0",
]


def manifests_of(path):
    try:
        text = path.read_text()
        docs = [d for d in yaml.safe_load_all(text) if d is not None]
    except Exception:
        return None
    if not docs or not all(isinstance(d, dict) and "apiVersion" in d and "kind" in d for d in docs):
        return None
    return docs


def main():
    out, target, schema_out = pathlib.Path(sys.argv[1]), int(sys.argv[2]), pathlib.Path(sys.argv[3])
    picked = []  # (relative path, text, docs)
    for src in SOURCES:
        base = MODCACHE / src
        if not base.is_dir():
            sys.exit(f"missing {base}: run labs/control-plane/install.sh (it fetches these modules)")
        for p in sorted(base.rglob("*")):
            if p.suffix not in (".yaml", ".yml") or not p.is_file():
                continue
            docs = manifests_of(p)
            if docs:
                picked.append((pathlib.Path(src.replace("@", "-")) / p.relative_to(base), p.read_text(), docs))
    per_copy = sum(len(d) for _, _, d in picked)
    copies = max(1, -(-target // per_copy))
    for k in range(copies):
        for rel, text, _ in picked:
            dest = out / f"copy-{k}" / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(text)
    kinds = {(d["apiVersion"], d["kind"]) for _, _, docs in picked for d in docs}
    if len(sys.argv) > 4:
        for p in pathlib.Path(sys.argv[4]).rglob("*.yaml"):
            for d in manifests_of(p) or []:
                kinds.add((d["apiVersion"], d["kind"]))
    write_schemas(kinds, schema_out)
    print(f"{len(picked) * copies} files, {per_copy * copies} manifests, {len(kinds)} kinds")


def write_schemas(kinds, schema_out):
    """kubeconform's layout: KIND[-GROUP]-VERSION.json, one self-contained schema each."""
    src = pathlib.Path(kubernetes_validate.__file__).parent / "kubernetes-json-schema" / "v1.37.0-local-strict"
    defs = json.loads((src / "_definitions.json").read_text())["$defs"]
    schema_out.mkdir(parents=True, exist_ok=True)
    for api_version, kind in kinds:
        group, _, version = api_version.rpartition("/")
        group = group.split(".")[0]
        name = f"{kind.lower()}-{group + '-' if group else ''}{version}.json"
        f = src / name
        if not f.is_file():
            continue  # a custom resource: no built-in schema
        text = f.read_text().replace("/api/_definitions.json#/$defs/", "#/$defs/")
        schema = json.loads(text)
        needed, todo = {}, re.findall(r'"#/\$defs/([^"]+)"', text)
        while todo:
            n = todo.pop()
            if n in needed or n not in defs:
                continue
            needed[n] = defs[n]
            todo.extend(re.findall(r'"#/\$defs/([^"]+)"', json.dumps(defs[n])))
        schema["$defs"] = needed
        (schema_out / name).write_text(json.dumps(schema))


if __name__ == "__main__":
    main()
