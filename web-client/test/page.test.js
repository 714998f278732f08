import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { keyToStep } from '../public/ui/map.js';
import { describe } from '../public/ui/overlays.js';

const PUBLIC = new URL('../public/', import.meta.url).pathname;
/** @returns {string[]} */
const files = (dir) => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
const served = files(PUBLIC).filter((f) => !f.endsWith('config.json')); // config.json is generated per deployment

test('page weight stays within 150 KB uncompressed (WEB-07)', () => {
  const bytes = served.reduce((n, f) => n + statSync(f).size, 0);
  assert.ok(bytes <= 150 * 1024, `${bytes} bytes`);
});

test('every module is type-checked JavaScript with no bare imports (no bundler, no npm runtime dependencies)', () => {
  for (const f of served.filter((x) => x.endsWith('.js'))) {
    const src = readFileSync(f, 'utf8');
    assert.ok(src.startsWith('// @ts-check'), `${relative(PUBLIC, f)} starts with // @ts-check`);
    for (const m of src.matchAll(/^import .* from '([^']+)';$/gm)) assert.match(m[1], /^\.\.?\//, `${relative(PUBLIC, f)} imports ${m[1]}`);
  }
});

test('the core touches no DOM, no clock and no storage of its own', () => {
  for (const f of served.filter((x) => x.includes('/core/'))) {
    const src = readFileSync(f, 'utf8').replace(/\/\*\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    for (const word of ['document', 'window', 'Date.now', 'setTimeout', 'sessionStorage', 'localStorage', 'fetch(', 'new WebSocket']) {
      assert.ok(!src.includes(word), `${relative(PUBLIC, f)} uses ${word}`);
    }
  }
});

test('every test hook of the contract is in index.html', () => {
  const html = readFileSync(join(PUBLIC, 'index.html'), 'utf8');
  for (const id of ['login-name', 'login-submit', 'character-name', 'character-create', 'character-list', 'instance-list',
    'connect', 'leave-queue', 'queue-position', 'replace-confirm', 'replace-cancel', 'connection-status', 'version-banner',
    'degraded-banner', 'chat-input', 'chat-log', 'map', 'diagnostics']) {
    assert.ok(html.includes(`data-testid="${id}"`), id);
  }
  assert.ok(html.includes('<canvas data-testid="map"'), 'the map is the canvas');
});

test('arrow keys and WASD map to single steps', () => {
  assert.deepEqual(['ArrowUp', 'w', 'ArrowDown', 'S', 'ArrowLeft', 'a', 'ArrowRight', 'D'].map(keyToStep),
    [{ dx: 0, dy: -1 }, { dx: 0, dy: -1 }, { dx: 0, dy: 1 }, { dx: 0, dy: 1 }, { dx: -1, dy: 0 }, { dx: -1, dy: 0 },
      { dx: 1, dy: 0 }, { dx: 1, dy: 0 }]);
  assert.equal(keyToStep('x'), null);
});

test('failure reasons read as sentences; unknown ones as the server words them', () => {
  assert.match(describe('SESSION_REPLACED'), /another tab/);
  assert.equal(describe('SOMETHING_NEW'), 'SOMETHING_NEW');
  assert.equal(describe(null), '');
});
