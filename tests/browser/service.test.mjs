// The service a person signs in to, named and shown with its logo: set through the management
// API, fetched once from the service's server, and served by Postern itself, so the sign-in
// page makes no request anywhere else and its Content-Security-Policy (img-src 'self')
// refuses nothing.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { deflateSync } from "node:zlib";
import { api, atService, browserTest, fx, issuer, newUser, operatorToken, signIn, startAt, visit } from "./lib/harness.mjs";

const CRC = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/// A 96×48 PNG: a red and white mark, enough to see in the screenshots.
function logoPng(width = 96, height = 48) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const rows = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      const white = Math.abs(x - width / 2) < 6 || Math.abs(y - height / 2) < 6;
      row.set(white ? [255, 255, 255] : [200, 16, 46], 1 + x * 3);
    }
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(Buffer.concat(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/// The service's own server for its logo, on the loopback interface (the world lets
/// Postern fetch from there); counts what it is asked.
async function logoServer() {
  const png = logoPng();
  const seen = [];
  const server = createServer((req, res) => {
    seen.push(req.url);
    res.writeHead(200, { "content-type": "image/png", "content-length": png.length });
    res.end(png);
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${server.address().port}/logo.png`, seen, close: () => server.close() };
}

browserTest("the sign-in page names the service and shows its logo from Postern's own origin", async (b) => {
  const logo = await logoServer();
  try {
    const token = await operatorToken();
    const name = `Parcel tracking (${fx.lang})`;
    await api(token, "PATCH", "/clients/portal", {
      client_name: "Parcel tracking",
      [`client_name#${fx.lang}`]: name,
      logo_uri: logo.url,
    });
    assert.deepEqual(logo.seen, ["/logo.png"], "fetched once, when it was set");

    const user = await newUser("service");
    await startAt(b, "portal");
    // Every request the page makes from here on, the logo's included.
    const requests = [];
    b.page.on("request", (r) => requests.push(r.url()));
    await b.page.reload();
    await b.page.waitForLoadState("load");
    const line = b.page.locator("main p.service");
    assert.ok((await line.innerText()).includes(name), "the page's language's name");
    assert.ok(!(await b.page.locator("main").innerText()).includes("portal"), "not the client id");
    const img = line.locator("img");
    await b.page.waitForFunction(() => document.querySelector("main p.service img")?.complete);
    assert.ok((await img.evaluate((i) => i.naturalWidth)) > 0, "the logo loads");
    assert.equal(await img.getAttribute("alt"), "", "beside its name, the logo is decoration");
    assert.ok(requests.some((u) => u.startsWith(`${issuer}/assets/logos/`)), "the logo came from Postern");
    assert.deepEqual(requests.filter((u) => !u.startsWith(`${issuer}/`)), [], "no request left the origin");
    assert.deepEqual(logo.seen, ["/logo.png"], "the browser never reached the service's server");
    await visit(b, "signin-service");

    await signIn(b, user);
    await atService(b, "portal", user.email);
  } finally {
    logo.close();
  }
});

browserTest("a name with markup is text, and a service without a name is not named", async (b) => {
  const token = await operatorToken();
  const markup = `<img src=x onerror="document.title='owned'">Parcels & co`;
  // The name of the page's language (the test before may have set one) goes too.
  await api(token, "PATCH", "/clients/portal", {
    client_name: markup,
    [`client_name#${fx.lang}`]: null,
    logo_uri: null,
  });
  await startAt(b, "portal");
  const line = b.page.locator("main p.service");
  assert.ok((await line.innerText()).includes(markup), "shown as typed");
  assert.equal(await b.page.locator("main img").count(), 0, "no element made of it");

  await api(token, "PATCH", "/clients/portal", { client_name: null });
  await startAt(b, "portal");
  assert.equal(await b.page.locator("main p.service").count(), 0, "no line about the service");
  assert.ok(!(await b.page.locator("main").innerText()).includes("portal"), "not the client id");
  await visit(b, "signin-unnamed-service");
});
