// The operator's look (ui.*): the demo theme of tests/fixtures/theme/theme.toml on the
// sign-in page. Its logo comes from Postern's own origin, its colours from the operator's
// stylesheet, its footer links in the page's language, and no request leaves the two
// origins of the sign-in (the service and Postern).
import assert from "node:assert/strict";
import { browserTest, fx, issuer, startAt, visit } from "./lib/harness.mjs";

browserTest("the sign-in page wears the operator's name, logo, colours and links", async (b) => {
  const origins = new Set();
  b.page.on("request", (r) => origins.add(new URL(r.url()).origin));
  await startAt(b, "portal");
  await b.page.locator("#email").waitFor();

  const logo = b.page.locator("header.brand img.logo");
  assert.equal(await logo.getAttribute("alt"), "Nordpost");
  const loaded = await logo.evaluate(
    (img) => img.complete && img.naturalWidth > 0 && new URL(img.src).origin === location.origin,
  );
  assert.ok(loaded, "the logo loads from Postern's own origin");
  assert.match(await b.page.title(), / · Nordpost$/);

  const button = b.page.locator("main button[type=submit]").first();
  assert.equal(await button.evaluate((e) => getComputedStyle(e).backgroundColor), "rgb(255, 180, 0)");
  const header = b.page.locator("header.brand");
  assert.equal(await header.evaluate((e) => getComputedStyle(e).backgroundColor), "rgb(10, 45, 110)");

  const links = await b.page.locator("footer a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  assert.deepEqual(
    links,
    ["terms", "privacy", "help", "contact"].map((p) => `https://nordpost.example/${fx.lang}/${p}`),
  );
  if (fx.lang === "en") {
    // The operator's message file replaces the built-in title.
    assert.equal(await b.page.locator("h1").innerText(), "Sign in to Nordpost");
  }
  await visit(b, "themed-signin");
  assert.deepEqual(
    [...origins].filter((o) => o !== issuer && o !== fx.clients.portal),
    [],
    "no request leaves the service's and Postern's origins",
  );
});
