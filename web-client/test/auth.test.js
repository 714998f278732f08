import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as A from '../public/core/auth.js';

const ID = { mode: 'oidc', issuer: 'https://idp', authorizationEndpoint: 'https://idp/oauth2/authorize',
  tokenEndpoint: 'https://idp/oauth2/token', clientId: 'client 1', scope: 'openid profile', redirectUri: 'https://game/play/' };

test('PKCE S256 matches the RFC 7636 appendix B example', () => {
  const random = new Uint8Array([116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37,
    77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121]);
  const verifier = A.codeVerifier(random);
  assert.equal(verifier, 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk');
  const digest = new Uint8Array(createHash('sha256').update(verifier).digest());
  assert.equal(A.codeChallenge(digest), 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  assert.throws(() => A.codeVerifier(new Uint8Array(8)), /32 random bytes/);
});

test('authorization URL carries the code flow, the client, the challenge and the state', () => {
  const url = new URL(A.authorizeUrl(ID, { challenge: 'CH', state: 'ST', nonce: 'N' }));
  assert.equal(url.origin + url.pathname, 'https://idp/oauth2/authorize');
  assert.deepEqual(Object.fromEntries(url.searchParams), { response_type: 'code', client_id: 'client 1',
    redirect_uri: 'https://game/play/', scope: 'openid profile', state: 'ST', code_challenge: 'CH',
    code_challenge_method: 'S256', nonce: 'N' });
  assert.ok(A.authorizeUrl({ ...ID, authorizationEndpoint: 'https://idp/a?x=1' }, { challenge: 'c', state: 's' }).startsWith('https://idp/a?x=1&'));
});

test('callback: code only with the state we sent; errors passed on', () => {
  assert.deepEqual(A.parseCallback('?code=C&state=ST', 'ST'), { code: 'C' });
  assert.deepEqual(A.parseCallback('?code=C&state=EVIL', 'ST'), { error: 'state mismatch: login not started here' });
  assert.deepEqual(A.parseCallback('?code=C&state=ST', null), { error: 'state mismatch: login not started here' });
  assert.deepEqual(A.parseCallback('?error=access_denied&error_description=no', 'ST'), { error: 'access_denied: no' });
  assert.equal(A.parseCallback('', 'ST'), null);
});

test('token request bodies', () => {
  assert.deepEqual(Object.fromEntries(new URLSearchParams(A.codeGrant(ID, 'C', 'V'))), { grant_type: 'authorization_code',
    code: 'C', redirect_uri: 'https://game/play/', client_id: 'client 1', code_verifier: 'V' });
  assert.deepEqual(Object.fromEntries(new URLSearchParams(A.refreshGrant(ID, 'R'))), { grant_type: 'refresh_token',
    refresh_token: 'R', client_id: 'client 1' });
  assert.equal(A.devTokenBody('alice'), '{"sub":"alice"}');
});

test('token answers of both shapes; refresh time; subject', () => {
  const jwt = `x.${Buffer.from(JSON.stringify({ sub: 'alice' })).toString('base64url')}.y`;
  assert.deepEqual(A.tokens({ accessToken: jwt, expiresIn: 3600 }, 1000), { accessToken: jwt, refreshToken: null, expiresAt: 3_601_000, sub: 'alice' });
  assert.deepEqual(A.tokens({ access_token: 'a.b.c', expires_in: 60, refresh_token: 'R2' }, 0, 'R1'),
    { accessToken: 'a.b.c', refreshToken: 'R2', expiresAt: 60_000, sub: null });
  assert.equal(A.tokens({ access_token: 'a.b.c' }, 0, 'R1').refreshToken, 'R1', 'a refresh answer without a new refresh token keeps the old one');
  assert.throws(() => A.tokens({}, 0), /without an access token/);
  assert.equal(A.refreshIn({ accessToken: '', refreshToken: null, expiresAt: 100_000, sub: null }, 0), 40_000);
  assert.equal(A.refreshIn({ accessToken: '', refreshToken: null, expiresAt: 100_000, sub: null }, 99_000), 0);
});
