// The password policy as the user types, for the registration and new-password pages (the
// CSP allows no inline code). The length and the match of the two fields are checked here;
// the strength and the rest of the policy are the server's verdict (POST /password/check),
// so the page never approves what the form would refuse. Messages come translated: the
// local ones from data attributes of the status element, the server's in its answer. The
// form works the same without this script: the server checks everything again.
"use strict";
(function () {
  var input = document.querySelector("input[data-password-policy]");
  if (!input) return;
  var status = document.getElementById(input.getAttribute("data-status"));
  var confirm = document.getElementById(input.getAttribute("data-confirm"));
  var confirmStatus = document.getElementById(input.getAttribute("data-confirm-status"));
  var emailField = document.getElementById(input.getAttribute("data-email-field") || "");
  if (!status) return;
  var min = parseInt(status.getAttribute("data-min"), 10) || 0;
  var timer = null;
  var seq = 0;

  function show(el, text, ok) {
    if (!el) return;
    el.textContent = text;
    el.className = ok ? "hint ok" : "hint field-error";
  }

  function email() {
    if (emailField) return emailField.value;
    return status.getAttribute("data-email") || "";
  }

  function checkMatch() {
    if (!confirm || !confirmStatus) return;
    if (!confirm.value) {
      confirmStatus.textContent = "";
      return;
    }
    if (confirm.value === input.value) {
      show(confirmStatus, status.getAttribute("data-msg-same"), true);
    } else {
      show(confirmStatus, status.getAttribute("data-msg-differ"), false);
    }
  }

  function askServer() {
    var mine = ++seq;
    fetch("/password/check", {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "X-CSRF-Token": status.getAttribute("data-csrf")
      },
      body: JSON.stringify({
        password: input.value,
        email: email(),
        lang: document.documentElement.lang
      })
    }).then(function (r) {
      return r.ok ? r.json() : null;
    }).then(function (v) {
      // An older answer must not overwrite a newer one.
      if (v && mine === seq && typeof v.message === "string") show(status, v.message, v.ok);
    }).catch(function () { /* the form still checks on submit */ });
  }

  function onInput() {
    checkMatch();
    if (timer) clearTimeout(timer);
    if (!input.value) {
      status.textContent = "";
      return;
    }
    if (input.value.length < min) {
      seq++;
      show(status, status.getAttribute("data-msg-short"), false);
      return;
    }
    timer = setTimeout(askServer, 350);
  }

  input.addEventListener("input", onInput);
  if (confirm) confirm.addEventListener("input", checkMatch);
  if (emailField) emailField.addEventListener("change", function () { if (input.value) onInput(); });
})();
