/**
 * Text normalisation of the data contract: Arabic ي/ى and ك folded to Persian ی and ک, bidi marks and BOMs
 * removed, zero-width non-joiners made consistent, whitespace trimmed and collapsed — so one name is one name.
 */
import { toLatinDigits } from './digits.ts';

const BIDI_AND_BOM = /[\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF\u00AD]/g;
// ZWJ or the "not sign" some keyboards/exports use in place of ZWNJ
const ZWNJ_LIKE = /[\u200D\u00AC]/g;

// printable ASCII words with single spaces: nothing to fold, collapse or trim (most ids and codes)
const PLAIN_ASCII = /^[!-~]+(?: [!-~]+)*$/;

export function normalizeText(value: string): string {
  if (PLAIN_ASCII.test(value)) return value;
  let s = value.normalize('NFC').replace(BIDI_AND_BOM, '');
  s = s.replace(/[\u064A\u0649]/g, '\u06CC').replace(/\u0643/g, '\u06A9');
  s = s.replace(/[٠-٩]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x0660 + 0x06f0));
  s = s.replace(ZWNJ_LIKE, '\u200C');
  s = s.replace(/\s+/g, ' '); // includes NBSP and newlines
  s = s.replace(/\u200C+/g, '\u200C'); // repeated ZWNJ
  s = s.replace(/ ?\u200C ?/g, '\u200C'); // ZWNJ next to a space is a typing slip: keep the joiner, drop the space
  s = s.trim();
  s = s.replace(/^\u200C+|\u200C+$/g, '');
  return s;
}

/** Identifiers (case ids, office ids, service codes): normalised text with all digits Latin. */
export function normalizeId(value: string): string {
  if (PLAIN_ASCII.test(value)) return value;
  return toLatinDigits(normalizeText(value));
}
