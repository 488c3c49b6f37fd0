// Passkeys in Chromium with the DevTools virtual authenticator (a platform authenticator
// with resident keys and user verification, which answers requests at once, as if the user
// picked the passkey): one is added on the security page, then serves as the second factor
// and, from the email field's autofill, as the whole sign-in.
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

browserTest("a passkey added on the security page is the second factor a service asks for", async (b) => {
  const { page } = b;
  const { cdp, authenticatorId } = await authenticator(b);
  const user = await newUser("passkey", { phone: "" });
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

  // Another browser: the password, then the passkey as the second factor a service asks
  // for (the button of the factor page).
  await b.context.clearCookies();
  // Nobody touches the authenticator yet: the email field's autofill request stays open.
  await cdp.send("WebAuthn.setAutomaticPresenceSimulation", { authenticatorId, enabled: false });
  await startAt(b, "secure");
  await type(page, "#email", user.email);
  await press(page, "form[action='/login/identify'] button[type=submit]");
  await type(page, "#password", user.password);
  await press(page, "form[action='/login/password'] button[type=submit]");
  await page.waitForSelector("button[data-passkey=sign-in]");
  await visit(b, "factor-passkey");
  await cdp.send("WebAuthn.setAutomaticPresenceSimulation", { authenticatorId, enabled: true });
  await press(page, "button[data-passkey=sign-in]");
  await atService(b, "secure", user.email);
  assert.match(await page.textContent("body"), /"hwk"/, "the service is told a key was used (amr)");
});

browserTest("the email field's autofill offers the passkey (conditional UI)", async (b) => {
  const { page } = b;
  await authenticator(b);
  const user = await newUser("autofill", { phone: "" });
  await page.goto(`${issuer}/account/security`);
  await signIn(b, user);
  await page.waitForSelector("button[data-passkey=register]");
  await press(page, "button[data-passkey=register]");
  await page.locator("main .row").first().waitFor();
  await b.context.clearCookies();
  // The identifier page starts a conditional request at once; picking the passkey from
  // the field's autofill (the virtual authenticator answers it) signs in, no password.
  await startAt(b, "secure");
  await atService(b, "secure", user.email);
  assert.match(await page.textContent("body"), /urn:postern:acr:phr/, "phishing-resistant");
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
