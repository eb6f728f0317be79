/**
 * The public API's own request and response schemas. Nothing here is shared with the signed-in API:
 * every answer is built field by field for the public and then parsed through these schemas (which drop
 * any key they do not name), so an internal field cannot reach a citizen by accident. The web's public
 * page takes its types from here (`z.infer`), and test/public/fields.test.ts holds the allow-list.
 */
import { z } from '@hono/zod-openapi';
import { toLatinDigits } from '../lib/digits.ts';
import { query } from '../params.ts';
import { DEFINITION_KEYS, MIN_N, WINDOW_DAYS } from './definitions.ts';

const MAX_TEXT = 200;

export const NameSchema = z.object({ fa: z.string(), en: z.string() });

export const FigureSchema = z
  .object({
    value: z
      .number()
      .nullable()
      .openapi({
        description: `The figure; null when it rests on fewer than ${MIN_N} cases ("too few cases")`,
      }),
    n: z.number().int().openapi({ description: 'The number of cases the figure rests on' }),
  })
  .openapi('PublicFigure');

export const FiguresSchema = z
  .object({
    n_cases: z.number().int().openapi({ description: 'Cases submitted in the window' }),
    median_days: FigureSchema.openapi({ description: 'Median days of closed cases; n = closed cases' }),
    on_time_share: FigureSchema.openapi({
      description: 'Share (0–1) finished within the statutory deadline; n = cases decided against it',
    }),
    complaints_per_1000: FigureSchema.openapi({ description: 'Complaints per 1,000 cases; n = cases' }),
  })
  .openapi('PublicFigures');

export const ServiceRefSchema = z
  .object({
    service_code: z.string(),
    name: z.string(),
    name_en: z.string().nullable(),
    category: z.string().nullable(),
    category_name: NameSchema.nullable(),
    sla_days: z.number().int().nullable().openapi({ description: 'Statutory deadline in calendar days' }),
  })
  .openapi('PublicService');

const DistrictRefSchema = z.object({ district: z.number().int(), name: NameSchema });

const definitionsShape = Object.fromEntries(DEFINITION_KEYS.map((k) => [k, NameSchema])) as Record<
  (typeof DEFINITION_KEYS)[number],
  typeof NameSchema
>;

/** What every public answer starts with: which data, which window, under which terms, defined where. */
export const headShape = {
  as_of: z.string().nullable().openapi({ description: "The dataset's as-of time (ISO 8601, UTC)" }),
  published_at: z.string().nullable().openapi({ description: 'When the admin last published (ISO 8601)' }),
  licence: z.string().openapi({ description: 'The licence line chosen by the admin' }),
  window: z.object({
    from: z.string().nullable(),
    to: z.string().nullable(),
    days: z.literal(WINDOW_DAYS),
  }),
  min_n: z.literal(MIN_N),
  definitions_url: z.string().openapi({ description: 'The public Method page with these definitions' }),
  definitions: z.object(definitionsShape),
};

const ServiceFiguresSchema = z.object({ service: ServiceRefSchema, figures: FiguresSchema });

export const OfficesResponse = z
  .object({
    ...headShape,
    filters: z.object({
      district: z.number().int().nullable(),
      service: z.string().nullable(),
      q: z.string().nullable(),
      top: z.number().int().nullable(),
    }),
    offices: z.array(
      z.object({
        office_id: z.string(),
        name: z.string(),
        district: z.number().int(),
        district_name: NameSchema,
        all_services: FiguresSchema,
        services: z.array(ServiceFiguresSchema),
      }),
    ),
  })
  .openapi('PublicOffices');

const CompareSchema = z.object({ office: FiguresSchema, district: FiguresSchema, city: FiguresSchema });

export const OfficeResponse = z
  .object({
    ...headShape,
    office: z.object({
      office_id: z.string(),
      name: z.string(),
      district: z.number().int(),
      district_name: NameSchema,
    }),
    all_services: CompareSchema,
    services: z.array(z.object({ service: ServiceRefSchema, ...CompareSchema.shape })),
  })
  .openapi('PublicOffice');

export const DistrictsResponse = z
  .object({
    ...headShape,
    filters: z.object({ service: z.string().nullable(), top: z.number().int().nullable() }),
    city: FiguresSchema.openapi({ description: 'The whole city (for the service when one is chosen)' }),
    districts: z.array(
      DistrictRefSchema.extend({
        n_offices: z.number().int().openapi({ description: 'Offices with at least one case in the window' }),
        all_services: FiguresSchema,
        services: z.array(ServiceFiguresSchema),
      }),
    ),
  })
  .openapi('PublicDistricts');

const ServiceNameSchema = z.object({
  service_code: z.string(),
  name: z.string(),
  name_en: z.string().nullable(),
});

export const DistrictResponse = z
  .object({
    ...headShape,
    district: DistrictRefSchema,
    n_offices: z.number().int(),
    all_services: z.object({ district: FiguresSchema, city: FiguresSchema }),
    services: z.array(z.object({ service: ServiceRefSchema, district: FiguresSchema, city: FiguresSchema })),
    offices: z.array(
      z.object({
        office_id: z.string(),
        name: z.string(),
        all_services: FiguresSchema,
        main_services: z.array(ServiceNameSchema),
      }),
    ),
  })
  .openapi('PublicDistrict');

export const ServicesResponse = z
  .object({
    ...headShape,
    filters: z.object({ category: z.string().nullable(), q: z.string().nullable() }),
    all_services: FiguresSchema.openapi({ description: 'The whole city, every service' }),
    services: z.array(
      z.object({
        service: ServiceRefSchema,
        n_offices: z.number().int().openapi({ description: 'Offices with at least one case of it' }),
        city: FiguresSchema,
      }),
    ),
  })
  .openapi('PublicServices');

const OfficeFiguresSchema = z.object({
  office_id: z.string(),
  name: z.string(),
  district: z.number().int(),
  figures: FiguresSchema,
});

export const ServiceResponse = z
  .object({
    ...headShape,
    service: ServiceRefSchema,
    district: DistrictRefSchema.nullable().openapi({ description: 'The district chosen, if any' }),
    city: FiguresSchema,
    district_figures: FiguresSchema.nullable(),
    districts: z.array(DistrictRefSchema.extend({ figures: FiguresSchema })),
    limit: z.number().int(),
    quickest: z
      .array(OfficeFiguresSchema.extend({ rank: z.number().int() }))
      .openapi({ description: 'Offices by median days, quickest first (only those with a median)' }),
    n_ranked: z.number().int().openapi({ description: 'Offices with a median (before the limit)' }),
    too_few: z
      .array(OfficeFiguresSchema)
      .openapi({ description: `Offices that handled the service, with fewer than ${MIN_N} closed cases` }),
  })
  .openapi('PublicServiceDetail');

export type PublicFigure = z.infer<typeof FigureSchema>;
export type PublicFigures = z.infer<typeof FiguresSchema>;
export type PublicServiceRef = z.infer<typeof ServiceRefSchema>;
export type PublicOffices = z.infer<typeof OfficesResponse>;
export type PublicOffice = z.infer<typeof OfficeResponse>;
export type PublicDistricts = z.infer<typeof DistrictsResponse>;
export type PublicDistrict = z.infer<typeof DistrictResponse>;
export type PublicServices = z.infer<typeof ServicesResponse>;
export type PublicService = z.infer<typeof ServiceResponse>;
export type PublicHead = z.infer<z.ZodObject<typeof headShape>>;

/* ---- requests ---- */

const text = (description: string) => z.string().max(MAX_TEXT).openapi({ description });

/** A district number, Persian digits allowed; the route checks that it exists. */
const districtParam = z
  .string()
  .max(MAX_TEXT)
  .transform((s, ctx) => {
    const d = toLatinDigits(s.trim());
    if (!/^\d{1,4}$/.test(d)) {
      ctx.addIssue({ code: 'custom', message: `${JSON.stringify(s.slice(0, 40))} is not a district number` });
      return z.NEVER;
    }
    return Number(d);
  })
  .openapi({ description: 'District number (1–22 for Tehran)', type: 'string' });

const count = (name: string, min: number, max: number, description: string) =>
  z.coerce
    .number({ error: `${name} must be a whole number` })
    .int(`${name} must be a whole number`)
    .min(min, `${name} must be at least ${min}`)
    .max(max, `${name} must be at most ${max}`)
    .openapi({ description, type: 'integer' });

export const FORMATS = ['json', 'csv'] as const;
const format = z
  .enum(FORMATS)
  .default('json')
  .openapi({ description: 'json (default) or csv (UTF-8 with BOM, one row per group and service)' });

export const OfficesQuery = query({
  district: districtParam.optional(),
  service: text('Only offices that handled this service (code), with only its figures').optional(),
  q: text('Part of the office name (Persian or Latin letters and digits)').optional(),
  top: count('top', 0, 500, 'At most this many services per office, most handled first').optional(),
  format,
});

export const DistrictsQuery = query({
  service: text('Only this service (code)').optional(),
  top: count('top', 0, 500, 'At most this many services per district, most handled first').optional(),
  format,
});

export const ServicesQuery = query({
  category: text('Only this service category').optional(),
  q: text('Part of the service name (Persian or English)').optional(),
  format,
});

export const ServiceQuery = query({
  district: districtParam.optional(),
  limit: count('limit', 1, 500, 'How many of the quickest offices to list (default 10)').default(10),
});

export const OfficeParams = z.object({ id: text('Office id') });
export const DistrictParams = z.object({ district: districtParam });
export const ServiceParams = z.object({ code: text('Service code') });
