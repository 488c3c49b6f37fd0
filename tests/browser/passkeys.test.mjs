// Passkeys in Chromium with the DevTools virtual authenticator (a platform authenticator
// with resident keys and user verification): one is added on the security page, then signs
// in without a password, through to a service that needs two factors.
import assert from "node:assert/strict";
import { atService, browserTest, issuer, newUser, press, signIn, startAt, type, visit } from "./lib/harness.mjs";

async function authenticator(b) {
  const cdp = await b.context.newCDPSession(b.page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2", transport: "internal", hasResidentKey: true,
      hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

browserTest("a passkey added on the security page signs in without a password", async (b) => {
  const { page } = b;
  const { cdp, authenticatorId } = await authenticator(b);
  const user = await newUser("passkey");
  await page.goto(`${issuer}/account/security`);
  await signIn(b, user);
  await page.waitForSelector("button[data-passkey=register]");
  await type(page, "#passkey-name", "Work laptop");
  await press(page, "button[data-passkey=register]");
  await page.getByText("Work laptop").first().waitFor();
  await visit(b, "security-passkey");
  const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
  assert.equal(credentials.length, 1, "one credential on the authenticator");
  assert.ok(credentials[0].isResidentCredential, "a discoverable credential (a passkey)");

  // Another sign-in, no password: the passkey button on the identifier page, straight
  // through to a service that needs two factors.
  await b.context.clearCookies();
  await startAt(b, "secure");
  await press(page, "button[data-passkey=sign-in]");
  await atService(b, "secure", user.email);
  const text = await page.textContent("body");
  assert.match(text, /"hwk"|"swk"|"user"/, "the service is told a key was used (amr)");
});

browserTest("a refused ceremony says so on the page and the password still works", async (b) => {
  const { page } = b;
  const { cdp, authenticatorId } = await authenticator(b);
  // No credential for this site: the browser finds nothing to sign with.
  await cdp.send("WebAuthn.setUserVerified", { authenticatorId, isUserVerified: false });
  const user = await newUser("nokey");
  await startAt(b, "portal");
  await press(page, "button[data-passkey=sign-in]");
  await page.waitForFunction(() => document.getElementById("passkey-status").textContent.trim() !== "", null, { timeout: 90_000 });
  await signIn(b, user);
  await atService(b, "portal", user.email);
});
