/**
 * Process (فرایند), issue 11: for one service and the common filters, where the days go — the
 * directly-follows map with the bottleneck, median days by stage per district coloured by actor, the
 * top routes, and the rework and extra-step flags in words.
 */
import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import type { Funnel, FunnelRow, StageExtra, StageMap, Stages, StageVariants } from '../api/types.ts';
import { buildFunnelOption } from '../charts/funnel.ts';
import { buildProcessMapOption, buildStageBarsOption } from '../charts/process.ts';
import { ChartCard } from '../components/ChartCard.tsx';
import type { Column } from '../components/DataTable.tsx';
import { DataTable } from '../components/DataTable.tsx';
import { QueryView } from '../components/States.tsx';
import { useNames } from '../components/useNames.ts';
import { useT } from '../i18n/useT.ts';
import { formatDays, formatNumber, formatP, formatPercent, type Lang } from '../lib/format.ts';
import { bottleneckSentence, extraSentence, reworkSentence } from '../lib/processWords.ts';
import { metaOptions } from '../queries/meta.ts';
import { processQueries, processService } from '../queries/views.ts';
import { useNav } from '../router.tsx';

const MAP_HEIGHT = 440;
const BARS_HEIGHT = 420;
const FUNNEL_HEIGHT = 380;

type StageRow = Stages['rows'][number];
type EdgeRow = StageMap['edges'][number];
type VariantRow = StageVariants['variants'][number];
type ExtraRow = StageExtra['flags'][number];

export default function Process() {
  const { t, lang } = useT();
  const p = t.process;
  const { state, setFilters, setView } = useNav();
  const names = useNames();
  const meta = useQuery(metaOptions());
  const service = state.filters.service ?? processService(meta.data);
  const allEdges = state.view.edges === 'all';

  const ready = !!service;
  const queries = processQueries(state.filters, service ?? '', allEdges);
  const stages = useQuery({ ...queries.stages, enabled: ready });
  const byDistrict = useQuery({ ...queries.byDistrict, enabled: ready });
  const map = useQuery({ ...queries.map, enabled: ready });
  const variants = useQuery({ ...queries.variants, enabled: ready });
  const extra = useQuery({ ...queries.extra, enabled: ready });

  const stageName = useCallback(
    (code: string) => {
      const row =
        map.data?.nodes.find((n) => n.stage === code) ?? stages.data?.rows.find((r) => r.stage === code);
      if (!row) return code;
      return lang === 'fa' ? row.stage_name : row.stage_name_en || row.stage_name;
    },
    [map.data, stages.data, lang],
  );
  const serviceLabel = service ? names.service(service) : p.allServices;
  const collator = new Intl.Collator(lang);
  const services = [...(meta.data?.services ?? [])].sort((a, b) =>
    collator.compare(names.service(a.service_code), names.service(b.service_code)),
  );

  const mapOption = useMemo(
    () => (map.data ? buildProcessMapOption({ map: map.data, lang, stageName }) : undefined),
    [map.data, lang, stageName],
  );
  const barsOption = useMemo(
    () =>
      byDistrict.data
        ? buildStageBarsOption({ stages: byDistrict.data, lang, groupName: names.district, stageName })
        : undefined,
    [byDistrict.data, lang, names, stageName],
  );
  const reworkFunnel = useMemo<Funnel | undefined>(() => {
    const r = variants.data?.rework;
    if (!r) return undefined;
    // A proportion funnel like slow_share's: the chart draws it in percent.
    return {
      metric: 'slow_share',
      time: 'total',
      method: 'multiplicative',
      tau2: 0,
      by: 'district',
      scope: 'all',
      target: r.districts.target,
      phi: r.districts.phi,
      min_n: r.min_n,
      rows: r.districts.rows as unknown as FunnelRow[],
      curve: r.districts.curve,
    } as Funnel;
  }, [variants.data]);
  const reworkLabel = useCallback((row: FunnelRow) => names.district(row.key), [names]);
  const reworkOption = useMemo(
    () =>
      reworkFunnel
        ? buildFunnelOption({
            funnel: reworkFunnel,
            lang,
            labelOf: reworkLabel,
            valueLabel: p.reworkValue,
            volumeLabel: p.reworkVolume,
          })
        : undefined,
    [reworkFunnel, lang, reworkLabel, p],
  );

  const bottleneck = stages.data?.bottlenecks[0];
  const bottleneckRow = bottleneck ? stages.data?.rows.find((r) => r.stage === bottleneck.stage) : undefined;
  const noEvents = stages.data ? stages.data.n_cases === 0 : false;
  const reworkFlags = (variants.data?.rework.districts.rows ?? []).filter((r) => r.flag === 'above');
  const extraFlags = (extra.data?.flags ?? []).filter((f) => !service || f.service_code === service);
  const across = stages.data?.across_districts;

  return (
    <div className="view" data-testid="view-process">
      <header className="view-head">
        <h1>{p.title}</h1>
        <label className="inline-field no-print">
          <span>{p.chooseService}</span>
          <select
            value={service ?? ''}
            data-testid="process-service"
            onChange={(e) => setFilters({ service: e.target.value || undefined })}
          >
            {services.map((s) => (
              <option key={s.service_code} value={s.service_code}>
                {names.service(s.service_code)}
              </option>
            ))}
          </select>
        </label>
      </header>
      <p className="muted">{p.intro}</p>

      <section className="card verdict" aria-labelledby="bottleneck-title" data-testid="bottleneck">
        <h2 id="bottleneck-title">
          {p.bottleneckTitle}: {serviceLabel}
        </h2>
        <QueryView query={stages} what={p.stagesTitle} height={48}>
          {(d) =>
            d.n_cases === 0 || !bottleneck ? (
              <p className="muted">{p.noEvents}</p>
            ) : (
              <>
                <p
                  className="verdict-sentence"
                  data-testid="bottleneck-sentence"
                  data-stage={bottleneck.stage}
                >
                  {bottleneckSentence(bottleneck, bottleneckRow?.mean_days_per_case ?? null, lang)}
                </p>
                {across?.kruskal_wallis ? (
                  <p className="muted small" data-testid="across-sentence">
                    {p.acrossSentence(
                      lang === 'fa' ? across.stage_name : across.stage_name_en || across.stage_name,
                      across.kruskal_wallis.p_value < 0.05 ? p.acrossDiffers : p.acrossSame,
                    )}{' '}
                    (p {formatP(across.kruskal_wallis.p_value, lang)})
                  </p>
                ) : null}
              </>
            )
          }
        </QueryView>
      </section>

      <ChartCard<EdgeRow>
        id="process-map"
        title={`${p.mapTitle}: ${serviceLabel}`}
        height={MAP_HEIGHT}
        pending={map.isPending}
        error={map.error}
        onRetry={() => map.refetch()}
        empty={noEvents || (map.data ? map.data.nodes.length === 0 : false)}
        emptyMessage={p.noEvents}
        option={mapOption}
        controls={
          <button
            type="button"
            className="btn btn-small"
            aria-pressed={allEdges}
            data-testid="process-all-edges"
            onClick={() => setView({ edges: allEdges ? undefined : 'all' })}
          >
            {allEdges ? p.showMain : p.showAll}
          </button>
        }
        columns={edgeColumns(stageName, lang, p)}
        rows={map.data?.edges ?? []}
        rowKey={(e) => `${e.from}>${e.to}`}
        footer={
          map.data && !map.data.all ? (
            <span className="muted small" data-testid="map-note">
              {p.mapNote(
                formatNumber(map.data.shown_transitions, lang),
                formatNumber(map.data.total_transitions, lang),
                formatNumber(map.data.hidden_edges, lang),
              )}
            </span>
          ) : null
        }
      />

      <ChartCard<StageRow>
        id="process-bars"
        title={p.barsTitle}
        height={BARS_HEIGHT}
        pending={byDistrict.isPending}
        error={byDistrict.error}
        onRetry={() => byDistrict.refetch()}
        empty={noEvents || (byDistrict.data ? byDistrict.data.rows.length === 0 : false)}
        emptyMessage={p.noEvents}
        option={barsOption}
        columns={[
          {
            key: 'district',
            header: p.district,
            value: (r) => Number(r.key),
            render: (r) => names.district(r.key),
          },
          ...stageColumns(stageName, lang, p, t.metrics.median_days),
        ]}
        rows={byDistrict.data?.rows ?? []}
        rowKey={(r) => `${r.key}|${r.stage}`}
        footer={<span className="muted small">{p.barsNote}</span>}
      />

      <section className="card" aria-labelledby="stages-title" data-testid="process-stages">
        <header className="card-head">
          <h2 id="stages-title">{p.stagesTitle}</h2>
        </header>
        <QueryView query={stages} what={p.stagesTitle} height={200} isEmpty={(d) => d.rows.length === 0}>
          {(d) => (
            <DataTable
              id="process-stages"
              caption={p.stagesTitle}
              columns={stageColumns(stageName, lang, p, t.metrics.median_days)}
              rows={d.rows}
              rowKey={(r) => r.stage}
            />
          )}
        </QueryView>
      </section>

      <section className="card" aria-labelledby="variants-title" data-testid="process-variants">
        <header className="card-head">
          <h2 id="variants-title">{p.variantsTitle}</h2>
        </header>
        <QueryView
          query={variants}
          what={p.variantsTitle}
          height={200}
          isEmpty={(d) => d.variants.length === 0}
        >
          {(d) => (
            <>
              <p className="muted small">
                {p.variantsNote(formatNumber(d.n_cases, lang), formatNumber(d.n_variants, lang))}
              </p>
              <DataTable
                id="process-variants"
                caption={p.variantsTitle}
                columns={variantColumns(lang, p)}
                rows={d.variants}
                rowKey={(v) => v.stages.join('>')}
              />
            </>
          )}
        </QueryView>
      </section>

      <ChartCard<FunnelRow>
        id="process-rework"
        title={p.reworkTitle}
        height={FUNNEL_HEIGHT}
        pending={variants.isPending}
        error={variants.error}
        onRetry={() => variants.refetch()}
        empty={noEvents || (variants.data ? variants.data.rework.districts.rows.length === 0 : false)}
        emptyMessage={p.noEvents}
        option={reworkOption}
        columns={[
          {
            key: 'district',
            header: p.district,
            value: (r) => Number(r.key),
            render: (r) => names.district(r.key),
          },
          {
            key: 'n',
            header: p.reworkVolume,
            value: (r) => r.n,
            render: (r) => formatNumber(r.n, lang),
            numeric: true,
          },
          {
            key: 'value',
            header: p.reworkValue,
            value: (r) => r.value,
            render: (r) => formatPercent(r.value, lang),
            numeric: true,
          },
          { key: 'q', header: 'q', value: (r) => r.q, render: (r) => formatP(r.q, lang), numeric: true },
        ]}
        rows={reworkFunnel?.rows ?? []}
        rowKey={(r) => r.key}
        footer={
          <ul className="flag-sentences" data-testid="rework-flags">
            {reworkFlags.length === 0 ? (
              <li className="muted">{p.reworkNone}</li>
            ) : (
              reworkFlags.map((r) => {
                const s = reworkSentence(r, serviceLabel, lang);
                return s ? (
                  <li key={r.key} data-district={r.key}>
                    {s}
                  </li>
                ) : null;
              })
            )}
          </ul>
        }
      />

      <section className="card" aria-labelledby="extra-title" data-testid="process-extra">
        <header className="card-head">
          <h2 id="extra-title">{p.extraTitle}</h2>
        </header>
        <QueryView query={extra} what={p.extraTitle} height={120}>
          {(d) => (
            <>
              <ul className="flag-sentences" data-testid="extra-flags">
                {extraFlags.length === 0 ? (
                  <li className="muted">{p.extraNone}</li>
                ) : (
                  extraFlags.map((f) => (
                    <li
                      key={`${f.district}|${f.service_code}|${f.stage}`}
                      data-district={f.district}
                      data-stage={f.stage}
                    >
                      {extraSentence(f, lang)}
                    </li>
                  ))
                )}
              </ul>
              <p className="muted small">{p.extraTested(formatNumber(d.tested_pairs, lang))}</p>
              {extraFlags.length > 0 ? (
                <DataTable
                  id="process-extra"
                  caption={p.extraTitle}
                  columns={extraColumns(lang, p, names.district)}
                  rows={extraFlags}
                  rowKey={(f) => `${f.district}|${f.service_code}|${f.stage}`}
                />
              ) : null}
            </>
          )}
        </QueryView>
      </section>
    </div>
  );
}

type P = ReturnType<typeof useT>['t']['process'];

function edgeColumns(stageName: (s: string) => string, lang: Lang, p: P): Column<EdgeRow>[] {
  return [
    { key: 'from', header: p.stage, value: (e) => stageName(e.from) },
    { key: 'to', header: '→', value: (e) => stageName(e.to) },
    {
      key: 'count',
      header: p.count,
      value: (e) => e.count,
      render: (e) => formatNumber(e.count, lang),
      numeric: true,
    },
    {
      key: 'median',
      header: p.medianEdge,
      value: (e) => e.median_days,
      render: (e) => formatDays(e.median_days, lang),
      numeric: true,
    },
  ];
}

function stageColumns(
  stageName: (s: string) => string,
  lang: Lang,
  p: P,
  medianHeader: string,
): Column<StageRow>[] {
  return [
    { key: 'stage', header: p.stage, value: (r) => r.position, render: (r) => stageName(r.stage) },
    { key: 'actor', header: p.actor, value: (r) => p.actors[r.actor] },
    { key: 'n', header: p.steps, value: (r) => r.n, render: (r) => formatNumber(r.n, lang), numeric: true },
    {
      key: 'median',
      header: medianHeader,
      value: (r) => r.median_days,
      render: (r) => formatDays(r.median_days, lang),
      numeric: true,
    },
    {
      key: 'p90',
      header: 'p90',
      value: (r) => r.p90_days,
      render: (r) => formatDays(r.p90_days, lang),
      numeric: true,
    },
    {
      key: 'share',
      header: p.share,
      value: (r) => r.share,
      render: (r) => formatPercent(r.share, lang),
      numeric: true,
    },
  ];
}

function variantColumns(lang: Lang, p: P): Column<VariantRow>[] {
  return [
    {
      key: 'route',
      header: p.route,
      value: (v) => v.stages.join(' → '),
      render: (v) =>
        (lang === 'fa' ? v.stage_names : v.stage_names_en.map((n, i) => n || v.stage_names[i])).join(
          lang === 'fa' ? ' ← ' : ' → ',
        ),
      wrap: true,
    },
    {
      key: 'count',
      header: p.count,
      value: (v) => v.count,
      render: (v) => formatNumber(v.count, lang),
      numeric: true,
    },
    {
      key: 'share',
      header: p.share,
      value: (v) => v.share,
      render: (v) => formatPercent(v.share, lang),
      numeric: true,
    },
    {
      key: 'median',
      header: p.medianThroughput,
      value: (v) => v.median_throughput_days,
      render: (v) => formatDays(v.median_throughput_days, lang),
      numeric: true,
    },
  ];
}

function extraColumns(lang: Lang, p: P, district: (d: number) => string): Column<ExtraRow>[] {
  return [
    { key: 'district', header: p.district, value: (f) => f.district, render: (f) => district(f.district) },
    {
      key: 'stage',
      header: p.stage,
      value: (f) => (lang === 'fa' ? f.stage_name : f.stage_name_en || f.stage_name),
    },
    { key: 'n', header: p.cases, value: (f) => f.n, render: (f) => formatNumber(f.n, lang), numeric: true },
    {
      key: 'share',
      header: p.share,
      value: (f) => f.share,
      render: (f) => formatPercent(f.share, lang),
      numeric: true,
    },
    {
      key: 'other',
      header: p.otherShare,
      value: (f) => f.other_share,
      render: (f) => formatPercent(f.other_share, lang),
      numeric: true,
    },
    {
      key: 'limit',
      header: p.limit,
      value: (f) => f.hi998,
      render: (f) => formatPercent(f.hi998, lang),
      numeric: true,
    },
    { key: 'q', header: 'q', value: (f) => f.q, render: (f) => formatP(f.q, lang), numeric: true },
  ];
}
