import { readFile } from 'node:fs/promises';
import { createRoute, z } from '@hono/zod-openapi';
import { ApiError } from '../errors.ts';
import { type Deps, ErrorSchema, newRouter } from './router.ts';

export const geoRoutes = (deps: Deps) => {
  let cached: Record<string, unknown> | null = null;
  return newRouter().openapi(
    createRoute({
      method: 'get',
      path: '/districts',
      summary: "GeoJSON of the city's districts, when the server was given one (--geo)",
      responses: {
        200: {
          content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } },
          description: 'GeoJSON FeatureCollection',
        },
        404: {
          content: { 'application/json': { schema: ErrorSchema } },
          description: 'No GeoJSON configured',
        },
      },
    }),
    async (c) => {
      if (!deps.geoPath)
        throw new ApiError(404, 'not_configured', 'No district map is configured (serve --geo <file>)');
      cached ??= JSON.parse(await readFile(deps.geoPath, 'utf8')) as Record<string, unknown>;
      return c.json(cached, 200);
    },
  );
};
