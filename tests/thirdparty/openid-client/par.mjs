// panva's openid-client drives one sign-in through Postern as a FAPI-style client would:
// a pushed authorization request (RFC 9126) authenticated with private_key_jwt, PKCE S256,
// the `iss` response parameter checked (RFC 9207), the code redeemed with private_key_jwt
// and a DPoP proof (RFC 9449), the ID token validated, and userinfo fetched with the
// DPoP-bound access token.
//
// Driven by tests/e2e/certified_rp.rs: the environment gives ISSUER, CLIENT_ID,
// REDIRECT_URI, PRIVATE_JWK (the client's private key as a JWK) and ID_TOKEN_ALG (the
// client's registered ID-token algorithm). When the server asks for DPoP nonces
// (`use_dpop_nonce`), openid-client retries with the nonce by itself. The script prints
// `AUTHORIZE <url>`, reads the URL the browser was sent back to on stdin, and prints
// `RESULT <json>`; any failure is `ERROR <message>` and exit code 1.
import * as readline from 'node:readline';
import * as client from 'openid-client';

const { ISSUER, CLIENT_ID, REDIRECT_URI, PRIVATE_JWK, ID_TOKEN_ALG } = process.env;

async function main() {
  // A P-256 key; WebCrypto takes its key members only.
  const jwk = JSON.parse(PRIVATE_JWK);
  const { kty, crv, x, y, d } = jwk;
  const key = await crypto.subtle.importKey(
    'jwk',
    { kty, crv, x, y, d },
    { name: 'ECDSA', namedCurve: 'P-256' },
    false,
    ['sign'],
  );
  const config = await client.discovery(
    new URL(ISSUER),
    CLIENT_ID,
    { redirect_uris: [REDIRECT_URI], id_token_signed_response_alg: ID_TOKEN_ALG ?? 'RS256' },
    client.PrivateKeyJwt({ key, kid: jwk.kid }),
    // The test server listens on plain http on the loopback interface.
    { execute: [client.allowInsecureRequests] },
  );
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = await client.buildAuthorizationUrlWithPAR(config, {
    redirect_uri: REDIRECT_URI,
    scope: 'openid email',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  console.log(`AUTHORIZE ${url.href}`);
  const lines = readline.createInterface({ input: process.stdin });
  const callback = await new Promise((resolve) => lines.once('line', resolve));
  lines.close();
  const DPoP = client.getDPoPHandle(config, await client.randomDPoPKeyPair('ES256'));
  const tokens = await client.authorizationCodeGrant(
    config,
    new URL(callback),
    { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true },
    undefined,
    { DPoP },
  );
  const claims = tokens.claims();
  const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub, { DPoP });
  const result = {
    sub: claims.sub,
    email: info.email,
    sid: claims.sid,
    token_type: tokens.token_type,
  };
  console.log(`RESULT ${JSON.stringify(result)}`);
}

main().catch((e) => {
  console.log(`ERROR ${e?.code ?? ''} ${e?.message ?? e} ${JSON.stringify(e?.cause ?? '')}`);
  process.exit(1);
});
