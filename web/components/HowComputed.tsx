/** Statistical detail (test statistics, φ, z, q) folded behind "how is this computed", plain words in front. */
import type { ReactNode } from 'react';
import { useT } from '../i18n/useT.ts';

export function HowComputed({ children, testId }: { children: ReactNode; testId?: string }) {
  const { t } = useT();
  return (
    <details className="how" data-testid={testId}>
      <summary>{t.how.summary}</summary>
      <div className="how-body">{children}</div>
    </details>
  );
}
