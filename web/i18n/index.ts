import type { Lang } from '../lib/format.ts';
import { en } from './en.ts';
import { fa, type Messages } from './fa.ts';

export type { Messages };
export const messages = (lang: Lang): Messages => (lang === 'en' ? en : fa);
