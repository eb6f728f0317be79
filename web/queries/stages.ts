/**
 * Where the days go (issue 11): query factories for /api/stages… and a case's timeline. The response
 * types come from the API's zod schemas (type-only imports), so a change on either side fails lint.
 */
import { queryOptions } from '@tanstack/react-query';
import type { TimelineBody } from '../../api/metrics/case-timeline.ts';
import type { ActorGroup, ActorsBody } from '../../api/metrics/stage-actors.ts';
import type { ExtraBody } from '../../api/metrics/stage-extra.ts';
import type { MapBody } from '../../api/metrics/stage-map.ts';
import type { VariantsBody } from '../../api/metrics/stage-variants.ts';
import type { StageGroup, StagesBody } from '../../api/metrics/stages.ts';
import { get } from '../api/client.ts';
import type { Filters } from '../lib/url.ts';

export type { ActorsBody, ExtraBody, MapBody, StagesBody, TimelineBody, VariantsBody };

export const stagesOptions = (params: Filters & { by?: StageGroup; stage?: string; min_n?: number }) =>
  queryOptions({
    queryKey: ['stages', params],
    queryFn: ({ signal }) => get<StagesBody>('/stages', { ...params }, signal),
  });

export const stageActorsOptions = (params: Filters & { by: ActorGroup }) =>
  queryOptions({
    queryKey: ['stages', 'actors', params],
    queryFn: ({ signal }) => get<ActorsBody>('/stages/actors', { ...params }, signal),
  });

export const stageVariantsOptions = (params: Filters & { limit?: number; min_n?: number }) =>
  queryOptions({
    queryKey: ['stages', 'variants', params],
    queryFn: ({ signal }) => get<VariantsBody>('/stages/variants', { ...params }, signal),
  });

export const stageExtraOptions = (params: Filters & { min_n?: number }) =>
  queryOptions({
    queryKey: ['stages', 'extra', params],
    queryFn: ({ signal }) => get<ExtraBody>('/stages/extra', { ...params }, signal),
  });

export const stageMapOptions = (params: Filters & { all?: boolean }) =>
  queryOptions({
    queryKey: ['stages', 'map', params],
    queryFn: ({ signal }) => get<MapBody>('/stages/map', { ...params }, signal),
  });

export const caseTimelineOptions = (id: string) =>
  queryOptions({
    queryKey: ['cases', 'timeline', id],
    queryFn: ({ signal }) => get<TimelineBody>(`/cases/${encodeURIComponent(id)}`, {}, signal),
  });
