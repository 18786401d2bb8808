// A few lines in place of async-validator (16 KB, 5.5 KiB gzipped, on every
// screen with a form): Element Plus' el-form-item runs it only for the rules
// of a form that has :rules (the login form: required fields).  The API checks
// everything again and its field errors are shown with el-form-item's :error.
// vite.config.js aliases the package here.  Handles required, whitespace,
// type 'string'/'number', len/min/max, pattern, enum and validator /
// asyncValidator, with message; first error only per field (firstFields).
const empty = (v) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

function check(rule, value, field) {
  const fail = (why) => rule.message || why;
  if (empty(value) || (rule.whitespace && typeof value === 'string' && !value.trim()))
    return rule.required ? fail(`${field} is required`) : null;
  const size = typeof value === 'string' || Array.isArray(value) ? value.length : typeof value === 'number' ? value : null;
  if (rule.type === 'number' && typeof value !== 'number') return fail(`${field} is not a number`);
  if (rule.len !== undefined && size !== rule.len) return fail(`${field} must be ${rule.len}`);
  if (rule.min !== undefined && size !== null && size < rule.min) return fail(`${field} is less than ${rule.min}`);
  if (rule.max !== undefined && size !== null && size > rule.max) return fail(`${field} is more than ${rule.max}`);
  if (rule.pattern && !new RegExp(rule.pattern).test(String(value))) return fail(`${field} does not match`);
  if (rule.enum && !rule.enum.includes(value)) return fail(`${field} is not one of ${rule.enum.join(', ')}`);
  return null;
}

async function runValidator(rule, value, source) {
  const fn = rule.asyncValidator || rule.validator;
  if (!fn) return null;
  let out;
  const viaCallback = new Promise((resolve) => {
    out = fn(rule, value, (e) => resolve(e), source, {});
  });
  if (out && typeof out.then === 'function') {
    try {
      await out;
      return null;
    } catch (e) {
      return e || rule.message || 'invalid';
    }
  }
  if (out === true) return null;
  if (out === false) return rule.message || 'invalid';
  if (out instanceof Error) return out;
  if (fn.length < 3 && out === undefined) return null; // no callback taken: nothing wrong
  return viaCallback;
}

export default class Schema {
  constructor(descriptor) {
    this.rules = descriptor;
  }
  async validate(source) {
    const errors = [];
    const fields = {};
    for (const [field, r] of Object.entries(this.rules)) {
      for (const rule of [].concat(r)) {
        let e = check(rule, source[field], field);
        if (!e) e = await runValidator(rule, source[field], source);
        if (e) {
          const err = { message: e instanceof Error ? e.message : Array.isArray(e) ? String(e[0]?.message ?? e[0]) : String(e), field };
          errors.push(err);
          fields[field] = [err];
          break;
        }
      }
    }
    if (errors.length) throw { errors, fields };
    return source;
  }
}
