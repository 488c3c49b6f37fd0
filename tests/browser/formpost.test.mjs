// response_mode=form_post: the page posts the code to the client by itself, under a CSP
// that lets its form reach that client only; the code then buys tokens.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { browserTest, fx, issuer, newUser, signIn, visit } from "./lib/harness.mjs";

browserTest("form_post delivers the code to the client's redirect URI", async (b) => {
  const { page } = b;
  const user = await newUser("formpost");
  const echo = fx.clients.echo;
  const verifier = randomBytes(32).toString("base64url");
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  const q = new URLSearchParams({
    client_id: echo.client_id, redirect_uri: echo.redirect_uri, response_type: "code",
    scope: "openid email", response_mode: "form_post", state: "st-123", nonce: "n-1",
    code_challenge: challenge, code_challenge_method: "S256",
  });
  await page.goto(`${issuer}/authorize?${q}`);
  await visit(b, "signin-email-form-post");
  await signIn(b, user);
  await page.waitForURL(echo.redirect_uri);
  assert.equal(await page.textContent("#state"), "st-123");
  const code = await page.textContent("#code");

  const r = await fetch(`${issuer}/token`, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${echo.client_id}:${echo.client_secret}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({
      grant_type: "authorization_code", code, redirect_uri: echo.redirect_uri, code_verifier: verifier,
    }),
  });
  const tokens = await r.json();
  assert.equal(r.status, 200, JSON.stringify(tokens));
  assert.ok(tokens.id_token, "an ID token");
});
