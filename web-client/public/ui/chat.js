// @ts-check
/** The chat panel (WEB-05): its log and its input, nothing else. */

/**
 * @param {{log: HTMLElement, form: HTMLFormElement, input: HTMLInputElement}} el
 * @param {(text: string) => void} onSend
 * @param {(characterId: string|null) => string} nameOf
 */
export function createChat(el, onSend, nameOf) {
  el.form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const text = el.input.value;
    if (text.trim()) onSend(text);
    el.input.value = '';
  });
  /** @type {unknown} */
  let shown = null;
  return {
    /** @param {ReadonlyArray<{from: string|null, text: string, kind: string}>} lines */
    render(lines) {
      if (lines === shown) return;
      shown = lines;
      const stick = el.log.scrollTop + el.log.clientHeight >= el.log.scrollHeight - 4;
      el.log.replaceChildren(...lines.map((l) => {
        const li = document.createElement('li');
        li.className = l.kind;
        li.textContent = l.from ? `${nameOf(l.from)}: ${l.text}` : l.text;
        return li;
      }));
      if (stick) el.log.scrollTop = el.log.scrollHeight;
    },
  };
}
