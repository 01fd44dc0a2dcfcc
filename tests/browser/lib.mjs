// Shared helpers for the browser tests: build the shipped book, serve it on loopback, launch
// Debian's Chromium through playwright-core, and record every request a page makes.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, existsSync, createReadStream, statSync, mkdirSync, cpSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve, dirname, extname, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

export const HERE = dirname(fileURLToPath(import.meta.url));
export const PROJECT = resolve(HERE, "..", "..");
export const ARTIFACTS = join(HERE, "artifacts");
export const CHROMIUM = process.env.KUBEBOOK_CHROMIUM || "/usr/bin/chromium";
export const LAUNCH = {
  executablePath: CHROMIUM,
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};
export const VIEWPORT = { width: 1280, height: 800 };

/** The kubebook binary: $KUBEBOOK_BIN, else ../../target/debug/kubebook. */
export function kubebookBin() {
  const bin = process.env.KUBEBOOK_BIN
    ? resolve(process.env.KUBEBOOK_BIN)
    : resolve(HERE, "..", "..", "target", "debug", "kubebook");
  if (!existsSync(bin)) {
    throw new Error(`kubebook binary not found at ${bin}: run \`cargo build\` or set KUBEBOOK_BIN`);
  }
  return bin;
}

/** Build the shipped book (PROJECT/book) into a fresh temporary directory; returns
 *  { dir, cleanup }. With `editToml`, the book is built from a copy whose book.toml is
 *  `editToml(text)` (book/, themes/ and labs/ copied; the shipped book is never touched). */
export function buildSite({ editToml } = {}) {
  const tmp = mkdtempSync(join(tmpdir(), "kubebook-browser-"));
  const dir = join(tmp, "site");
  let project = PROJECT;
  if (editToml) {
    project = join(tmp, "project");
    for (const d of ["book", "themes", "labs"]) cpSync(join(PROJECT, d), join(project, d), { recursive: true });
    const toml = join(project, "book", "book.toml");
    writeFileSync(toml, editToml(readFileSync(toml, "utf8")));
  }
  execFileSync(kubebookBin(), ["build", project, "--dest", dir], { stdio: ["ignore", "pipe", "pipe"] });
  return { dir, cleanup: () => rmSync(tmp, { recursive: true, force: true }) };
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".xml": "application/xml",
  ".yaml": "text/plain; charset=utf-8",
  ".yml": "text/plain; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
};

/** A tiny static file server for DIR on 127.0.0.1 and an ephemeral port. GET and HEAD only;
 *  nothing outside DIR. Returns { url, close, hits } where hits lists the paths requested.
 *  With `prefix` ("/kubebook/") the site is served under that path only, as GitHub Pages
 *  serves a project site; with `notFound` ("404.html") a miss answers 404 with that file. */
export async function serve(dir, { prefix = "/", notFound = null } = {}) {
  const root = resolve(dir);
  const hits = [];
  const server = createServer((req, res) => {
    hits.push(req.url);
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { Allow: "GET, HEAD" }).end();
      return;
    }
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, "http://127.0.0.1").pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (path.endsWith("/")) path += "index.html";
    let st = null;
    let file = null;
    if (path.startsWith(prefix)) {
      file = resolve(root, "./" + path.slice(prefix.length));
      if (file === root || file.startsWith(root + sep)) {
        try { st = statSync(file); } catch { st = null; }
      }
    }
    let status = 200;
    if ((!st || !st.isFile()) && notFound) {
      file = join(root, notFound);
      st = statSync(file);
      status = 404;
    }
    if (!st || !st.isFile()) {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
      return;
    }
    res.writeHead(status, {
      "Content-Type": TYPES[extname(file)] || "application/octet-stream",
      "Content-Length": st.size,
      "Cache-Control": "no-cache",
    });
    if (req.method === "HEAD") res.end();
    else createReadStream(file).pipe(res);
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    hits,
    close: () => new Promise((ok) => { server.closeAllConnections?.(); server.close(ok); }),
  };
}

export function fileUrl(dir) {
  return pathToFileURL(dir).href + "/";
}

export function launch() {
  return chromium.launch(LAUNCH);
}

/** True when URL never leaves the machine: loopback http(s), file://, or a blob:/data: URL
 *  the page made itself. */
export function isLocal(url) {
  if (url.startsWith("file://") || url.startsWith("data:")) return true;
  if (url.startsWith("blob:")) return isLocal(url.slice(5)) || url.startsWith("blob:null/");
  try {
    const u = new URL(url);
    return (u.protocol === "http:" || u.protocol === "https:") && u.hostname === "127.0.0.1";
  } catch {
    return false;
  }
}

/** A browser context that records every request of every page in it (`ctx.requests`) and
 *  aborts any that would leave the machine, so a stray request cannot hang a test. */
export async function recordingContext(browser, options = {}) {
  const ctx = await browser.newContext({ viewport: VIEWPORT, ...options });
  ctx.requests = [];
  ctx.on("request", (r) => ctx.requests.push(r.url()));
  await ctx.route((url) => !isLocal(url.href), (route) => route.abort());
  return ctx;
}

export function foreignRequests(ctx) {
  return ctx.requests.filter((u) => !isLocal(u));
}

export function artifact(name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}
