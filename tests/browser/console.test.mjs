// The account console: profile, a change of email address behind a fresh second factor,
// sessions, services, organisations and data, each reached from the console's navigation.
import assert from "node:assert/strict";
import {
  address, browserTest, issuer, message, newUser, outbox, press, signIn, sixDigits, submitOf, type,
  visit,
} from "./lib/harness.mjs";

browserTest("the console's pages, the profile saved and the email address changed", async (b) => {
  const { page } = b;
  const user = await newUser("console");
  await page.goto(`${issuer}/account`);
  await signIn(b, user);
  await page.waitForSelector('form[action="/account"]');
  await visit(b, "console-profile");
  await type(page, "#given_name", "Liselotte");
  await type(page, "#postal_code", "3030");
  await press(page, submitOf("/account"));
  await page.waitForSelector("main [role=status]");
  assert.equal(await page.inputValue("#given_name"), "Liselotte");

  // A new address needs the second factor, then a code sent to the new address.
  let before = outbox().length;
  await press(page, 'main a[href="/account/email"]');
  await page.waitForSelector("#code-sms");
  const sms = await message("sms", user.phone, before);
  await type(page, "#code-sms", sixDigits(sms.body));
  await press(page, "form:has(#code-sms) button[type=submit]");
  await page.waitForSelector(submitOf("/account/email"));
  await visit(b, "console-email");
  const newAddress = address("moved");
  before = outbox().length;
  await type(page, "#value", newAddress);
  await press(page, submitOf("/account/email"));
  await page.waitForSelector("#code");
  await visit(b, "console-email-code");
  const mail = await message("email", newAddress, before);
  await type(page, "#code", sixDigits(mail.body));
  await press(page, submitOf("/account/email/confirm"));
  await page.getByText(newAddress).first().waitFor();

  for (const [path, name] of [
    ["/account/sessions", "console-sessions"],
    ["/account/services", "console-services"],
    ["/account/organizations", "console-organizations"],
    ["/account/data", "console-data"],
  ]) {
    await press(page, `nav.console a[href="${path}"]`);
    await page.waitForURL(`${issuer}${path}`);
    assert.equal(await page.getAttribute(`nav.console a[href="${path}"]`, "aria-current"), "page");
    await visit(b, name);
  }
});
