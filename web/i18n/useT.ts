import { useUrlState } from '../router.tsx';
import { messages } from './index.ts';

/** The language lives in the URL, so every component reads it from there. */
export function useT() {
  const { lang } = useUrlState();
  return { t: messages(lang), lang };
}
