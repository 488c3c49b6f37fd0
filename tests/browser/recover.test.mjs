// A forgotten password from a service's sign-in: the emailed link, the SMS code, a new
// password with the live policy, and back to the service with it.
import assert from "node:assert/strict";
import {
  atService, browserTest, link, message, newUser, outbox, press, signIn, sixDigits, startAt,
  submitOf, type, visit,
} from "./lib/harness.mjs";

const NEW_PASSWORD = "lighthouse meadow copper 42 sparrow";

browserTest("a forgotten password is reset with the emailed link and the SMS code", async (b) => {
  const { page } = b;
  const user = await newUser("forgot");
  await startAt(b, "portal");
  await type(page, "#email", user.email);
  await press(page, submitOf("/login/identify"));
  await press(page, 'a[href^="/recover/password"]');
  await page.waitForSelector(submitOf("/recover/password"));
  await visit(b, "recover-password");
  const before = outbox().length;
  await type(page, "#email", user.email);
  await press(page, submitOf("/recover/password"));
  await page.waitForSelector("main [role=status]");
  await visit(b, "recover-password-sent");

  const mail = await message("email", user.email, before);
  await page.goto(link(mail.body, "/recover/reset"));
  await page.waitForSelector("#code");
  await visit(b, "reset-password");
  const sms = await message("sms", user.phone, before);
  await type(page, "#code", sixDigits(sms.body));
  await type(page, "#password", NEW_PASSWORD);
  await page.waitForFunction(() => document.getElementById("password-status").classList.contains("ok"));
  await type(page, "#password2", NEW_PASSWORD);
  await press(page, submitOf("/recover/reset"));
  await page.waitForSelector('main a[href^="/login"]');
  await visit(b, "reset-done");

  // The old password no longer works; the new one reaches the service.
  await press(page, 'main a[href^="/login"]');
  await signIn(b, user);
  await page.locator("[role=alert]").waitFor();
  await type(page, "#password", NEW_PASSWORD);
  await press(page, submitOf("/login/password"));
  await atService(b, "portal", user.email);
});

browserTest("the forgotten-email page asks for the mobile number and the birth date", async (b) => {
  const { page } = b;
  await startAt(b, "portal");
  await press(page, 'a[href^="/recover/email"]');
  await page.waitForSelector("#phone");
  assert.equal(await page.getAttribute("#birthdate", "type"), "date");
  await visit(b, "recover-email");
});
