import { readFile } from 'node:fs/promises';
import { createRoute, z } from '@hono/zod-openapi';
import { ApiError, ErrorSchema } from '../errors.ts';
import { query } from '../params.ts';
import { type Deps, errorResponses, json, newRouter } from './router.ts';

/**
 * District boundaries are optional third-party data (OpenStreetMap, ODbL). The dashboard first asks
 * whether the server has them (`GET /api/geo`), so a server without them is a normal state — the
 * schematic tile map — and never a failed request.
 */
export const GeoStatusSchema = z.object({
  boundaries: z.boolean().openapi({ description: 'Whether /api/geo/districts serves a boundary file' }),
  attribution: z.string().nullable().openapi({ description: 'Licence line to show with the map' }),
});

/**
 * The boundary file as the dashboard's map reads it (web/charts/districtMap.ts): a FeatureCollection
 * whose features carry their district number. The file is served as given.
 */
export const DistrictGeoJsonSchema = z.object({
  type: z.literal('FeatureCollection'),
  attribution: z.string().optional(),
  features: z.array(
    z.object({
      type: z.literal('Feature'),
      properties: z.looseObject({
        district: z.number(),
        name_fa: z.string().optional(),
        name_en: z.string().optional(),
      }),
      geometry: z.object({ type: z.string(), coordinates: z.unknown() }),
    }),
  ),
});
export type DistrictGeoJson = z.output<typeof DistrictGeoJsonSchema>;

export const OSM_ATTRIBUTION = '© OpenStreetMap contributors, ODbL 1.0';

export const geoRoutes = (deps: Deps) => {
  let cached: DistrictGeoJson | null = null;
  return newRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        summary: 'Whether district boundaries are configured (serve --geo), and their attribution',
        request: { query: query({}) },
        responses: { ...json(GeoStatusSchema, 'Boundary availability'), 400: errorResponses[400] },
      }),
      (c) =>
        c.json(
          { boundaries: deps.geoPath !== null, attribution: deps.geoPath ? OSM_ATTRIBUTION : null },
          200,
        ),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/districts',
        summary: "GeoJSON of the city's districts, when the server was given one (--geo)",
        request: { query: query({}) },
        responses: {
          400: errorResponses[400],
          200: {
            content: { 'application/json': { schema: DistrictGeoJsonSchema } },
            description: 'GeoJSON FeatureCollection',
          },
          404: {
            content: { 'application/json': { schema: ErrorSchema } },
            description: 'No GeoJSON configured (GET /api/geo says so first)',
          },
        },
      }),
      async (c) => {
        if (!deps.geoPath)
          throw new ApiError(404, 'not_configured', 'No district map is configured (serve --geo <file>)');
        cached ??= JSON.parse(await readFile(deps.geoPath, 'utf8')) as DistrictGeoJson;
        return c.json(cached, 200);
      },
    );
};
