import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { audit, listAudit } from '../../api/audit/log.ts';
import { Db } from '../../api/db.ts';
import { buildApp, dbWithUsers, login } from './helpers.ts';

describe('audit log', () => {
  let db: Db;
  beforeEach(async () => {
    db = await dbWithUsers();
  });
  afterEach(() => db.close());

  it('records sign-ins, failed sign-ins and sign-outs', async () => {
    const app = buildApp(db);
    await login(app, 'commish', 'wrong-pass-1');
    await login(app, 'ghost', 'wrong-pass-2');
    const ok = await login(app, 'commish', 'commish-pass');
    await app.request('http://shafaf.test/api/auth/logout', {
      method: 'POST',
      headers: { cookie: ok.cookie, 'x-csrf-token': ok.csrf },
    });
    const log = await listAudit(db);
    expect(log.total).toBe(4);
    const byAction = log.rows.map((r) => [r.action, r.username, r.detail]);
    expect(byAction).toEqual(
      expect.arrayContaining([
        ['login_failed', 'commish', { reason: 'wrong_password' }],
        ['login_failed', null, { attempted: 'ghost', reason: 'unknown_user' }],
        ['login', 'commish', null],
        ['logout', 'commish', null],
      ]),
    );
    expect(JSON.stringify(log)).not.toContain('wrong-pass');
    expect(log.rows[0].ip).toBe('unknown'); // in-process requests have no socket
  });

  it('pages newest first and filters by action', async () => {
    const db2 = await Db.open(':memory:', { threads: 1 });
    try {
      const t0 = Date.UTC(2024, 2, 20, 12, 0, 0);
      for (let i = 0; i < 5; i++) {
        await audit(db2, {
          action: i % 2 === 0 ? 'export' : 'import',
          username: 'm',
          detail: { i, filters: { district: '3' } },
          atMs: t0 + i * 1000,
        });
      }
      const p1 = await listAudit(db2, { page: 1, page_size: 2 });
      expect(p1.total).toBe(5);
      expect(p1.rows.map((r) => r.detail?.i)).toEqual([4, 3]);
      expect(p1.rows[0].at).toBe('2024-03-20T12:00:04.000Z');
      const p3 = await listAudit(db2, { page: 3, page_size: 2 });
      expect(p3.rows.map((r) => r.detail?.i)).toEqual([0]);
      const exports = await listAudit(db2, { action: 'export' });
      expect(exports.total).toBe(3);
      expect(exports.rows.map((r) => r.detail?.i)).toEqual([4, 2, 0]);
      await expect(listAudit(db2, { page_size: 10_000 })).rejects.toThrow(/page_size/);
      await expect(listAudit(db2, { action: 'drop' as never })).rejects.toThrow(/action/);
    } finally {
      db2.close();
    }
  });

  it('keeps a huge detail as a short preview', async () => {
    await audit(db, { action: 'export', detail: { filter: 'x'.repeat(10_000) } });
    const [row] = (await listAudit(db, { action: 'export' })).rows;
    expect(row.detail?.truncated).toBe(true);
    expect(String(row.detail?.preview).length).toBe(1000);
  });
});
