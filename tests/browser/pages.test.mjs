// The 404 page under the site's own sub-path, code blocks' Copy button, lab expected output,
// the ARIA targets of every page, the shell = colour, diagrams' full-size links and layout
// shift: findings F2, F3, F6, F13, F19, F21, F22 of the reader-UX review.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { buildSite, serve, fileUrl, launch, recordingContext, artifact } from "./lib.mjs";

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };
// The shipped book.toml's site-url is https://kubebook.github.io/kubebook/.
const SUB_PATH = "/kubebook/";
let site, browser;

before(async () => {
  site = buildSite();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  site?.cleanup();
});

async function newPage(viewport = DESKTOP, options = {}) {
  const ctx = await recordingContext(browser, { viewport, ...options });
  ctx.setDefaultTimeout(10000);
  const page = await ctx.newPage();
  const failed = [];
  page.on("requestfailed", (r) => failed.push(r.url()));
  page.on("response", (r) => { if (r.status() >= 400 && r.request().resourceType() !== "document") failed.push(`${r.status()} ${r.url()}`); });
  return { ctx, page, failed };
}

/** The 404 page at URL is styled and every link on it leads to a page that exists. */
async function check404(url, exists, { javaScriptEnabled = true } = {}) {
  const { ctx, page, failed } = await newPage(DESKTOP, { javaScriptEnabled });
  await page.goto(url);
  assert.equal(await page.locator("h1").innerText(), "Page not found");
  // The theme's stylesheet applied: the bar sticks and the body has no default margin.
  const style = await page.evaluate(() => [getComputedStyle(document.querySelector(".topbar")).position, getComputedStyle(document.body).margin]);
  assert.deepEqual(style, ["sticky", "0px"], `404 at ${url} is unstyled`);
  // The script ran too (it shows the theme toggle).
  if (javaScriptEnabled) assert.ok(await page.locator(".theme-toggle").isVisible(), "the reader script loaded");
  const { inPage, links } = await page.evaluate(() => {
    const here = location.href.split("#")[0];
    const all = Array.from(document.querySelectorAll("a[href]"));
    const local = (a) => a.getAttribute("href").startsWith("#") || a.href.split("#")[0] === here;
    return {
      // In-page links (the skip link) stay on this page.
      inPage: all.filter(local).map((a) => [a.href.split("#")[0], here]),
      links: all.filter((a) => !local(a)).map((a) => a.href)
        .filter((h) => h.startsWith("file:") || h.startsWith(location.origin)),
    };
  });
  // (Without scripting the <base> sends them to the site's root: nothing can know this
  // page's own URL then.)
  if (javaScriptEnabled) for (const [to, here] of inPage) assert.equal(to, here, "an in-page link leaves the page");
  assert.ok(links.length > 15, `links found: ${links.length}`);
  for (const href of links) assert.ok(await exists(href.split("#")[0]), `404 at ${url}: link ${href} leads nowhere`);
  assert.deepEqual(failed, [], `requests that failed on ${url}`);
  await page.screenshot({ path: artifact("404-" + url.replace(/\W+/g, "-").slice(-40) + ".png") });
  await ctx.close();
}

const httpExists = async (href) => (await fetch(href)).status === 200;

test("F2: the 404 page is styled and its links work under the site-url sub-path", async () => {
  const server = await serve(site.dir, { prefix: SUB_PATH, notFound: "404.html" });
  try {
    const res = await fetch(server.url + "no/such/deep/page.html");
    assert.equal(res.status, 404);
    await check404(server.url + "no/such/deep/page.html", httpExists);
    await check404(server.url + "missing.html", httpExists);
    await check404(server.url + "no/such/deep/page.html", httpExists, { javaScriptEnabled: false });
  } finally {
    await server.close();
  }
});

test("F2: the same 404 page works from a server at the host root (kubebook serve) and from file://", async () => {
  await check404(fileUrl(site.dir) + "404.html", async (href) => existsSync(fileURLToPath(href)));
  const server = await serve(site.dir, { notFound: "404.html" });
  try {
    await check404(server.url + "a/b/missing.html", httpExists);
  } finally {
    await server.close();
  }
});

test("F2: without a site-url the 404 page's links are relative", async () => {
  const plain = buildSite({ editToml: (t) => t.replace(/^site-url\s*=.*$/m, "") });
  const server = await serve(plain.dir, { notFound: "404.html" });
  try {
    const html = readFileSync(plain.dir + "/404.html", "utf8");
    assert.doesNotMatch(html, /(href|src)="\//, "no root-absolute URL");
    assert.doesNotMatch(html, /<base /);
    await check404(server.url + "missing.html", httpExists);
    await check404(fileUrl(plain.dir) + "404.html", async (href) => existsSync(fileURLToPath(href)));
  } finally {
    await server.close();
    plain.cleanup();
  }
});

/** Every Copy button on the page against the first line of its block: the blocks whose first
 *  line's text runs under the button, and whether any button moved when its block scrolled. */
async function copyOverlaps(page) {
  return page.evaluate(() => {
    const firstLineRects = (code) => {
      const walk = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
      const range = document.createRange();
      range.setStart(code, 0);
      range.setEnd(code, code.childNodes.length);
      for (let n = walk.nextNode(); n; n = walk.nextNode()) {
        const i = n.data.indexOf("\n");
        if (i >= 0) { range.setEnd(n, i); break; }
      }
      return Array.from(range.getClientRects()).filter((r) => r.width > 0);
    };
    const hit = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    const covered = [];
    const moved = [];
    const buttons = Array.from(document.querySelectorAll(".copy-button"));
    for (const button of buttons) {
      const pre = button.closest(".code-wrap, pre").querySelector("pre") || button.closest("pre");
      const code = pre.querySelector("code");
      const check = () => {
        const b = button.getBoundingClientRect();
        if (firstLineRects(code).some((r) => hit(r, b))) covered.push(code.textContent.split("\n")[0]);
        return b;
      };
      const before = check();
      // Scrolled sideways (a wide block), the button stays where it was.
      if (pre.scrollWidth > pre.clientWidth + 1) {
        pre.scrollLeft = pre.scrollWidth;
        const after = check();
        if (Math.abs(after.left - before.left) > 0.5 || Math.abs(after.top - before.top) > 0.5) moved.push(code.textContent.split("\n")[0]);
        pre.scrollLeft = 0;
      }
    }
    return { buttons: buttons.length, covered: [...new Set(covered)], moved };
  });
}

for (const viewport of [PHONE, DESKTOP]) {
  test(`F3: at ${viewport.width} px no Copy button covers code, and none scrolls away`, async () => {
    const { ctx, page } = await newPage(viewport);
    const server = await serve(site.dir);
    try {
      await page.goto(server.url + "06-kubernetes-basics.html");
      await page.locator(".copy-button").first().waitFor();
      const r = await copyOverlaps(page);
      assert.ok(r.buttons > 50, `copy buttons: ${r.buttons}`);
      assert.deepEqual(r.covered, [], `${r.covered.length} of ${r.buttons} blocks have first-line text under the button`);
      assert.deepEqual(r.moved, [], "buttons that scrolled with the code");
      if (viewport === PHONE) {
        // Still true after the layout changes width (the phone turned to landscape and back).
        await page.setViewportSize({ width: 844, height: 390 });
        await page.waitForTimeout(400);
        assert.deepEqual((await copyOverlaps(page)).covered, [], "after a resize");
        await page.setViewportSize(viewport);
        await page.waitForTimeout(400);
        assert.deepEqual((await copyOverlaps(page)).covered, [], "after resizing back");
        await page.locator(".copy-button").first().scrollIntoViewIfNeeded();
        await page.screenshot({ path: artifact("phone-copy-buttons.png") });
      }
    } finally {
      await ctx.close();
      await server.close();
    }
  });
}

const NOTATION = /\[\.\.\]|\[AGE\]|\[IP\]|\[HASH\]|\[NODEPORT\]|\[NUM\]|^\.\.\.$/m;

for (const viewport of [PHONE, DESKTOP]) {
  test(`F6: at ${viewport.width} px expected output is aligned as kubectl prints it, placeholders are drawn and explained`, async () => {
    const { ctx, page } = await newPage(viewport);
    const server = await serve(site.dir);
    try {
      await page.goto(server.url + "06-kubernetes-basics.html#lab-ch06-explore-cluster");
      const step = page.locator('.lab-steps[data-lab="ch06-explore-cluster"] .lab-step').first();
      await step.locator("summary").click();
      const out = step.locator("pre.output");
      // Columns line up: each header starts where its cells do.
      const lines = (await out.innerText()).split("\n");
      const row = lines.find((l) => l.includes("control-plane"));
      for (const [head, cell] of [["STATUS", "Ready"], ["ROLES", "control-plane"], ["AGE", "[AGE]"], ["VERSION", "v1."]]) {
        assert.equal(row.lastIndexOf(cell), lines[0].indexOf(head), `${head} column:\n${lines[0]}\n${row}`);
      }
      // Placeholders are marked, explained in a tooltip, and look different from the output.
      const marks = await out.locator(".ph").evaluateAll((els) => els.map((e) => ({
        text: e.textContent, title: e.title,
        differs: getComputedStyle(e).color !== getComputedStyle(e.parentElement).color || getComputedStyle(e).backgroundColor !== "rgba(0, 0, 0, 0)",
      })));
      assert.deepEqual([...new Set(marks.map((m) => m.text))].sort(), ["...", "[..]", "[AGE]", "[NUM]"]);
      for (const m of marks) {
        assert.ok(m.title.length > 5, `${m.text} has a tooltip`);
        assert.ok(m.differs, `${m.text} is drawn distinctly`);
      }
      // Every card whose expected output uses the notation carries a legend of what it uses;
      // the others have none.
      const cards = await page.evaluate((src) => {
        const notation = new RegExp(src, "m");
        return Array.from(document.querySelectorAll(".lab-card"), (card) => {
          const id = card.getAttribute("data-lab");
          const outs = Array.from(document.querySelectorAll(`.lab-steps[data-lab="${id}"] pre.output`), (p) => p.textContent).join("\n");
          const legend = card.querySelector(".ph-legend");
          const r = legend && legend.getBoundingClientRect();
          const c = card.getBoundingClientRect();
          return {
            id, uses: notation.test(outs), legend: legend ? legend.innerText : null,
            inside: !legend || (r.width > 0 && r.left >= c.left && r.right <= c.right + 0.5),
            explained: Array.from(outs.matchAll(new RegExp(src, "gm")), (m) => m[0]).every((p) => legend && legend.textContent.includes(p)),
          };
        });
      }, NOTATION.source);
      assert.ok(cards.length >= 10);
      for (const c of cards) {
        assert.equal(c.legend !== null, c.uses, `${c.id}: legend ${c.legend}`);
        assert.ok(c.inside, `${c.id}: legend fits in the card`);
        assert.ok(c.explained, `${c.id}: every placeholder its outputs use is in the legend: ${c.legend}`);
      }
      const first = cards.find((c) => c.id === "ch06-explore-cluster");
      assert.match(first.legend, /\[AGE\]/);
      assert.doesNotMatch(first.legend, /\[NODEPORT\]/, "only the placeholders this lab uses");
      await page.locator("#lab-ch06-explore-cluster").scrollIntoViewIfNeeded();
      await page.screenshot({ path: artifact(`expected-output-${viewport.width}.png`) });
    } finally {
      await ctx.close();
      await server.close();
    }
  });
}

test("F13: on every built page each aria-labelledby, aria-controls and in-page link has its target", async () => {
  const { readdirSync } = await import("node:fs");
  const pages = readdirSync(site.dir).filter((f) => f.endsWith(".html")).sort();
  assert.ok(pages.length >= 20, `pages: ${pages.length}`);
  const server = await serve(site.dir);
  const { ctx, page } = await newPage();
  try {
    const missing = [];
    for (const p of pages) {
      await page.goto(server.url + p);
      const bad = await page.evaluate(() => {
        const out = [];
        const want = (el, attr, ids) => {
          for (const id of ids) if (id && !document.getElementById(id)) out.push(`${el.tagName.toLowerCase()} ${attr}="${id}"`);
        };
        for (const attr of ["aria-labelledby", "aria-describedby", "aria-controls", "aria-owns", "aria-activedescendant"]) {
          for (const el of document.querySelectorAll(`[${attr}]`)) want(el, attr, el.getAttribute(attr).split(/\s+/));
        }
        for (const a of document.querySelectorAll('a[href^="#"]')) {
          const id = decodeURIComponent(a.getAttribute("href").slice(1));
          if (id) want(a, "href", [id]);
        }
        for (const l of document.querySelectorAll("label[for]")) want(l, "for", [l.getAttribute("for")]);
        return out;
      });
      missing.push(...bad.map((b) => `${p}: ${b}`));
    }
    assert.deepEqual(missing, []);
  } finally {
    await ctx.close();
    await server.close();
  }
});

for (const theme of ["light", "dark"]) {
  test(`F21: in the ${theme} theme a shell command's = is drawn in the colour around it, not an alarm colour`, async () => {
    const { ctx, page } = await newPage(DESKTOP, { colorScheme: theme });
    const server = await serve(site.dir);
    try {
      await page.goto(server.url + "06-kubernetes-basics.html");
      const marks = await page.evaluate(() => Array.from(document.querySelectorAll("pre .hl-shell"))
        .filter((e) => e.textContent === "=" && e.children.length === 0)
        .map((e) => [getComputedStyle(e).color, getComputedStyle(e.parentElement).color, e.parentElement.textContent]));
      assert.ok(marks.length > 20, `= signs found: ${marks.length}`);
      const odd = marks.filter(([c, p]) => c !== p);
      assert.deepEqual(odd.slice(0, 5), [], `${odd.length} of ${marks.length} = signs stand out`);
    } finally {
      await ctx.close();
      await server.close();
    }
  });
}

test("F22: at 390 px every SVG diagram links to its full-size file", async () => {
  const { readdirSync } = await import("node:fs");
  const server = await serve(site.dir);
  const { ctx, page } = await newPage(PHONE);
  try {
    let figures = 0;
    for (const p of readdirSync(site.dir).filter((f) => /^\d\d-.*\.html$/.test(f))) {
      await page.goto(server.url + p);
      const svgs = await page.locator('main img[src$=".svg"]').evaluateAll((imgs) => imgs.map((img) => {
        const a = img.closest("a");
        return { src: img.src, href: a ? a.href : null, label: a ? a.getAttribute("aria-label") || a.title : null };
      }));
      for (const s of svgs) {
        assert.equal(s.href, s.src, `${p}: ${s.src} is linked to itself`);
        assert.ok(s.label, `${p}: the link says what it opens`);
        assert.equal((await fetch(s.href)).status, 200);
      }
      figures += svgs.length;
    }
    assert.ok(figures >= 15, `diagrams: ${figures}`);
  } finally {
    await ctx.close();
    await server.close();
  }
});

/** The cumulative layout shift of PAGE from load to a moment after it. */
async function cls(page, url) {
  await page.goto(url);
  await page.waitForTimeout(800);
  return page.evaluate(() => new Promise((ok) => {
    let total = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (!e.hadRecentInput) total += e.value;
    }).observe({ type: "layout-shift", buffered: true });
    setTimeout(() => ok(total), 200);
  }));
}

for (const viewport of [PHONE, DESKTOP]) {
  test(`F19: at ${viewport.width} px the index and practice do not shift as the script fills them in`, async () => {
    const server = await serve(site.dir);
    const { ctx, page } = await newPage(viewport);
    try {
      for (const p of ["index.html", "practice.html", "06-kubernetes-basics.html"]) {
        const shift = await cls(page, server.url + p);
        assert.ok(shift < 0.01, `${p}: CLS ${shift.toFixed(4)}`);
      }
    } finally {
      await ctx.close();
      await server.close();
    }
  });
}
