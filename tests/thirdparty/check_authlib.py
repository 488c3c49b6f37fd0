#!/usr/bin/env python3
"""Drives a running Postern `idp serve` with a strict third-party OIDC client: authlib.

Covers discovery, authorization code + PKCE S256 with a real login form, ID token
validation, userinfo, refresh token rotation and replay, introspection, revocation and
RP-initiated logout, and a service's client credentials with private_key_jwt. Each check
prints one line; the first failure stops the run with a
non-zero exit status.

Environment: ISSUER, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, POST_LOGOUT_REDIRECT_URI,
USER_EMAIL, USER_PASSWORD, SERVICE_ID (a private_key_jwt client) and SERVICE_KEY_FILE (its
private JWK). Nothing listens on the redirect URIs: the browser part stops at
the redirect and never requests them. `run.sh` next to this file sets everything up.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import sys
import time
import traceback
import warnings
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import requests
from authlib.deprecate import AuthlibDeprecationWarning

# authlib.jose is deprecated in favour of joserfc and warns on import; the check still uses
# it on purpose (it is what most deployed authlib clients use).
warnings.filterwarnings("ignore", category=AuthlibDeprecationWarning)

from authlib.common.security import generate_token  # noqa: E402
from authlib.integrations.base_client import OAuthError  # noqa: E402
from authlib.integrations.requests_client import OAuth2Session  # noqa: E402
from authlib.jose import JsonWebKey, JsonWebToken  # noqa: E402
from authlib.oauth2.rfc7523 import PrivateKeyJWT  # noqa: E402
from authlib.oidc.core import CodeIDToken  # noqa: E402
from joserfc.jwk import ECKey  # noqa: E402

TIMEOUT = 15
MAX_STEPS = 15
LEEWAY = 30
SCOPE = "openid profile email offline_access"
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


class CheckFailed(Exception):
    pass


def require(cond: bool, message: str) -> None:
    if not cond:
        raise CheckFailed(message)


class Checks:
    def __init__(self) -> None:
        self.passed = 0

    def ok(self, step: str, message: str) -> None:
        self.passed += 1
        print(f"ok {self.passed:2d}  [{step}] {message}", flush=True)


def env(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        print(f"authlib check: environment variable {name} is not set", file=sys.stderr)
        sys.exit(2)
    return value


def endpoint_of(url: str) -> tuple[str, str, str]:
    """scheme, host[:port] and path: what identifies where a URL goes, without its query."""
    u = urlsplit(url)
    return (u.scheme.lower(), u.netloc.lower(), u.path or "/")


def query_of(url: str) -> dict[str, str]:
    params = parse_qs(urlsplit(url).query, keep_blank_values=True)
    for k, v in params.items():
        require(len(v) == 1, f"parameter {k!r} is repeated in {url}")
    return {k: v[0] for k, v in params.items()}


def add_query(url: str, params: dict[str, str]) -> str:
    return url + ("&" if "?" in url else "?") + urlencode(params)


def json_body(resp: requests.Response, what: str) -> dict:
    ctype = resp.headers.get("Content-Type", "")
    mime = ctype.split(";")[0].strip().lower()
    require(
        mime == "application/json" or (mime.startswith("application/") and mime.endswith("+json")),
        f"{what}: expected a JSON Content-Type, got {ctype!r} (HTTP {resp.status_code}): "
        f"{resp.text[:500]}",
    )
    try:
        body = resp.json()
    except ValueError as e:
        raise CheckFailed(f"{what}: response is not JSON ({e}): {resp.text[:500]}") from e
    require(isinstance(body, dict), f"{what}: expected a JSON object, got {resp.text[:500]}")
    return body


# ---------------------------------------------------------------------------------------
# The browser: a cookie-keeping requests.Session that follows redirects and submits forms
# itself, so it can stop at the relying party's redirect URI without requesting it.


class LoopbackSecureCookiePolicy(http.cookiejar.DefaultCookiePolicy):
    """Browsers treat http://127.0.0.1 and http://localhost as secure contexts and send
    `Secure` cookies there; Python's cookie jar does not. Behave like a browser."""

    def return_ok_secure(self, cookie, request):
        if urlsplit(request.get_full_url()).hostname in LOOPBACK_HOSTS:
            return True
        return super().return_ok_secure(cookie, request)


def plain_session() -> requests.Session:
    s = requests.Session()
    s.trust_env = False  # only the local IdP is talked to: no proxies from the environment
    return s


class Browser(requests.Session):
    def __init__(self) -> None:
        super().__init__()
        self.trust_env = False
        self.cookies.set_policy(LoopbackSecureCookiePolicy())

    def prepare_request(self, request):
        # requests copies the cookies into a fresh jar with the default policy before
        # building the Cookie header; build it again with the browser-like policy.
        prepared = super().prepare_request(request)
        prepared._cookies.set_policy(LoopbackSecureCookiePolicy())
        prepared.headers.pop("Cookie", None)
        header = requests.cookies.get_cookie_header(prepared._cookies, prepared)
        if header:
            prepared.headers["Cookie"] = header
        return prepared


def new_browser() -> requests.Session:
    browser = Browser()
    browser.headers["Accept"] = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"
    browser.headers["Accept-Language"] = "en"
    return browser


class Form:
    def __init__(self, action: str | None, method: str) -> None:
        self.action = action
        self.method = method
        # Successful controls in document order (name, value); hidden inputs included.
        self.fields: list[tuple[str, str]] = []
        # Submit controls (<button> and <input type=submit>), name may be None.
        self.submits: list[tuple[str | None, str]] = []
        self.input_names: set[str] = set()


class FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        a = {k.lower(): ("" if v is None else v) for k, v in attrs}
        if tag == "form":
            self._form = Form(a.get("action"), (a.get("method") or "get").lower())
            self.forms.append(self._form)
            return
        form = self._form
        if form is None:
            return
        name = a.get("name") or None
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "image"):
                form.submits.append((name, a.get("value", "")))
            elif name is None or "disabled" in a or kind in ("button", "reset", "file"):
                return
            elif kind in ("checkbox", "radio"):
                form.input_names.add(name)
                if "checked" in a:
                    form.fields.append((name, a.get("value", "on")))
            else:
                form.input_names.add(name)
                form.fields.append((name, a.get("value", "")))
        elif tag == "button":
            if (a.get("type") or "submit").lower() == "submit" and "disabled" not in a:
                form.submits.append((name, a.get("value", "")))
        elif tag == "textarea" and name is not None:
            form.input_names.add(name)
            self._textarea = (name, [])

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.fields.append((self._textarea[0], "".join(self._textarea[1])))
            self._textarea = None
        elif tag == "form":
            self._form = None


class TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def page_text(resp: requests.Response, limit: int = 2000) -> str:
    if "html" in resp.headers.get("Content-Type", "").lower():
        p = TextParser()
        p.feed(resp.text)
        text = " ".join(" ".join(p.parts).split())
    else:
        text = resp.text.strip()
    return text[:limit] or "(empty body)"


def pick_form(html: str) -> Form | None:
    parser = FormParser()
    parser.feed(html)
    posts = [f for f in parser.forms if f.method == "post"]
    for f in posts:
        if {"email", "password"} & f.input_names or any(n == "decision" for n, _ in f.submits):
            return f
    return posts[0] if posts else None


def fill(form: Form, email: str, password: str) -> list[tuple[str, str]]:
    fields = []
    for name, value in form.fields:
        if name == "email":
            value = email
        elif name == "password":
            value = password
        fields.append((name, value))
    if ("decision", "allow") in form.submits:
        # The consent page: press Allow.
        fields.append(("decision", "allow"))
    else:
        # Otherwise press the first submit button, as Enter does (HTML §4.10.21.2); on the
        # logout confirmation page that is decision=logout.
        fields.extend((n, v) for n, v in form.submits[:1] if n)
    return fields


def drive(
    browser: requests.Session,
    url: str,
    stop_at: str,
    *,
    email: str,
    password: str,
    allow_forms: bool = True,
) -> str:
    """Follows redirects and submits forms from `url` until the browser is sent to
    `stop_at` (compared by scheme, host, port and path); returns that full URL unrequested."""
    stop = endpoint_of(stop_at)
    method, data = "GET", None
    submitted: set[tuple] = set()
    history: list[str] = []

    def stuck(message: str, resp: requests.Response | None = None) -> CheckFailed:
        lines = [message, "  steps so far:"] + [f"    {h}" for h in history]
        if resp is not None:
            lines.append(f"  page text: {page_text(resp)}")
        return CheckFailed("\n".join(lines))

    require(endpoint_of(url) != stop, f"refusing to request the redirect URI {url}")
    for _ in range(MAX_STEPS):
        resp = browser.request(method, url, data=data, allow_redirects=False, timeout=TIMEOUT)
        history.append(f"{method} {url} -> HTTP {resp.status_code}")
        if 300 <= resp.status_code < 400:
            location = resp.headers.get("Location")
            if not location:
                raise stuck(f"HTTP {resp.status_code} without a Location header", resp)
            target = urljoin(url, location)
            if endpoint_of(target) == stop:
                return target
            if resp.status_code not in (307, 308):
                method, data = "GET", None
            url = target
            continue
        is_html = "html" in resp.headers.get("Content-Type", "").lower()
        if resp.status_code != 200 or not is_html:
            raise stuck(
                f"unexpected HTTP {resp.status_code} ({resp.headers.get('Content-Type')}) "
                f"from {method} {url}",
                resp,
            )
        form = pick_form(resp.text)
        if form is None:
            raise stuck(f"the page at {url} has no <form method=post> and does not redirect", resp)
        if not allow_forms:
            raise stuck(f"the server showed a form at {url}, but no user interaction was allowed", resp)
        action = urljoin(url, form.action) if form.action else url
        fields = fill(form, email, password)
        if endpoint_of(action) == stop:
            # response_mode=form_post: the form carries the response; do not post it.
            return add_query(stop_at.split("?")[0], dict(fields))
        signature = (action, tuple(sorted(n for n, _ in fields)))
        if signature in submitted:
            raise stuck(f"the form at {url} came back after it was submitted (rejected?)", resp)
        if "password" in form.input_names and any(s for s in submitted if "password" in s[1]):
            raise stuck(f"the password was asked for again at {url} (credentials rejected?)", resp)
        submitted.add(signature)
        history.append(f"  form -> POST {action} fields={[n for n, _ in fields]}")
        method, data, url = "POST", fields, action
    raise stuck(f"still not redirected to {stop_at} after {MAX_STEPS} requests")


# ---------------------------------------------------------------------------------------
# ID tokens


def decode_id_token(
    id_token: str,
    jwks: dict,
    algs: list[str],
    *,
    issuer: str,
    client_id: str,
    nonce: str | None,
    access_token: str | None,
) -> CodeIDToken:
    """Checks the signature with authlib.jose and the claims with authlib.oidc.core's
    CodeIDToken (iss, aud, exp, iat, nonce, azp, at_hash; OIDC Core §3.1.3.7)."""
    jwt = JsonWebToken(algs)
    key_set = JsonWebKey.import_key_set(jwks)
    claims = jwt.decode(
        id_token,
        key=key_set,
        claims_cls=CodeIDToken,
        claims_options={
            "iss": {"essential": True, "value": issuer},
            "aud": {"essential": True, "value": client_id},
            "sub": {"essential": True},
            "exp": {"essential": True},
            "iat": {"essential": True},
        },
        claims_params={"nonce": nonce, "client_id": client_id, "access_token": access_token},
    )
    claims.validate(leeway=LEEWAY)
    require(claims.header.get("alg") in algs, f"ID token alg {claims.header.get('alg')!r} not in {algs}")
    return claims


# ---------------------------------------------------------------------------------------


def run(c: Checks) -> None:
    issuer = env("ISSUER")
    client_id = env("CLIENT_ID")
    client_secret = env("CLIENT_SECRET")
    redirect_uri = env("REDIRECT_URI")
    post_logout_redirect_uri = env("POST_LOGOUT_REDIRECT_URI")
    email = env("USER_EMAIL")
    password = env("USER_PASSWORD")

    # a. Discovery --------------------------------------------------------------------
    plain = plain_session()
    resp = plain.get(issuer + "/.well-known/openid-configuration", timeout=TIMEOUT)
    require(resp.status_code == 200, f"discovery: HTTP {resp.status_code}: {resp.text[:500]}")
    meta = json_body(resp, "discovery")
    require(meta.get("issuer") == issuer, f"discovery: issuer {meta.get('issuer')!r} != {issuer!r}")
    for key in (
        "authorization_endpoint",
        "token_endpoint",
        "userinfo_endpoint",
        "jwks_uri",
        "end_session_endpoint",
        "introspection_endpoint",
        "revocation_endpoint",
    ):
        require(isinstance(meta.get(key), str) and meta[key], f"discovery: {key} is missing")
    require(
        "S256" in meta.get("code_challenge_methods_supported", []),
        "discovery: code_challenge_methods_supported lacks S256",
    )
    algs = meta.get("id_token_signing_alg_values_supported") or []
    require(algs and "none" not in algs, f"discovery: bad id_token_signing_alg_values_supported {algs}")
    c.ok("a", f"discovery: issuer is exactly {issuer}")

    resp = plain.get(meta["jwks_uri"], timeout=TIMEOUT)
    require(resp.status_code == 200, f"jwks: HTTP {resp.status_code}: {resp.text[:500]}")
    jwks = json_body(resp, "jwks")
    keys = jwks.get("keys")
    require(isinstance(keys, list) and keys, "jwks: no keys")
    require(
        all("d" not in k and "p" not in k for k in keys), "jwks: the key set publishes private key material"
    )
    JsonWebKey.import_key_set(jwks)  # every key must be readable by authlib
    c.ok("a", f"jwks: {len(keys)} keys ({', '.join(sorted({k.get('kty', '?') for k in keys}))})")

    # b. Authorization request and the browser part -----------------------------------
    sess = OAuth2Session(
        client_id=client_id,
        client_secret=client_secret,
        token_endpoint_auth_method="client_secret_basic",
        revocation_endpoint_auth_method="client_secret_basic",
        scope=SCOPE,
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
        default_timeout=TIMEOUT,
        trust_env=False,
    )
    code_verifier = generate_token(64)
    nonce = generate_token(24)
    auth_url, state = sess.create_authorization_url(
        meta["authorization_endpoint"], code_verifier=code_verifier, nonce=nonce
    )
    q = query_of(auth_url)
    require(
        q.get("code_challenge_method") == "S256" and q.get("code_challenge"),
        f"authlib did not add PKCE S256 to {auth_url}",
    )
    browser = new_browser()
    callback = drive(browser, auth_url, redirect_uri, email=email, password=password)
    c.ok("b", "signed in through the HTML forms and was redirected to the client")

    # c. Authorization response and code exchange --------------------------------------
    params = query_of(callback)
    require(
        "error" not in params,
        f"authorization error: {params.get('error')}: {params.get('error_description')}",
    )
    require(params.get("state") == state, f"state {params.get('state')!r} != {state!r}")
    require(params.get("iss") == issuer, f"iss (RFC 9207) {params.get('iss')!r} != {issuer!r}")
    require(bool(params.get("code")), f"no code in {callback}")
    c.ok("c", "authorization response: code, state matches, iss matches (RFC 9207)")

    token = sess.fetch_token(
        meta["token_endpoint"],
        authorization_response=callback,
        state=state,
        code_verifier=code_verifier,
    )
    for key in ("access_token", "id_token", "refresh_token"):
        require(bool(token.get(key)), f"token response lacks {key}: {dict(token)}")
    require(
        str(token.get("token_type", "")).lower() == "bearer", f"token_type is {token.get('token_type')!r}"
    )
    require(isinstance(token.get("expires_in"), int), f"expires_in is {token.get('expires_in')!r}")
    c.ok("c", "code exchanged with client_secret_basic + code_verifier: access, ID and refresh tokens")

    # d. ID token ----------------------------------------------------------------------
    id_token = token["id_token"]
    claims = decode_id_token(
        id_token,
        jwks,
        algs,
        issuer=issuer,
        client_id=client_id,
        nonce=nonce,
        access_token=token["access_token"],
    )
    require("nonce" in claims, "ID token lacks nonce")
    auth_time = claims.get("auth_time")
    require(isinstance(auth_time, int), f"ID token auth_time missing or not an integer: {auth_time!r}")
    now = int(time.time())
    require(
        now - 600 <= auth_time <= now + LEEWAY, f"auth_time {auth_time} is not the sign-in just done ({now})"
    )
    checked = "at_hash" if "at_hash" in claims else "no at_hash"
    c.ok("d", f"ID token ({claims.header['alg']}) valid: signature, iss, aud, exp, nonce, auth_time, {checked}")
    sub = claims["sub"]

    # e. UserInfo ----------------------------------------------------------------------
    resp = sess.get(meta["userinfo_endpoint"])
    require(resp.status_code == 200, f"userinfo: HTTP {resp.status_code}: {resp.text[:500]}")
    info = json_body(resp, "userinfo")
    require(info.get("sub") == sub, f"userinfo sub {info.get('sub')!r} != ID token sub {sub!r}")
    require(info.get("email") == email, f"userinfo email {info.get('email')!r} != {email!r}")
    c.ok("e", "userinfo: sub matches the ID token, email matches")

    # f. Refresh with rotation ---------------------------------------------------------
    old_refresh = token["refresh_token"]
    old_access = token["access_token"]
    refreshed = sess.refresh_token(meta["token_endpoint"])
    new_refresh = refreshed.get("refresh_token")
    require(bool(refreshed.get("access_token")), f"refresh response lacks access_token: {dict(refreshed)}")
    require(refreshed["access_token"] != old_access, "refresh returned the same access token")
    require(new_refresh and new_refresh != old_refresh, "refresh did not rotate the refresh token")
    c.ok("f", "refresh: new access token and a new (rotated) refresh token")
    if refreshed.get("id_token"):
        # OIDC Core §12.2: same iss, sub, aud; auth_time of the original authentication.
        again = decode_id_token(
            refreshed["id_token"],
            jwks,
            algs,
            issuer=issuer,
            client_id=client_id,
            nonce=None,
            access_token=refreshed["access_token"],
        )
        require(again["sub"] == sub, "refreshed ID token has another sub")
        require(again.get("auth_time") == auth_time, "refreshed ID token changed auth_time")
        c.ok("f", "refreshed ID token valid, same sub and auth_time (OIDC Core §12.2)")
    newest_access = refreshed["access_token"]

    # g. Introspection and revocation (before the refresh token replay below, which
    #    revokes the whole grant) ------------------------------------------------------
    resp = sess.introspect_token(
        meta["introspection_endpoint"], token=newest_access, token_type_hint="access_token"
    )
    require(resp.status_code == 200, f"introspection: HTTP {resp.status_code}: {resp.text[:500]}")
    intro = json_body(resp, "introspection")
    require(intro.get("active") is True, f"introspection of the new access token: {intro}")
    require(intro.get("sub", sub) == sub, f"introspection sub {intro.get('sub')!r} != {sub!r}")
    require(
        intro.get("client_id", client_id) == client_id,
        f"introspection client_id {intro.get('client_id')!r} != {client_id!r}",
    )
    c.ok("g", "introspection (client_secret_basic): new access token is active")

    resp = sess.revoke_token(
        meta["revocation_endpoint"], token=newest_access, token_type_hint="access_token"
    )
    require(resp.status_code == 200, f"revocation: HTTP {resp.status_code}: {resp.text[:500]}")
    c.ok("g", "revocation (RFC 7009) of the access token: HTTP 200")

    resp = sess.introspect_token(
        meta["introspection_endpoint"], token=newest_access, token_type_hint="access_token"
    )
    require(resp.status_code == 200, f"introspection: HTTP {resp.status_code}: {resp.text[:500]}")
    intro = json_body(resp, "introspection")
    require(intro.get("active") is False, f"introspection after revocation: {intro}")
    c.ok("g", "introspection after revocation: active is false")

    resp = sess.get(meta["userinfo_endpoint"])  # sess still holds the revoked token
    require(resp.status_code == 401, f"userinfo with a revoked token: HTTP {resp.status_code}")
    require(
        resp.headers.get("WWW-Authenticate", "").lower().startswith("bearer"),
        f"userinfo 401 without a Bearer WWW-Authenticate challenge: {resp.headers.get('WWW-Authenticate')!r}",
    )
    c.ok("g", "userinfo refuses the revoked access token (401, Bearer challenge)")

    # f (continued). Replaying the rotated refresh token -------------------------------
    try:
        sess.refresh_token(meta["token_endpoint"], refresh_token=old_refresh)
    except OAuthError as e:
        require(e.error == "invalid_grant", f"old refresh token: expected invalid_grant, got {e.error}: {e}")
    else:
        raise CheckFailed("the old (rotated) refresh token was accepted again")
    c.ok("f", "old refresh token presented again: invalid_grant")
    try:
        sess.refresh_token(meta["token_endpoint"], refresh_token=new_refresh)
    except OAuthError as e:
        require(e.error == "invalid_grant", f"newest refresh token: expected invalid_grant, got {e.error}")
    else:
        raise CheckFailed("after a refresh token replay, the newest refresh token still works (RFC 9700 §4.14.2)")
    c.ok("f", "after the replay the whole grant is revoked: newest refresh token refused too")

    # h. RP-initiated logout -----------------------------------------------------------
    # First show the SSO session is alive, so the login_required below is due to logout.
    sso_state = generate_token(20)
    sso_url, _ = sess.create_authorization_url(
        meta["authorization_endpoint"],
        state=sso_state,
        code_verifier=generate_token(64),
        nonce=generate_token(24),
        prompt="none",
    )
    sso = query_of(drive(browser, sso_url, redirect_uri, email=email, password=password, allow_forms=False))
    require(
        bool(sso.get("code")) and sso.get("state") == sso_state,
        f"prompt=none before logout should return a code (SSO session): {sso}",
    )
    c.ok("h", "before logout, prompt=none returns a code (the browser has an SSO session)")

    logout_state = generate_token(20)
    logout_url = add_query(
        meta["end_session_endpoint"],
        {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": post_logout_redirect_uri,
            "state": logout_state,
        },
    )
    back = drive(browser, logout_url, post_logout_redirect_uri, email=email, password=password)
    require(
        back.split("?")[0] == post_logout_redirect_uri.split("?")[0],
        f"logout sent the browser to {back}, expected {post_logout_redirect_uri}",
    )
    require(
        query_of(back).get("state") == logout_state,
        f"logout redirect state {query_of(back).get('state')!r} != {logout_state!r}",
    )
    c.ok("h", "logout: redirected to post_logout_redirect_uri with the same state")

    none_state = generate_token(20)
    none_url, _ = sess.create_authorization_url(
        meta["authorization_endpoint"],
        state=none_state,
        code_verifier=generate_token(64),
        nonce=generate_token(24),
        prompt="none",
    )
    after = query_of(
        drive(browser, none_url, redirect_uri, email=email, password=password, allow_forms=False)
    )
    require(after.get("error") == "login_required", f"prompt=none after logout: expected login_required, got {after}")
    require(after.get("state") == none_state, f"prompt=none error: state {after.get('state')!r} != {none_state!r}")
    require(after.get("iss") == issuer, f"prompt=none error: iss {after.get('iss')!r} != {issuer!r}")
    require("code" not in after, "prompt=none after logout returned a code")
    c.ok("h", "after logout, prompt=none answers error=login_required (with state and iss)")

    check_private_key_jwt(c, meta)


def check_private_key_jwt(c: Checks, meta: dict) -> None:
    """i. A service authenticates with a client assertion authlib signs (RFC 7523)."""
    service_id = env("SERVICE_ID")
    with open(env("SERVICE_KEY_FILE")) as f:
        # As a key object: given a dict, authlib would read it as an RSA key.
        private_key = ECKey.import_key(json.load(f))
    token_endpoint = meta["token_endpoint"]
    require(
        "private_key_jwt" in meta.get("token_endpoint_auth_methods_supported", []),
        "discovery: token_endpoint_auth_methods_supported lacks private_key_jwt",
    )
    require(
        "ES256" in meta.get("token_endpoint_auth_signing_alg_values_supported", []),
        "discovery: token_endpoint_auth_signing_alg_values_supported lacks ES256",
    )

    def service(claims: dict | None) -> OAuth2Session:
        auth = PrivateKeyJWT(token_endpoint, claims=claims, alg="ES256")
        return OAuth2Session(service_id, private_key, token_endpoint_auth_method=auth)

    # authlib signs for an hour unless told otherwise; Postern takes 5 minutes at most.
    token = service({"exp": int(time.time()) + 60}).fetch_token(
        token_endpoint, grant_type="client_credentials", timeout=TIMEOUT
    )
    require(bool(token.get("access_token")), f"private_key_jwt: no access token in {token}")
    c.ok("i", "private_key_jwt: authlib's ES256 assertion gets a client_credentials token")
    try:
        service(None).fetch_token(token_endpoint, grant_type="client_credentials", timeout=TIMEOUT)
    except OAuthError as e:
        require(e.error == "invalid_client", f"a one-hour assertion: {e.error}, not invalid_client")
    else:
        raise CheckFailed("an assertion valid for an hour (authlib's default) was accepted")
    c.ok("i", "private_key_jwt: an assertion valid for an hour (authlib's default) is invalid_client")


def main() -> int:
    c = Checks()
    try:
        run(c)
    except CheckFailed as e:
        print(f"FAIL: {e}", file=sys.stderr, flush=True)
    except OAuthError as e:
        detail = f": {e.description}" if e.description else ""
        print(f"FAIL: OAuth error from the server: {e.error}{detail}", file=sys.stderr, flush=True)
    except requests.RequestException as e:
        print(f"FAIL: HTTP request failed: {e}", file=sys.stderr, flush=True)
    except Exception as e:  # authlib/joserfc validation errors and anything unexpected
        traceback.print_exc()
        print(f"FAIL: {type(e).__name__}: {e}", file=sys.stderr, flush=True)
    else:
        print(f"authlib check: {c.passed} passed, 0 failed", flush=True)
        return 0
    print(f"authlib check: {c.passed} passed, 1 failed", flush=True)
    return 1


if __name__ == "__main__":
    sys.exit(main())
