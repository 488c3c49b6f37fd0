// A third-party client asks for consent; allowing reaches it, denying tells it so.
import assert from "node:assert/strict";
import { atService, browserTest, fx, newUser, press, signIn, startAt, visit } from "./lib/harness.mjs";

const ALLOW = 'form[action="/consent"] button[value=allow]';
const DENY = 'form[action="/consent"] button[value=deny]';

browserTest("consent of a third-party client, by keyboard, reaches the service", async (b) => {
  const user = await newUser("consent");
  await startAt(b, "partner");
  await signIn(b, user);
  await b.page.waitForSelector(ALLOW);
  await visit(b, "consent");
  // Each asked scope is listed in words.
  assert.ok((await b.page.locator("main ul li").count()) >= 3, "the scopes are listed");
  await press(b.page, ALLOW);
  await atService(b, "partner", user.email);
});

browserTest("denying consent sends access_denied to the service", async (b) => {
  const user = await newUser("deny");
  await startAt(b, "partner");
  await signIn(b, user);
  await press(b.page, DENY);
  await b.page.waitForURL((u) => u.href.startsWith(fx.clients.partner));
  await b.page.getByText("access_denied").first().waitFor();
});
