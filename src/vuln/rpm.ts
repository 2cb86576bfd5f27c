/**
 * RPM versions, as rpm orders them: `[epoch:]version[-release]`, each part by `rpmvercmp`
 * (rpm's lib/rpmvercmp.c): alphanumeric segments, `~` before anything, `^` after anything
 * but the end, digits newer than letters.
 */

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isAlpha = (c: string | undefined): boolean => c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
const isAlnum = (c: string | undefined): boolean => isDigit(c) || isAlpha(c);

/**
 * rpm's segment comparison of one version or release string.
 *
 * @example
 * rpmvercmp('1.0~rc1', '1.0'); // -1
 */
export function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (i < a.length && !isAlnum(a[i]) && a[i] !== '~' && a[i] !== '^') i++;
    while (j < b.length && !isAlnum(b[j]) && b[j] !== '~' && b[j] !== '^') j++;
    if (a[i] === '~' || b[j] === '~') {
      if (a[i] !== '~') return 1;
      if (b[j] !== '~') return -1;
      i++;
      j++;
      continue;
    }
    // `^` (a snapshot after a release) is newer than anything but the end of the other string.
    if (a[i] === '^' || b[j] === '^') {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (a[i] !== '^') return 1;
      if (b[j] !== '^') return -1;
      i++;
      j++;
      continue;
    }
    if (!(i < a.length && j < b.length)) break;
    const numeric = isDigit(a[i]);
    const test = numeric ? isDigit : isAlpha;
    const si = i;
    const sj = j;
    while (i < a.length && test(a[i])) i++;
    while (j < b.length && test(b[j])) j++;
    let x = a.slice(si, i);
    let y = b.slice(sj, j);
    // Segments of different kinds: a number is newer than letters.
    if (y.length === 0) return numeric ? 1 : -1;
    if (numeric) {
      x = x.replace(/^0+/, '');
      y = y.replace(/^0+/, '');
      if (x.length !== y.length) return x.length > y.length ? 1 : -1;
    }
    if (x !== y) return x < y ? -1 : 1;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

function splitEvr(v: string): { epoch: string; version: string; release: string | undefined } {
  const t = v.trim();
  const colon = t.indexOf(':');
  const epoch = colon >= 0 ? t.slice(0, colon) : '0';
  const rest = colon >= 0 ? t.slice(colon + 1) : t;
  const dash = rest.lastIndexOf('-');
  return dash >= 0 ? { epoch, version: rest.slice(0, dash), release: rest.slice(dash + 1) } : { epoch, version: rest, release: undefined };
}

/**
 * Compares two RPM EVR strings (`1:2.3-4.el9`); a missing epoch is 0, a missing release sorts first.
 *
 * @example
 * compareRpm('0:3.10.0-229.el7', '0:3.10.0-229.1.2.el7'); // -1
 */
export function compareRpm(a: string, b: string): number {
  const x = splitEvr(a);
  const y = splitEvr(b);
  const e = rpmvercmp(x.epoch === '' ? '0' : x.epoch, y.epoch === '' ? '0' : y.epoch);
  if (e !== 0) return e;
  const v = rpmvercmp(x.version, y.version);
  if (v !== 0) return v;
  if (x.release === undefined || y.release === undefined) {
    if (x.release === y.release) return 0;
    return x.release === undefined ? -1 : 1;
  }
  return rpmvercmp(x.release, y.release);
}
