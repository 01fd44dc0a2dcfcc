// axe-core audits of the index, a chapter, the practice page and the one-page book, in the
// light and the dark theme: no "serious" or "critical" violations allowed.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildSite, serve, launch, recordingContext, foreignRequests, artifact, HERE } from "./lib.mjs";

const AXE = join(HERE, "node_modules", "axe-core", "axe.min.js");
const PAGES = ["index.html", "06-kubernetes-basics.html", "practice.html", "print.html", "labs.html"];
const THEMES = ["light", "dark"];

let site, server, browser;
const contexts = [];
const report = {};

before(async () => {
  site = buildSite();
  server = await serve(site.dir);
  browser = await launch();
});

after(async () => {
  writeFileSync(artifact("axe-report.json"), JSON.stringify(report, null, 2));
  await browser?.close();
  await server?.close();
  site?.cleanup();
  assert.deepEqual(contexts.flatMap(foreignRequests), []);
});

function describeViolation(v) {
  const nodes = v.nodes.slice(0, 5).map((n) => `    ${n.target.join(" ")}: ${n.failureSummary.replace(/\s+/g, " ")}`);
  return `[${v.impact}] ${v.id}: ${v.help} (${v.nodes.length} nodes)\n${nodes.join("\n")}`;
}

async function audit(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary || "" })),
    }));
  });
}

for (const theme of THEMES) {
  for (const path of PAGES) {
    test(`axe: ${path} in the ${theme} theme`, async () => {
      const ctx = await recordingContext(browser, { colorScheme: theme });
      contexts.push(ctx);
      const page = await ctx.newPage();
      page.setDefaultTimeout(60000);
      await page.goto(server.url + path);
      assert.equal(await page.evaluate(() => document.documentElement.getAttribute("data-theme")), theme);
      if (path !== "print.html") {
        // Audit the interactive states too: an answer revealed, a lab marked, a card marked,
        // search results open.
        const card = page.locator(".qa .qa-toggle").first();
        if (await card.count()) {
          await card.click();
          await page.locator(".qa .qa-knew").first().click();
          await page.locator(".qa .qa-toggle").nth(1).click();
          await page.locator(".qa .qa-again").nth(1).click();
        }
        const lab = page.locator(".lab-done-box").first();
        if (await lab.count()) await lab.check();
        await page.locator("#search-input").focus();
        await page.keyboard.type("service");
        await page.locator("#search-results a[role=option]").first().waitFor();
        await page.keyboard.press("ArrowDown");
      }
      const violations = await audit(page);
      report[`${theme} ${path}`] = violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
      const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      assert.equal(bad.length, 0, `${path} (${theme}):\n${bad.map(describeViolation).join("\n")}`);
      await ctx.close();
    });
  }
}
