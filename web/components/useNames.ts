import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useT } from '../i18n/useT.ts';
import { makeNames } from '../lib/names.ts';
import { metaOptions } from '../queries/meta.ts';

export function useNames() {
  const { lang } = useT();
  const meta = useQuery(metaOptions());
  return useMemo(() => makeNames(meta.data, lang), [meta.data, lang]);
}
