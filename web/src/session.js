// Who is logged in: the user, their unit and role; restored from GET /me after a reload.
import { reactive } from 'vue';
import { api, setCsrf } from './api.js';

export const session = reactive({
  user: null, // {id, username, name, org_id, role, org_level}
  org: null, // {id, name, level, ...}
  ready: false,
});

const LEVEL_RANK = { grassroots: 0, street: 1, district: 2, city: 3 };

export function levelRank(level) {
  return LEVEL_RANK[level] ?? -1;
}

async function loadOrg() {
  session.org = null;
  if (!session.user) return;
  if (session.user.role === 'informant') { // reads nothing but its clues: the unit from /me
    session.org = { id: session.user.org_id, name: session.user.org_name, level: session.user.org_level };
    return;
  }
  try {
    session.org = await api.get('/orgs/' + session.user.org_id);
    if (!session.user.org_level) session.user.org_level = session.org.level;
  } catch {
    /* the unit name is decoration only */
  }
}

export async function restore() {
  try {
    const me = await api.get('/me', null, { quiet401: true });
    setCsrf(me.csrf_token);
    const { csrf_token, ...user } = me;
    session.user = user;
    await loadOrg();
  } catch {
    session.user = null;
    setCsrf('');
  }
  session.ready = true;
  return session.user;
}

export async function login(username, password) {
  const r = await api.post('/login', { username, password });
  setCsrf(r.csrf_token);
  session.user = r.user;
  // /me carries org_level, which the approval tiers need.
  try {
    const me = await api.get('/me');
    if (me.csrf_token) setCsrf(me.csrf_token);
    const { csrf_token, ...user } = me;
    session.user = user;
  } catch {
    /* keep the login answer */
  }
  await loadOrg();
  session.ready = true;
  return session.user;
}

export async function logout() {
  try {
    await api.post('/logout');
  } catch {
    /* the session may already be gone */
  }
  clearSession();
}

export function clearSession() {
  sessionStorage.removeItem('bangfu.password-later'); // Layout.vue: the next login asks again
  session.user = null;
  session.org = null;
  setCsrf('');
}

export function hasRole(...roles) {
  return !!session.user && roles.includes(session.user.role);
}
