/** Where the days go (issue 11): the /api/stages… requests and a case's timeline. */
import type {
  CaseTimeline,
  StageActors,
  StageActorsParams,
  StageExtra,
  StageExtraParams,
  StageMap,
  StageMapParams,
  Stages,
  StagesParams,
  StageVariants,
  StageVariantsParams,
} from '../api/types.ts';
import type { Filters } from '../lib/url.ts';
import { apiQuery } from './query.ts';

export const stagesOptions = (params: StagesParams) =>
  apiQuery<Stages>(['stages', params], '/stages', params);

export const stageActorsOptions = (params: StageActorsParams) =>
  apiQuery<StageActors>(['stages', 'actors', params], '/stages/actors', params);

export const stageVariantsOptions = (params: StageVariantsParams) =>
  apiQuery<StageVariants>(['stages', 'variants', params], '/stages/variants', params);

export const stageExtraOptions = (params: StageExtraParams) =>
  apiQuery<StageExtra>(['stages', 'extra', params], '/stages/extra', params);

export const stageMapOptions = (params: StageMapParams) =>
  apiQuery<StageMap>(['stages', 'map', params], '/stages/map', params);

/** The common filters are sent as the case list's, so an out-of-scope district reads as a 404. */
export const caseTimelineOptions = (id: string, filters: Filters = {}) =>
  apiQuery<CaseTimeline>(['cases', 'timeline', id, filters], `/cases/${encodeURIComponent(id)}`, filters);
