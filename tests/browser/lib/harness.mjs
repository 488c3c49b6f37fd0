// What every browser test shares: headless Chromium with the pages' CSP enforced, a check of
// each page (axe-core, reflow at 320 px and at 200 % zoom, visible keyboard focus, a
// screenshot at a phone and a desktop width), keyboard-only form filling, the development
// outbox, the fixture endpoint and TOTP codes. Run through
// `cargo test -p postern-tests --test browser`, which starts the world and passes it in
// POSTERN_BROWSER_FIXTURE.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { createHmac, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { chromium } from "playwright-core";

export const fx = JSON.parse(process.env.POSTERN_BROWSER_FIXTURE ?? "null");
if (!fx) throw new Error("run through `cargo test -p postern-tests --test browser`");
export const issuer = fx.issuer;
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
// WCAG 1.4.10: content reflows at 320 CSS px; a 1280 px window at 200 % zoom is 640 px.
const REFLOW = [{ width: 320, height: 640 }, { width: 640, height: 400 }];

let browser;
after(async () => {
  await browser?.close();
});

/// A test with a fresh browser context. Fails if the page's CSP refused anything or one of
/// our scripts threw, whatever the test itself checked.
export function browserTest(name, fn) {
  test(name, async () => {
    browser ??= await chromium.launch({
      executablePath: fx.chromium,
      args: ["--no-sandbox", "--disable-dev-shm-usage"],
    });
    const context = await browser.newContext({ locale: fx.lang, viewport: DESKTOP });
    const csp = [];
    const errors = [];
    await context.exposeBinding("__posternCsp", (_source, v) => csp.push(v));
    await context.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (e) =>
        window.__posternCsp(`${e.effectiveDirective} refused ${e.blockedURI} on ${location.href}`),
      );
    });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on("pageerror", (e) => errors.push(`${page.url()}: ${e}`));
    page.on("console", (m) => {
      if (/Content Security Policy/.test(m.text())) csp.push(m.text());
    });
    const b = { context, page, csp };
    try {
      await fn(b);
      assert.deepEqual(csp, [], "the Content-Security-Policy refused nothing");
      assert.deepEqual(errors, [], "no script error");
    } catch (e) {
      // Where the browser was and what it refused say more than a time-out.
      const text = await page.locator("main, body").first().innerText().catch(() => "");
      console.error(`  the browser was at ${page.url()}\n  page: ${text.slice(0, 400).replace(/\s+/g, " ")}` +
        (csp.length ? `\n  CSP refused: ${csp.join("; ")}` : "") +
        (errors.length ? `\n  script errors: ${errors.join("; ")}` : ""));
      throw e;
    } finally {
      await context.close();
    }
  });
}

/// A unique address for a test's own account.
export function address(prefix) {
  return `${prefix}-${randomBytes(4).toString("hex")}@post.test`;
}

/// An account with the fixture password and a verified mobile (`phone: ""` for none).
export async function newUser(prefix, opts = {}) {
  const r = await fetch(`${fx.fixture}/users`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: address(prefix), ...opts }),
  });
  assert.equal(r.status, 200, "the fixture makes a user");
  return r.json();
}

/// Moves the server's clock on; returns the server's time (seconds).
export async function advanceClock(seconds) {
  const r = await fetch(`${fx.fixture}/clock`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ advance: seconds }),
  });
  return (await r.json()).now;
}

// ---- The page check ----------------------------------------------------------------------

/// Checks the page now shown as a person would meet it, and saves its screenshots as `name`.
export async function visit(b, name) {
  const { page } = b;
  await page.waitForLoadState("load");
  const lang = await page.locator("html").getAttribute("lang");
  assert.ok(lang, `${name} says its language`);
  // An attribute list escaped as text parses into names and values with quotes in them.
  const broken = await page.evaluate(() =>
    [...document.querySelectorAll("*")].flatMap((e) =>
      [...e.attributes]
        .filter((a) => /["&;]/.test(a.name) || /^".*"$/.test(a.value))
        .map((a) => `<${e.localName} ${a.name}=${a.value}>`),
    ),
  );
  assert.deepEqual(broken, [], `${name} has whole attributes`);
  const dir = join(fx.screenshots, lang);
  mkdirSync(dir, { recursive: true });
  for (const [label, size] of [["phone", PHONE], ["desktop", DESKTOP]]) {
    await page.setViewportSize(size);
    await page.screenshot({ path: join(dir, `${name}-${label}.png`), fullPage: true });
  }
  await page.setViewportSize(DESKTOP);
  await axe(page, name);
  await reflows(page, name);
  await focusIsVisible(page, name);
}

async function axe(page, name) {
  // Evaluated through the DevTools protocol: the page's CSP still holds for its own code.
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE);
  const found = await page.evaluate(async () => {
    const r = await window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
    });
    return r.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
  assert.deepEqual(found, [], `axe-core finds no serious or critical violation on ${name}`);
}

async function reflows(page, name) {
  for (const size of REFLOW) {
    await page.setViewportSize(size);
    const over = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    assert.ok(over <= 0, `${name} scrolls sideways by ${over} px at ${size.width} px`);
  }
  await page.setViewportSize(DESKTOP);
}

/// Tabs through every focusable element: each shows where the focus is.
async function focusIsVisible(page, name) {
  const count = await page.evaluate(
    () => document.querySelectorAll("a[href], button, input:not([type=hidden]), select, textarea, summary").length,
  );
  for (let i = 0; i <= count; i++) {
    await page.keyboard.press("Tab");
    const seen = await page.evaluate(() => {
      const e = document.activeElement;
      if (!e || e === document.body) return null;
      const s = getComputedStyle(e);
      const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0;
      return { what: e.outerHTML.slice(0, 100), visible: outline || s.boxShadow !== "none" };
    });
    if (seen) assert.ok(seen.visible, `${name}: the keyboard focus is invisible on ${seen.what}`);
  }
}

// ---- Keyboard only ----------------------------------------------------------------------

/// Moves the focus with the Tab key until `selector` has it.
export async function tabTo(page, selector) {
  await page.locator(selector).first().waitFor();
  for (let i = 0; i < 60; i++) {
    let focused;
    try {
      focused = await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector);
    } catch (e) {
      // The previous step's navigation was still going on: start again on the new page.
      if (!/context was destroyed|navigat/i.test(String(e))) throw e;
      await page.waitForLoadState("load");
      await page.locator(selector).first().waitFor();
      i = 0;
      continue;
    }
    if (focused) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`${selector} cannot be reached with the Tab key on ${page.url()}`);
}

/// Types `text` into the field, reached by keyboard.
export async function type(page, selector, text) {
  await tabTo(page, selector);
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("Backspace");
  await page.keyboard.type(text);
}

/// Presses Enter on the button, reached by keyboard.
export async function press(page, selector) {
  await tabTo(page, selector);
  await page.keyboard.press("Enter");
}

/// The submit button of the form posting to `action`.
export function submitOf(action) {
  return `form[action="${action}"] button[type=submit]`;
}

// ---- Flows ------------------------------------------------------------------------------

/// Starts a sign-in at the relying party `rp` (a key of the fixture's clients) and waits for
/// Postern's identifier page.
export async function startAt(b, rp, query = "") {
  await b.page.goto(`${fx.clients[rp]}/login${query}`);
  await b.page.waitForURL((u) => u.href.startsWith(`${issuer}/login`));
}

/// The identifier and password pages, by keyboard.
export async function signIn(b, user, { check = false } = {}) {
  const { page } = b;
  if (check) await visit(b, "signin-email");
  await type(page, "#email", user.email);
  await press(page, submitOf("/login/identify"));
  await page.waitForSelector("#password");
  if (check) await visit(b, "signin-password");
  await type(page, "#password", user.password);
  await press(page, submitOf("/login/password"));
}

/// Waits until the browser is back at relying party `rp`, signed in as `email`.
export async function atService(b, rp, email) {
  const { page } = b;
  await page.waitForURL((u) => u.href.startsWith(fx.clients[rp]), { timeout: 10_000 });
  await assertText(page, "strong", email);
}

export async function assertText(page, selector, text) {
  await page.locator(selector, { hasText: text }).first().waitFor();
}

// ---- Outbox and codes -------------------------------------------------------------------

export function outbox() {
  if (!existsSync(fx.outbox)) return [];
  return readFileSync(fx.outbox, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
}

/// The newest message on `channel` to `to`, waiting briefly for it; `after` skips the first
/// so many messages of the outbox.
export async function message(channel, to, after = 0) {
  for (let i = 0; i < 50; i++) {
    const m = outbox().slice(after).filter((m) => m.channel === channel && m.to === to).pop();
    if (m) return m;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no ${channel} to ${to} in the outbox`);
}

export function sixDigits(body) {
  const m = body.match(/\b\d{6}\b/);
  assert.ok(m, `a code in: ${body}`);
  return m[0];
}

export function link(body, path) {
  const m = body.match(new RegExp(`https?://\\S*${path}\\S*`));
  assert.ok(m, `a ${path} link in: ${body}`);
  return m[0];
}

function base32(s) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of s.replace(/=+$/, "").toUpperCase()) {
    bits += alphabet.indexOf(c).toString(2).padStart(5, "0");
  }
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/// RFC 6238 with SHA-1, 6 digits and 30-second steps, at server time `now`.
export function totp(secret, now) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(now / 30)));
  const h = createHmac("sha1", base32(secret)).update(counter).digest();
  const o = h[h.length - 1] & 0xf;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1_000_000).padStart(6, "0");
}

/// An access token of the operator's management client.
export async function operatorToken() {
  const { client_id, client_secret } = fx.clients.ops;
  const r = await fetch(`${issuer}/token`, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${client_id}:${client_secret}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: "grant_type=client_credentials&scope=admin",
  });
  assert.equal(r.status, 200, "the operator's client gets a token");
  return (await r.json()).access_token;
}

export async function api(token, method, path, body) {
  const r = await fetch(`${issuer}/admin/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body && JSON.stringify(body),
  });
  const json = await r.json().catch(() => null);
  assert.ok(r.ok, `${method} ${path}: ${r.status} ${JSON.stringify(json)}`);
  return json;
}

/// An imported account of the old `parcels` service (`prefix` makes its username), with an
/// address the old service never confirmed, or none (`{ email: null }`).
export async function newLegacy(prefix, { email = address(prefix) } = {}) {
  const username = `${prefix}-${randomBytes(3).toString("hex")}`;
  const r = await fetch(`${fx.fixture}/legacy`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, email }),
  });
  assert.equal(r.status, 200, "the fixture imports an account");
  return { ...(await r.json()), email };
}
