// The reference provider of bench/run: panva's oidc-provider (OpenID Certified) with the same
// clients, scopes and signing algorithms as Postern's benchmark set-up. Sign-in and consent
// are answered at once (a fixed account, every requested scope granted): the reference has
// no password step, so only Postern's password sign-ins are measured.
//
//   PORT=18090 node bench/reference/provider.mjs

import { generateKeyPairSync } from 'node:crypto';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT || 18090);
const issuer = `http://127.0.0.1:${port}`;
const redirectUri = process.env.REDIRECT_URI || 'http://127.0.0.1:9/cb';
const secret = process.env.CLIENT_SECRET || 'bench-secret';

// One key per algorithm, as Postern publishes: RS256, ES256, EdDSA.
function jwk(type, options, kid, alg) {
  const { privateKey } = generateKeyPairSync(type, options);
  return { ...privateKey.export({ format: 'jwk' }), kid, alg, use: 'sig' };
}
const keys = [
  jwk('rsa', { modulusLength: 2048 }, 'rs256', 'RS256'),
  jwk('ec', { namedCurve: 'P-256' }, 'es256', 'ES256'),
  jwk('ed25519', {}, 'eddsa', 'EdDSA'),
];

const client = (clientId) => ({
  client_id: clientId,
  client_secret: secret,
  redirect_uris: [redirectUri],
  grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
  response_types: ['code'],
  scope: 'openid profile email offline_access api',
  id_token_signed_response_alg: 'ES256',
  token_endpoint_auth_method: 'client_secret_basic',
});

const API = 'urn:bench:api';

const provider = new Provider(issuer, {
  clients: [client('bench-jwt'), client('bench-opaque')],
  jwks: { keys },
  cookies: { keys: ['bench-cookie-key-0123456789abcdef'] },
  routes: {
    authorization: '/authorize',
    jwks: '/jwks',
    token: '/token',
    introspection: '/introspect',
    revocation: '/revoke',
    userinfo: '/userinfo',
  },
  scopes: ['openid', 'offline_access', 'api'],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name'],
  },
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
    // JWT access tokens (ES256) for bench-jwt's client_credentials, as Postern issues them;
    // everything else gets oidc-provider's opaque tokens.
    resourceIndicators: {
      enabled: true,
      defaultResource: (ctx, c) =>
        c.clientId === 'bench-jwt' && ctx.oidc.params?.grant_type === 'client_credentials'
          ? API
          : undefined,
      getResourceServerInfo: () => ({
        scope: 'api',
        audience: API,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'ES256' } },
      }),
      useGrantedResource: () => false,
    },
  },
  rotateRefreshToken: () => true,
  async findAccount(_ctx, sub) {
    return {
      accountId: sub,
      async claims() {
        return {
          sub,
          email: 'bench@postern.test',
          email_verified: true,
          name: 'Bench User',
          given_name: 'Bench',
          family_name: 'User',
        };
      },
    };
  },
});

// Sign-in and consent answered at once for the fixed account.
provider.use(async (ctx, next) => {
  if (!ctx.path.startsWith('/interaction/')) {
    return next();
  }
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  const accountId = details.session?.accountId ?? 'bench-user';
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId, clientId: details.params.client_id });
  grant.addOIDCScope(String(details.params.scope));
  const grantId = await grant.save();
  const to = await provider.interactionResult(
    ctx.req,
    ctx.res,
    { login: { accountId }, consent: { grantId } },
    { mergeWithLastSubmission: false },
  );
  ctx.status = 303;
  ctx.redirect(to);
});

provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
