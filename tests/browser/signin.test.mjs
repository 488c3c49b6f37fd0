// Identifier-first sign-in in Chromium, from the example portal and back, by keyboard.
import assert from "node:assert/strict";
import { atService, browserTest, issuer, newUser, press, signIn, startAt, submitOf, type, visit } from "./lib/harness.mjs";

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

browserTest("guessing locks the account with a page that says until when", async (b) => {
  const user = await newUser("locked");
  await startAt(b, "portal");
  await signIn(b, { ...user, password: "wrong guess number 0" });
  for (let i = 1; i < 5; i++) {
    await b.page.locator("[role=alert]").waitFor();
    await type(b.page, "#password", `wrong guess number ${i}`);
    await press(b.page, submitOf("/login/password"));
  }
  await b.page.waitForFunction(() => !document.querySelector("#password"));
  await visit(b, "locked");
});

browserTest("a request no client could have sent gets a readable page", async (b) => {
  await b.page.goto(`${issuer}/authorize?client_id=nobody&response_type=code&scope=openid`);
  await b.page.locator("main h1").waitFor();
  await visit(b, "error");
});
