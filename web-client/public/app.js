// @ts-check
/**
 * The shell: loads config.json, logs in, fetches characters and instances, and carries out the machine's
 * effects (fetch, WebSocket, timers, sessionStorage). Everything that decides anything lives in core/.
 */
import * as M from './core/machine.js';
import * as A from './core/auth.js';
import { createMap, keyToStep } from './ui/map.js';
import { createChat } from './ui/chat.js';
import { createOverlays } from './ui/overlays.js';
import { createLobby } from './ui/lobby.js';

/**
 * @typedef {{apiBase: string, wsUrl: string, build: string, identity: A.Identity, wsTokenInQuery?: boolean}} Config
 * @typedef {import('./ui/lobby.js').Character} Character
 * @typedef {import('./ui/lobby.js').Instance} Instance
 */

const AUTH_KEY = 'tilemud.auth';
const LOGIN_KEY = 'tilemud.login';
const PLACE_KEY = 'tilemud.place';
const IN_GAME = new Set(['admitted', 'playing', 'reconnecting']);

/** @param {string} id */
const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/** @param {string} key */
function load(key) {
  try {
    return JSON.parse(sessionStorage.getItem(key) ?? 'null');
  } catch {
    return null;
  }
}
/** @param {string} key @param {unknown} value */
function save(key, value) {
  if (value == null) sessionStorage.removeItem(key);
  else sessionStorage.setItem(key, JSON.stringify(value));
}

async function main() {
  /** @type {Config} */
  const config = await (await fetch('./config.json', { cache: 'no-store' })).json();
  const apiBase = config.apiBase.replace(/\/$/, '');
  const tokenInQuery = config.wsTokenInQuery === true || new URLSearchParams(location.search).get('wsToken') === 'query';

  /** @type {A.Tokens|null} */
  let tokens = load(AUTH_KEY);
  /** @type {string|null} */
  let loginName = load(LOGIN_KEY)?.name ?? null;
  let state = M.initial({ build: config.build, wsUrl: config.wsUrl, tokenInQuery, token: tokens?.accessToken ?? null });
  /** @type {{chars: Character[], instances: Instance[]|null, selectedInstance: string|null, characterError: string, instanceError: string}} */
  const lobbyModel = { chars: [], instances: null, selectedInstance: load(PLACE_KEY)?.instanceId ?? null,
    characterError: '', instanceError: '' };
  /** @type {Map<number, WebSocket>} */
  const sockets = new Map();
  /** @type {Map<string, ReturnType<typeof setTimeout>>} */
  const timers = new Map();
  /** @type {number|null} */
  let mapDrawnAt = null;
  /** @type {ReturnType<typeof setTimeout>|undefined} */
  let refreshTimer;

  // ---- HTTP ----------------------------------------------------------------------------------------------
  /** @param {string} method @param {string} path @param {unknown} [body] @param {boolean} [retried] */
  async function api(method, path, body, retried = false) {
    /** @type {Record<string, string>} */
    const headers = {};
    if (tokens) headers.authorization = `Bearer ${tokens.accessToken}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(apiBase + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (res.status === 401 && !retried && tokens && await refresh()) return api(method, path, body, true);
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { json = null; }
    const ra = res.headers.get('retry-after');
    return { status: res.status, body: json, retryAfter: ra != null && ra !== '' && Number.isFinite(Number(ra)) ? Number(ra) : null };
  }

  // ---- identity (WEB-01) ---------------------------------------------------------------------------------
  const id = config.identity;
  /** @param {A.Tokens} t */
  function useTokens(t) {
    tokens = t;
    save(AUTH_KEY, t);
    dispatch({ type: 'token', token: t.accessToken });
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => { refresh(); }, Math.min(A.refreshIn(t, Date.now()), 2 ** 31 - 1));
  }
  /** @param {string} name */
  async function devLogin(name) {
    if (id.mode !== 'dev') return;
    const res = await fetch(id.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: A.devTokenBody(name) });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(body.message ?? `login failed (${res.status})`);
    loginName = name;
    save(LOGIN_KEY, { name });
    useTokens(A.tokens(body, Date.now()));
  }
  async function oidcLogin() {
    if (id.mode !== 'oidc') return;
    const verifier = A.codeVerifier(crypto.getRandomValues(new Uint8Array(32)));
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
    const st = A.base64url(crypto.getRandomValues(new Uint8Array(16)));
    save(LOGIN_KEY, { verifier, state: st });
    location.assign(A.authorizeUrl(id, { challenge: A.codeChallenge(digest), state: st }));
  }
  /** The redirect back from the identity provider, if this is one. */
  async function oidcCallback() {
    if (id.mode !== 'oidc') return;
    const pending = load(LOGIN_KEY);
    const cb = A.parseCallback(location.search, pending?.state ?? null);
    if (!cb) return;
    history.replaceState(null, '', location.pathname);
    save(LOGIN_KEY, null);
    if ('error' in cb) throw new Error(cb.error);
    const res = await fetch(id.tokenEndpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: A.codeGrant(id, cb.code, pending.verifier) });
    if (!res.ok) throw new Error(`login failed (${res.status})`);
    useTokens(A.tokens(await res.json(), Date.now()));
  }
  /**
   * Silent refresh: the dev IdP mints again for the same name; OIDC uses the refresh token. When that is not
   * possible the player logs in again — the session in sessionStorage brings them back where they were.
   */
  async function refresh() {
    try {
      if (id.mode === 'dev' && loginName) {
        await devLogin(loginName);
        return true;
      }
      if (id.mode === 'oidc' && tokens?.refreshToken) {
        const res = await fetch(id.tokenEndpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: A.refreshGrant(id, tokens.refreshToken) });
        if (res.ok) {
          useTokens(A.tokens(await res.json(), Date.now(), tokens.refreshToken));
          return true;
        }
      }
    } catch { /* fall through to a new login */ }
    if (id.mode === 'oidc') await oidcLogin();
    else { tokens = null; save(AUTH_KEY, null); render(); }
    return false;
  }

  // ---- characters and instances (WEB-02) -----------------------------------------------------------------
  async function loadCharacters() {
    const r = await api('GET', '/characters');
    if (r.status === 200 && Array.isArray(r.body)) lobbyModel.chars = r.body;
    else lobbyModel.characterError = r.body?.message ?? `characters unavailable (${r.status})`;
    render();
  }
  async function loadInstances() {
    try {
      const r = await api('GET', '/instances');
      if (r.status === 200 && Array.isArray(r.body)) {
        lobbyModel.instances = r.body;
        lobbyModel.instanceError = '';
        if (!lobbyModel.selectedInstance || !r.body.some((/** @type {Instance} */ i) => i.id === lobbyModel.selectedInstance)) {
          lobbyModel.selectedInstance = (r.body.find((/** @type {Instance} */ i) => i.state === 'ACCEPTING') ?? r.body[0])?.id ?? null;
        }
      } else {
        throw new Error(r.body?.message ?? `HTTP ${r.status}`);
      }
    } catch (e) {
      // No world list (older server): offer the seeded world so the game stays playable.
      lobbyModel.instanceError = `world list unavailable: ${/** @type {Error} */ (e).message}`;
      lobbyModel.instances = lobbyModel.instances ?? [{ id: 'world-1', state: '?', build: '?', capacity: 0, occupancy: 0, queueDepth: 0 }];
      lobbyModel.selectedInstance = lobbyModel.selectedInstance ?? 'world-1';
    }
    render();
  }
  /** @param {string} name */
  async function createCharacter(name) {
    const r = await api('POST', '/characters', { name });
    if (r.status !== 201) {
      lobbyModel.characterError = r.body?.message ?? `could not create (${r.status})`;
      render();
      return;
    }
    lobbyModel.characterError = '';
    lobby.clearCharacterName();
    await selectCharacter(r.body.id);
  }
  /** @param {string} characterId */
  async function selectCharacter(characterId) {
    const r = await api('PUT', '/me/active-character', { characterId });
    lobbyModel.characterError = r.status === 204 ? '' : r.body?.message ?? `could not select (${r.status})`;
    await loadCharacters();
  }

  // ---- effects -------------------------------------------------------------------------------------------
  /** @param {M.Effect} e */
  function run(e) {
    switch (e.type) {
      case 'http':
        api(e.method, e.path, e.body)
          .then((r) => dispatch({ type: 'http', req: e.req, attempt: e.attempt, ...r }))
          .catch((err) => dispatch({ type: 'http-failed', req: e.req, attempt: e.attempt, error: String(err?.message ?? err) }));
        break;
      case 'ws-open': {
        const ws = e.protocols.length ? new WebSocket(e.url, e.protocols) : new WebSocket(e.url);
        sockets.set(e.sock, ws);
        ws.onopen = () => dispatch({ type: 'ws-open', sock: e.sock });
        ws.onmessage = (m) => dispatch({ type: 'ws-message', sock: e.sock, data: String(m.data) });
        ws.onclose = (c) => { sockets.delete(e.sock); dispatch({ type: 'ws-close', sock: e.sock, code: c.code, reason: c.reason }); };
        break;
      }
      case 'ws-send': {
        const ws = sockets.get(e.sock);
        if (ws && ws.readyState === WebSocket.OPEN) ws.send(e.data);
        break;
      }
      case 'ws-close':
        sockets.get(e.sock)?.close(1000);
        sockets.delete(e.sock);
        break;
      case 'timer':
        clearTimeout(timers.get(e.name));
        timers.set(e.name, setTimeout(() => { timers.delete(e.name); dispatch({ type: 'timer', name: e.name }); }, e.ms));
        break;
      case 'cancel':
        clearTimeout(timers.get(e.name));
        timers.delete(e.name);
        break;
      case 'store':
        save(e.key, e.value);
        if (e.value) save(PLACE_KEY, { instanceId: e.value.instanceId });
        break;
    }
  }

  /** @param {M.Event} ev */
  function dispatch(ev) {
    const before = state.status;
    const step = M.next(state, ev, Date.now());
    state = step.state;
    for (const e of step.effects) run(e);
    if (before !== state.status && !IN_GAME.has(state.status) && tokens) { loadInstances(); }
    render();
  }

  // ---- UI --------------------------------------------------------------------------------------------------
  const lobby = createLobby($, {
    login: (name) => (id.mode === 'dev' ? devLogin(name) : oidcLogin())
      .then(afterLogin).catch((e) => lobby.loginError(String(e.message ?? e))),
    create: (name) => { createCharacter(name); },
    select: (cid) => { selectCharacter(cid); },
    pickInstance: (iid) => { lobbyModel.selectedInstance = iid; render(); },
    addInstance: (iid) => {
      // Only while the world list is unavailable: a world named by hand.
      const list = lobbyModel.instances ?? [];
      if (!list.some((i) => i.id === iid)) lobbyModel.instances = [...list, { id: iid, state: '?', build: '?', capacity: 0, occupancy: 0, queueDepth: 0 }];
      lobbyModel.selectedInstance = iid;
      render();
    },
    connect: () => {
      const active = lobbyModel.chars.find((c) => c.active);
      if (active && lobbyModel.selectedInstance) dispatch({ type: 'connect', instanceId: lobbyModel.selectedInstance, characterId: active.id });
    },
  }, id.mode);
  const overlays = createOverlays($, {
    reload: () => location.reload(),
    dismiss: () => dispatch({ type: 'dismiss' }),
    confirm: () => dispatch({ type: 'replace-confirm' }),
    cancel: () => dispatch({ type: 'replace-cancel' }),
    leaveQueue: () => dispatch({ type: 'leave-queue' }),
    toggleDiagnostics: () => dispatch({ type: 'toggle-diagnostics' }),
  });
  const canvas = /** @type {HTMLCanvasElement} */ ($('map'));
  const map = createMap(canvas);
  /** @param {string|null} cid */
  const nameOf = (cid) => lobbyModel.chars.find((c) => c.id === cid)?.name ?? (cid ?? '').slice(0, 8);
  const chat = createChat({ log: $('chat-log'), form: /** @type {HTMLFormElement} */ ($('chat-form')),
    input: /** @type {HTMLInputElement} */ ($('chat-input')) }, (text) => dispatch({ type: 'chat', text }), nameOf);
  $('leave').onclick = () => dispatch({ type: 'leave' });
  document.addEventListener('keydown', (ev) => {
    const t = /** @type {HTMLElement} */ (ev.target);
    if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA')) return;
    const stepKey = keyToStep(ev.key);
    if (!stepKey || !IN_GAME.has(state.status)) return;
    ev.preventDefault();
    dispatch({ type: 'move', ...stepKey });
  });

  function render() {
    const now = Date.now();
    const inGame = IN_GAME.has(state.status);
    $('login').hidden = !!tokens;
    $('lobby').hidden = !tokens || inGame;
    $('game').hidden = !inGame;
    $('who').textContent = tokens ? `${tokens.sub ?? loginName ?? ''}` : '';
    overlays.render(state, now);
    if (tokens && !inGame) lobby.render(lobbyModel, !['idle', 'failed', 'timeout', 'replaced', 'update-required', 'ended'].includes(state.status));
    if (inGame) {
      const drawn = map.draw({ world: state.world, position: state.position, players: state.players });
      if (drawn && state.status === 'playing' && mapDrawnAt == null) {
        mapDrawnAt = performance.now();
        canvas.dataset.drawn = 'true';
      }
    }
    chat.render(state.chat);
  }
  // Countdowns (grace, throttle, queue ETA) tick once a second while shown.
  setInterval(() => { if (['reconnecting', 'throttled', 'failed'].includes(state.status)) render(); }, 1000);
  setInterval(() => { if (tokens && !IN_GAME.has(state.status) && !$('lobby').hidden) loadInstances(); }, 10_000);

  async function afterLogin() {
    render();
    await Promise.all([loadCharacters(), loadInstances()]);
    const kept = load(M.STORAGE_KEY);
    if (kept && state.status === 'idle') dispatch({ type: 'restore', stored: kept });
  }

  /** Test hooks (WEB-08): a stable contract for browser tests. */
  Object.assign(window, { tilemud: {
    state: () => M.view(state),
    debug: () => state,
    mapDrawnAt: () => mapDrawnAt,
    config,
  } });

  try {
    await oidcCallback();
  } catch (e) {
    lobby.loginError(String(/** @type {Error} */ (e).message));
  }
  if (tokens && tokens.expiresAt <= Date.now() + A.REFRESH_MARGIN_MS) await refresh();
  if (tokens) {
    useTokens(tokens);
    await afterLogin();
  } else {
    render();
  }
}

main().catch((e) => {
  document.body.insertAdjacentHTML('afterbegin', '<p class="banner error" id="boot-error"></p>');
  $('boot-error').textContent = `The client could not start: ${e.message ?? e}`;
});
