// The drill's scheduling is SM-2 (issue #19): intervals of 1 and 6 days, then times the ease
// factor; a miss starts over; due questions come first; Leitner progress saved by earlier
// versions carries over. The clock is Playwright's, fixed at a time and moved on by days.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { buildSite, serve, launch, recordingContext } from "./lib.mjs";

const DAY = 86400000;
const T0 = new Date("2026-03-02T09:00:00").getTime();
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

/** The practice page in book order at time T0 (a fake clock), with PROGRESS stored first. */
async function practice(progress = null) {
  const ctx = await recordingContext(browser);
  ctx.setDefaultTimeout(10000);
  const page = await ctx.newPage();
  await page.clock.setFixedTime(T0);
  await page.goto(server.url + "practice.html");
  await page.evaluate((p) => {
    localStorage.setItem("kubebook-practice", JSON.stringify({ order: "book" }));
    if (p) localStorage.setItem("kubebook-progress", JSON.stringify(p));
  }, progress);
  await page.reload();
  return { ctx, page };
}

const stored = (page) => page.evaluate(() => JSON.parse(localStorage.getItem("kubebook-progress")));
const order = (page) => page.locator(".practice-item:not([hidden]) .qa").evaluateAll((els) => els.map((e) => e.getAttribute("data-qid")));

async function grade(page, qid, button) {
  const card = page.locator(`.qa[data-qid="${qid}"]`);
  const toggle = card.locator(".qa-toggle");
  if ((await toggle.getAttribute("aria-expanded")) !== "true") await toggle.click();
  await card.locator(button).click();
  return (await stored(page)).questions[qid];
}

test("SM-2: each correct answer makes the interval grow (1, 6, then × ease), a miss starts over", async () => {
  const { ctx, page } = await practice();
  const [qid] = await order(page);
  let q = await grade(page, qid, ".qa-knew");
  assert.equal(q.interval, 1); assert.equal(q.reps, 1); assert.equal(q.ef, 2.5);
  assert.equal(q.due, T0 + DAY, "due a day later");
  // A day later: due again; "Knew it" → 6 days.
  await page.clock.setFixedTime(T0 + DAY);
  await page.reload();
  q = await grade(page, qid, ".qa-knew");
  assert.equal(q.interval, 6); assert.equal(q.reps, 2);
  assert.equal(q.due, T0 + 7 * DAY);
  // Then the interval times the ease: 6 × 2.5 = 15 days; "Easy" raises the ease.
  await page.clock.setFixedTime(T0 + 7 * DAY);
  await page.reload();
  q = await grade(page, qid, ".qa-easy");
  assert.equal(q.interval, 15); assert.equal(q.reps, 3); assert.equal(q.ef, 2.6);
  await page.clock.setFixedTime(T0 + 22 * DAY);
  await page.reload();
  q = await grade(page, qid, ".qa-knew");
  assert.equal(q.interval, 39, "15 × 2.6"); assert.equal(q.reps, 4);
  // A miss: the run starts over, the ease drops, the question is due at once and first.
  await page.clock.setFixedTime(T0 + 61 * DAY);
  await page.reload();
  q = await grade(page, qid, ".qa-again");
  assert.equal(q.reps, 0); assert.equal(q.interval, 0); assert.equal(q.ef, 2.28);
  assert.equal(q.state, "review");
  assert.ok(q.due <= T0 + 61 * DAY);
  // And the next correct answer begins again at one day.
  q = await grade(page, qid, ".qa-knew");
  assert.equal(q.interval, 1); assert.equal(q.reps, 1);
  // The ease never drops below 1.3.
  for (let i = 0; i < 8; i++) q = await grade(page, qid, ".qa-again");
  assert.equal(q.ef, 1.3);
  await ctx.close();
});

test("SM-2: review first puts due questions first, the longest overdue leading, and says how many are due", async () => {
  const { ctx, page } = await practice();
  const book = await order(page);
  const at = (interval, due) => ({ state: "known", ef: 2.5, reps: 2, interval, due, seen: T0 - interval * DAY });
  const progress = {
    questions: {
      [book[3]]: at(6, T0 - 2 * DAY),      // overdue by two days
      [book[5]]: at(6, T0 - 1 * DAY),      // overdue by one
      [book[0]]: at(6, T0 + 3 * DAY),      // not yet due
      [book[1]]: at(15, T0 + 9 * DAY),     // later still
    },
    labs: {},
  };
  await page.evaluate((p) => {
    localStorage.setItem("kubebook-progress", JSON.stringify(p));
    localStorage.setItem("kubebook-practice", JSON.stringify({ order: "review" }));
  }, progress);
  await page.reload();
  const list = await order(page);
  assert.deepEqual(list.slice(0, 3), [book[3], book[5], book[2]], "due ones first, then new in book order");
  assert.deepEqual(list.slice(-2), [book[0], book[1]], "not yet due at the end, soonest first");
  assert.equal(await page.locator(".practice-due").innerText(), "2 due today");
  // Once they are answered nothing is due today: the page says when the next one is.
  await grade(page, book[3], ".qa-knew");
  await grade(page, book[5], ".qa-knew");
  assert.equal(await page.locator(".practice-due").innerText(), "Next due in 3 days");
  await ctx.close();
});

test("SM-2: Leitner progress saved by earlier versions, in storage or in a file, keeps what was known", async () => {
  const { ctx, page } = await practice();
  const book = await order(page);
  // Box 3 (due eight days after its last "Knew it"), and a "review again".
  const leitner = {
    questions: {
      [book[0]]: { state: "known", box: 3, due: T0 + 5 * DAY, seen: T0 - 3 * DAY },
      [book[1]]: { state: "review", box: 0, due: T0 - DAY, seen: T0 - DAY },
    },
    labs: { "ch06-first-pod": { done: T0 - DAY } },
  };
  await page.evaluate((p) => localStorage.setItem("kubebook-progress", JSON.stringify(p)), leitner);
  await page.reload();
  assert.equal(await page.locator(`.qa[data-qid="${book[0]}"]`).getAttribute("data-state"), "known");
  assert.equal(await page.locator(`.qa[data-qid="${book[1]}"]`).getAttribute("data-state"), "review");
  assert.match(await page.locator(".practice-count").innerText(), /^1 of \d+ mastered$/);
  assert.equal(await page.locator(".practice-due").innerText(), "1 due today", "the review is due, the known one is not");
  // When it comes due, "Knew it" goes on from box 3's eight days: 8 × 2.5 = 20.
  await page.clock.setFixedTime(T0 + 5 * DAY);
  await page.reload();
  let q = await grade(page, book[0], ".qa-knew");
  assert.equal(q.reps, 4); assert.equal(q.interval, 20);
  const labs = (await stored(page)).labs;
  assert.ok(labs["ch06-first-pod"], "labs done are kept");
  // An exported file from before SM-2 still imports, and exports carry the new state.
  await page.evaluate(() => localStorage.removeItem("kubebook-progress"));
  await page.reload();
  await page.locator(".practice-file [data-action=import-progress]").setInputFiles({
    name: "kubebook-progress.json", mimeType: "application/json",
    buffer: Buffer.from(JSON.stringify({ kubebook: 1, progress: leitner })),
  });
  await page.waitForFunction((id) => document.querySelector(`.qa[data-qid="${id}"]`).getAttribute("data-state") === "known", book[0]);
  q = await grade(page, book[0], ".qa-knew");
  assert.equal(q.interval, 20, "the imported box 3 goes on at 8 × 2.5 days");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.locator(".practice-file [data-action=export-progress]").click(),
  ]);
  const { readFileSync } = await import("node:fs");
  const file = JSON.parse(readFileSync(await download.path(), "utf8"));
  assert.deepEqual(file.progress.questions[book[0]], q, "the export has the SM-2 state");
  await ctx.close();
});
