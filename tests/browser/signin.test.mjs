// Identifier-first sign-in in Chromium, from the example portal and back, by keyboard.
import assert from "node:assert/strict";
import { atService, browserTest, newUser, press, signIn, startAt, submitOf, type, visit } from "./lib/harness.mjs";

browserTest("a password sign-in ends at the service with a code", async (b) => {
  const user = await newUser("signin");
  await startAt(b, "portal");
  await signIn(b, user, { check: true });
  // The portal exchanged the code and shows who signed in.
  await atService(b, "portal", user.email);
});

browserTest("a wrong password is announced, then the right one gets through", async (b) => {
  const user = await newUser("wrong");
  await startAt(b, "portal");
  await signIn(b, { ...user, password: "not the password at all" });
  const alert = b.page.locator("[role=alert]");
  await alert.waitFor();
  assert.ok((await alert.textContent()).trim().length > 0, "the alert says something");
  await visit(b, "signin-wrong-password");
  await type(b.page, "#password", user.password);
  await press(b.page, submitOf("/login/password"));
  await atService(b, "portal", user.email);
});
