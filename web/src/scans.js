// Viewing a stored scan (API.md "Attachments"): an image as a data: URL (the
// page's CSP takes images from 'self' and data: only), a PDF in the
// browser's own viewer in a new tab.  Each is an audited download.
import { fetchFile } from './api.js';

const content = (id) => fetchFile('/attachments/' + id + '/content', { inline: 1 });

/** The scan `id` as a data: URL for an <img>. */
export async function scanDataUrl(id) {
  const { blob } = await content(id);
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(r.result);
    r.onerror = () => reject(r.error);
    r.readAsDataURL(blob);
  });
}

/** Opens the PDF scan `id` in a new tab (opened at once: a later open would be a blocked pop-up). */
export async function openScan(id) {
  const tab = window.open('', '_blank');
  try {
    const { blob } = await content(id);
    const url = URL.createObjectURL(blob);
    if (tab) tab.location.href = url;
    else window.location.assign(url);
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  } catch (e) {
    if (tab) tab.close();
    throw e;
  }
}
