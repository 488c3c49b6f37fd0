// The language switch on the sign-in pages: the page comes back in the chosen language with
// the sign-in intact, and the choice holds on the next page.
import assert from "node:assert/strict";
import { atService, browserTest, fx, newUser, press, startAt, submitOf, type } from "./lib/harness.mjs";

browserTest("switching language keeps the sign-in going", async (b) => {
  const { page } = b;
  const user = await newUser("lang");
  const target = fx.lang === "sv" ? "fi" : "sv";
  await startAt(b, "portal");
  assert.equal(await page.getAttribute("html", "lang"), fx.lang, "the browser's language first");
  const englishTitle = await page.title();
  await press(page, `nav.languages a[hreflang=${target}]`);
  await page.waitForFunction((l) => document.documentElement.lang === l, target);
  assert.notEqual(await page.title(), englishTitle, "the words changed");
  assert.equal(await page.getAttribute(`nav.languages a[hreflang=${target}]`, "aria-current"), "true");
  await type(page, "#email", user.email);
  await press(page, submitOf("/login/identify"));
  await page.waitForSelector("#password");
  assert.equal(await page.getAttribute("html", "lang"), target, "the choice holds");
  await type(page, "#password", user.password);
  await press(page, submitOf("/login/password"));
  await atService(b, "portal", user.email);
});
