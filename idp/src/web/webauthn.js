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
  async function post(url, body, csrf, signal) {
    var r = await fetch(url, {
      method: "POST", credentials: "same-origin", signal: signal,
      // The server answers in the page's language.
      headers: { "content-type": "application/json", "x-csrf-token": csrf,
                 "x-page-lang": document.documentElement.lang || "" },
      body: JSON.stringify(body)
    });
    var json = await r.json().catch(function () { return {}; });
    if (!r.ok) throw new Error(json.message || "The passkey could not be used.");
    return json;
  }
  // Passwordless sign-in with the passkey the browser offers: `mediation` "conditional"
  // waits for the user to pick one in the email field's autofill list.
  async function signIn(btn, mediation, signal) {
    var tx = btn.dataset.tx;
    var csrf = btn.dataset.csrf;
    var ropts = await post("/login/passkey/options", { tx: tx }, csrf, signal);
    var request = requestOptions(ropts);
    if (mediation) request.mediation = mediation;
    if (signal) request.signal = signal;
    var acred = await navigator.credentials.get(request);
    // Picked: the button must not start a second ceremony while this one finishes.
    busy = true;
    try {
      var done = await post("/login/passkey", { tx: tx, credential: assertion(acred) }, csrf);
    } catch (e) {
      e.picked = true;
      throw e;
    }
    location.assign(done.location);
  }
  // The autofill request waits while the page is open; the button replaces it (a browser
  // runs one WebAuthn request at a time, and the server keeps one challenge per sign-in),
  // and after a failed button ceremony the autofill is offered again.
  var autofill = null;
  var busy = false;
  var field = document.querySelector("input[autocomplete~=webauthn]");
  var offer = document.querySelector('[data-passkey="sign-in"]');
  function startAutofill() {
    if (!field || !offer || !window.PublicKeyCredential ||
        !PublicKeyCredential.isConditionalMediationAvailable) return;
    PublicKeyCredential.isConditionalMediationAvailable().then(function (ok) {
      if (!ok || busy) return;
      var mine = new AbortController();
      autofill = mine;
      // Nothing is shown on failure: the user did nothing yet, and the page goes on as it
      // was (a pick that the server refuses is shown like the button's).
      signIn(offer, "conditional", mine.signal).catch(function (e) {
        if (mine.signal.aborted) return;
        busy = false;
        if (!e || e.name === "AbortError" || e.name === "NotAllowedError") return;
        var status = document.getElementById("passkey-status");
        if (status && e.picked) status.textContent = e.message;
      });
    });
  }
  document.querySelectorAll("[data-passkey]").forEach(function (btn) {
    btn.addEventListener("click", async function (ev) {
      ev.preventDefault();
      if (busy) return;
      busy = true;
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
          if (autofill) autofill.abort();
          autofill = null;
          await signIn(btn);
        }
      } catch (e) {
        if (status) status.textContent = e.message;
        busy = false;
        if (btn.dataset.passkey === "sign-in") startAutofill();
      }
    });
  });
  // Conditional UI: where the email field says `autocomplete="… webauthn"` and a passkey
  // sign-in is offered, the browser's autofill lists the user's passkeys.
  startAutofill();
})();
