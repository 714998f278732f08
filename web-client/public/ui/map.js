// @ts-check
/** The tile map (WEB-05): walls, self and the players in view, drawn on one canvas. Owns only its canvas. */

const COLORS = { floor: '#1a1d22', grid: '#22262d', wall: '#5b6270', self: '#f0c040', other: '#4aa3ff' };

/**
 * @typedef {{world: {width: number, height: number, walls: string[]}|null, position: {x: number, y: number}|null,
 *   players: Record<string, {x: number, y: number}>}} MapModel
 * @param {HTMLCanvasElement} canvas
 */
export function createMap(canvas) {
  const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
  /** @type {string} */
  let last = '';
  return {
    /** Draws the model; returns whether a player position was on it. @param {MapModel} m */
    draw(m) {
      const key = JSON.stringify(m);
      if (key === last) return m.position != null;
      last = key;
      const w = m.world?.width ?? 64, h = m.world?.height ?? 64;
      const t = Math.floor(Math.min(canvas.width / w, canvas.height / h));
      ctx.fillStyle = COLORS.floor;
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.fillStyle = COLORS.grid;
      for (let i = 0; i <= w; i += 8) ctx.fillRect(i * t, 0, 1, h * t);
      for (let j = 0; j <= h; j += 8) ctx.fillRect(0, j * t, w * t, 1);
      ctx.fillStyle = COLORS.wall;
      for (const k of m.world?.walls ?? []) {
        const [x, y] = k.split(',').map(Number);
        ctx.fillRect(x * t, y * t, t, t);
      }
      ctx.fillStyle = COLORS.other;
      for (const p of Object.values(m.players)) {
        ctx.beginPath();
        ctx.arc(p.x * t + t / 2, p.y * t + t / 2, t * 0.42, 0, Math.PI * 2);
        ctx.fill();
      }
      if (m.position) {
        ctx.fillStyle = COLORS.self;
        ctx.fillRect(m.position.x * t + 1, m.position.y * t + 1, t - 2, t - 2);
      }
      return m.position != null;
    },
  };
}

/** Arrow keys and WASD → a step. @param {string} key @returns {{dx: number, dy: number}|null} */
export function keyToStep(key) {
  switch (key) {
    case 'ArrowUp': case 'w': case 'W': return { dx: 0, dy: -1 };
    case 'ArrowDown': case 's': case 'S': return { dx: 0, dy: 1 };
    case 'ArrowLeft': case 'a': case 'A': return { dx: -1, dy: 0 };
    case 'ArrowRight': case 'd': case 'D': return { dx: 1, dy: 0 };
    default: return null;
  }
}
