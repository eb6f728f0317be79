/** The public part of the Method page: the exact definitions behind every public figure. */
import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { publicMethodSection } from '../../i18n/method.ts';
import { OpenData, Stamp, usePublicT } from '../components.tsx';
import { districtsOptions } from '../queries.ts';
import { hrefOf, Link } from '../router.tsx';

export default function Method() {
  const { t, lang } = usePublicT();
  const m = publicMethodSection(lang);
  // the as-of and publication dates, like every public page (the smallest public answer carries them)
  const head = useQuery(districtsOptions()).data;
  useEffect(() => {
    document.title = `${t.method.title} — ${t.brand}`;
  }, [t]);
  return (
    <article className="view method" id={`m-${m.id}`} data-testid="public-method">
      <h1>{t.method.title}</h1>
      {head ? <Stamp head={head} /> : null}
      <section className="card">
        <h2>{m.title}</h2>
        {m.paragraphs.map((p) => (
          <p key={p.slice(0, 40)}>{p}</p>
        ))}
      </section>
      <p>
        <Link href={hrefOf({ name: 'home' }, lang)}>{t.states.home}</Link>
      </p>
      {head ? <OpenData head={head} /> : null}
    </article>
  );
}
