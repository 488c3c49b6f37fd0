// The device authorization grant (RFC 8628): a device (played here by Node) asks for a code,
// the person opens the verification URI, types nothing but presses Continue (the complete
// URI fills the code in), signs in, confirms, and the device's next poll gets tokens.
import assert from "node:assert/strict";
import { browserTest, fx, issuer, newUser, press, signIn, submitOf, type, visit } from "./lib/harness.mjs";

const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
const CONFIRM = 'form[action="/device/confirm"] button[value=confirm]';

async function form(path, fields) {
  const r = await fetch(`${issuer}${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields),
  });
  return { status: r.status, body: await r.json() };
}

/// Polls as a device does, at its interval, until the answer is not `authorization_pending`.
async function poll(device_code, interval) {
  for (let i = 0; i < 30; i++) {
    const r = await form("/token", { grant_type: DEVICE_GRANT, client_id: fx.clients.tv.client_id, device_code });
    if (r.body.error !== "authorization_pending") return r;
    await new Promise((res) => setTimeout(res, interval * 1000 + 50));
  }
  throw new Error("the device waited in vain");
}

browserTest("a code typed on the verification page, a sign-in and Confirm give the device its tokens", async (b) => {
  const { page } = b;
  const user = await newUser("device");
  const started = await form("/device_authorization", { client_id: fx.clients.tv.client_id, scope: "openid email" });
  assert.equal(started.status, 200, JSON.stringify(started.body));
  const { device_code, user_code, verification_uri, interval } = started.body;
  const first = await form("/token", { grant_type: DEVICE_GRANT, client_id: fx.clients.tv.client_id, device_code });
  assert.equal(first.body.error, "authorization_pending", "nothing before the person answers");

  // The plain verification URI: the person types the code, in small letters.
  await page.goto(verification_uri);
  await visit(b, "device-code");
  await type(page, "#user_code", user_code.toLowerCase());
  await press(page, submitOf("/device"));
  await signIn(b, user);
  await page.waitForSelector(CONFIRM);
  await visit(b, "device-confirm");
  assert.ok((await page.locator("main").innerText()).includes(user_code), "the code is shown");
  await press(page, CONFIRM);
  await page.locator("main p[role=status]").first().waitFor();
  await visit(b, "device-done");

  const tokens = await poll(device_code, interval);
  assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
  assert.ok(tokens.body.id_token && tokens.body.access_token, "an ID token and an access token");
  const info = await fetch(`${issuer}/userinfo`, { headers: { authorization: `Bearer ${tokens.body.access_token}` } });
  assert.equal((await info.json()).email, user.email);

  // The complete URI of another device, already signed in: the code is filled in.
  const second = await form("/device_authorization", { client_id: fx.clients.tv.client_id, scope: "openid" });
  await page.goto(second.body.verification_uri_complete);
  assert.equal(await page.inputValue("#user_code"), second.body.user_code);
  await press(page, submitOf("/device"));
  await page.waitForSelector(CONFIRM);
});

browserTest("a wrong code is a readable page with the form again", async (b) => {
  const { page } = b;
  await page.goto(`${issuer}/device`);
  await type(page, "#user_code", "BCDF-GHJK");
  await press(page, submitOf("/device"));
  await page.waitForSelector("#user_code[aria-invalid=true]");
  await visit(b, "device-code-wrong");
});
