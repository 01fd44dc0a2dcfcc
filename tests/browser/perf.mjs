// Page weight and first paint of a chapter page in headless Chromium. Run by hand:
//   node tests/browser/perf.mjs [CHAPTER.html ...] [--runs N]
// Builds the shipped book into a temporary directory (KUBEBOOK_BIN as for the tests), serves
// it on 127.0.0.1, loads each chapter in a fresh browser context (empty cache) and reports
// the bytes of every response, raw and gzip (level 6, what web servers commonly use), the
// request count, and first paint / first contentful paint (median of N loads). The search
// index loads on the first search only, so it is not part of a page load; its size is shown
// apart. Exits 1 if a page needs 100 KB gzip or more.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { buildSite, serve, launch, VIEWPORT } from "./lib.mjs";

const BUDGET = 100 * 1024;
const args = process.argv.slice(2);
let runs = 5;
const pages = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--runs") runs = Number(args[++i]);
  else pages.push(args[i]);
}
if (!pages.length) pages.push("06-kubernetes-basics.html");

const kb = (n) => (n / 1024).toFixed(1) + " KB";
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

const site = buildSite();
const server = await serve(site.dir);
const browser = await launch();
let over = false;
try {
  for (const name of pages) {
    const samples = [];
    let resources = null;
    for (let r = 0; r < runs; r++) {
      const ctx = await browser.newContext({ viewport: VIEWPORT });
      const page = await ctx.newPage();
      const seen = [];
      page.on("requestfinished", (req) => seen.push(req.url()));
      page.on("requestfailed", (req) => seen.push(req.url()));
      await page.goto(server.url + name, { waitUntil: "load" });
      await page.waitForTimeout(100);
      const t = await page.evaluate(() => {
        const p = {};
        for (const e of performance.getEntriesByType("paint")) p[e.name] = e.startTime;
        const nav = performance.getEntriesByType("navigation")[0];
        return { fp: p["first-paint"], fcp: p["first-contentful-paint"], dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd };
      });
      samples.push(t);
      resources ??= seen;
      await ctx.close();
    }
    const rows = resources.map((url) => {
      const rel = decodeURIComponent(new URL(url).pathname.slice(1));
      const bytes = readFileSync(join(site.dir, rel));
      return { rel, raw: bytes.length, gz: gzipSync(bytes, { level: 6 }).length };
    });
    const byKind = (re) => rows.filter((r) => re.test(r.rel)).reduce((n, r) => n + r.gz, 0);
    const total = rows.reduce((n, r) => n + r.gz, 0);
    const textTotal = byKind(/\.(html|css|js)$/);
    console.log(`\n${name}  (${runs} loads, empty cache each, ${VIEWPORT.width}x${VIEWPORT.height})`);
    for (const r of rows) console.log(`  ${r.rel.padEnd(32)} ${kb(r.raw).padStart(10)} raw ${kb(r.gz).padStart(9)} gzip`);
    console.log(`  requests: ${rows.length}`);
    console.log(`  HTML ${kb(byKind(/\.html$/))} + CSS ${kb(byKind(/\.css$/))} + JS ${kb(byKind(/\.js$/))} = ${kb(textTotal)} gzip` +
      (total !== textTotal ? ` (all resources ${kb(total)})` : ""));
    console.log(`  first paint ${median(samples.map((s) => s.fp)).toFixed(0)} ms, first contentful paint ${median(samples.map((s) => s.fcp)).toFixed(0)} ms, ` +
      `DOMContentLoaded ${median(samples.map((s) => s.dcl)).toFixed(0)} ms, load ${median(samples.map((s) => s.load)).toFixed(0)} ms (medians)`);
    console.log(`  budget: ${kb(total)} of ${kb(BUDGET)} gzip — ${total < BUDGET ? "OK" : "OVER"}`);
    if (total >= BUDGET) over = true;
  }
  const idx = readFileSync(join(site.dir, "search-index.js"));
  console.log(`\nsearch-index.js (first search only): ${kb(idx.length)} raw, ${kb(gzipSync(idx, { level: 6 }).length)} gzip`);
} finally {
  await browser.close();
  await server.close();
  site.cleanup();
}
process.exit(over ? 1 : 0);
