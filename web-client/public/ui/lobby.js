// @ts-check
/** Login, characters and instances (WEB-01, WEB-02): lists and forms; data comes in, clicks go out. */

/**
 * @typedef {{id: string, name: string, status: string, active: boolean}} Character
 * @typedef {{id: string, state: string, build: string, capacity: number, occupancy: number, queueDepth: number}} Instance
 * @typedef {{chars: Character[], instances: Instance[]|null, selectedInstance: string|null, characterError: string,
 *   instanceError: string}} LobbyModel
 */

/**
 * @param {(id: string) => HTMLElement} $
 * @param {{login: (name: string) => void, create: (name: string) => void, select: (id: string) => void,
 *   pickInstance: (id: string) => void, addInstance: (id: string) => void, connect: () => void}} on
 * @param {'dev'|'oidc'} mode
 */
export function createLobby($, on, mode) {
  const name = /** @type {HTMLInputElement} */ ($('login-name'));
  if (mode === 'oidc') $('login-name-label').hidden = true;
  $('login-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (mode === 'oidc' || name.value.trim()) on.login(name.value.trim());
  });
  const charName = /** @type {HTMLInputElement} */ ($('character-name'));
  $('character-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    on.create(charName.value.trim());
  });
  $('connect').onclick = on.connect;
  const manual = /** @type {HTMLInputElement} */ ($('instance-id'));
  $('instance-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (/^[A-Za-z0-9_-]{1,64}$/.test(manual.value.trim())) on.addInstance(manual.value.trim());
    manual.value = '';
  });

  return {
    /** @param {string} msg */
    loginError(msg) { $('login-error').textContent = msg; },
    clearCharacterName() { charName.value = ''; },
    /** @param {LobbyModel} m @param {boolean} busy whether a connection is under way */
    render(m, busy) {
      const chars = $('character-list');
      chars.replaceChildren(...m.chars.map((c) => {
        const li = document.createElement('li');
        li.dataset.characterId = c.id;
        li.className = c.active ? 'selected' : '';
        li.textContent = c.name;
        const small = document.createElement('small');
        small.textContent = c.status !== 'ACTIVE' ? c.status.toLowerCase() : c.active ? 'active' : 'select';
        li.append(small);
        li.onclick = () => on.select(c.id);
        return li;
      }));
      $('character-error').textContent = m.characterError;
      const list = $('instance-list');
      list.replaceChildren(...(m.instances ?? []).map((i) => {
        const li = document.createElement('li');
        li.dataset.instanceId = i.id;
        li.className = i.id === m.selectedInstance ? 'selected' : '';
        li.textContent = i.id;
        const small = document.createElement('small');
        small.textContent = `${i.state.toLowerCase()} · ${i.occupancy}/${i.capacity}${i.queueDepth ? ` · queue ${i.queueDepth}` : ''} · build ${i.build}`;
        li.append(small);
        li.onclick = () => on.pickInstance(i.id);
        return li;
      }));
      $('instance-error').textContent = m.instanceError;
      $('instance-form').hidden = !m.instanceError;
      /** @type {HTMLButtonElement} */ ($('connect')).disabled = busy || !m.selectedInstance || !m.chars.some((c) => c.active);
    },
  };
}
