// Registration from a service's sign-in page: the live password policy, errors tied to their
// fields, the SMS code and the single-use email link, through to the service.
import assert from "node:assert/strict";
import {
  address, atService, browserTest, link, message, outbox, press, sixDigits, startAt, submitOf,
  tabTo, type, visit,
} from "./lib/harness.mjs";

const STRONG = "quiet harbour lantern 7 violet";

/// Waits for the status element to say something of the given kind ("ok" or "field-error").
async function status(page, id, kind) {
  await page.waitForFunction(
    ([id, kind]) => {
      const e = document.getElementById(id);
      return e && e.textContent.trim() !== "" && e.classList.contains(kind);
    },
    [id, kind],
  );
  return (await page.locator(`#${id}`).textContent()).trim();
}

browserTest("registration shows the password policy as the user types, then reaches the service", async (b) => {
  const { page } = b;
  const email = address("new");
  const phone = "+41795550" + String(Math.floor(Math.random() * 900) + 100);
  await startAt(b, "portal");
  await press(page, 'a[href^="/register"]');
  await page.waitForSelector("#given_name");
  await visit(b, "register");
  assert.equal(await page.getAttribute("#password", "minlength"), "10", "the browser knows the minimum");

  await type(page, "#given_name", "Lea");
  await type(page, "#family_name", "Keller");
  await type(page, "#email", email);
  await type(page, "#email2", email.replace("@", "x@"));
  // Too short: said at once, by the page itself.
  await type(page, "#password", "short");
  const short = await status(page, "password-status", "field-error");
  // Long enough but guessable: the server's verdict (POST /password/check).
  await type(page, "#password", "aaaaaaaaaaaa");
  await page.waitForFunction((s) => document.getElementById("password-status").textContent.trim() !== s, short);
  await status(page, "password-status", "field-error");
  await type(page, "#password", STRONG);
  await status(page, "password-status", "ok");
  await type(page, "#password2", STRONG + "x");
  await status(page, "password2-status", "field-error");
  await type(page, "#password2", STRONG);
  await status(page, "password2-status", "ok");
  await type(page, "#phone", phone);
  await tabTo(page, "#terms");
  await page.keyboard.press("Space");
  await press(page, submitOf("/register"));

  // The addresses differ: the error is announced with its field, nothing else is lost.
  await page.waitForSelector("#email2-error");
  assert.equal(await page.getAttribute("#email2", "aria-invalid"), "true");
  assert.match(await page.getAttribute("#email2", "aria-describedby"), /\bemail2-error\b/);
  assert.equal(await page.inputValue("#given_name"), "Lea");
  assert.equal(await page.evaluate(() => document.activeElement.id), "email2", "the focus is on the error");
  await visit(b, "register-errors");
  await type(page, "#email2", email);
  await type(page, "#password", STRONG);
  await type(page, "#password2", STRONG);
  if (!(await page.isChecked("#terms"))) {
    await tabTo(page, "#terms");
    await page.keyboard.press("Space");
  }
  const before = outbox().length;
  await press(page, submitOf("/register"));

  await page.waitForSelector("#code");
  await visit(b, "register-sms-code");
  const sms = await message("sms", phone, before);
  await type(page, "#code", sixDigits(sms.body));
  await press(page, submitOf("/register/phone"));

  await page.waitForSelector("main [role=status]");
  await visit(b, "register-email-sent");
  const mail = await message("email", email, before);
  await page.goto(link(mail.body, "/register/confirm"));
  await visit(b, "register-confirm");
  await press(page, submitOf("/register/confirm"));
  await atService(b, "portal", email);
});
