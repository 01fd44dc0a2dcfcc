#!/usr/bin/env python3
"""Save → reload latency: kubebook serve (time until the SSE reload event) and mdbook serve
(time until the output HTML contains the edit), on the same book, N edits each.
Usage: serve_latency.py KUBEBOOK_BIN PROJECT_DIR [N]"""
import os, random, re, shutil, socket, statistics, subprocess, sys, tempfile, threading, time

kb_bin, project, n = sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 50
CHAPTER = "06-kubernetes-basics.md"
work = tempfile.mkdtemp()

def edit(path, i):
    text = open(path).read()
    text = re.sub(r"\nbench-marker-\d+\n", "\n", text)
    # Insert a paragraph after the front matter so the change shows on the page.
    head, body = text.split("\n---\n", 1)
    open(path, "w").write(f"{head}\n---\n\nbench-marker-{i}\n{body}")
    return f"bench-marker-{i}"

def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]

def report(name, xs):
    print(f"{name:<22} n={len(xs):<3} p50 {statistics.median(xs)*1000:7.1f} ms   p95 {pct(xs,95)*1000:7.1f} ms   min {min(xs)*1000:6.1f}   max {max(xs)*1000:7.1f}")

# --- kubebook -----------------------------------------------------------------------------
kb = os.path.join(work, "kb")
for d in ("book", "themes", "labs"):
    if os.path.isdir(os.path.join(project, d)):
        shutil.copytree(os.path.join(project, d), os.path.join(kb, d))
proc = subprocess.Popen([kb_bin, "serve", "--port", "0", kb], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
line = proc.stdout.readline()
host, port = re.search(r"http://([\d.]+):(\d+)/", line).groups()
sock = socket.create_connection((host, int(port)))
sock.sendall(b"GET /__kubebook/events HTTP/1.1\r\nHost: x\r\n\r\n")
events = []
cv = threading.Condition()
def reader():
    buf = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return
        buf += chunk
        while b"\n\n" in buf:
            ev, buf = buf.split(b"\n\n", 1)
            if b"event: reload" in ev:
                with cv:
                    events.append(time.perf_counter())
                    cv.notify_all()
threading.Thread(target=reader, daemon=True).start()
time.sleep(0.5)
lat = []
path = os.path.join(kb, "book", CHAPTER)
for i in range(n):
    time.sleep(0.2 + random.random() * 0.2)
    with cv:
        seen = len(events)
    t0 = time.perf_counter()
    edit(path, i)
    with cv:
        cv.wait_for(lambda: len(events) > seen, timeout=10)
        if len(events) > seen:
            lat.append(events[seen] - t0)
proc.terminate(); proc.wait()

# --- mdBook -------------------------------------------------------------------------------
md = os.path.join(work, "md")
os.makedirs(os.path.join(md, "src"))
chapters = sorted(f for f in os.listdir(os.path.join(project, "book")) if f.endswith(".md"))
summary = ["# Summary", ""]
for f in chapters:
    text = open(os.path.join(project, "book", f)).read()
    title = re.search(r"^title:\s*\"?(.*?)\"?$", text, re.M).group(1)
    open(os.path.join(md, "src", f), "w").write(text)
    summary.append(f"- [{title}]({f})")
open(os.path.join(md, "src", "SUMMARY.md"), "w").write("\n".join(summary) + "\n")
open(os.path.join(md, "book.toml"), "w").write('[book]\ntitle = "bench"\n')
s = socket.socket(); s.bind(("127.0.0.1", 0)); mport = s.getsockname()[1]; s.close()
mproc = subprocess.Popen(["mdbook", "serve", "-p", str(mport), "-n", "127.0.0.1", md], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
out_html = os.path.join(md, "book", CHAPTER.replace(".md", ".html"))
deadline = time.time() + 60
while not os.path.exists(out_html) and time.time() < deadline:
    time.sleep(0.1)
time.sleep(1.5)
mlat = []
mpath = os.path.join(md, "src", CHAPTER)
for i in range(n):
    time.sleep(0.2 + random.random() * 0.2)
    t0 = time.perf_counter()
    marker = edit(mpath, 1000 + i)
    while time.perf_counter() - t0 < 10:
        try:
            if marker in open(out_html).read():
                mlat.append(time.perf_counter() - t0)
                break
        except OSError:
            pass
        time.sleep(0.002)
mproc.terminate(); mproc.wait()
shutil.rmtree(work, ignore_errors=True)

report("kubebook (SSE event)", lat)
report("mdbook (HTML on disk)", mlat)
if lat and mlat:
    print(f"ratio of medians: mdbook / kubebook = {statistics.median(mlat)/statistics.median(lat):.1f}x")
