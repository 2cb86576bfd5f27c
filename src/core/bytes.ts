/**
 * Byte helpers for pure layers: the Web platform's base64 and UTF-8 codecs, so that no pure
 * module depends on Node's `Buffer`.
 */

const B64_CHARS = /[^A-Za-z0-9+/]/g;

/**
 * Decodes base64 (standard or URL alphabet, padding optional, whitespace ignored) the way
 * Node's lenient decoder does: characters outside the alphabet are skipped.
 *
 * @example
 * new TextDecoder().decode(decodeBase64('aGk=')); // 'hi'
 */
export function decodeBase64(text: string): Uint8Array {
  const clean = text.replace(/-/g, '+').replace(/_/g, '/').replace(B64_CHARS, '');
  const usable = clean.length - (clean.length % 4 === 1 ? 1 : 0);
  const bin = atob(usable % 4 === 0 ? clean.slice(0, usable) : clean.slice(0, usable) + '='.repeat(4 - (usable % 4)));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

const utf8Decoder = new TextDecoder('utf-8');
const utf8Encoder = new TextEncoder();

/**
 * Decodes UTF-8 bytes; invalid sequences become U+FFFD, as with `Buffer#toString`.
 *
 * @example
 * utf8Text(new Uint8Array([104, 105])); // 'hi'
 */
export function utf8Text(bytes: Uint8Array): string {
  return utf8Decoder.decode(bytes);
}

/**
 * Encodes a string as UTF-8 bytes.
 *
 * @example
 * utf8Bytes('hi').length; // 2
 */
export function utf8Bytes(text: string): Uint8Array {
  return utf8Encoder.encode(text);
}
