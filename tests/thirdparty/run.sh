#!/usr/bin/env bash
# Runs the authlib third-party client check (check_authlib.py) against a fresh `idp serve`.
#
#   IDP_BIN=target/debug/idp tests/thirdparty/run.sh     # build first: cargo build -p idp
#
# Everything lives in a temporary directory: SQLite database, signing keys, outbox, server
# log. The Python venv is tests/thirdparty/.venv (git-ignored), made on first use and filled
# again only when requirements.txt changes. The directory is removed on success (set
# KEEP_TMP=1 to keep it) and kept on failure.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(git -C "$here" rev-parse --show-toplevel 2>/dev/null || (cd "$here/../.." && pwd))"

# IDP_BIN: absolute, relative to the current directory, relative to the repository root
# (the default, target/debug/idp), or a command name on PATH.
idp_bin="${IDP_BIN:-target/debug/idp}"
if [[ "$idp_bin" != /* ]]; then
    if [[ "$idp_bin" == */* && -x "$idp_bin" ]]; then
        idp_bin="$(pwd)/$idp_bin"
    elif [[ -x "$root/$idp_bin" ]]; then
        idp_bin="$root/$idp_bin"
    elif [[ "$idp_bin" != */* ]] && command -v "$idp_bin" >/dev/null; then
        idp_bin="$(command -v "$idp_bin")"
    else
        idp_bin="$root/$idp_bin"
    fi
fi
if [[ ! -x "$idp_bin" ]]; then
    echo "run.sh: no idp binary at $idp_bin (build it with: cargo build -p idp, or set IDP_BIN)" >&2
    exit 2
fi

# Only the variables below configure the server; drop any IDP_* inherited from the caller.
while read -r var; do
    unset "$var"
done < <(compgen -e | grep '^IDP_' || true)

tmp="$(mktemp -d "${TMPDIR:-/tmp}/postern-authlib.XXXXXX")"
server_pid=""
status=1

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

cleanup() {
    if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    if [[ "$status" -ne 0 ]]; then
        if [[ -f "$tmp/server.log" ]]; then
            echo "---- last lines of $tmp/server.log ----" >&2
            tail -n 80 "$tmp/server.log" >&2 || true
            echo "---- end of server log ----" >&2
        fi
        echo "run.sh: failed; files kept in $tmp" >&2
    elif [[ "${KEEP_TMP:-0}" == 1 ]]; then
        echo "run.sh: files kept in $tmp"
    else
        rm -rf "$tmp"
    fi
}
trap 'status=$?; cleanup; exit $status' EXIT

port="$(free_port)"
rp_port="$(free_port)"
while [[ "$rp_port" == "$port" ]]; do rp_port="$(free_port)"; done

export IDP_ISSUER="http://127.0.0.1:$port"
export IDP_LISTEN="127.0.0.1:$port"
export IDP_DATABASE_URL="sqlite://$tmp/idp.db?mode=rwc"
export IDP_KEYS_DIR="$tmp/keys"
export IDP_OUTBOX_DIR="$tmp/outbox"
export IDP_PROFILE=prod

client_id="authlib-rp"
client_secret="$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')"
redirect_uri="http://127.0.0.1:$rp_port/cb"
post_logout_redirect_uri="http://127.0.0.1:$rp_port/bye"
user_email="alice@example.test"
user_password="correct horse battery staple 42"

cd "$root"

echo "run.sh: idp at $IDP_ISSUER (binary $idp_bin, files in $tmp)"

# The venv is kept (git-ignored) and filled again only when requirements.txt changes: a
# stamp in it holds the hash of the requirements it was filled from, so a run after the
# first needs no package index.
venv="$here/.venv"
stamp="$venv/.requirements.sha256"
wanted="$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)"
if [[ ! -x "$venv/bin/python" ]]; then
    # --clear: a venv whose python is gone (a Python upgrade) keeps packages for the old one.
    python3 -m venv --clear "$venv" >"$tmp/venv.log" 2>&1 || {
        rm -rf "$venv" # half made (a python without pip): the next run makes it again
        echo "run.sh: python3 -m venv failed (install the Debian package python3-venv): $(tail -n 1 "$tmp/venv.log")" >&2
        exit 1
    }
fi
if [[ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]]; then
    if ! "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --retries 2 \
        -r "$here/requirements.txt" >"$tmp/pip.log" 2>&1; then
        # One line instead of pip's traceback: what is missing and how to get it.
        packages="$(grep -Ev '^[[:space:]]*(#|$)' "$here/requirements.txt" | tr '\n' ' ')"
        said="$(grep -E '^ERROR:' "$tmp/pip.log" | tail -n 1)"
        echo "run.sh: the authlib check needs ${packages% } from the package index (PyPI), which pip could not install (${said:-see $tmp/pip.log}): install them where PyPI is reachable with tests/thirdparty/.venv/bin/pip install -r tests/thirdparty/requirements.txt" >&2
        exit 1
    fi
    echo "$wanted" >"$stamp"
fi

"$idp_bin" clients create \
    --client-id "$client_id" \
    --secret="$client_secret" \
    --redirect-uri "$redirect_uri" \
    --post-logout-redirect-uri "$post_logout_redirect_uri" \
    --first-party \
    --grant-type authorization_code \
    --grant-type refresh_token \
    >"$tmp/clients-create.log" 2>&1 || { cat "$tmp/clients-create.log" >&2; exit 1; }
# A service that authenticates with private_key_jwt: its P-256 key pair is made here, and
# only the public JWK Set is registered.
service_id="authlib-svc"
"$venv/bin/python" - "$tmp" <<'EOF'
import json, sys
from joserfc.jwk import ECKey
key = ECKey.generate_key("P-256", parameters={"kid": "svc-1"}, private=True)
with open(f"{sys.argv[1]}/svc-private.jwk", "w") as f:
    json.dump(key.as_dict(private=True), f)
with open(f"{sys.argv[1]}/svc-jwks.json", "w") as f:
    json.dump({"keys": [key.as_dict(private=False)]}, f)
EOF
"$idp_bin" clients create \
    --client-id "$service_id" \
    --grant-type client_credentials \
    --auth-method private_key_jwt \
    --jwks "$tmp/svc-jwks.json" \
    >>"$tmp/clients-create.log" 2>&1 || { cat "$tmp/clients-create.log" >&2; exit 1; }
"$idp_bin" users create \
    --email "$user_email" \
    --password "$user_password" \
    --given-name Alice \
    --family-name Example \
    >"$tmp/users-create.log" 2>&1 || { cat "$tmp/users-create.log" >&2; exit 1; }

"$idp_bin" serve >"$tmp/server.log" 2>&1 &
server_pid=$!

health_ok() {
    python3 - "$IDP_ISSUER/health/live" <<'EOF'
import sys, urllib.request
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
try:
    with opener.open(sys.argv[1], timeout=2) as r:
        sys.exit(0 if r.status == 200 else 1)
except Exception:
    sys.exit(1)
EOF
}

deadline=$((SECONDS + 30))
until health_ok; do
    if ! kill -0 "$server_pid" 2>/dev/null; then
        echo "run.sh: idp serve exited before answering /health/live" >&2
        exit 1
    fi
    if ((SECONDS >= deadline)); then
        echo "run.sh: idp serve did not answer GET /health/live with 200 within 30 s" >&2
        exit 1
    fi
    sleep 0.3
done

ISSUER="$IDP_ISSUER" \
CLIENT_ID="$client_id" \
CLIENT_SECRET="$client_secret" \
REDIRECT_URI="$redirect_uri" \
POST_LOGOUT_REDIRECT_URI="$post_logout_redirect_uri" \
USER_EMAIL="$user_email" \
USER_PASSWORD="$user_password" \
SERVICE_ID="$service_id" \
SERVICE_KEY_FILE="$tmp/svc-private.jwk" \
    "$venv/bin/python" "$here/check_authlib.py"
