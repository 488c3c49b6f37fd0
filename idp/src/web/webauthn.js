// Passkey ceremonies for Postern's pages, the only script they load (the CSP allows no
// inline code). Buttons with data-passkey="sign-in" or "register" start a ceremony; the
// server's JSON options are turned into the binary form the WebAuthn API wants and back.
"use strict";
(function () {
  function dec(s) {
    s = s.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) s += "=";
    return Uint8Array.from(atob(s), function (c) { return c.charCodeAt(0); });
  }
  function enc(buf) {
    var s = String.fromCharCode.apply(null, new Uint8Array(buf));
    return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function creationOptions(o) {
    var pk = o.publicKey;
    pk.challenge = dec(pk.challenge);
    pk.user.id = dec(pk.user.id);
    (pk.excludeCredentials || []).forEach(function (c) { c.id = dec(c.id); });
    return { publicKey: pk };
  }
  function requestOptions(o) {
    var pk = o.publicKey;
    pk.challenge = dec(pk.challenge);
    (pk.allowCredentials || []).forEach(function (c) { c.id = dec(c.id); });
    return { publicKey: pk };
  }
  function registration(c) {
    return {
      id: c.id, rawId: enc(c.rawId), type: c.type, extensions: c.getClientExtensionResults(),
      response: {
        attestationObject: enc(c.response.attestationObject),
        clientDataJSON: enc(c.response.clientDataJSON)
      }
    };
  }
  function assertion(c) {
    return {
      id: c.id, rawId: enc(c.rawId), type: c.type, extensions: c.getClientExtensionResults(),
      response: {
        authenticatorData: enc(c.response.authenticatorData),
        clientDataJSON: enc(c.response.clientDataJSON),
        signature: enc(c.response.signature),
        userHandle: c.response.userHandle ? enc(c.response.userHandle) : null
      }
    };
  }
  async function post(url, body, csrf) {
    var r = await fetch(url, {
      method: "POST", credentials: "same-origin",
      // The server answers in the page's language.
      headers: { "content-type": "application/json", "x-csrf-token": csrf,
                 "x-page-lang": document.documentElement.lang || "" },
      body: JSON.stringify(body)
    });
    var json = await r.json().catch(function () { return {}; });
    if (!r.ok) throw new Error(json.message || "The passkey could not be used.");
    return json;
  }
  document.querySelectorAll("[data-passkey]").forEach(function (btn) {
    btn.addEventListener("click", async function (ev) {
      ev.preventDefault();
      var status = document.getElementById("passkey-status");
      var csrf = btn.dataset.csrf;
      try {
        if (!window.PublicKeyCredential) throw new Error("This browser does not support passkeys.");
        if (btn.dataset.passkey === "register") {
          var opts = await post("/account/security/passkeys/options", {}, csrf);
          var cred = await navigator.credentials.create(creationOptions(opts));
          var name = (document.getElementById("passkey-name") || {}).value || "Passkey";
          await post("/account/security/passkeys", { name: name, credential: registration(cred) }, csrf);
          location.reload();
        } else {
          var tx = btn.dataset.tx;
          var ropts = await post("/login/passkey/options", { tx: tx }, csrf);
          var acred = await navigator.credentials.get(requestOptions(ropts));
          var done = await post("/login/passkey", { tx: tx, credential: assertion(acred) }, csrf);
          location.assign(done.location);
        }
      } catch (e) {
        if (status) status.textContent = e.message;
      }
    });
  });
})();
