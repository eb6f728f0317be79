/** One headline figure; `data-value` keeps the raw number for tests and scrapers. */
export function Headline({
  id,
  label,
  value,
  display,
  note,
}: {
  id: string;
  label: string;
  value: number | null | undefined;
  display: string;
  note?: string;
}) {
  return (
    <div className="headline" data-testid={`headline-${id}`} data-value={value ?? ''}>
      <div className="headline-label">{label}</div>
      <div className="headline-value">{display}</div>
      {note ? <div className="headline-note">{note}</div> : null}
    </div>
  );
}

export function HeadlineSkeleton({ label }: { label: string }) {
  return (
    <div className="headline headline-pending" aria-busy="true">
      <div className="headline-label">{label}</div>
      <div className="headline-value skeleton-inline">&nbsp;</div>
      <div className="headline-note">&nbsp;</div>
    </div>
  );
}
