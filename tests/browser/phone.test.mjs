// The reader on a phone (390 px) and a tablet (768 px), the keyboard in code blocks, print
// and the favicon: findings F1, F4, F5, F10, F11, F12, F14, F18 of the reader-UX review.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { buildSite, serve, launch, recordingContext, artifact } from "./lib.mjs";

const PHONE = { width: 390, height: 844 };
const TABLET = { width: 768, height: 1024 };
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

async function open(viewport, page = "index.html") {
  const ctx = await recordingContext(browser, { viewport });
  ctx.setDefaultTimeout(10000);
  const p = await ctx.newPage();
  const errors = [];
  p.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  p.on("pageerror", (e) => errors.push(String(e)));
  await p.goto(server.url + page);
  return { ctx, page: p, errors };
}

test("F1: on a phone the search field and its results are full width and usable", async () => {
  const { ctx, page } = await open(PHONE, "06-kubernetes-basics.html");
  const input = page.locator("#search-input");
  await input.waitFor();
  await page.waitForFunction(() => !document.getElementById("search-input").disabled);
  const box = await input.boundingBox();
  assert.ok(box.width >= PHONE.width - 60, `search is ${box.width}px wide`);
  await input.fill("configmap");
  const results = page.locator("#search-results");
  await results.locator("a").first().waitFor();
  const rbox = await results.boundingBox();
  assert.ok(rbox.width >= PHONE.width - 60, `results are ${rbox.width}px wide`);
  const theme = await page.locator(".theme-toggle").boundingBox();
  assert.ok(theme.height < 40, `the theme button does not wrap (${theme.height}px)`);
  await page.screenshot({ path: artifact("phone-search.png") });
  await ctx.close();
});

test("F4: the drawer holds every destination, starts below the bar, and Esc closes it", async () => {
  const { ctx, page } = await open(PHONE, "06-kubernetes-basics.html");
  const toggle = page.locator(".nav-toggle");
  await toggle.click();
  const drawer = page.locator("#sidebar");
  assert.ok(await drawer.isVisible());
  for (const name of ["Practice", "Labs"]) {
    assert.ok(await drawer.getByRole("link", { name, exact: true }).isVisible(), `${name} in the drawer`);
  }
  const bar = await page.locator(".topbar").boundingBox();
  const d = await drawer.boundingBox();
  assert.ok(d.y >= bar.y + bar.height - 1, `drawer top ${d.y} under the bar's bottom ${bar.y + bar.height}`);
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).overflow), "hidden", "the page behind does not scroll");
  await page.keyboard.press("Escape");
  assert.ok(!(await drawer.isVisible()), "Esc closes the drawer");
  assert.equal(await toggle.getAttribute("aria-expanded"), "false");
  assert.ok(await toggle.evaluate((el) => el === document.activeElement), "focus back on Chapters");
  // The Labs page is reachable from the drawer.
  await toggle.click();
  await drawer.getByRole("link", { name: "Labs", exact: true }).click();
  await page.waitForURL(/labs\.html$/);
  await ctx.close();
});

test("F10: a heading reached by its anchor lands clear of the phone's top bar", async () => {
  const { ctx, page } = await open(PHONE, "06-kubernetes-basics.html");
  const id = await page.evaluate(() => {
    const hs = Array.from(document.querySelectorAll("main h2[id]"));
    return hs[Math.floor(hs.length / 2)].id;
  });
  await page.goto(server.url + "06-kubernetes-basics.html#" + id);
  await page.waitForTimeout(200);
  const bar = await page.locator(".topbar").boundingBox();
  const h = await page.locator(`[id="${id}"]`).boundingBox();
  assert.ok(h.y >= bar.y + bar.height, `heading at ${h.y}, bar ends at ${bar.y + bar.height}`);
  await ctx.close();
});

for (const [name, viewport, pages] of [
  ["F12: nothing scrolls sideways on a phone", PHONE, ["index.html", "08-services.html", "15-kubernetes-qa.html", "print.html", "practice.html", "labs.html"]],
  ["F11: nothing scrolls sideways on a tablet", TABLET, ["practice.html", "06-kubernetes-basics.html"]],
]) {
  test(name, async () => {
    const { ctx, page } = await open(viewport);
    for (const p of pages) {
      await page.goto(server.url + p);
      const [sw, cw] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      assert.ok(sw <= cw, `${p}: scrollWidth ${sw} > ${cw}`);
    }
    await ctx.close();
  });
}

test("F5: arrow keys scroll a focused code block instead of changing chapter", async () => {
  const { ctx, page } = await open({ width: 1280, height: 800 }, "07-deployments.html");
  const pre = page.locator("pre[tabindex='0']").first();
  await pre.waitFor();
  await pre.focus();
  await page.keyboard.press("ArrowRight");
  await page.waitForTimeout(300);
  assert.match(page.url(), /07-deployments\.html$/, "still on chapter 7");
  // On the page itself the arrows still turn pages.
  await page.locator("main").focus();
  await page.keyboard.press("ArrowRight");
  await page.waitForURL(/08-services\.html$/);
  await ctx.close();
});

test("F14: printing a chapter leaves out the flashcard and lab-done controls", async () => {
  const { ctx, page } = await open({ width: 1280, height: 800 }, "06-kubernetes-basics.html");
  await page.locator(".qa-controls").first().waitFor({ state: "attached" });
  await page.emulateMedia({ media: "print" });
  const shown = await page.evaluate(() =>
    Array.from(document.querySelectorAll(".qa-controls, .lab-done")).filter((e) => getComputedStyle(e).display !== "none").length);
  assert.equal(shown, 0);
  await ctx.close();
});

test("F18: no page asks for a favicon that is not there", async () => {
  const { ctx, page, errors } = await open({ width: 1280, height: 800 }, "index.html");
  await page.goto(server.url + "06-kubernetes-basics.html");
  await page.waitForTimeout(300);
  assert.deepEqual(errors, []);
  assert.ok(!server.hits.some((h) => h.includes("favicon")), server.hits.filter((h) => h.includes("favicon")).join(", "));
  await ctx.close();
});

test("F9: the serve error overlay is readable in the light theme and can be dismissed", async () => {
  const { mkdtempSync, mkdirSync, writeFileSync, rmSync } = await import("node:fs");
  const { join } = await import("node:path");
  const { tmpdir } = await import("node:os");
  const { spawn } = await import("node:child_process");
  const { kubebookBin } = await import("./lib.mjs");
  const root = mkdtempSync(join(tmpdir(), "kubebook-overlay-"));
  mkdirSync(join(root, "book"));
  writeFileSync(join(root, "book", "book.toml"), '[book]\ntitle = "Overlay"\nkubernetes = "1.37"\n');
  const chapter = join(root, "book", "01-a.md");
  writeFileSync(chapter, "---\ntitle: Alpha\n---\n# Alpha\n\nFine.\n");
  const proc = spawn(kubebookBin(), ["serve", root, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
  try {
    const url = await new Promise((ok, fail) => {
      let err = "";
      const seen = (d) => {
        err += d;
        const m = err.match(/on (http:\/\/[^/]+\/)/);
        if (m) ok(m[1]);
      };
      proc.stdout.on("data", seen);
      proc.stderr.on("data", seen);
      proc.on("exit", () => fail(new Error("serve exited: " + err)));
    });
    const ctx = await recordingContext(browser, { viewport: { width: 1280, height: 800 }, colorScheme: "light" });
    const page = await ctx.newPage();
    await page.goto(url + "01-a.html");
    await page.evaluate(() => localStorage.setItem("kubebook-theme", "light"));
    await page.reload();
    // A broken manifest: the overlay appears over the last good page.
    writeFileSync(chapter, "---\ntitle: Alpha\n---\n# Alpha\n\n```yaml\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: \"nginx:1.27.3\", comand: [sh]}]\n```\n");
    const overlay = page.locator("#kubebook-error");
    await overlay.waitFor({ timeout: 10000 });
    const [fg, bg] = await page.evaluate(() => {
      const pre = document.querySelector("#kubebook-error pre");
      const o = document.getElementById("kubebook-error");
      const cs = getComputedStyle(pre);
      const bgc = cs.backgroundColor === "rgba(0, 0, 0, 0)" ? getComputedStyle(o).backgroundColor : cs.backgroundColor;
      return [cs.color, bgc];
    });
    const lum = (c) => {
      const [r, g, b] = c.match(/\d+/g).slice(0, 3).map((v) => {
        const x = Number(v) / 255;
        return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    const contrast = (hi + 0.05) / (lo + 0.05);
    assert.ok(contrast >= 7, `overlay text contrast ${contrast.toFixed(2)}:1 (${fg} on ${bg})`);
    assert.match(await overlay.textContent(), /comand/);
    await page.getByRole("button", { name: "Dismiss" }).click();
    assert.ok(!(await overlay.isVisible()), "dismissed");
    await ctx.close();
  } finally {
    proc.kill("SIGINT");
    rmSync(root, { recursive: true, force: true });
  }
});
