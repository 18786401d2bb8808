// The one door to the server: fetch + cookie session + CSRF header + error shape.
const BASE = '/api/v1';
const CSRF_KEY = 'bangfu.csrf';

let csrf = sessionStorage.getItem(CSRF_KEY) || '';
let onUnauthenticated = () => {};

export function setCsrf(token) {
  csrf = token || '';
  if (csrf) sessionStorage.setItem(CSRF_KEY, csrf);
  else sessionStorage.removeItem(CSRF_KEY);
}
export function setUnauthenticatedHandler(fn) {
  onUnauthenticated = fn;
}

/** An error answer of the API: {error:{code,message,details}}. */
export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(e.message || statusText(status));
    this.status = status;
    this.code = e.code || 'http_' + status;
    this.details = e.details || {};
  }
  /** details.fields as {name: message}. */
  get fields() {
    return this.details.fields || {};
  }
  /** Everything worth telling the user, as one Chinese text. */
  get fullMessage() {
    const parts = [this.message];
    const r = this.details.reasons;
    if (Array.isArray(r) && r.length) parts.push(r.join('；'));
    const m = this.details.missing_documents;
    if (Array.isArray(m) && m.length) parts.push('缺少材料：' + m.join('、'));
    if (this.details.org_name) parts.push('档案所在单位：' + this.details.org_name);
    return parts.join('：');
  }
}

function statusText(s) {
  if (s === 0) return '无法连接服务器，请检查网络';
  if (s >= 500) return '服务器错误（' + s + '），请稍后再试';
  return '请求失败（' + s + '）';
}

function qs(params) {
  if (!params) return '';
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '' || v === false) continue;
    u.set(k, String(v));
  }
  const s = u.toString();
  return s ? '?' + s : '';
}

export async function request(method, path, { body, params, quiet401 } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrf) headers['X-CSRF-Token'] = csrf;
  let res;
  try {
    res = await fetch(BASE + path + qs(params), {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, null);
  }
  if (res.status === 204) return null;
  let data = null;
  const text = await res.text();
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const err = new ApiError(res.status, data);
    if (res.status === 401 && !quiet401 && path !== '/login') onUnauthenticated(err);
    throw err;
  }
  return data;
}

/** The address of a file answer (Excel/PDF) of the API, for a download link. */
export function fileUrl(path, params) {
  return BASE + path + qs(params);
}

/** The file name a Content-Disposition header gives (RFC 6266: `filename*` first), or `fallback`. */
export function dispositionName(header, fallback) {
  const star = /filename\*\s*=\s*UTF-8''([^;\s]+)/i.exec(header || '');
  if (star) {
    try {
      return decodeURIComponent(star[1]);
    } catch {
      /* a broken escape: fall back on the plain name */
    }
  }
  const plain = /filename\s*=\s*(?:"([^"]*)"|([^;\s]+))/i.exec(header || '');
  return (plain && (plain[1] || plain[2])) || fallback;
}

/**
 * Fetches a file answer of the API (Excel, PDF) with the session cookie, so
 * that the page can show the wait and tell an error in Chinese instead of the
 * browser saving the error's JSON as the file.  onProgress({loaded, total})
 * is called as the bytes arrive (total 0 when the length is unknown).
 * Answers {blob, name}, the name from Content-Disposition; throws ApiError.
 */
export async function fetchFile(path, params, onProgress = () => {}) {
  let res;
  try {
    res = await fetch(fileUrl(path, params), { credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, null);
  }
  if (!res.ok) {
    const err = new ApiError(res.status, await res.json().catch(() => null));
    if (res.status === 401) onUnauthenticated(err);
    throw err;
  }
  const total = Number(res.headers.get('Content-Length')) || 0;
  const parts = [];
  let loaded = 0;
  try {
    const reader = res.body.getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      parts.push(r.value);
      loaded += r.value.length;
      onProgress({ loaded, total });
    }
  } catch {
    throw new ApiError(0, null);
  }
  const type = res.headers.get('Content-Type') || 'application/octet-stream';
  return { blob: new Blob(parts, { type }), name: dispositionName(res.headers.get('Content-Disposition'), path.split('/').pop()) };
}

/** Hands a blob to the browser as a download named `name`. */
export function saveFile(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000); // the download has started long before
}

export const api = {
  get: (path, params, opts) => request('GET', path, { params, ...opts }),
  post: (path, body, params) => request('POST', path, { body: body ?? {}, params }),
  patch: (path, body) => request('PATCH', path, { body }),
  put: (path, body) => request('PUT', path, { body }),
  del: (path) => request('DELETE', path, {}),
};

/**
 * Sends a file as multipart field `file` (imports; the name's extension tells
 * CSV from xlsx), with upload progress 0–100 through
 * onProgress.  Answers like request(): the parsed JSON, or throws ApiError.
 */
export function upload(path, file, params, onProgress = () => {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', BASE + path + qs(params));
    xhr.setRequestHeader('Accept', 'application/json');
    if (csrf) xhr.setRequestHeader('X-CSRF-Token', csrf);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(Math.round((e.loaded / e.total) * 100));
    xhr.onerror = () => reject(new ApiError(0, null));
    xhr.onload = () => {
      let data = null;
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        data = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(data);
      const err = new ApiError(xhr.status, data);
      if (xhr.status === 401) onUnauthenticated(err);
      reject(err);
    };
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}
