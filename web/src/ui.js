// Small shared helpers for views: error display, screen size, org tree, server "today".
import { reactive, ref, onMounted, onBeforeUnmount } from 'vue';
import { api } from './api.js';
import { isoDate } from './rules.js';

/**
 * Element Plus' message, loaded the first time one is shown (most screens show
 * none before the user acts: 4 KiB less on every first load).
 */
let messageModule = null;
export function ElMessage(options) {
  messageModule ||= Promise.all([
    import('element-plus/es/components/message/index.mjs'),
    import('element-plus/es/components/message/style/css'),
  ]).then(([m]) => m.ElMessage);
  messageModule.then((m) => m(options));
}

/** Show an API error as a message; returns the error's fields for el-form-item :error. */
export function showError(err, fallback = '操作失败') {
  const msg = err && err.fullMessage ? err.fullMessage : (err && err.message) || fallback;
  ElMessage({ type: 'error', message: msg, duration: 6000, showClose: true, grouping: true });
}

/**
 * Field errors for a form.  errors.map holds {fieldName: message};
 * take(err) fills it from details.fields and shows a message for the rest.
 */
export function useFieldErrors() {
  const map = reactive({});
  function clear() {
    for (const k of Object.keys(map)) delete map[k];
  }
  function take(err, { conflictText } = {}) {
    clear();
    if (err && err.status === 409 && err.code === 'conflict') {
      ElMessage({
        type: 'warning', duration: 0, showClose: true,
        message: conflictText || '该记录已被他人修改，您的内容未保存。请先复制需要保留的内容，再刷新页面后重新修改。',
      });
      return;
    }
    const f = (err && err.fields) || {};
    Object.assign(map, f);
    const n = Object.keys(f).length;
    if (n) ElMessage({ type: 'error', message: err.message + (n ? `（${n} 处需修改，见表单红字）` : ''), showClose: true });
    else showError(err);
  }
  return { map, clear, take };
}

const mq = typeof window !== 'undefined' ? window.matchMedia('(max-width: 768px)') : null;
const mobile = ref(mq ? mq.matches : false);
if (mq) mq.addEventListener('change', (e) => (mobile.value = e.matches));
export function useMobile() {
  return mobile;
}

/* The org tree of the caller's subtree, loaded once per login. */
let orgCache = null;
export function resetCaches() {
  orgCache = null;
  todayCache = null;
  programCache = null;
}
export async function loadOrgs(force = false) {
  if (!orgCache || force) {
    orgCache = api.get('/orgs', { limit: 500 }).then((r) => r.items || []);
    orgCache.catch(() => (orgCache = null));
  }
  return orgCache;
}
export function orgTree(list) {
  const byId = new Map(list.map((o) => [o.id, { value: o.id, label: o.name, level: o.level, raw: o, children: [] }]));
  const roots = [];
  for (const n of byId.values()) {
    const p = byId.get(n.raw.parent_id);
    if (p) p.children.push(n);
    else roots.push(n);
  }
  for (const n of byId.values()) if (!n.children.length) delete n.children;
  return roots;
}

let programCache = null;
export async function loadPrograms() {
  if (!programCache) {
    programCache = api.get('/programs').then((r) => r.items || []);
    programCache.catch(() => (programCache = null));
  }
  return programCache;
}

/* The server's "today" (its clock may be set for tests); falls back to the browser's. */
let todayCache = null;
export async function serverToday() {
  if (!todayCache) {
    todayCache = api
      .get('/reports/dashboard', null, { quiet401: true })
      .then((r) => (r && r.today) || isoDate())
      .catch(() => isoDate());
  }
  return todayCache;
}
export function setServerToday(d) {
  if (d) todayCache = Promise.resolve(d);
}

export function useResize(fn) {
  onMounted(() => window.addEventListener('resize', fn));
  onBeforeUnmount(() => window.removeEventListener('resize', fn));
}
