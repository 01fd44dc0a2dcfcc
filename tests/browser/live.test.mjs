// `kubebook serve` in Chromium: an edit to a chapter is patched into the open page (no
// reload: scroll, open answers and expected outputs, and page state stay), a change to the
// theme or the page's shell reloads it, and the error overlay comes and goes (issue #19).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { spawn } from "node:child_process";
import { PROJECT, kubebookBin, launch, recordingContext } from "./lib.mjs";

const CHAPTER = "06-kubernetes-basics";
let tmp, proc, url, browser;
let log = "";

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), "kubebook-live-"));
  for (const d of ["book", "themes", "labs"]) cpSync(join(PROJECT, d), join(tmp, d), { recursive: true });
  proc = spawn(kubebookBin(), ["serve", tmp, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
  url = await new Promise((ok, fail) => {
    const seen = (d) => { log += d; const m = log.match(/(http:\/\/127\.0\.0\.1:\d+\/)/); if (m) ok(m[1]); };
    proc.stdout.on("data", seen);
    proc.stderr.on("data", seen);
    proc.on("exit", () => fail(new Error("serve exited: " + log)));
  });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  proc?.kill("SIGINT");
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const rebuilds = () => (log.match(/rebuilt in \d+ ms|still serving the last good build/g) || []).length;
async function rebuilt(since) {
  for (let i = 0; i < 300 && rebuilds() === since; i++) await new Promise((r) => setTimeout(r, 50));
}

/** Write FILE (relative to the project) as CHANGE(its text); returns an async function that
 *  puts the original back and waits for the server to have rebuilt it. */
function edit(file, change) {
  const path = join(tmp, file);
  const original = readFileSync(path, "utf8");
  const next = change(original);
  assert.notEqual(next, original, `the edit changes ${file}`);
  writeFileSync(path, next);
  return async () => { const n = rebuilds(); writeFileSync(path, original); await rebuilt(n); };
}

/** A page of the served book, once its live-reload script has its first copy of the page
 *  (what later versions are compared with) and its event stream is open. */
async function open(ctx, page = CHAPTER + ".html") {
  const p = await ctx.newPage();
  // For working on the live-reload script without rebuilding the binary: KUBEBOOK_LIVE_JS
  // names a file whose script replaces the served one.
  if (process.env.KUBEBOOK_LIVE_JS) {
    const dev = readFileSync(process.env.KUBEBOOK_LIVE_JS, "utf8");
    await p.route(/\.html$/, async (route) => {
      const r = await route.fetch();
      const body = (await r.text()).replace(/<script>\(function\(\)\{\nvar KEY="kubebook-scroll:"[\s\S]*?\}\)\(\);<\/script>/, () => "<script>" + dev + "</script>");
      await route.fulfill({ response: r, body });
    });
  }
  await p.goto(url + page);
  await listening(p);
  await p.evaluate(() => { window.__marker = "still the same page"; });
  return p;
}

/** The page has its first copy of itself (fetched by the live-reload script after load). */
async function listening(page) {
  await page.waitForFunction(() => performance.getEntriesByType("resource").some((e) => e.initiatorType === "fetch" && e.responseEnd > 0));
}

const marker = (page) => page.evaluate(() => window.__marker || null);

test("serve: an edited chapter is patched in place, keeping scroll, open answers and details, and working copy buttons", async () => {
  const ctx = await recordingContext(browser);
  ctx.setDefaultTimeout(15000);
  await ctx.grantPermissions(["clipboard-read", "clipboard-write"], { origin: url.replace(/\/$/, "") });
  const page = await open(ctx);
  const counts = () => page.evaluate(() => ({
    copy: document.querySelectorAll(".copy-button").length,
    toggles: document.querySelectorAll(".qa-toggle").length,
    done: document.querySelectorAll(".lab-done-row").length,
    cards: document.querySelectorAll(".lab-card[data-lab]").length,
    legends: document.querySelectorAll(".ph-legend").length,
  }));
  const before = await counts();
  assert.equal(before.done, before.cards, "one done box per lab");
  // The reader's state: an answer shown, an expected output opened, a place in the chapter.
  const card = page.locator('.qa[data-qid="06-kubernetes-basics/is-kubernetes-simple"]');
  await card.locator(".qa-toggle").click();
  const step = page.locator('.lab-steps[data-lab="ch06-explore-cluster"] .lab-step').first();
  await step.locator("details.expected summary").click();
  assert.equal(await step.locator("details.expected").evaluate((d) => d.open), true);
  await page.locator("#declarative-model").evaluate((h) => h.scrollIntoView({ block: "start" }));
  const y0 = await page.evaluate(() => window.scrollY);
  const top0 = await page.locator("#declarative-model").evaluate((h) => h.getBoundingClientRect().top);
  assert.ok(y0 > 1000, `scrolled down the chapter: ${y0}`);
  const navigations = [];
  page.on("framenavigated", (f) => { if (f === page.mainFrame()) navigations.push(f.url()); });

  // Three edits in one save: a paragraph above the reader's place (the place must stay on
  // screen), a command in a lab step whose expected output is open, and the answer shown.
  const restore = edit(`book/${CHAPTER}.md`, (t) => t
    .replace("This chapter is the hands-on core of the book.", "This chapter is the hands-on core of the book (patched).")
    .replace("$ kubectl get nodes\n", "$ kubectl get nodes --show-labels\n")
    .replace("No. The core idea is simple", "No, patched. The core idea is simple"));
  try {
    await page.waitForFunction(() => document.querySelector("main").textContent.includes("No, patched."));
    await page.waitForFunction(() => document.querySelector("main").textContent.includes("(patched)"));
    assert.equal(await marker(page), "still the same page", "no reload: the page's state survives");
    assert.deepEqual(navigations, [], "no navigation");
    // The place in the chapter: the heading the reader was at has not moved on screen.
    const top1 = await page.locator("#declarative-model").evaluate((h) => h.getBoundingClientRect().top);
    assert.ok(Math.abs(top1 - top0) <= 1, `the heading stays at ${top0} px, is at ${top1}`);
    assert.ok(Math.abs((await page.evaluate(() => window.scrollY)) - y0) < 200, "scroll position kept (give or take the grown paragraph)");
    // The answer, in the replaced section, is still shown; the expected output still open.
    assert.equal(await card.locator(".qa-toggle").getAttribute("aria-expanded"), "true");
    assert.ok(await card.locator(".qa-answer").isVisible());
    assert.match(await card.locator(".qa-answer").innerText(), /No, patched\./);
    const newStep = page.locator('.lab-steps[data-lab="ch06-explore-cluster"] .lab-step').first();
    assert.equal(await newStep.locator("details.expected").evaluate((d) => d.open), true, "expected output still open");
    // The patched step has its one copy button, and it copies the new command.
    const wrap = newStep.locator(".code-wrap:has(pre.console)").first();
    assert.equal(await wrap.locator(".copy-button").count(), 1);
    await wrap.locator(".copy-button").click();
    await page.waitForFunction(() => navigator.clipboard.readText().then((t) => t === "kubectl get nodes --show-labels"));
    // Placeholders marked again in the replaced step, nothing doubled anywhere.
    assert.ok(await newStep.locator("details.expected .ph").count() > 0, "placeholders marked");
    assert.deepEqual(await counts(), before, "no button, card, done box or legend lost or doubled");
    // The answer's grading still works (its listeners belong to the new card).
    await card.locator(".qa-knew").click();
    assert.equal(await card.getAttribute("data-state"), "known");
  } finally {
    await restore();
  }
  // Putting the text back patches it back.
  await page.waitForFunction(() => !document.querySelector("main").textContent.includes("(patched)"));
  assert.equal(await marker(page), "still the same page");
  await ctx.close();
});

test("serve: a change to the theme or to the page's shell reloads the page", async () => {
  const ctx = await recordingContext(browser);
  ctx.setDefaultTimeout(15000);
  // The stylesheet: every page reloads ("*").
  let page = await open(ctx);
  let restore = edit("themes/default/static/style.css", (t) => t + "\n/* live test */\n");
  try {
    await page.waitForFunction(() => !window.__marker);
    await listening(page);
  } finally {
    await restore();
  }
  await page.close();
  // The shell: a template change to the article (its kicker) and to the frame around it (the
  // pager) in one save. Patching the article alone would leave the pager stale: it reloads.
  page = await open(ctx);
  restore = edit("themes/default/templates/chapter.html", (t) => t
    .replace('<p class="chapter-kicker">Chapter', '<p class="chapter-kicker">(live test) Chapter')
    .replace('<span class="pager-label">← Previous</span>', '<span class="pager-label">← Previous (live test)</span>'));
  try {
    await page.waitForFunction(() => document.querySelector(".chapter-kicker")?.textContent.includes("(live test)"));
    assert.equal(await marker(page), null, "the page was reloaded");
    assert.match(await page.locator(".pager .prev").innerText(), /\(live test\)/);
    await listening(page);
  } finally {
    await restore();
  }
  await page.waitForFunction(() => !document.querySelector(".chapter-kicker")?.textContent?.includes("(live test)"));
  await ctx.close();
});

test("serve: the error overlay appears on a broken save and clears when it is fixed", async () => {
  const ctx = await recordingContext(browser);
  ctx.setDefaultTimeout(15000);
  const page = await open(ctx);
  const restore = edit(`book/${CHAPTER}.md`, (t) => t.replace("---\n", "---\nnot_a_key: 1\n"));
  try {
    const overlay = page.locator("#kubebook-error");
    await overlay.waitFor();
    assert.match(await overlay.innerText(), /errors/);
    assert.equal(await marker(page), "still the same page", "the last good page stays");
  } finally {
    await restore();
  }
  await page.locator("#kubebook-error").waitFor({ state: "detached" });
  await ctx.close();
});
