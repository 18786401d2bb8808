// One form dialog per screen: which form is open, its fields and field
// errors, and a save that closes it on success or shows the API's errors.
import { reactive } from 'vue';
import { showError, ElMessage } from './ui.js';

export function useDialog() {
  const dlg = reactive({ open: false, kind: '', title: '', f: {}, err: {}, busy: false });
  /** Opens form `kind` with its initial fields (and extra state, e.g. the row acted on). */
  function show(kind, title, fields, extra = {}) {
    Object.assign(dlg, { open: true, kind, title, err: {}, f: fields, ...extra });
  }
  /** Runs send(); on success closes, says so and calls done(). */
  async function submit(send, done) {
    dlg.busy = true;
    dlg.err = {};
    try {
      await send(dlg.f);
      dlg.open = false;
      ElMessage({ type: 'success', message: '已保存' });
      done();
    } catch (e) {
      dlg.err = { ...e.fields };
      showError(e);
    } finally {
      dlg.busy = false;
    }
  }
  return { dlg, show, submit };
}
