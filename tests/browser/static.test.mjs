// Pages without JavaScript, reduced motion, visible focus, and the screenshots (artifacts/;
// with KUBEBOOK_UPDATE_SCREENSHOTS=1 also docs/screenshots/, the copies README shows).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { buildSite, serve, fileUrl, launch, recordingContext, foreignRequests, artifact, PROJECT } from "./lib.mjs";

const CHAPTER = "06-kubernetes-basics.html";
let site, server, browser;
const contexts = [];

before(async () => {
  site = buildSite();
  server = await serve(site.dir);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
  site?.cleanup();
  assert.deepEqual(contexts.flatMap(foreignRequests), []);
});

async function newContext(options) {
  const ctx = await recordingContext(browser, options);
  ctx.setDefaultTimeout(10000);
  contexts.push(ctx);
  return ctx;
}

for (const [scheme, base] of [["http", () => server.url], ["file", () => fileUrl(site.dir)]]) {
  test(`without JavaScript (${scheme}): content, answers and labs are all readable`, async () => {
    const ctx = await newContext({ javaScriptEnabled: false });
    const page = await ctx.newPage();
    await page.goto(base() + CHAPTER);
    assert.ok(await page.locator("h1").first().isVisible());
    assert.ok((await page.locator("main p").count()) > 20, "prose");
    const answers = page.locator(".qa .qa-answer");
    assert.ok((await answers.count()) > 5);
    for (const a of await answers.all()) assert.ok(await a.isVisible(), "every answer shown");
    assert.ok(await page.locator(".lab-card").first().isVisible());
    assert.ok(await page.locator(".lab-steps pre").first().isVisible(), "lab commands");
    assert.ok(await page.locator(".pager a[rel=next]").isVisible(), "next chapter link");
    // Controls that need the script stay out of the way.
    assert.equal(await page.locator(".copy-button, .qa-controls, .lab-done").count(), 0);
    assert.ok(await page.locator(".theme-toggle").isHidden());
    assert.ok(await page.locator("#search-input").isDisabled());
    // Practice: every question with its answer; the script-only controls hidden.
    await page.goto(base() + "practice.html");
    assert.ok(await page.locator(".practice-controls").isHidden());
    const qa = page.locator(".practice-item .qa-answer");
    assert.ok((await qa.count()) > 100);
    assert.ok(await qa.first().isVisible() && await qa.last().isVisible());
    // Index: the chapter list; the progress panel (script only) hidden.
    await page.goto(base() + "index.html");
    assert.equal(await page.locator(".chapter-card").count(), 15);
    assert.ok(await page.locator(".progress-panel").isHidden());
    if (scheme === "http") await page.screenshot({ path: artifact("chapter-nojs.png") });
    await ctx.close();
  });
}

test("reduced motion: no transitions; with motion allowed, transitions are subtle", async () => {
  const transition = async (reducedMotion) => {
    const ctx = await newContext({ reducedMotion });
    const page = await ctx.newPage();
    await page.goto(server.url + CHAPTER);
    const r = await page.evaluate(() => {
      const els = [".qa", ".lab-card", ".button", ".theme-toggle", ".copy-button"].map((s) => document.querySelector(s));
      return {
        matches: matchMedia("(prefers-reduced-motion: reduce)").matches,
        durations: els.map((e) => getComputedStyle(e).transitionDuration),
        animations: [...document.querySelectorAll("*")].filter((e) => getComputedStyle(e).animationName !== "none").length,
        scroll: getComputedStyle(document.documentElement).scrollBehavior,
      };
    });
    await ctx.close();
    return r;
  };
  const reduced = await transition("reduce");
  assert.equal(reduced.matches, true);
  assert.ok(reduced.durations.every((d) => d.split(",").every((x) => parseFloat(x) === 0)), `durations ${reduced.durations}`);
  assert.equal(reduced.animations, 0);
  assert.equal(reduced.scroll, "auto");
  const full = await transition("no-preference");
  assert.equal(full.matches, false);
  assert.ok(full.durations.every((d) => d.split(",").every((x) => parseFloat(x) <= 0.2)), `durations ${full.durations}`);
});

test("keyboard focus is visible: skip link first, then a ring on every stop", async () => {
  const ctx = await newContext();
  const page = await ctx.newPage();
  await page.goto(server.url + CHAPTER);
  await page.keyboard.press("Tab");
  const first = await page.evaluate(() => ({ cls: document.activeElement.className, left: document.activeElement.getBoundingClientRect().left }));
  assert.equal(first.cls, "skip-link");
  assert.ok(first.left >= 0, "skip link on screen when focused");
  await page.keyboard.press("Enter");
  assert.equal(await page.evaluate(() => document.activeElement.id), "main");
  for (const sel of [".qa-toggle", ".lab-done-box", ".copy-button", ".theme-toggle", "#search-input"]) {
    await page.locator(sel).first().focus();
    // focus() from script counts as keyboard focus for :focus-visible only after a key press.
    await page.keyboard.press("Shift");
    const outline = await page.evaluate(() => {
      const s = getComputedStyle(document.activeElement);
      return { style: s.outlineStyle, width: parseFloat(s.outlineWidth), visible: document.activeElement.matches(":focus-visible") };
    });
    assert.ok(outline.visible, `${sel} :focus-visible`);
    assert.ok(outline.style !== "none" && outline.width >= 2, `${sel} has a focus ring: ${JSON.stringify(outline)}`);
  }
  await ctx.close();
});

test("screenshots: index, chapter light and dark, lab card, practice", async () => {
  const shots = [];
  const shot = async (page, name, locator) => {
    const path = artifact(name);
    if (locator) await locator.screenshot({ path });
    else await page.screenshot({ path });
    shots.push(path);
  };
  for (const theme of ["light", "dark"]) {
    const ctx = await newContext({ colorScheme: theme });
    const page = await ctx.newPage();
    if (theme === "light") {
      await page.goto(server.url + CHAPTER);
      // Some progress, so the index shows it.
      await page.locator(".lab-done-box").first().check();
      await page.locator(".qa-toggle").first().click();
      await page.locator(".qa-knew").first().click();
      await page.goto(server.url + "index.html");
      await shot(page, "index.png");
      await page.goto(server.url + "practice.html");
      await page.locator(".qa-toggle").first().click();
      await shot(page, "practice.png");
    }
    await page.goto(server.url + CHAPTER + "#lab-ch06-first-pod");
    await page.evaluate(() => window.scrollBy(0, -70));
    await shot(page, `chapter-${theme}.png`);
    if (theme === "light") {
      const card = page.locator("#lab-ch06-first-pod");
      await card.scrollIntoViewIfNeeded();
      // The card and the lab's steps after it.
      const box = await page.evaluate(() => {
        const c = document.getElementById("lab-ch06-first-pod").getBoundingClientRect();
        const steps = document.querySelector('.lab-steps[data-lab="ch06-first-pod"]').getBoundingClientRect();
        return { x: c.left - 8, y: c.top - 8, width: c.width + 16, height: Math.min(steps.bottom - c.top + 16, 780) };
      });
      const path = artifact("lab-card.png");
      await page.screenshot({ path, clip: box });
      shots.push(path);
    }
    await ctx.close();
  }
  for (const p of shots) assert.ok(statSync(p).size > 10000, `${p} is a real picture`);
  if (process.env.KUBEBOOK_UPDATE_SCREENSHOTS === "1") {
    const dest = join(PROJECT, "docs", "screenshots");
    mkdirSync(dest, { recursive: true });
    for (const p of shots) copyFileSync(p, join(dest, p.split(/[\\/]/).pop()));
  }
});
