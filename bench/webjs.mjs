// bench/webjs.mjs — the JavaScript each screen of the web UI downloads, gzipped
// as the server sends it (gzip -9, mk/embed_web.sh), from Vite's manifest of
// the build (build/web/.vite/manifest.json):
//   first view = the entry chunk (index.html's script), the frame around the
//   screens (Layout.vue) and the screen's own chunk (router: one dynamic import
//   per view), each with what it imports statically;
//   later = what the screen loads only on demand (its dynamic imports: the
//   charts when they come into view, dialogs when opened), listed apart.
// Prints a table against the targets (first view ≤ 150 KiB for the login page
// and the households list, ≤ 250 KiB for the dashboard); exits 1 when one is
// missed and --strict is given; --files lists the chunks.
//   node bench/webjs.mjs [--strict] [--files] [build/web]
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const args = process.argv.slice(2);
const strict = args.includes('--strict');
const dir = args.find((a) => !a.startsWith('--')) || 'build/web';
const manifestPath = path.join(dir, '.vite', 'manifest.json');
if (!fs.existsSync(manifestPath)) {
  console.error(`webjs: ${manifestPath} missing (build the UI: make build/bangfu)`);
  process.exit(2);
}
const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));

const SCREENS = [
  { name: '登录 /login', views: ['src/views/Login.vue'], target: 150 },
  { name: '工作台 /dashboard', views: ['src/views/Layout.vue', 'src/views/Dashboard.vue'], target: 250 },
  { name: '档案列表 /households', views: ['src/views/Layout.vue', 'src/views/HouseholdList.vue'], target: 150 },
];

const gz = new Map();
function gzSize(file) {
  if (!gz.has(file)) gz.set(file, zlib.gzipSync(fs.readFileSync(path.join(dir, file)), { level: 9 }).length);
  return gz.get(file);
}
/** The JS files of manifest key `key` and of what it imports (dynamic imports too if `dyn`). */
function closure(key, dyn, seen = new Set()) {
  const c = manifest[key];
  if (!c || seen.has(key)) return seen;
  seen.add(key);
  for (const k of c.imports || []) closure(k, dyn, seen);
  if (dyn) for (const k of c.dynamicImports || []) closure(k, dyn, seen);
  return seen;
}
const entry = Object.keys(manifest).find((k) => manifest[k].isEntry);
const kib = (n) => (n / 1024).toFixed(1);

let missed = 0;
const rows = [];
const sum = (files) => files.reduce((n, f) => n + gzSize(f), 0);
const jsOf = (keys) => [...keys].map((k) => manifest[k].file).filter((f) => f.endsWith('.js'));
for (const s of SCREENS) {
  const keys = closure(entry, false);
  for (const v of s.views) {
    if (!manifest[v]) {
      console.error(`webjs: ${v} is not a chunk of the build`);
      process.exit(2);
    }
    closure(v, false, keys);
  }
  // on demand: what the screen's own chunks import dynamically (not the frame's:
  // the password form, the phone menu; not the entry's: the other screens)
  const later = new Set();
  const frame = closure(entry, false);
  for (const v of s.views.slice(0, -1)) closure(v, false, frame);
  for (const k of closure(s.views[s.views.length - 1], false)) {
    if (frame.has(k)) continue;
    for (const d of manifest[k].dynamicImports || []) closure(d, false, later);
  }
  for (const k of keys) later.delete(k);
  const files = jsOf(keys);
  const lateFiles = jsOf(later);
  const bytes = sum(files);
  const ok = bytes <= s.target * 1024;
  if (!ok) missed++;
  if (args.includes('--files')) {
    for (const f of files.sort((a, b) => gzSize(b) - gzSize(a))) console.log(`${s.name}\t${kib(gzSize(f))}\t${f}`);
    for (const f of lateFiles.sort((a, b) => gzSize(b) - gzSize(a))) console.log(`${s.name}\tlater\t${kib(gzSize(f))}\t${f}`);
  }
  rows.push([s.name, kib(bytes), String(files.length), '≤ ' + s.target, ok ? 'ok' : 'MISSED', lateFiles.length ? `${kib(sum(lateFiles))} (${lateFiles.map((f) => path.basename(f).replace(/-[\w-]{8}\.js$/, '')).join(', ')})` : '—']);
}
const head = ['screen', 'first view KiB gz', 'files', 'target KiB', '', 'on demand KiB gz'];
const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r) => '| ' + r.map((c, i) => c.padEnd(w[i])).join(' | ') + ' |';
console.log('\nWeb UI: JavaScript downloaded per screen (gzip -9, as served; cold cache)\n');
console.log(line(head));
console.log('|' + w.map((n) => '-'.repeat(n + 2)).join('|') + '|');
for (const r of rows) console.log(line(r));
console.log('');
if (missed && strict) process.exit(1);
