/** Schematic map: one keyboard-reachable tile per district, coloured by the chosen metric. */
import {
  colorFor,
  TILE_COLS,
  TILE_LAYOUT,
  TILE_ROWS,
  textColorOn,
  valueRange,
} from '../charts/tileLayout.ts';
import { useT } from '../i18n/useT.ts';
import { localDigits } from '../lib/format.ts';

export function TileMap({
  values,
  format,
  districtName,
  metricLabel,
  selected,
  onSelect,
  height,
}: {
  values: ReadonlyMap<number, number | null>;
  format: (v: number | null) => string;
  districtName: (d: number) => string;
  metricLabel: string;
  selected?: number;
  onSelect: (d: number) => void;
  height: number;
}) {
  const { t, lang } = useT();
  const { min, max } = valueRange(values.values());
  return (
    <div className="tilemap-wrap" style={{ minHeight: height }}>
      <fieldset className="plain-fieldset">
        <legend className="sr-only">{`${t.map.title} — ${metricLabel}`}</legend>
        <div
          className="tilemap"
          data-testid="tile-map"
          style={{
            gridTemplateColumns: `repeat(${TILE_COLS}, 1fr)`,
            gridTemplateRows: `repeat(${TILE_ROWS}, 1fr)`,
          }}
          dir="ltr"
        >
          {TILE_LAYOUT.map((cell) => {
            const v = values.get(cell.district) ?? null;
            const bg = colorFor(v, min, max);
            return (
              <button
                key={cell.district}
                type="button"
                className="tile"
                data-testid={`tile-${cell.district}`}
                data-value={v ?? ''}
                aria-pressed={selected === cell.district}
                aria-label={`${districtName(cell.district)}: ${metricLabel} ${format(v)}`}
                title={`${districtName(cell.district)} — ${format(v)}`}
                style={{
                  gridRow: cell.row + 1,
                  gridColumn: cell.col + 1,
                  background: bg,
                  color: textColorOn(bg),
                }}
                onClick={() => onSelect(cell.district)}
              >
                <span className="tile-num">{localDigits(cell.district, lang)}</span>
                <span className="tile-val" dir={t.dir}>
                  {format(v)}
                </span>
              </button>
            );
          })}
        </div>
      </fieldset>
      <div className="legend-scale" aria-hidden="true">
        <span>{format(min)}</span>
        <span className="legend-bar" />
        <span>{format(max)}</span>
      </div>
      <p className="muted small">{t.map.schematic}</p>
    </div>
  );
}
