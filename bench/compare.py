#!/usr/bin/env python3
"""Run commands side by side, interleaved, N times each; print median wall time, peak RSS
and the ratio to the first command. Usage: compare.py N NAME=CMD [NAME=CMD ...]
A non-zero exit status stops the run, unless ANY_STATUS=1 (validators exit 1 when they find
invalid manifests, which a real corpus has)."""
import os, shlex, statistics, subprocess, sys, time

def run(cmd):
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    dt = time.perf_counter() - t0
    if status != 0 and os.environ.get("ANY_STATUS") != "1":
        sys.exit(f"command failed ({status}): {cmd}")
    return dt, ru.ru_maxrss / 1024.0

n = int(sys.argv[1])
cmds = [a.split("=", 1) for a in sys.argv[2:]]
results = {name: [] for name, _ in cmds}
for name, cmd in cmds:  # warm-up
    run(cmd)
for _ in range(n):
    for name, cmd in cmds:
        results[name].append(run(cmd))
base = statistics.median(t for t, _ in results[cmds[0][0]])
print(f"{'tool':<12} {'median ms':>10} {'min ms':>8} {'max ms':>8} {'peak RSS MiB':>13} {'ratio':>7}")
for name, _ in cmds:
    ts = [t for t, _ in results[name]]
    med = statistics.median(ts)
    rss = max(r for _, r in results[name])
    print(f"{name:<12} {med*1000:>10.1f} {min(ts)*1000:>8.1f} {max(ts)*1000:>8.1f} {rss:>13.1f} {med/base:>7.2f}")
