/**
 * How many of an office's case days were in its own hands (DESIGN 13), next to the city: for the
 * office scorecard. Empty when the data has no event log.
 */
import { useQuery } from '@tanstack/react-query';
import { useT } from '../i18n/useT.ts';
import { formatDays, formatPercent } from '../lib/format.ts';
import type { Filters } from '../lib/url.ts';
import { stageActorsOptions } from '../queries/stages.ts';

export function OfficeHands({ officeId, filters }: { officeId: string; filters: Filters }) {
  const { t, lang } = useT();
  const p = t.process;
  const q = useQuery(stageActorsOptions({ ...filters, office: officeId, by: 'office' }));
  const row = q.data?.rows.find((r) => r.key === officeId);
  if (q.isPending || q.error || !q.data) return null;
  return (
    <section className="card" aria-labelledby="hands-title" data-testid="office-hands">
      <header className="card-head">
        <h2 id="hands-title">{p.hands.title}</h2>
      </header>
      {row && row.n_cases > 0 ? (
        <p
          className="verdict-sentence"
          data-testid="office-hands-sentence"
          data-share={row.shares.office ?? ''}
        >
          {p.hands.sentence(
            formatPercent(row.shares.office, lang, 0),
            formatDays(row.median_days.office, lang),
            formatPercent(q.data.city.shares.office, lang, 0),
          )}
        </p>
      ) : (
        <p className="muted">{p.hands.none}</p>
      )}
    </section>
  );
}
