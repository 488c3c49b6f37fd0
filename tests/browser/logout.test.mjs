// Signing out: from the service (RP-initiated logout), from a bare link that must be
// confirmed, and from the account console.
import assert from "node:assert/strict";
import { atService, browserTest, fx, issuer, newUser, press, signIn, startAt, submitOf, visit } from "./lib/harness.mjs";

async function signedInAtPortal(b, prefix) {
  const user = await newUser(prefix);
  await startAt(b, "portal");
  await signIn(b, user);
  await atService(b, "portal", user.email);
  return user;
}

browserTest("signing out at the service ends the Postern session too", async (b) => {
  await signedInAtPortal(b, "rplogout");
  await press(b.page, 'a[href="/logout"]');
  await b.page.waitForURL(`${fx.clients.portal}/`);
  await b.page.locator('a[href="/login"]').waitFor();
  // Signing in again asks for the address: no session is left at Postern.
  await startAt(b, "portal");
  await b.page.locator("#email").waitFor();
});

browserTest("a logout link without proof of its sender is confirmed first", async (b) => {
  await signedInAtPortal(b, "confirm");
  const back = encodeURIComponent(`${fx.clients.portal}/`);
  await b.page.goto(`${issuer}/logout?client_id=portal&post_logout_redirect_uri=${back}`);
  await b.page.waitForSelector(submitOf("/logout/confirm"));
  await visit(b, "logout-confirm");
  await press(b.page, submitOf("/logout/confirm"));
  await b.page.waitForURL(`${fx.clients.portal}/`);
  await startAt(b, "portal");
  await b.page.locator("#email").waitFor();
});

browserTest("the console's sign-out button ends the session", async (b) => {
  const user = await newUser("console-out");
  await b.page.goto(`${issuer}/account`);
  await signIn(b, user);
  await press(b.page, `nav.console ${submitOf("/logout/confirm")}`);
  await b.page.waitForURL(`${issuer}/logout/confirm`);
  await visit(b, "logged-out");
  await b.page.goto(`${issuer}/account`);
  await b.page.waitForURL((u) => u.pathname === "/login");
  assert.ok(await b.page.locator("#email").isVisible());
});
