/**
 * `/api/publication` (admins): whether the public scorecards are published, and the switch. Turning on
 * needs a licence line (kept from before if not given); every change goes to the audit log with who
 * and from where. Publishing computes the public figures in the background, so the first citizen does
 * not wait for them.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { ApiError } from '../errors.ts';
import { query } from '../params.ts';
import { type Deps, errorResponses, json, newRouter } from '../routes/router.ts';
import { type ClientOptions, clientIp } from '../security/client.ts';
import { publicSnapshot } from './figures.ts';
import { currentPublication, MAX_LICENCE_CHARS, PublicationError, setPublication } from './publication.ts';

export const PUBLIC_PAGE_PATH = '/public';

const PublicationSchema = z
  .object({
    published: z.boolean(),
    licence: z.string().nullable(),
    published_at: z.string().nullable(),
    changed_at: z.string().nullable(),
    changed_by: z.string().nullable(),
    public_url: z.string().openapi({ description: 'Where the public page is (404 while not published)' }),
  })
  .openapi('Publication');

export type PublicationState = z.infer<typeof PublicationSchema>;

export const PublicationBody = z.object({
  published: z.boolean({ error: 'published must be true or false' }),
  licence: z
    .string()
    .max(MAX_LICENCE_CHARS, `licence: at most ${MAX_LICENCE_CHARS} characters`)
    .optional()
    .openapi({ description: 'The licence line (required to publish unless one is already set)' }),
});

export const publicationRoutes = (deps: Deps, opts: ClientOptions = {}) =>
  newRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        summary: 'Whether the public scorecards and open data are published (admins)',
        request: { query: query({}) },
        responses: { ...json(PublicationSchema, 'The publication state'), ...errorResponses },
      }),
      async (c) => c.json({ ...(await currentPublication(deps.db)), public_url: PUBLIC_PAGE_PATH }, 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/',
        summary: 'Publishes or withdraws the public scorecards (admins; needs X-CSRF-Token); audited',
        request: { body: { content: { 'application/json': { schema: PublicationBody } }, required: true } },
        responses: { ...json(PublicationSchema, 'The new state'), ...errorResponses },
      }),
      async (c) => {
        const body = c.req.valid('json');
        try {
          const { state } = await setPublication(deps.db, {
            published: body.published,
            licence: body.licence,
            username: c.get('user')?.username ?? null,
            ip: clientIp(c, opts),
            via: 'web',
          });
          if (state.published)
            publicSnapshot(deps.cache).catch((err) => console.error(`[public] figures failed: ${err}`));
          return c.json({ ...state, public_url: PUBLIC_PAGE_PATH }, 200);
        } catch (err) {
          if (err instanceof PublicationError)
            throw new ApiError(400, 'bad_parameter', err.message, 'licence');
          throw err;
        }
      },
    );
