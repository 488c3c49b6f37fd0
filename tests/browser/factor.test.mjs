// The second-factor page in front of a service that needs two factors: an SMS code, an
// authenticator app enrolled on the security page, and a recovery code.
import assert from "node:assert/strict";
import {
  advanceClock, atService, browserTest, issuer, message, newUser, outbox, press, signIn, sixDigits,
  startAt, submitOf, totp, type, visit,
} from "./lib/harness.mjs";

browserTest("an SMS code is the second factor", async (b) => {
  const user = await newUser("sms");
  const before = outbox().length;
  await startAt(b, "secure");
  await signIn(b, user);
  await b.page.waitForSelector("#code-sms");
  await visit(b, "factor-sms");
  const sms = await message("sms", user.phone, before);
  await type(b.page, "#code-sms", sixDigits(sms.body));
  await press(b.page, `form:has(#code-sms) button[type=submit]`);
  await atService(b, "secure", user.email);
});

browserTest("an authenticator app from the security page, then a recovery code", async (b) => {
  const { page } = b;
  const user = await newUser("totp", { phone: "" });
  await page.goto(`${issuer}/account`);
  await signIn(b, user);
  await page.waitForSelector('form[action="/account"]');
  await press(page, 'nav.console a[href="/account/security"]');
  await page.waitForSelector(submitOf("/account/security/totp/start"));
  await visit(b, "security");

  await press(page, submitOf("/account/security/totp/start"));
  await page.waitForSelector("#totp-code");
  await visit(b, "security-totp-enrol");
  const secret = (await page.locator("main p.muted code").first().textContent()).trim();
  await type(page, "#totp-code", totp(secret, await advanceClock(0)));
  await press(page, submitOf("/account/security/totp/confirm"));
  await page.waitForSelector(submitOf("/account/security/totp/remove"));
  await press(page, submitOf("/account/security/recovery-codes"));
  await page.waitForSelector("ul.codes code");
  await visit(b, "security-recovery-codes");
  const codes = (await page.locator("ul.codes code").allTextContents()).map((c) => c.trim());
  assert.ok(codes.length >= 8, "a set of recovery codes");

  // Another sign-in: with an app enrolled, every new sign-in asks for it. The code of the
  // enrolment's time step was used; the next step's works.
  await b.context.clearCookies();
  const now = await advanceClock(30);
  await startAt(b, "secure");
  await signIn(b, user);
  await page.waitForSelector("#code-totp");
  await visit(b, "factor-totp");
  await type(page, "#code-totp", totp(secret, now));
  await press(page, `form:has(#code-totp) button[type=submit]`);
  await atService(b, "secure", user.email);

  // Another browser, without the phone: a recovery code.
  await b.context.clearCookies();
  await startAt(b, "secure");
  await signIn(b, user);
  await page.waitForSelector("#code-totp");
  await press(page, "main details summary");
  await type(page, "#code-recovery", codes[0]);
  await press(page, `form:has(#code-recovery) button[type=submit]`);
  await atService(b, "secure", user.email);
});
