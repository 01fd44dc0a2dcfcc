// The author's loop as the author sees it: save a chapter, wait until the edit is on screen in
// Chromium. Run by hand (not part of the suite):
//   KUBEBOOK_BIN=target/release/kubebook node tests/browser/author-loop.mjs [CHAPTER.md] [--edits N]
// Copies the shipped project (book/, themes/, labs/) to a temporary folder, runs `kubebook
// serve` on it, opens the chapter's page and edits one paragraph N times. For each edit it
// reports, from the moment the file is written: the server's rebuild (its own "rebuilt in"
// line), the new text visible in the page, and whether the page was patched in place (the
// live-reload script swaps the changed elements) or reloaded (then also its load event).
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { spawn } from "node:child_process";
import { PROJECT, kubebookBin, launch, VIEWPORT } from "./lib.mjs";

const args = process.argv.slice(2);
let edits = 8;
let chapter = "06-kubernetes-basics.md";
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--edits") edits = Number(args[++i]);
  else chapter = args[i];
}
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

const tmp = mkdtempSync(join(tmpdir(), "kubebook-author-"));
for (const d of ["book", "themes", "labs"]) cpSync(join(PROJECT, d), join(tmp, d), { recursive: true });
const file = join(tmp, "book", chapter);
const original = readFileSync(file, "utf8");
const proc = spawn(kubebookBin(), ["serve", tmp, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
let log = "";
proc.stderr.on("data", (d) => { log += d; });
const url = await new Promise((ok, fail) => {
  let out = "";
  const seen = (d) => { out += d; const m = out.match(/(http:\/\/127\.0\.0\.1:\d+\/)/); if (m) ok(m[1]); };
  proc.stdout.on("data", seen);
  proc.stderr.on("data", seen);
  proc.on("exit", () => fail(new Error("serve exited: " + out)));
});
const browser = await launch();
const rows = [];
try {
  const ctx = await browser.newContext({ viewport: VIEWPORT });
  // When the reload event reaches the page and when the patch is done, for the breakdown.
  await ctx.addInitScript(() => {
    const add = EventSource.prototype.addEventListener;
    EventSource.prototype.addEventListener = function (type, f, o) {
      return add.call(this, type, function (e) { if (type === "reload") window.__eventAt = Date.now(); return f.call(this, e); }, o);
    };
    document.addEventListener("kubebook:patched", () => { window.__patchedAt = Date.now(); });
  });
  const page = await ctx.newPage();
  const html = chapter.replace(/\.md$/, ".html");
  await page.goto(url + html, { waitUntil: "load" });
  // The live-reload script's first copy of the page, what it compares the next with.
  await page.waitForFunction(() => performance.getEntriesByType("resource").some((e) => e.initiatorType === "fetch" && e.responseEnd > 0));
  for (let k = 1; k <= edits; k++) {
    const word = `edited${k}x${Date.now() % 100000}`;
    const before = log.length;
    await page.evaluate(() => { window.__sameDocument = true; });
    const t0 = Date.now();
    writeFileSync(file, original.replace("This chapter is the hands-on core of the book.", `This chapter is the hands-on core of the book (${word}).`));
    await page.waitForFunction((w) => document.readyState !== "loading" && document.body && document.body.textContent.includes(w), word, { timeout: 20000, polling: "raf" });
    const visible = Date.now() - t0;
    const patched = await page.evaluate(() => window.__sameDocument === true);
    const at = await page.evaluate(() => ({ event: window.__eventAt, done: window.__patchedAt }));
    const event = at.event ? at.event - t0 : NaN, done = at.done ? at.done - t0 : NaN;
    await page.waitForLoadState("load");
    const loaded = Date.now() - t0;
    await new Promise((r) => setTimeout(r, 300));
    const rebuilt = Number((log.slice(before).match(/rebuilt in (\d+) ms/) || [])[1] || NaN);
    rows.push({ rebuilt, visible, loaded, patched, event, done });
    console.log(`edit ${k}: server rebuild ${rebuilt} ms; text visible ${visible} ms after the save; ` +
      (patched ? `patched in place (event at ${event} ms, patch done at ${done} ms)` : `reloaded, page loaded ${loaded} ms after the save`));
  }
  await ctx.close();
} finally {
  await browser.close();
  proc.kill("SIGINT");
  rmSync(tmp, { recursive: true, force: true });
}
console.log(`median over ${rows.length} edits of ${chapter}: server rebuild ${median(rows.map((r) => r.rebuilt))} ms, ` +
  `reload event ${median(rows.map((r) => r.event))} ms, patched ${median(rows.map((r) => r.done))} ms, ` +
  `text visible ${median(rows.map((r) => r.visible))} ms; ${rows.filter((r) => r.patched).length} of ${rows.length} patched in place`);
