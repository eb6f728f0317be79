/**
 * The admin's switch for the public scorecards and open data (/public, /api/public/*): off by default;
 * publishing needs a licence line; every change lands in the audit log below.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId } from 'react';
import { useT } from '../i18n/useT.ts';
import { formatDateTime } from '../lib/format.ts';
import { publicationOptions, setPublication } from '../queries/publication.ts';
import { ErrorState, QueryView } from './States.tsx';

export function PublicationForm() {
  const { t, lang } = useT();
  const id = useId();
  const queryClient = useQueryClient();
  const state = useQuery(publicationOptions());
  const change = useMutation({
    mutationFn: setPublication,
    onSuccess: (next) => {
      queryClient.setQueryData(publicationOptions().queryKey, next);
      void queryClient.invalidateQueries({ queryKey: ['audit'] });
    },
  });
  const submit = (published: boolean) => (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const licence = String(new FormData(e.currentTarget).get('licence') ?? '').trim();
    change.mutate(published ? { published, licence } : { published });
  };
  const p = t.data.publication;
  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="publication">
      <header className="card-head">
        <h2 id={`${id}-title`}>{p.title}</h2>
      </header>
      <p className="state-hint">{p.hint}</p>
      <QueryView query={state} what={p.title} height={120}>
        {(s) => (
          <>
            <p role="status" data-testid="publication-status">
              {s.published ? p.on(formatDateTime(s.published_at, lang)) : p.off}{' '}
              {s.published ? (
                <a href={`${s.public_url}${lang === 'en' ? '?lang=en' : ''}`} target="_blank" rel="noopener">
                  {p.view}
                </a>
              ) : null}
            </p>
            <form className="upload-form no-print" onSubmit={submit(true)} data-testid="publication-form">
              <div className="field">
                <label htmlFor={`${id}-licence`}>{p.licence}</label>
                <input
                  id={`${id}-licence`}
                  name="licence"
                  defaultValue={s.licence ?? ''}
                  key={s.licence ?? ''}
                  required
                  maxLength={300}
                  placeholder={p.licencePlaceholder}
                  data-testid="publication-licence"
                />
              </div>
              <button
                type="submit"
                className="btn"
                disabled={change.isPending}
                data-testid="publication-publish"
              >
                {s.published ? p.update : p.publish}
              </button>
            </form>
            {s.published ? (
              <form className="no-print" onSubmit={submit(false)}>
                <button
                  type="submit"
                  className="btn"
                  disabled={change.isPending}
                  data-testid="publication-withdraw"
                >
                  {p.withdraw}
                </button>
              </form>
            ) : null}
            {change.error ? (
              <div data-testid="publication-error">
                <ErrorState what={p.title} error={change.error} />
              </div>
            ) : null}
          </>
        )}
      </QueryView>
    </section>
  );
}
