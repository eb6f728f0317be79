/** The overview's one headline on access (DESIGN 16): the district with the most residents per office. */
import { useQuery } from '@tanstack/react-query';
import { useT } from '../i18n/useT.ts';
import { formatAccess, mostResidentsPerOffice } from '../lib/access.ts';
import type { accessOptions } from '../queries/access.ts';
import { Headline, HeadlineSkeleton } from './Headline.tsx';
import { ErrorState } from './States.tsx';
import { useNames } from './useNames.ts';

/** `query`: the view's access request (web/queries/views.ts). */
export function AccessHeadline({ query }: { query: ReturnType<typeof accessOptions> }) {
  const { t, lang } = useT();
  const names = useNames();
  const access = useQuery(query);
  if (access.error) return <ErrorState what={t.access.headline} error={access.error} height={110} />;
  if (!access.data) return <HeadlineSkeleton label={t.access.headline} />;
  const top = mostResidentsPerOffice(access.data.districts);
  return (
    <Headline
      id="most_residents_per_office"
      label={t.access.headline}
      value={top?.residents_per_office ?? null}
      display={
        top
          ? formatAccess('residents_per_office', top.residents_per_office, lang)
          : t.access.populationNotLoaded
      }
      note={top ? t.access.headlineNote(names.district(top.district)) : undefined}
    />
  );
}
