/**
 * The API's shapes as the dashboard uses them, every one derived from the API's own declarations: the
 * zod response and query schemas in api/metrics/<metric>.ts (and the few other modules named below),
 * and the sign-in schemas in api/auth/routes.ts. Nothing here is written by hand, so a schema change
 * the dashboard does not follow fails `npm run lint`. Type-only imports: no server code reaches the
 * bundle.
 */
import type { z } from 'zod';
import type { AuditPage } from '../../api/audit/log.ts';
import type { ErrorBody } from '../../api/errors.ts';
import type { CaseTimelineAnswer } from '../../api/metrics/case-timeline.ts';
import type { CasesAnswer, CasesQuery } from '../../api/metrics/cases.ts';
import type { FunnelAnswer, FunnelQuery } from '../../api/metrics/funnel.ts';
import type { ImportsAnswer, RejectsAnswer, RejectsQuery } from '../../api/metrics/imports.ts';
import type { MetaAnswer } from '../../api/metrics/meta.ts';
import type { OutliersAnswer } from '../../api/metrics/outliers.ts';
import type { ProcessingAnswer, ProcessingQuery } from '../../api/metrics/processing.ts';
import type { ReportAnswer, ReportQuery } from '../../api/metrics/report.ts';
import type { OfficesAnswer, ScorecardAnswer } from '../../api/metrics/scorecard.ts';
import type { StageActorsAnswer, StageActorsQuery } from '../../api/metrics/stage-actors.ts';
import type { StageExtraAnswer, StageExtraQuery } from '../../api/metrics/stage-extra.ts';
import type { StageMapAnswer, StageMapQuery } from '../../api/metrics/stage-map.ts';
import type { StageVariantsAnswer, StageVariantsQuery } from '../../api/metrics/stage-variants.ts';
import type { StagesAnswer, StagesQuery } from '../../api/metrics/stages.ts';
import type { TrendsAnswer, TrendsQuery } from '../../api/metrics/trends.ts';
import type { VarianceAnswer, VarianceQuery } from '../../api/metrics/variance.ts';
import type { AuditQuery, ExportBody } from '../../api/routes/audit.ts';
import type { DistrictGeoJson, GeoStatusSchema } from '../../api/routes/geo.ts';
import type { ImportReportSchema } from '../../api/routes/upload.ts';
import type { FilterKey, Filters } from '../lib/url.ts';

export type { SignedIn } from '../../api/auth/routes.ts';
export type { AuthUser, Role } from '../../api/auth/users.ts';
export type { CaseStatus, Channel } from '../../api/lib/vocab.ts';
export type { AccessResponse } from '../../api/metrics/access.ts';
export type { FunnelMetric } from '../../api/metrics/funnel.ts';
export type { Signal } from '../../api/metrics/reasons.ts';
export type { Calendar } from '../../api/params.ts';
export type { AuditPage, DistrictGeoJson };

export type ApiErrorBody = ErrorBody;

/**
 * What the dashboard may send to an endpoint: exactly its query schema's parameters (so an unknown
 * one, which the API refuses with a 400, fails the type check), with the common filters as the URL
 * holds them.
 */
export type ParamsOf<Q extends z.ZodType> = Sendable<Omit<z.input<Q>, FilterKey>> & Filters;
/** A number the API coerces from text (z.coerce: its input type is unknown) is sent as a number. */
type Sendable<T> = { [K in keyof T]: unknown extends T[K] ? number | undefined : T[K] };

export type Meta = MetaAnswer;

export type Processing = ProcessingAnswer;
export type ProcessingRow = Processing['rows'][number];
export type ProcessingParams = ParamsOf<typeof ProcessingQuery>;

export type Variance = VarianceAnswer;
export type VarianceDistrict = Variance['districts'][number];
export type VarianceParams = ParamsOf<typeof VarianceQuery>;

export type Funnel = FunnelAnswer;
export type FunnelRow = Funnel['rows'][number];
export type FunnelParams = ParamsOf<typeof FunnelQuery>;

export type Outliers = OutliersAnswer;
export type OfficeFlag = Outliers['flags'][number];
export type DistrictFlag = Outliers['district_flags'][number];

export type Offices = OfficesAnswer;
export type OfficeRow = Offices['rows'][number];

export type OfficeScorecard = ScorecardAnswer;
export type ScoreMetrics = OfficeScorecard['metrics']['office'];

export type Report = ReportAnswer;
export type ReportChange = Report['changes'][number];
export type ReportParams = ParamsOf<typeof ReportQuery>;

export type Trends = TrendsAnswer;
export type TrendPoint = Trends['series'][number]['points'][number];
export type TrendParams = ParamsOf<typeof TrendsQuery>;

export type Cases = CasesAnswer;
export type CaseRow = Cases['rows'][number];
export type CaseParams = ParamsOf<typeof CasesQuery>;

export type CaseTimeline = CaseTimelineAnswer;

export type Stages = StagesAnswer;
export type StagesParams = ParamsOf<typeof StagesQuery>;
export type StageActors = StageActorsAnswer;
export type StageActorsParams = ParamsOf<typeof StageActorsQuery>;
export type StageVariants = StageVariantsAnswer;
export type StageVariantsParams = ParamsOf<typeof StageVariantsQuery>;
export type StageExtra = StageExtraAnswer;
export type StageExtraParams = ParamsOf<typeof StageExtraQuery>;
export type StageMap = StageMapAnswer;
export type StageMapParams = ParamsOf<typeof StageMapQuery>;

export type Imports = ImportsAnswer;
export type ImportRow = Imports['imports'][number];
export type Rejects = RejectsAnswer;
export type RejectRow = Rejects['rows'][number];
export type RejectsParams = ParamsOf<typeof RejectsQuery>;
export type ImportReport = z.output<typeof ImportReportSchema>;

export type AuditRow = AuditPage['rows'][number];
export type AuditParams = z.input<typeof AuditQuery>;
export type AuditExport = z.input<typeof ExportBody>;

export type GeoStatus = z.output<typeof GeoStatusSchema>;
