// Search a reader trusts (F23 of the reader-UX review): light stemming, the usual kubectl
// abbreviations, and an OR fallback when every word together finds too little.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { buildSite, serve, launch, recordingContext } from "./lib.mjs";

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

async function search(page, query) {
  await page.locator("#search-input").fill("");
  await page.locator("#search-input").fill(query);
  await page.waitForFunction(() => !document.getElementById("search-results").hidden);
  return page.locator("#search-results a").evaluateAll((as) => as.map((a) => a.querySelector(".sr-title").textContent));
}

test("F23: abbreviations, word forms and a too-narrow query still find the right sections", async () => {
  const ctx = await recordingContext(browser);
  ctx.setDefaultTimeout(10000);
  const page = await ctx.newPage();
  await page.goto(server.url + "index.html");
  for (const [query, top] of [
    ["netpol", /NetworkPolic|Network Polic/i],
    ["pvc", /Persistent|Storage|claim/i],
    ["hpa", /autoscal/i],
    ["sts", /StatefulSet/i],
    ["crashing", /CrashLoopBackOff|crash/i],
    ["pod crashing", /CrashLoopBackOff|crash/i],
  ]) {
    const titles = await search(page, query);
    assert.ok(titles.length > 0, `${query}: no results`);
    assert.match(titles.slice(0, 3).join(" | "), top, `${query}: top hits ${titles.slice(0, 5).join(" | ")}`);
    if (query === "pod crashing") assert.ok(titles.length >= 3, `${query}: ${titles.length} hits`);
  }
  // An exact query keeps its precise top hit.
  assert.match((await search(page, "CrashLoopBackOff"))[0], /CrashLoopBackOff/);
  await ctx.close();
});
