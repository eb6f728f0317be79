/**
 * Text folded for matching names (the public search, on the server and in the page): Arabic and
 * Persian letter forms and digits unified, case, spaces and zero-width non-joiners ignored.
 */
import { toLatinDigits } from '../lib/digits.ts';
import { normalizeText } from '../lib/text.ts';

export function fold(text: string): string {
  return toLatinDigits(normalizeText(text))
    .toLowerCase()
    .replace(/[\s\u200c]+/g, '');
}
