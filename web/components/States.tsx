/** Loading, empty and error states, each taking the room the content will take. */
import type { ReactNode } from 'react';
import { useT } from '../i18n/useT.ts';
import { describeError } from '../lib/errors.ts';

export function Skeleton({ height }: { height: number }) {
  const { t } = useT();
  return (
    <div
      className="skeleton"
      style={{ minHeight: height }}
      role="status"
      aria-busy="true"
      data-testid="skeleton"
    >
      <span className="sr-only">{t.states.loading}</span>
    </div>
  );
}

export function EmptyState({ height, message }: { height?: number; message?: string }) {
  const { t } = useT();
  return (
    <div className="state state-empty" style={{ minHeight: height }} data-testid="empty-state">
      <p className="state-title">{message ?? t.states.empty}</p>
      {message ? null : <p className="state-hint">{t.states.emptyHint}</p>}
    </div>
  );
}

export function ErrorState({
  what,
  error,
  onRetry,
  height,
}: {
  what: string;
  error: unknown;
  onRetry?: () => void;
  height?: number;
}) {
  const { t, lang } = useT();
  const info = describeError(error, lang);
  return (
    <div
      className="state state-error"
      style={{ minHeight: height }}
      role="alert"
      data-testid="error-state"
      data-status={info.status ?? ''}
    >
      <p className="state-title">{t.states.error(what)}</p>
      <p className="state-message">{info.message}</p>
      {info.detail ? (
        <details className="state-detail">
          <summary>{t.errors.detail}</summary>
          <span dir="auto">{info.detail}</span>
        </details>
      ) : null}
      {onRetry && info.retryable ? (
        <button type="button" className="btn" onClick={onRetry} data-testid="error-retry">
          {t.states.retry}
        </button>
      ) : null}
    </div>
  );
}

interface QueryLike<T> {
  data: T | undefined;
  error: unknown;
  isPending: boolean;
  refetch: () => unknown;
}

/** Renders the right state for a query; `isEmpty` decides when data means "no cases". */
export function QueryView<T>({
  query,
  what,
  height,
  isEmpty,
  children,
}: {
  query: QueryLike<T>;
  what: string;
  height: number;
  isEmpty?: (data: T) => boolean;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <Skeleton height={height} />;
  if (query.error || query.data === undefined)
    return <ErrorState what={what} error={query.error} onRetry={() => query.refetch()} height={height} />;
  if (isEmpty?.(query.data)) return <EmptyState height={height} />;
  return <>{children(query.data)}</>;
}
