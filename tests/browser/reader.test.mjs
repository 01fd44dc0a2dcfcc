// The interactive reader in headless Chromium: navigation, search, theme, flashcards,
// practice, progress, labs, copy buttons — over a loopback server and over file://.
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildSite, serve, fileUrl, launch, recordingContext, foreignRequests, artifact } from "./lib.mjs";

const CHAPTER = "06-kubernetes-basics.html";
const NEXT = "07-deployments.html";
const LAB = "ch06-first-pod";

let site, server, browser;
const contexts = [];

before(async () => {
  site = buildSite();
  server = await serve(site.dir);
  browser = await launch();
});

after(async () => {
  // Every request of every test stayed on this machine.
  const foreign = contexts.flatMap(foreignRequests);
  const total = contexts.reduce((n, c) => n + c.requests.length, 0);
  await browser?.close();
  await server?.close();
  site?.cleanup();
  assert.ok(total > 0, "requests were recorded");
  assert.deepEqual(foreign, [], "requests that left 127.0.0.1 / file://");
});

async function newContext(options) {
  const ctx = await recordingContext(browser, options);
  ctx.setDefaultTimeout(10000);
  contexts.push(ctx);
  return ctx;
}

/** Fail on uncaught page errors and console errors. */
function watchErrors(page) {
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  return errors;
}

const bases = {
  http: () => server.url,
  file: () => fileUrl(site.dir),
};

for (const [scheme, base] of Object.entries(bases)) {
  describe(`over ${scheme}`, () => {
    test("index and a chapter load, with the reader script running", async () => {
      const ctx = await newContext();
      const page = await ctx.newPage();
      const errors = watchErrors(page);
      await page.goto(base() + "index.html");
      assert.equal(await page.title(), "Kubernetes for Job Seekers");
      assert.equal(await page.locator(".chapter-card").count(), 15);
      await page.locator(".progress-panel").waitFor({ state: "visible" });
      assert.match(await page.locator(".progress-summary").innerText(), /0 of \d+ labs done · 0 of \d+ questions mastered/);
      await page.goto(base() + CHAPTER);
      assert.match(await page.title(), /^Kubernetes Basics · /);
      assert.ok(await page.locator(".theme-toggle").isVisible(), "theme toggle shown by the script");
      assert.ok(await page.locator("#search-input").isEnabled(), "search enabled by the script");
      assert.ok((await page.locator(".copy-button").count()) > 10, "copy buttons added");
      assert.ok((await page.locator(".qa.concealed").count()) > 5, "flashcards set up");
      assert.deepEqual(errors, []);
      await ctx.close();
    });

    test("ArrowRight / ArrowLeft move between chapters", async () => {
      const ctx = await newContext();
      const page = await ctx.newPage();
      await page.goto(base() + CHAPTER);
      await Promise.all([page.waitForURL((u) => u.href.endsWith(NEXT)), page.keyboard.press("ArrowRight")]);
      assert.match(await page.locator("h1").first().innerText(), /Deployment/);
      await Promise.all([page.waitForURL((u) => u.href.endsWith(CHAPTER)), page.keyboard.press("ArrowLeft")]);
      assert.match(await page.locator("h1").first().innerText(), /Kubernetes Basics/);
      // Not while typing: arrows in the search box move the caret.
      await page.locator("#search-input").focus();
      await page.keyboard.type("pod");
      await page.keyboard.press("ArrowLeft");
      await page.waitForTimeout(200);
      assert.ok(page.url().endsWith(CHAPTER));
      // No previous chapter before the first one.
      await page.goto(base() + "01-career-map.html");
      await page.keyboard.press("ArrowLeft");
      await page.waitForTimeout(200);
      assert.ok(page.url().endsWith("01-career-map.html"));
      await ctx.close();
    });

    test('search: "/" focuses, typing shows marked results, Enter opens one', async () => {
      const ctx = await newContext();
      const page = await ctx.newPage();
      await page.goto(base() + CHAPTER);
      await page.keyboard.press("/");
      assert.equal(await page.evaluate(() => document.activeElement.id), "search-input");
      // Typed at once, before the lazily loaded index has arrived.
      await page.keyboard.type("etcd");
      const first = page.locator("#search-results a[role=option]").first();
      await first.waitFor({ state: "visible" });
      assert.equal(await page.locator("#search-results").getAttribute("role"), "listbox");
      assert.equal(await page.locator("#search-input").getAttribute("aria-expanded"), "true");
      const n = await page.locator("#search-results a[role=option]").count();
      assert.ok(n >= 3, `several results, got ${n}`);
      assert.match(await first.locator(".sr-where").innerText(), /^\d+\. /, "chapter shown");
      assert.ok((await first.locator(".sr-title").innerText()).length > 0, "section shown");
      const marks = await first.locator(".sr-snippet mark").allInnerTexts();
      assert.ok(marks.length > 0 && marks.every((m) => m.toLowerCase() === "etcd"), `marked: ${marks}`);
      // The index is a local script, loaded on first use only.
      assert.ok(ctx.requests.some((u) => u.endsWith("/search-index.js")));
      const href = await first.getAttribute("href");
      assert.match(href, /^\d\d-[a-z0-9-]+\.html#[a-z0-9-]+$/);
      await Promise.all([page.waitForURL((u) => u.href.endsWith(href)), page.keyboard.press("Enter")]);
      const anchor = decodeURIComponent(href.split("#")[1]);
      assert.equal(await page.locator(`[id="${anchor}"]`).count(), 1, "the result's anchor exists");

      // ArrowDown selects, Escape closes; no results says so; HTML in the text stays text.
      await page.keyboard.press("/");
      await page.keyboard.type("kubectl apply");
      await page.locator("#search-results a[role=option]").first().waitFor();
      await page.keyboard.press("ArrowDown");
      await page.keyboard.press("ArrowDown");
      assert.equal(await page.locator("#search-input").getAttribute("aria-activedescendant"), "sr-1");
      assert.equal(await page.locator("#sr-1").getAttribute("aria-selected"), "true");
      await page.keyboard.press("Escape");
      assert.ok(await page.locator("#search-results").isHidden());
      await page.locator("#search-input").fill("zzqqxxnothing");
      await page.locator("#search-results .sr-empty").waitFor();
      assert.match(await page.locator("#search-results").innerText(), /No results/);
      await page.locator("#search-input").fill("amp lt");
      await page.waitForTimeout(100);
      const html = await page.locator("#search-results").innerHTML();
      assert.ok(!/&<mark>|<mark>amp<\/mark>;/.test(html), "entities not split by <mark>");
      await ctx.close();
    });

    test("theme toggle is remembered across reloads", async () => {
      const ctx = await newContext({ colorScheme: "light" });
      const page = await ctx.newPage();
      await page.goto(base() + CHAPTER);
      const theme = () => page.evaluate(() => document.documentElement.getAttribute("data-theme"));
      const toggle = page.locator(".theme-toggle");
      assert.equal(await theme(), "light");
      assert.equal(await toggle.getAttribute("aria-pressed"), "false");
      await toggle.click();
      assert.equal(await theme(), "dark");
      assert.equal(await toggle.getAttribute("aria-pressed"), "true");
      // The choice is in localStorage at once for this page, but another document (the
      // reload) may be served by another process before the write reaches it: wait until a
      // second page of the same profile reads it, as a reader's next visit would.
      const other = await ctx.newPage();
      await other.goto(base() + "index.html");
      await other.waitForFunction(() => localStorage.getItem("kubebook-theme") === "dark", null, { timeout: 5000 });
      await other.close();
      await page.reload();
      assert.equal(await theme(), "dark");
      assert.equal(await toggle.getAttribute("aria-pressed"), "true");
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      assert.equal(bg, "rgb(15, 20, 25)", "dark background applied");
      await page.goto(base() + "index.html");
      assert.equal(await theme(), "dark", "remembered on other pages");
      await toggle.click();
      await page.reload();
      assert.equal(await theme(), "light");
      await ctx.close();
    });
  });
}

test("the system's colour scheme is the default theme, followed until one is chosen", async () => {
  const ctx = await newContext({ colorScheme: "dark" });
  const page = await ctx.newPage();
  await page.goto(server.url + "index.html");
  const theme = () => page.evaluate(() => document.documentElement.getAttribute("data-theme"));
  assert.equal(await theme(), "dark");
  // Followed live until the reader chooses.
  await page.emulateMedia({ colorScheme: "light" });
  await page.waitForFunction(() => document.documentElement.getAttribute("data-theme") === "light");
  await page.locator(".theme-toggle").click();
  assert.equal(await theme(), "dark");
  await page.emulateMedia({ colorScheme: "dark" });
  await page.emulateMedia({ colorScheme: "light" });
  await page.waitForTimeout(100);
  assert.equal(await theme(), "dark", "a chosen theme stays");
  await ctx.close();
});

test("flashcard: reveal with the keyboard, mark it, state kept in localStorage", async () => {
  const ctx = await newContext();
  const page = await ctx.newPage();
  await page.goto(server.url + CHAPTER);
  const card = page.locator(".interview .qa").first();
  const qid = await card.getAttribute("data-qid");
  assert.equal(qid, "06-kubernetes-basics/is-kubernetes-simple");
  const answer = card.locator(".qa-answer");
  // The question is a button in its heading (F20); grading shows after the answer (F16).
  const reveal = card.locator("h3 .qa-toggle");
  assert.ok(await answer.isHidden(), "answer concealed");
  assert.equal(await reveal.getAttribute("aria-expanded"), "false");
  assert.equal(await reveal.getAttribute("aria-controls"), await answer.getAttribute("id"));
  await reveal.focus();
  assert.equal(await page.evaluate(() => document.activeElement.className), "qa-toggle");
  const scrolled = await page.evaluate(() => window.scrollY);
  await page.keyboard.press("Space");
  assert.ok(await answer.isVisible(), "Space reveals");
  assert.equal(await reveal.getAttribute("aria-expanded"), "true");
  assert.equal(await card.locator(".qa-hint").innerText(), "Hide answer");
  assert.equal(await page.evaluate(() => window.scrollY), scrolled, "Space does not scroll the page");
  await page.keyboard.press("Enter");
  assert.ok(await answer.isHidden(), "Enter hides again");
  await page.keyboard.press("Enter");
  assert.ok(await answer.isVisible(), "Enter reveals");
  // Focus order: question → Knew it → Review again.
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Knew it");
  await page.keyboard.press("Enter");
  assert.equal(await card.getAttribute("data-state"), "known");
  assert.equal(await card.locator(".qa-status").innerText(), "Marked as known");
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem("kubebook-progress")));
  assert.equal(stored.questions[qid].state, "known");
  // SM-2: the first correct answer schedules the question a day later.
  assert.equal(stored.questions[qid].reps, 1);
  assert.equal(stored.questions[qid].interval, 1);
  assert.ok(stored.questions[qid].due > Date.now() + 86400000 - 60000, "due in a day");
  await page.reload();
  assert.equal(await page.locator(".interview .qa").first().getAttribute("data-state"), "known");
  assert.ok(await page.locator(".interview .qa").first().locator(".qa-answer").isHidden(), "concealed again after reload");
  await ctx.close();
});

test("practice: review-first order, chapter filter and the mastered count", async () => {
  const ctx = await newContext();
  const page = await ctx.newPage();
  await page.goto(server.url + "practice.html");
  const items = page.locator(".practice-item:not([hidden]) .qa");
  const total = await items.count();
  assert.ok(total > 100, `all questions of the book: ${total}`);
  const count = page.locator(".practice-count");
  assert.equal(await count.innerText(), `0 of ${total} mastered`);
  assert.equal(await page.locator("#practice-order").inputValue(), "review");
  const bookOrder = await items.evaluateAll((els) => els.map((e) => e.getAttribute("data-qid")));

  // Mark the sixth question "Review again" and the second "Knew it", by keyboard.
  const sixth = page.locator(`.qa[data-qid="${bookOrder[5]}"]`);
  await sixth.locator("h2 .qa-toggle").focus();
  await page.keyboard.press("Space");
  await sixth.locator(".qa-again").focus();
  await page.keyboard.press("Enter");
  assert.equal(await sixth.getAttribute("data-state"), "review");
  // Marking moves the focus on to the next question.
  assert.equal(await page.evaluate(() => document.activeElement.closest(".qa").getAttribute("data-qid")), bookOrder[6]);
  const second = page.locator(`.qa[data-qid="${bookOrder[1]}"]`);
  await second.locator("h2 .qa-toggle").focus();
  await page.keyboard.press("Enter");
  await second.locator(".qa-knew").click();
  assert.equal(await count.innerText(), `1 of ${total} mastered`, "count updates at once");

  // Review first: the "review again" question leads, the known one goes last.
  await page.reload();
  const reordered = await items.evaluateAll((els) => els.map((e) => e.getAttribute("data-qid")));
  assert.equal(reordered[0], bookOrder[5]);
  assert.equal(reordered[reordered.length - 1], bookOrder[1]);
  assert.equal(reordered[1], bookOrder[0], "then new questions in book order");
  assert.equal(await count.innerText(), `1 of ${total} mastered`);

  // Book order and shuffle keep every question.
  await page.locator("#practice-order").selectOption("book");
  assert.deepEqual(await items.evaluateAll((els) => els.map((e) => e.getAttribute("data-qid"))), bookOrder);
  await page.locator("#practice-order").selectOption("shuffle");
  const shuffled = await items.evaluateAll((els) => els.map((e) => e.getAttribute("data-qid")));
  assert.deepEqual([...shuffled].sort(), [...bookOrder].sort());

  // Filter by chapter, with the keyboard.
  await page.locator("#practice-chapter").focus();
  await page.locator("#practice-chapter").selectOption("06-kubernetes-basics");
  const ch6 = await items.evaluateAll((els) => els.map((e) => e.getAttribute("data-qid")));
  assert.ok(ch6.length > 5 && ch6.every((q) => q.startsWith("06-kubernetes-basics/")));
  assert.equal(await count.innerText(), `0 of ${ch6.length} mastered`);
  await page.screenshot({ path: artifact("practice-filtered.png") });
  await ctx.close();
});

test("labs: mark as done, shown on the index with questions mastered; export, import, reset", async () => {
  const ctx = await newContext({ acceptDownloads: true });
  const page = await ctx.newPage();
  await page.goto(server.url + CHAPTER);
  const card = page.locator(`.lab-card[data-lab="${LAB}"]`);
  // The box follows the lab's last step (F24), outside the card.
  const box = page.getByRole("checkbox", { name: "Mark this lab as done (Run your first Pod)", exact: true });
  assert.equal(await box.isChecked(), false);
  await box.check();
  assert.match(await card.getAttribute("class"), /\bdone\b/);
  await page.reload();
  assert.equal(await box.isChecked(), true, "remembered after reload");
  for (const n of [0, 1]) {
    await page.locator(".interview .qa .qa-toggle").nth(n).click();
    await page.locator(".interview .qa .qa-knew").nth(n).click();
  }

  await page.goto(server.url + "index.html");
  const summary = page.locator(".progress-summary");
  const meta = await page.locator(".hero-meta").innerText();
  const totalQ = Number(meta.match(/(\d+) interview questions/)[1]);
  // The book's own count, as the index states it.
  const labs = Number(meta.match(/(\d+) labs/)[1]);
  assert.equal(await summary.innerText(), `1 of ${labs} labs done · 2 of ${totalQ} questions mastered.`);
  const card6 = page.locator('.chapter-card[data-chapter="06-kubernetes-basics"]');
  const [labs6, questions6] = [await card6.getAttribute("data-labs"), await card6.getAttribute("data-questions")];
  assert.ok(Number(labs6) > 1 && Number(questions6) > 2, `chapter 6 counts ${labs6}, ${questions6}`);
  const ch6 = card6.locator(".card-progress");
  assert.equal((await ch6.innerText()).trim(), `· 1/${labs6} labs done, 2/${questions6} questions mastered`);

  // Export.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.locator("[data-action=export-progress]").click(),
  ]);
  const file = artifact("kubebook-progress.json");
  await download.saveAs(file);
  const exported = JSON.parse(readFileSync(file, "utf8"));
  assert.equal(exported.kubebook, 1);
  assert.ok(exported.progress.labs[LAB]);
  assert.equal(Object.keys(exported.progress.questions).length, 2);

  // Reset (confirmed), then import brings it back.
  page.once("dialog", (d) => d.accept());
  await page.locator("[data-action=reset-progress]").click();
  assert.equal(await summary.innerText(), `0 of ${labs} labs done · 0 of ${totalQ} questions mastered.`);
  assert.equal(await ch6.innerText(), "");
  await page.locator("[data-action=import-progress]").setInputFiles(file);
  await page.waitForFunction(() => /^1 of /.test(document.querySelector(".progress-summary").textContent));
  assert.equal(await summary.innerText(), `1 of ${labs} labs done · 2 of ${totalQ} questions mastered.`);

  // A file that is not a progress export is refused with a message, progress untouched.
  const bad = join(site.dir, "..", "bad.json");
  writeFileSync(bad, JSON.stringify({ hello: 1 }));
  const dialog = new Promise((ok) => page.once("dialog", (d) => { ok(d.message()); d.accept(); }));
  await page.locator("[data-action=import-progress]").setInputFiles(bad);
  assert.match(await dialog, /Could not import/);
  assert.equal(await summary.innerText(), `1 of ${labs} labs done · 2 of ${totalQ} questions mastered.`);

  // Back to a chapter and back again (back/forward cache): the index repaints.
  await page.goto(server.url + CHAPTER);
  await box.uncheck();
  await page.goBack();
  await page.waitForFunction(() => /^0 of /.test(document.querySelector(".progress-summary").textContent));
  await ctx.close();
});

test("copy buttons put the command (and only the code) on the clipboard", async () => {
  const ctx = await newContext();
  await ctx.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url.replace(/\/$/, "") });
  const page = await ctx.newPage();
  await page.goto(server.url + CHAPTER);
  // The button sits beside the block, in its wrapper (so it does not scroll with the code).
  const step = page.locator('.lab-steps[data-lab="ch06-explore-cluster"] .lab-step .code-wrap:has(pre.console)').first();
  const button = step.locator(".copy-button");
  await button.click();
  await page.waitForFunction((b) => b.textContent === "Copied", await button.elementHandle());
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), "kubectl get nodes");
  // A file block: the YAML exactly, without the button's own label.
  const yaml = page.locator(`figure.lab-block[data-lab="${LAB}"] .code-wrap:has(pre.code)`).first();
  await yaml.locator(".copy-button").click();
  const text = await page.evaluate(() => navigator.clipboard.readText());
  assert.ok(text.startsWith("apiVersion: v1\nkind: Pod\n"), text);
  assert.ok(!/Cop(y|ied)\s*$/.test(text), "button label not copied");
  assert.equal(text, await yaml.locator("code").innerText());
  await ctx.close();
});

test("F7: every cluster lab has copyable setup in its card and clean-up after its last step, before the done box", async () => {
  const ctx = await newContext();
  await ctx.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url.replace(/\/$/, "") });
  const page = await ctx.newPage();
  await page.goto(server.url + CHAPTER);
  const labs = await page.locator(".lab-card[data-lab]").evaluateAll((cards) => cards.map((c) => c.dataset.lab));
  assert.ok(labs.length >= 10, labs.join());
  for (const id of labs) {
    const setup = page.locator(`.lab-card[data-lab="${id}"] .lab-setup`);
    assert.equal(await setup.count(), 1, `${id}: setup in the card`);
    assert.deepEqual(await setup.locator(".cmd").allInnerTexts(),
      [`kubectl create namespace ${id}`, `kubectl config set-context --current --namespace ${id}`], id);
    const cleanup = page.locator(`.lab-cleanup[data-lab="${id}"]`);
    assert.equal(await cleanup.count(), 1, `${id}: one clean-up`);
    assert.deepEqual(await cleanup.locator(".cmd").allInnerTexts(),
      [`kubectl delete namespace ${id}`, "kubectl config set-context --current --namespace default"], id);
    // In reading order: the last step of the lab, then the clean-up, then "Mark this lab as done".
    const order = await page.evaluate((id) => {
      const parts = Array.from(document.querySelectorAll(`[data-lab="${id}"]`));
      const last = parts[parts.length - 1];
      const done = last.nextElementSibling;
      const steps = parts.filter((p) => p.matches(".lab-steps, figure.lab-block"));
      return { lastIsCleanup: last.classList.contains("lab-cleanup"),
        doneFollows: !!done && done.classList.contains("lab-done-row"),
        afterSteps: !!(steps.length && (steps[steps.length - 1].compareDocumentPosition(last) & Node.DOCUMENT_POSITION_FOLLOWING)) };
    }, id);
    assert.deepEqual(order, { lastIsCleanup: true, doneFollows: true, afterSteps: true }, id);
  }
  // Copy takes both commands, one per line, without the prompts.
  const button = page.locator(`.lab-card[data-lab="${labs[0]}"] .lab-setup .copy-button`);
  await button.click();
  await page.waitForFunction((b) => b.textContent === "Copied", await button.elementHandle());
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()),
    `kubectl create namespace ${labs[0]}\nkubectl config set-context --current --namespace ${labs[0]}`);
  // The chapter's note agrees with the cards: a namespace per lab, not one per chapter.
  const note = await page.locator(".callout-note").first().innerText();
  assert.ok(!/namespace ch06\b/.test(note), note);
  await ctx.close();
});

test("F7: a lab on the reader's own machine asks for no namespace", async () => {
  const ctx = await newContext();
  const page = await ctx.newPage();
  await page.goto(server.url + "04-os-fundamentals.html");
  const host = page.locator(".lab-card[data-lab]").first();
  assert.match(await host.innerText(), /Runs on your own machine/);
  assert.equal(await host.locator(".lab-setup").count(), 0);
  const id = await host.getAttribute("data-lab");
  assert.equal(await page.locator(`.lab-cleanup[data-lab="${id}"]`).count(), 0);
  await ctx.close();
});

test("lab card screenshot", async () => {
  const ctx = await newContext();
  const page = await ctx.newPage();
  await page.goto(server.url + CHAPTER + "#lab-" + LAB);
  await page.locator(`#lab-${LAB}`).screenshot({ path: artifact("lab-card-only.png") });
  await ctx.close();
});
