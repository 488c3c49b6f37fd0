// The first sign-in of an imported account, in a real browser with the pages' CSP: the old
// username and password, the emailed code (the old service never confirmed the address),
// the new password with the policy shown as one types, then the service. An account that
// had no address adds one first.
import {
  atService, browserTest, message, newLegacy, press, sixDigits, startAt, submitOf, type, visit,
  address,
} from "./lib/harness.mjs";

const NEW_PASSWORD = "harbour violet lantern 58 pebble";

async function codeAndRenewal(b, email) {
  const { page } = b;
  await page.waitForSelector(submitOf("/login/legacy/code"));
  await visit(b, "legacy-code");
  const mail = await message("email", email);
  await type(page, "#code", sixDigits(mail.body));
  await press(page, submitOf("/login/legacy/code"));
  await page.waitForSelector(submitOf("/login/legacy/password"));
  await visit(b, "legacy-new-password");
  await type(page, "#password", "short");
  await page.waitForFunction(() =>
    document.getElementById("password-status").classList.contains("field-error"));
  await page.fill("#password", "");
  await type(page, "#password", NEW_PASSWORD);
  await page.waitForFunction(() => document.getElementById("password-status").classList.contains("ok"));
  await type(page, "#password2", NEW_PASSWORD);
  await press(page, submitOf("/login/legacy/password"));
}

browserTest("an old username and password lead through the code and a new password to the service", async (b) => {
  const { page } = b;
  const legacy = await newLegacy("parcels");
  await startAt(b, "portal");
  await visit(b, "signin-identifier-migration");
  await type(page, "#email", legacy.username);
  await page.selectOption("#service", "parcels");
  await press(page, submitOf("/login/identify"));
  await page.waitForSelector("#password");
  await type(page, "#password", legacy.password);
  await press(page, submitOf("/login/password"));
  await codeAndRenewal(b, legacy.email);
  await atService(b, "portal", legacy.email);
});

browserTest("an old account without an address adds one, confirms it and reaches the service", async (b) => {
  const { page } = b;
  const legacy = await newLegacy("nomail", { email: null });
  const email = address("added");
  await startAt(b, "portal");
  await type(page, "#email", legacy.username);
  await press(page, submitOf("/login/identify"));
  await page.waitForSelector("#password");
  await type(page, "#password", legacy.password);
  await press(page, submitOf("/login/password"));
  await page.waitForSelector(submitOf("/login/legacy/email"));
  await visit(b, "legacy-email");
  await type(page, "#email", email);
  await press(page, submitOf("/login/legacy/email"));
  await codeAndRenewal(b, email);
  await atService(b, "portal", email);
});
