/** GET /api/access: DESIGN 16, computed in api/metrics/access.ts. */
import { createRoute } from '@hono/zod-openapi';
import { TableFilterQuery } from '../filters.ts';
import { AccessSchema, access, HIGHLY_CONCENTRATED_HHI } from '../metrics/access.ts';
import { cachedAnswer, contextOf, type Deps, errorResponses, json, newRouter } from './router.ts';

export const accessRoutes = (deps: Deps) =>
  newRouter().openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary: 'Access and capacity per district, city-wide and per operator (DESIGN 16)',
      description:
        'Over the filtered window: active offices (at least one case), residents per office, offices per 100,000 ' +
        'residents and cases per 1,000 residents per year (× 365.25 / days) where the districts table holds a ' +
        'population (null otherwise, never guessed); cases per office per day; online share (online / cases with a ' +
        'recorded channel); the Herfindahl–Hirschman index Σ(100·sᵢ)² of the offices’ and of the operators’ shares of ' +
        'the cases (an office without an operator counts as its own), with the largest operator’s share; ' +
        `highly_concentrated when the operators’ HHI exceeds ${HIGHLY_CONCENTRATED_HHI} (US Merger Guidelines 2023). ` +
        'days: from `from` (else the first submitted_at in the data) to `to` (else the as-of time), clipped to that ' +
        'span; `window` says which. `total` covers the filtered places (an inspector’s districts), `city` the whole ' +
        'city with the same window and service filters.',
      request: { query: TableFilterQuery },
      responses: {
        ...json(AccessSchema, 'Per district, the selection, the city, and operators'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return cachedAnswer(deps, c, AccessSchema, q, async () => access(await contextOf(deps, c, q)));
    },
  );
