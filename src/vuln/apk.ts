/**
 * Alpine package versions, as apk-tools orders them:
 * `number{.number}...{letter}{_suffix{number}}...{-r#}`.
 * A port of apk-tools 2.x `apk_version_compare` (src/version.c), token by token, so that the
 * odd cases (leading zeros, invalid tails) order as `apk version -t` does.
 */

// Token types; their numeric order matters (a later token type sorts lower, see the end of compareApk).
const INVALID = -1;
const DIGIT_OR_ZERO = 0;
const DIGIT = 1;
const LETTER = 2;
const SUFFIX = 3;
const SUFFIX_NO = 4;
const REVISION_NO = 5;
const END = 6;

const PRE_SUFFIXES = ['alpha', 'beta', 'pre', 'rc'];
const POST_SUFFIXES = ['cvs', 'svn', 'git', 'hg', 'p'];

interface Cursor {
  s: string;
  i: number;
  type: number;
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isLower = (c: string | undefined): boolean => c !== undefined && c >= 'a' && c <= 'z';

function nextToken(c: Cursor): void {
  let n = INVALID;
  const ch = c.s[c.i];
  if (ch === undefined) n = END;
  else if ((c.type === DIGIT || c.type === DIGIT_OR_ZERO) && isLower(ch)) n = LETTER;
  else if (c.type === LETTER && isDigit(ch)) n = DIGIT;
  else if (c.type === SUFFIX && isDigit(ch)) n = SUFFIX_NO;
  else {
    if (ch === '.') n = DIGIT_OR_ZERO;
    else if (ch === '_') n = SUFFIX;
    else if (ch === '-') {
      if (c.s[c.i + 1] === 'r') {
        n = REVISION_NO;
        c.i++;
      }
    }
    c.i++;
  }
  if (n < c.type) {
    if (!((n === DIGIT_OR_ZERO && c.type === DIGIT) || (n === SUFFIX && c.type === SUFFIX_NO) || (n === DIGIT && c.type === LETTER))) n = INVALID;
  }
  c.type = n;
}

function getToken(c: Cursor): number {
  let v = 0;
  let i = c.i;
  let nt = INVALID;
  const s = c.s;
  if (i >= s.length) {
    c.type = END;
    return 0;
  }
  // Leading zeros after a dot make the component fractional: `1.05` < `1.5`.
  const leadingZero = c.type === DIGIT_OR_ZERO && s[i] === '0';
  switch (leadingZero ? -2 : c.type) {
    case -2:
      while (i < s.length && s[i] === '0') i++;
      nt = DIGIT;
      v = -(i - c.i);
      break;
    case DIGIT_OR_ZERO:
    case DIGIT:
    case SUFFIX_NO:
    case REVISION_NO:
      while (i < s.length && isDigit(s[i])) {
        v = v * 10 + (s.charCodeAt(i) - 48);
        i++;
      }
      break;
    case LETTER:
      v = s.charCodeAt(i);
      i++;
      break;
    case SUFFIX: {
      const rest = s.slice(i);
      const pre = PRE_SUFFIXES.findIndex((p) => rest.startsWith(p));
      if (pre >= 0) {
        i += (PRE_SUFFIXES[pre] as string).length;
        v = pre - PRE_SUFFIXES.length;
        break;
      }
      const post = POST_SUFFIXES.findIndex((p) => rest.startsWith(p));
      if (post >= 0) {
        i += (POST_SUFFIXES[post] as string).length;
        v = post;
        break;
      }
      c.type = INVALID;
      return -1;
    }
    default:
      c.type = INVALID;
      return -1;
  }
  c.i = i;
  if (c.i >= s.length) c.type = END;
  else if (nt !== INVALID) c.type = nt;
  else nextToken(c);
  return v;
}

/**
 * Compares two Alpine versions.
 *
 * @example
 * compareApk('1.2.3_rc1-r0', '1.2.3-r0'); // -1: `_rc` is a pre-release
 * compareApk('1.2.3_p1-r0', '1.2.3-r0'); // 1: `_p` is a post-release
 */
export function compareApk(a: string, b: string): number {
  const x: Cursor = { s: a.trim(), i: 0, type: DIGIT };
  const y: Cursor = { s: b.trim(), i: 0, type: DIGIT };
  let av = 0;
  let bv = 0;
  while (x.type === y.type && x.type !== END && x.type !== INVALID && av === bv) {
    av = getToken(x);
    bv = getToken(y);
  }
  if (av < bv) return -1;
  if (av > bv) return 1;
  if (x.type === y.type) return 0;
  // Equal so far: the longer version is newer unless what follows is a pre-release suffix.
  if (x.type === SUFFIX && getToken({ ...x }) < 0) return -1;
  if (y.type === SUFFIX && getToken({ ...y }) < 0) return 1;
  if (x.type > y.type) return -1;
  if (y.type > x.type) return 1;
  return 0;
}
