// Flashcards, the drill and lab cards: a question is a button in its heading (F20), grading
// comes after the answer and practice remembers its settings and drills one card at a time
// (F16), a link to a question reveals it (F15), and the lab card reads as a section of its
// own (F24) — findings of the reader-UX review.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { buildSite, serve, launch, recordingContext } from "./lib.mjs";

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };
const CHAPTER = "06-kubernetes-basics.html";
let site, server, browser;

before(async () => {
  site = buildSite();
  server = await serve(site.dir);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
  site?.cleanup();
});

async function open(page = CHAPTER, viewport = DESKTOP) {
  const ctx = await recordingContext(browser, { viewport });
  ctx.setDefaultTimeout(10000);
  const p = await ctx.newPage();
  await p.goto(server.url + page);
  return { ctx, page: p };
}

/** The elements Tab stops at inside SCOPE (visible, not disabled, tabindex ≥ 0). */
function tabStops(scope) {
  return scope.evaluate((root) => Array.from(root.querySelectorAll("a[href], button, input, select, textarea, [tabindex]"))
    .filter((e) => e.tabIndex >= 0 && !e.disabled && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== "hidden").length);
}

for (const viewport of [PHONE, DESKTOP]) {
  test(`F20: at ${viewport.width} px each question is a button with aria-expanded in its heading, one tab stop per card`, async () => {
    const { ctx, page } = await open(CHAPTER, viewport);
    const card = page.locator(".interview .qa").first();
    const heading = card.locator("h3");
    const toggle = heading.locator("button.qa-toggle");
    assert.equal(await toggle.count(), 1, "a button inside the heading");
    assert.equal(await heading.getAttribute("tabindex"), null, "the heading itself is no tab stop");
    assert.equal(await toggle.getAttribute("aria-expanded"), "false");
    assert.equal(await toggle.getAttribute("aria-controls"), await card.locator(".qa-answer").getAttribute("id"));
    // Its name is the question.
    assert.equal(await page.getByRole("button", { name: "Is Kubernetes simple?", exact: true }).count(), 1);
    assert.equal(await tabStops(card), 1, "one stop while the answer is hidden");
    await toggle.focus();
    await page.keyboard.press("Enter");
    assert.equal(await toggle.getAttribute("aria-expanded"), "true");
    assert.ok(await card.locator(".qa-answer").isVisible());
    await page.keyboard.press("Space");
    assert.equal(await toggle.getAttribute("aria-expanded"), "false", "Space hides it again");
    // Every card of the chapter: the page has far fewer stops than the review's 409.
    const cards = await page.locator(".qa[data-qid]").count();
    const perCard = await page.locator(".qa[data-qid]").evaluateAll((els) => els.map((c) =>
      Array.from(c.querySelectorAll("a[href], button, input, [tabindex]")).filter((e) => e.tabIndex >= 0 && e.getClientRects().length > 0).length));
    assert.ok(perCard.every((n) => n === 1), `stops per concealed card: ${perCard}`);
    // The review counted 409 before labs had copyable setup and clean-up (F7): leave those out.
    const f7 = await page.locator(".lab-setup, .lab-cleanup").evaluateAll((els) => els.reduce((n, el) => n +
      Array.from(el.querySelectorAll("a[href], button, input, select, textarea, [tabindex]"))
        .filter((e) => e.tabIndex >= 0 && !e.disabled && e.getClientRects().length > 0).length, 0));
    const total = (await tabStops(page.locator("body"))) - f7;
    if (viewport === DESKTOP) assert.ok(total < 409 - 2 * cards, `tab stops on chapter 6 (F7 blocks aside): ${total}`);
    await ctx.close();
  });
}

test("F16: the grading buttons appear only once the answer is shown, on a chapter and on practice", async () => {
  for (const page of [CHAPTER, "practice.html"]) {
    const { ctx, page: p } = await open(page);
    const card = p.locator(".qa[data-qid]").first();
    assert.ok(await card.locator(".qa-knew").isHidden(), `${page}: Knew it hidden before the answer`);
    assert.ok(await card.locator(".qa-again").isHidden(), `${page}: Review again hidden before the answer`);
    await card.locator(".qa-toggle").click();
    assert.ok(await card.locator(".qa-knew").isVisible(), `${page}: Knew it after the answer`);
    assert.ok(await card.locator(".qa-again").isVisible());
    await card.locator(".qa-knew").click();
    assert.equal(await card.getAttribute("data-state"), "known");
    await ctx.close();
  }
});

test("F15: a URL hash that points at a question (a search hit) shows its answer", async () => {
  const { ctx, page } = await open(CHAPTER + "#is-kubernetes-simple");
  const card = page.locator('.qa[data-qid="06-kubernetes-basics/is-kubernetes-simple"]');
  assert.ok(await card.locator(".qa-answer").isVisible(), "the linked card is revealed");
  assert.equal(await card.locator(".qa-toggle").getAttribute("aria-expanded"), "true");
  const others = page.locator(".qa[data-qid]:not(.concealed)");
  assert.equal(await others.count(), 1, "only that one");
  // A hash change on the same page (an in-page link, a search hit for this chapter).
  const id = await page.locator(".interview .qa").nth(3).locator("h3").getAttribute("id");
  await page.evaluate((h) => { location.hash = h; }, id);
  await page.waitForFunction((h) => !document.getElementById(h).closest(".qa").classList.contains("concealed"), id);
  // From the search box: a hit found through the answer's text opens its question revealed.
  await page.goto(server.url + "index.html");
  await page.locator("#search-input").fill("CrashLoopBackOff what do you do");
  const hit = page.locator("#search-results a", { hasText: "CrashLoopBackOff" }).first();
  await hit.waitFor();
  const href = await hit.getAttribute("href");
  await hit.click();
  await page.waitForURL((u) => u.href.endsWith(href));
  const target = page.locator(`[id="${decodeURIComponent(href.split("#")[1])}"]`);
  const revealed = await target.evaluate((el) => { const c = el.closest(".qa"); return c ? !c.classList.contains("concealed") : "not a question"; });
  assert.equal(revealed, true, `${href}`);
  await ctx.close();
});

for (const viewport of [PHONE, DESKTOP]) {
  test(`F24: at ${viewport.width} px the lab title is a heading, "done" follows the last step, and needs link to their setup`, async () => {
    const { ctx, page } = await open(CHAPTER, viewport);
    const card = page.locator("#lab-ch06-first-pod");
    const title = card.locator(".lab-title");
    const level = await title.evaluate((e) => e.tagName);
    assert.match(level, /^H[2-6]$/, "the title is a heading");
    // One level below the section it sits in: no skipped level.
    const section = await title.evaluate((t) => {
      const hs = Array.from(document.querySelectorAll("main h1, main h2, main h3, main h4, main h5, main h6"));
      const before = hs.slice(0, hs.indexOf(t)).pop();
      return before.tagName;
    });
    assert.equal(Number(level[1]), Number(section[1]) + 1, `${level} after ${section}`);
    assert.equal(await page.getByRole("heading", { name: "Run your first Pod", exact: true }).count(), 1);
    // The done box comes after the lab's last step, not before its first.
    const box = page.getByRole("checkbox", { name: "Mark this lab as done (Run your first Pod)", exact: true });
    assert.equal(await box.count(), 1);
    const after = await box.evaluate((b) => {
      const parts = document.querySelectorAll('[data-lab="ch06-first-pod"]');
      const last = parts[parts.length - 1];
      return last !== b && !!(last.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING) && !last.contains(b);
    });
    assert.ok(after, "checkbox after the last step");
    assert.ok(await box.isVisible());
    // "Needs" items link to how to set them up, and those links lead somewhere.
    const needs = await page.locator(".lab-requires").evaluateAll((els) => els.flatMap((e) =>
      Array.from(e.querySelectorAll("code"), (c) => ({ need: c.textContent, href: c.closest("a") ? c.closest("a").href : null }))));
    const ingress = needs.find((n) => n.need === "ingress");
    assert.ok(ingress, JSON.stringify(needs));
    assert.match(ingress.href || "", /labs\/fixtures\/README\.md/, "ingress links to the fixture's setup");
    await page.goto(server.url + "13-tools.html");
    const helm = await page.locator(".lab-requires a", { hasText: "helm" }).first().getAttribute("href");
    assert.match(helm, /^13-tools\.html#helm$/);
    assert.equal(await page.locator("#helm").count(), 1, "the Helm section exists");
    await ctx.close();
  });
}

test("F16: practice remembers its chapter filter and order, and drills one card at a time with a session count", async () => {
  const { ctx, page } = await open("practice.html", PHONE);
  await page.locator("#practice-chapter").selectOption("06-kubernetes-basics");
  await page.locator("#practice-order").selectOption("book");
  await page.reload();
  assert.equal(await page.locator("#practice-chapter").inputValue(), "06-kubernetes-basics", "filter remembered");
  assert.equal(await page.locator("#practice-order").inputValue(), "book", "order remembered");
  const visible = page.locator(".practice-item:visible");
  const all = await visible.count();
  assert.ok(all > 5);
  // One card at a time.
  await page.getByLabel("One card at a time").check();
  assert.equal(await visible.count(), 1, "a single card");
  const first = await visible.locator(".qa").getAttribute("data-qid");
  const session = page.locator(".practice-session");
  assert.match(await session.innerText(), new RegExp(`Card 1 of ${all}`));
  assert.match(await session.innerText(), /0 reviewed this session/);
  await visible.locator(".qa-toggle").click();
  await visible.locator(".qa-knew").click();
  assert.equal(await visible.count(), 1);
  const second = await visible.locator(".qa").getAttribute("data-qid");
  assert.notEqual(second, first, "grading moves on to the next card");
  assert.match(await session.innerText(), new RegExp(`Card 2 of ${all}`));
  assert.match(await session.innerText(), /1 reviewed this session/);
  assert.ok(await visible.locator(".qa-toggle").evaluate((e) => e === document.activeElement), "focus on the next question");
  await page.reload();
  assert.ok(await page.getByLabel("One card at a time").isChecked(), "the mode is remembered");
  assert.equal(await visible.count(), 1);
  await page.getByLabel("One card at a time").uncheck();
  assert.equal(await visible.count(), all, "the whole list again");
  await ctx.close();
});

test("F16: practice exports the progress as a file and imports it back", async () => {
  const { readFileSync } = await import("node:fs");
  const { ctx, page } = await open("practice.html");
  const card = page.locator(".qa[data-qid]").first();
  const qid = await card.getAttribute("data-qid");
  await card.locator(".qa-toggle").click();
  await card.locator(".qa-knew").click();
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.locator(".practice-file [data-action=export-progress]").click(),
  ]);
  assert.equal(download.suggestedFilename(), "kubebook-progress.json");
  const file = await download.path();
  const data = JSON.parse(readFileSync(file, "utf8"));
  assert.equal(data.kubebook, 1);
  assert.equal(data.progress.questions[qid].state, "known");
  // Forget everything, then import the file: the card is known again, on this page and in storage.
  await page.evaluate(() => localStorage.removeItem("kubebook-progress"));
  await page.reload();
  assert.notEqual(await page.locator(`.qa[data-qid="${qid}"]`).getAttribute("data-state"), "known");
  await page.locator(".practice-file [data-action=import-progress]").setInputFiles(file);
  await page.waitForFunction((id) => document.querySelector(`.qa[data-qid="${id}"]`).getAttribute("data-state") === "known", qid);
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem("kubebook-progress")));
  assert.equal(stored.questions[qid].state, "known");
  await ctx.close();
});
