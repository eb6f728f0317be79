/**
 * One case's stages (issue 11): each step with its start, completion, waiting, processing and step
 * time, and whose hands it was in; the days by actor and the throughput. Opened from a case list.
 */
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { CaseTimeline as Timeline } from '../api/types.ts';
import { ACTOR_COLORS } from '../charts/process.ts';
import { useT } from '../i18n/useT.ts';
import { formatDateTime, formatDays, formatNumber } from '../lib/format.ts';
import { caseTimelineOptions } from '../queries/stages.ts';
import { type Column, DataTable } from './DataTable.tsx';
import { QueryView } from './States.tsx';

type Step = Timeline['steps'][number];

export function CaseTimeline({ caseId, onClose }: { caseId: string; onClose: () => void }) {
  const { t, lang } = useT();
  const p = t.process;
  const q = useQuery(caseTimelineOptions(caseId));
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, []);
  const stageLabel = (s: Step) => (lang === 'fa' ? s.stage_name : s.stage_name_en || s.stage_name);
  const columns: Column<Step>[] = [
    {
      key: 'n',
      header: '#',
      value: (s) => s.step_no,
      render: (s) => formatNumber(s.step_no, lang),
      numeric: true,
    },
    {
      key: 'stage',
      header: p.timeline.step,
      value: (s) => stageLabel(s),
      render: (s) => (
        <>
          {stageLabel(s)}
          {s.visit > 1 ? (
            <span className="muted small">
              {' '}
              ({p.timeline.repeat} {formatNumber(s.visit, lang)})
            </span>
          ) : null}
        </>
      ),
    },
    {
      key: 'actor',
      header: p.actor,
      value: (s) => p.actors[s.actor],
      render: (s) => (
        <span>
          <span className="swatch" style={{ background: ACTOR_COLORS[s.actor] }} aria-hidden="true" />{' '}
          {p.actors[s.actor]}
        </span>
      ),
    },
    {
      key: 'started',
      header: p.timeline.startedAt,
      value: (s) => s.started_at,
      render: (s) => (s.started_at ? formatDateTime(s.started_at, lang) : ''),
    },
    {
      key: 'completed',
      header: p.timeline.completedAt,
      value: (s) => s.completed_at,
      render: (s) => formatDateTime(s.completed_at, lang),
    },
    {
      key: 'waiting',
      header: p.timeline.waiting,
      value: (s) => s.waiting_days,
      render: (s) => (s.waiting_days == null ? '' : formatDays(s.waiting_days, lang)),
      numeric: true,
    },
    {
      key: 'processing',
      header: p.timeline.processing,
      value: (s) => s.processing_days,
      render: (s) => (s.processing_days == null ? '' : formatDays(s.processing_days, lang)),
      numeric: true,
    },
    {
      key: 'days',
      header: p.timeline.stepDays,
      value: (s) => s.step_days,
      render: (s) => formatDays(s.step_days, lang),
      numeric: true,
    },
  ];
  return (
    <section className="card case-timeline" aria-labelledby="timeline-title" data-testid="case-timeline">
      <header className="card-head">
        <h2 id="timeline-title" ref={heading} tabIndex={-1}>
          {p.timeline.title(caseId)}
        </h2>
        <div className="card-actions no-print">
          <button type="button" className="btn btn-small" onClick={onClose} data-testid="timeline-close">
            {p.timeline.close}
          </button>
        </div>
      </header>
      <QueryView query={q} what={p.timeline.title(caseId)} height={160}>
        {(d) =>
          d.steps.length === 0 ? (
            <p className="muted">{p.timeline.noSteps}</p>
          ) : (
            <>
              <DataTable
                id="timeline"
                caption={p.timeline.title(caseId)}
                columns={columns}
                rows={d.steps}
                rowKey={(s) => String(s.step_no)}
                csv={false}
              />
              <p className="muted small" data-testid="timeline-summary">
                {p.timeline.throughput(formatDays(d.throughput_days, lang))} · {p.timeline.byActor}:{' '}
                {(['office', 'municipality', 'citizen', 'other'] as const)
                  .filter((a) => d.days_by_actor[a] > 0)
                  .map((a) => `${p.actors[a]} ${formatDays(d.days_by_actor[a], lang)}`)
                  .join(lang === 'fa' ? '، ' : ', ')}
              </p>
            </>
          )
        }
      </QueryView>
    </section>
  );
}
