// @ts-check
/**
 * Login (WEB-01), pure parts: the dev identity provider's request, OIDC authorization code + PKCE (RFC 7636)
 * URLs and bodies, token expiry. Randomness and SHA-256 are passed in, so tests use fixed values.
 */

/** Refresh this long before the access token expires. */
export const REFRESH_MARGIN_MS = 60_000;

/**
 * @typedef {{mode: 'dev', tokenUrl: string}
 *   | {mode: 'oidc', issuer?: string, authorizationEndpoint: string, tokenEndpoint: string, clientId: string,
 *      scope?: string, redirectUri: string}} Identity
 * @typedef {{accessToken: string, refreshToken: string|null, expiresAt: number, sub: string|null}} Tokens
 */

/** base64url without padding (RFC 4648 §5). @param {Uint8Array} bytes */
export function base64url(bytes) {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A code verifier from 32 random bytes: 43 characters of [A-Za-z0-9-_]. @param {Uint8Array} random */
export function codeVerifier(random) {
  if (random.length < 32) throw new Error('a PKCE verifier needs at least 32 random bytes');
  return base64url(random);
}

/** S256 challenge from the verifier's SHA-256 digest. @param {Uint8Array} sha256OfVerifier */
export const codeChallenge = (sha256OfVerifier) => base64url(sha256OfVerifier);

/**
 * The authorization request (RFC 6749 §4.1.1 + PKCE). `state` also carries where to return the player.
 * @param {Extract<Identity, {mode: 'oidc'}>} id @param {{challenge: string, state: string, nonce?: string}} o
 */
export function authorizeUrl(id, o) {
  const q = new URLSearchParams({ response_type: 'code', client_id: id.clientId, redirect_uri: id.redirectUri,
    scope: id.scope ?? 'openid', state: o.state, code_challenge: o.challenge, code_challenge_method: 'S256' });
  if (o.nonce) q.set('nonce', o.nonce);
  return `${id.authorizationEndpoint}${id.authorizationEndpoint.includes('?') ? '&' : '?'}${q}`;
}

/**
 * The redirect back: `?code=…&state=…` or `?error=…`. The state must be the one we sent (CSRF).
 * @param {string} search @param {string|null} expectedState
 * @returns {{code: string}|{error: string}|null} null when this is not a redirect back
 */
export function parseCallback(search, expectedState) {
  const q = new URLSearchParams(search);
  if (q.has('error')) return { error: `${q.get('error')}${q.get('error_description') ? ': ' + q.get('error_description') : ''}` };
  const code = q.get('code');
  if (!code) return null;
  if (!expectedState || q.get('state') !== expectedState) return { error: 'state mismatch: login not started here' };
  return { code };
}

/** Token request for the authorization code. @param {Extract<Identity, {mode: 'oidc'}>} id @param {string} code @param {string} verifier */
export const codeGrant = (id, code, verifier) => new URLSearchParams({ grant_type: 'authorization_code', code,
  redirect_uri: id.redirectUri, client_id: id.clientId, code_verifier: verifier }).toString();

/** Token request for a silent refresh. @param {Extract<Identity, {mode: 'oidc'}>} id @param {string} refreshToken */
export const refreshGrant = (id, refreshToken) => new URLSearchParams({ grant_type: 'refresh_token',
  refresh_token: refreshToken, client_id: id.clientId }).toString();

/** The dev identity provider's body. @param {string} name */
export const devTokenBody = (name) => JSON.stringify({ sub: name });

/**
 * Normalises a token endpoint answer (OIDC `access_token`/`expires_in` or the dev IdP's `accessToken`/`expiresIn`).
 * @param {any} body @param {number} now @param {string|null} [previousRefresh] kept when the server does not rotate it
 * @returns {Tokens}
 */
export function tokens(body, now, previousRefresh = null) {
  const accessToken = body.access_token ?? body.accessToken;
  if (typeof accessToken !== 'string') throw new Error('token answer without an access token');
  const expiresIn = Number(body.expires_in ?? body.expiresIn ?? 3600);
  return { accessToken, refreshToken: body.refresh_token ?? previousRefresh ?? null,
    expiresAt: now + expiresIn * 1000, sub: subject(accessToken) };
}

/** The `sub` claim of a JWT (not verified: display only). @param {string} jwt @returns {string|null} */
export function subject(jwt) {
  try {
    const part = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(part + '='.repeat((4 - part.length % 4) % 4))).sub ?? null;
  } catch {
    return null;
  }
}

/** Milliseconds until the token should be refreshed (0 = now). @param {Tokens} t @param {number} now */
export const refreshIn = (t, now) => Math.max(0, t.expiresAt - REFRESH_MARGIN_MS - now);
