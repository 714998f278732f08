// @ts-check
/**
 * Status line, banners and prompts (WEB-06): version mismatch, degraded, reconnecting with the grace countdown,
 * throttled countdown, failures, the replacement prompt, the queue panel and the diagnostics overlay.
 * Reads the machine state; reports clicks through callbacks.
 */

/** What a failure reason means to a player. */
const WORDS = /** @type {Record<string, string>} */ ({
  NO_ACTIVE_CHARACTER: 'Select a character first.',
  ALREADY_IN_SESSION: 'This character is already playing in another world.',
  QUEUE_FULL: 'The queue is full. Try again later.',
  MAINTENANCE: 'This world is under maintenance.',
  DRAIN_MODE: 'This world is closing and takes no new players.',
  INVALID_INSTANCE: 'This world does not exist or is stopped.',
  CHARACTER_SUSPENDED: 'This character cannot play right now.',
  SERVICE_DEGRADED: 'The game is busy recovering. Try again in a moment.',
  INTERNAL_ERROR: 'Something went wrong on the server.',
  NOT_AUTHENTICATED: 'Your login expired. Log in again.',
  NETWORK: 'The game server cannot be reached.',
  TIMEOUT: 'The server did not answer in time.',
  QUEUE_LOST: 'You lost your place in the queue.',
  GRACE_EXPIRED: 'The connection could not be restored in time.',
  WS_REFUSED: 'The game server refused the connection.',
  WS_TIMEOUT: 'The game server did not answer.',
  SESSION_REPLACED: 'You are now playing in another tab or device; this one stopped.',
  INACTIVE: 'Your session ended after 10 minutes without activity.',
  LEFT: 'You left the world.',
});

/** @param {string|null} reason */
export const describe = (reason) => (reason ? WORDS[reason] ?? reason : '');

/**
 * @param {(id: string) => HTMLElement} $
 * @param {{reload: () => void, dismiss: () => void, confirm: () => void, cancel: () => void, leaveQueue: () => void,
 *   toggleDiagnostics: () => void}} on
 */
export function createOverlays($, on) {
  $('reload').onclick = on.reload;
  $('dismiss').onclick = on.dismiss;
  $('replace-confirm').onclick = on.confirm;
  $('replace-cancel').onclick = on.cancel;
  $('leave-queue').onclick = on.leaveQueue;
  $('diag-toggle').onclick = on.toggleDiagnostics;
  /** @param {string} id @param {boolean} visible */
  const show = (id, visible) => { $(id).hidden = !visible; };
  /** @param {string} id @param {string} text */
  const text = (id, text) => { if ($(id).textContent !== text) $(id).textContent = text; };

  return {
    /**
     * @param {import('../core/machine.js').State} s
     * @param {number} now
     */
    render(s, now) {
      text('status', s.status);
      const left = (/** @type {number|null} */ at) => (at == null ? 0 : Math.max(0, Math.ceil((at - now) / 1000)));

      show('version-banner', s.status === 'update-required');
      text('version-text', `A new version of the game is required${s.requiredBuild ? ` (build ${s.requiredBuild})` : ''}.`);
      show('degraded-banner', s.degraded && (s.status === 'playing' || s.status === 'reconnecting'));
      show('reconnecting', s.status === 'reconnecting');
      text('grace', s.graceUntil ? `(${left(s.graceUntil)} s left)` : '');
      show('throttled', s.status === 'throttled');
      text('throttle-left', String(left(s.retryAt)));
      const failure = s.status === 'failed' || s.status === 'timeout' || s.status === 'replaced' || s.status === 'ended'
        || (s.status === 'idle' && s.reason === 'KEPT_OTHER_TAB');
      show('failure', failure);
      if (failure) {
        const why = s.status === 'timeout' ? describe('TIMEOUT')
          : s.reason === 'KEPT_OTHER_TAB' ? 'OK — the other tab keeps playing.'
          : `${describe(s.reason)}${s.message && s.message !== describe(s.reason) ? ` (${s.message})` : ''}`;
        text('failure-text', why + (s.retryAt && s.status === 'failed' ? ` Retry in ${left(s.retryAt)} s.` : ''));
      }
      show('replace', s.status === 'replace-offer');
      show('queue', s.status === 'queued');
      if (s.queue) {
        text('queue-position', String(s.queue.position));
        text('queue-eta', s.queue.eta != null ? `— about ${s.queue.eta} s to wait` : '');
      }
      show('diagnostics', s.diagnostics);
      if (s.diagnostics) {
        // One line under the header (it wraps on narrow screens): a panel floating over the page hid the controls.
        text('diagnostics', [`status ${s.status}`, `rtt ${s.rtt == null ? '–' : s.rtt + ' ms'}`,
          `reconnects ${s.reconnects}`, `last acked ${s.lastAckedSeq}`, `unacked ${s.outbox.length}`,
          `build ${s.build}`, `connection ${s.connectionId ?? '–'}`, `session ${s.sessionId ?? '–'}`].join('  ·  '));
      }
    },
  };
}
