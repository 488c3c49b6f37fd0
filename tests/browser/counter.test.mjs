// Counter credentials and verified identities in a real browser: the temporary password
// handed over at a counter leads to the new-password page (the policy shown as one types),
// then to the service; a service for verified identities explains how to get verified and
// lets the person go back, and admits them once a counter check is recorded.
import assert from "node:assert/strict";
import {
  api, atService, browserTest, fx, issuer, newUser, operatorToken, press, signIn, startAt, submitOf,
  type, visit,
} from "./lib/harness.mjs";

const NEW_PASSWORD = "harbour violet lantern 58 pebble";

browserTest("a temporary password must be replaced on the new-password page first", async (b) => {
  const { page } = b;
  const user = await newUser("counter");
  const token = await operatorToken();
  const issued = await api(token, "POST", `/users/${user.id}/temporary-password`);
  await startAt(b, "portal");
  await signIn(b, { ...user, password: issued.password });
  await page.waitForSelector(submitOf("/login/new-password"));
  assert.ok(page.url().startsWith(`${issuer}/login`), "no code reached the service");
  await visit(b, "login-new-password");

  // The live feedback of the policy, as on the other password pages.
  await type(page, "#password", "short");
  await page.waitForFunction(() =>
    document.getElementById("password-status").classList.contains("field-error"));
  await page.fill("#password", "");
  await type(page, "#password", NEW_PASSWORD);
  await page.waitForFunction(() => document.getElementById("password-status").classList.contains("ok"));
  await type(page, "#password2", NEW_PASSWORD);
  await press(page, submitOf("/login/new-password"));
  await atService(b, "portal", user.email);
});

browserTest("a service for verified identities explains, goes back, and admits after a check", async (b) => {
  const { page } = b;
  const user = await newUser("unverified");
  await startAt(b, "verified");
  await signIn(b, user);
  await page.waitForSelector(submitOf("/login/verify"));
  await visit(b, "login-verify");
  await press(page, submitOf("/login/verify"));
  await page.getByText("access_denied").first().waitFor();

  const token = await operatorToken();
  await api(token, "PUT", `/users/${user.id}/assurance`, { level: "verified", method: "counter" });
  // Signed in already: straight back to the service, with a code this time.
  await page.goto(`${fx.clients.verified}/login`);
  await atService(b, "verified", user.email);
});
