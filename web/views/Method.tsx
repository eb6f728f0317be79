/** Plain-language method page with references. */
import { methodText, REFERENCES } from '../i18n/method.ts';
import { useT } from '../i18n/useT.ts';

export default function Method() {
  const { lang } = useT();
  const m = methodText(lang);
  return (
    <article className="view method" data-testid="view-method">
      <h1>{m.title}</h1>
      <p className="intro">{m.intro}</p>
      <nav className="toc no-print" aria-label={m.title}>
        <ol>
          {m.sections.map((s) => (
            <li key={s.id}>
              <a href={`#m-${s.id}`}>{s.title}</a>
            </li>
          ))}
        </ol>
      </nav>
      {m.sections.map((s) => (
        <section key={s.id} id={`m-${s.id}`} className="card method-section">
          <h2>{s.title}</h2>
          {s.paragraphs.map((p) => (
            <p key={p.slice(0, 40)}>{p}</p>
          ))}
          {s.formula ? (
            <p className="formula" dir="auto">
              {s.formula}
            </p>
          ) : null}
        </section>
      ))}
      <section className="card references" data-testid="method-references">
        <h2>{m.referencesTitle}</h2>
        <ol dir="ltr" lang="en">
          {REFERENCES.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ol>
      </section>
    </article>
  );
}
