// A real OpenID provider for doctor's tests: node-oidc-provider (OpenID Certified) over HTTPS on a
// loopback port, PKCE required for every client, the development login and consent pages on.
//
//   node oidc_provider_server.mjs --variant VARIANT SETTINGS.json
//
// SETTINGS.json: {tls: {cert, key} (PEM file paths), jwks ({keys: [private JWKs]}: the signing keys,
// so that the tests can sign tokens the provider's JWKS verifies), clients (client metadata), claims
// (scope -> claims), accounts (path of a JSON file {login: claims}, read at every sign-in so each
// test sets its own)}. Prints {"issuer": "https://127.0.0.1:<port>"} on stdout once it listens; exits
// when stdin closes (the test process ended) or on SIGTERM.
//
// VARIANT, the ways a provider can be wrong that doctor must catch:
//   healthy          as configured
//   no-s256          discovery lists code_challenge_methods_supported without S256
//   no-pkce-methods  discovery lists no code_challenge_methods_supported at all
//   http-jwks        discovery names an http:// jwks_uri
//   any-verifier     accepts any code_verifier: every challenge and verifier is swapped for a fixed
//                    pair before the provider sees it, as a broken IdP (or proxy in front) would do
//   first-token-server-error  answers its first token request 500 server_error (then works)
//   first-token-hang-up       closes the connection of its first token request unanswered (then works)
//   hostile-error-description refuses its first token request (invalid_grant) with an error_description
//                             that would drive a terminal: escapes, a faked line, a bidi override (then works)
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { parse as parseQuery } from 'node:querystring';
import { parseArgs } from 'node:util';

import Provider from 'oidc-provider';

const DISCOVERY_PATH = '/.well-known/openid-configuration';
const FIXED_VERIFIER = 'doctor-test-fixed-code-verifier-that-the-broken-provider-always-uses';
const FIXED_CHALLENGE = createHash('sha256').update(FIXED_VERIFIER).digest('base64url');

function editDiscovery(edit) {
  return (provider) => {
    provider.use(async (ctx, next) => {
      await next();
      if (ctx.path === DISCOVERY_PATH && ctx.body) edit(ctx.body);
    });
  };
}

async function readBody(request) {
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

// The first token request only: doctor's exchange with the wrong code_verifier.
function failFirstTokenRequest(fail) {
  return (provider) => {
    let failed = false;
    provider.use(async (ctx, next) => {
      if (ctx.path === '/token' && ctx.method === 'POST' && !failed) {
        failed = true;
        fail(ctx);
        return;
      }
      await next();
    });
  };
}

const VARIANTS = {
  healthy: () => {},
  'no-s256': editDiscovery((document) => {
    document.code_challenge_methods_supported = ['plain'];
  }),
  'no-pkce-methods': editDiscovery((document) => {
    delete document.code_challenge_methods_supported;
  }),
  'http-jwks': editDiscovery((document) => {
    document.jwks_uri = document.jwks_uri.replace(/^https:/, 'http:');
  }),
  'first-token-server-error': failFirstTokenRequest((ctx) => {
    ctx.status = 500;
    ctx.body = { error: 'server_error', error_description: "the test provider's first token request fails" };
  }),
  'hostile-error-description': failFirstTokenRequest((ctx) => {
    ctx.status = 400;
    ctx.body = {
      error: 'invalid_grant',
      error_description: 'bad verifier\u001b[2J\u001b]8;;https://evil.example\u0007click\r\nok    corp  sign-in: fine\u202eevil',
    };
  }),
  'first-token-hang-up': failFirstTokenRequest((ctx) => {
    ctx.respond = false;
    ctx.req.socket.destroy();
  }),
  'any-verifier': (provider) => {
    provider.use(async (ctx, next) => {
      if (ctx.path === '/auth' && ctx.query.code_challenge) {
        ctx.query = { ...ctx.query, code_challenge: FIXED_CHALLENGE };
      }
      if (ctx.path === '/token' && ctx.method === 'POST') {
        // node-oidc-provider reads an already parsed body from req.body.
        const body = parseQuery(await readBody(ctx.req));
        if (body.code_verifier) body.code_verifier = FIXED_VERIFIER;
        ctx.req.body = body;
      }
      await next();
    });
  },
};

const { values, positionals } = parseArgs({ options: { variant: { type: 'string' } }, allowPositionals: true });
const applyVariant = VARIANTS[values.variant];
if (!applyVariant || positionals.length !== 1) {
  process.stderr.write(`usage: oidc_provider_server.mjs --variant (${Object.keys(VARIANTS).join('|')}) SETTINGS.json\n`);
  process.exit(2);
}
const settings = JSON.parse(readFileSync(positionals[0], 'utf8'));

function configuration() {
  return {
    clients: settings.clients,
    jwks: settings.jwks,
    claims: settings.claims,
    cookies: { keys: ['doctor-test-cookie-signing-key'] },
    pkce: { required: () => true },
    responseTypes: ['code'],
    // Claims in the ID token, as kubelogin needs them (not only from the userinfo endpoint).
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
    async findAccount(ctx, id) {
      const accounts = JSON.parse(readFileSync(settings.accounts, 'utf8'));
      return { accountId: id, claims: async () => ({ sub: id, ...(accounts[id] ?? {}) }) };
    },
  };
}

const server = createServer({ cert: readFileSync(settings.tls.cert), key: readFileSync(settings.tls.key) });
server.listen(0, '127.0.0.1', () => {
  const issuer = `https://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, configuration());
  applyVariant(provider);
  server.on('request', provider.callback());
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});

process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
