// panva's openid-client drives the device authorization grant (RFC 8628) against Postern as
// a counter terminal would: private_key_jwt at the device authorization endpoint, then
// polling the token endpoint until the person confirmed; the ID token is validated by the
// library, and userinfo is fetched with the access token.
//
// Driven by tests/e2e/certified_rp.rs: the environment gives ISSUER, CLIENT_ID and
// PRIVATE_JWK (the client's private key as a JWK). The script prints `USER_CODE <code>`
// (and `URI <verification_uri_complete>`), polls, and prints `RESULT <json>`; any failure is
// `ERROR <message>` and exit code 1.
import * as client from 'openid-client';

const { ISSUER, CLIENT_ID, PRIVATE_JWK } = process.env;

async function main() {
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
    {},
    client.PrivateKeyJwt({ key, kid: jwk.kid }),
    // The test server listens on plain http on the loopback interface.
    { execute: [client.allowInsecureRequests] },
  );
  const started = await client.initiateDeviceAuthorization(config, {
    scope: 'openid email offline_access',
  });
  console.log(`USER_CODE ${started.user_code}`);
  console.log(`URI ${started.verification_uri_complete}`);
  const tokens = await client.pollDeviceAuthorizationGrant(config, started);
  const claims = tokens.claims();
  const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
  const result = {
    sub: claims.sub,
    email: info.email,
    sid: claims.sid,
    token_type: tokens.token_type,
    refresh: typeof tokens.refresh_token === 'string',
    interval: started.interval,
  };
  console.log(`RESULT ${JSON.stringify(result)}`);
}

main().catch((e) => {
  console.log(`ERROR ${e?.code ?? ''} ${e?.message ?? e} ${JSON.stringify(e?.cause ?? '')}`);
  process.exit(1);
});
