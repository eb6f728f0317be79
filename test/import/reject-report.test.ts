/**
 * Issue 13: the reject report speaks the user's language — the file's own headers, the case number in its own
 * field, Persian (and English) sentences, times as Tehran wall-clock in the Solar Hijri calendar beside ISO — in the
 * report JSON (also of a dry run, so the check-only summary and its list agree) and in the CLI's text, which is
 * Persian by default when the export's headers are. The expected instants were worked out by hand:
 * 1402/05/02 = 2023-07-24 (Farvardin 1 1402 = 2023-03-21, plus 4 × 31 + 1 days); Tehran is +03:30 in 2023.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importFiles, loadMapping, openDryRunDb } from '../../api/import/index.ts';
import { cleanup, FIXTURES, freshDb, MAPPINGS, REPO, tempDir } from './helpers.ts';

afterEach(cleanup);

const faFlat = () => loadMapping(join(MAPPINGS, 'fa-flat.json'));

function cli(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(REPO, 'api', 'import', 'cli.ts'), ...args], {
    cwd: REPO,
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('the reject report in the export’s words', () => {
  it('names the file’s headers, the case number and both times, in Persian and English; a dry run carries it too', async () => {
    const root = tempDir();
    const dry = await openDryRunDb(join(root, 'none.duckdb'));
    const d = await importFiles(dry, [join(FIXTURES, 'fa-flat')], { mapping: faFlat(), dryRun: true });
    dry.close();
    const db = await freshDb(root);
    const r = await importFiles(db, [join(FIXTURES, 'fa-flat')], { mapping: faFlat() });
    expect(r.lang).toBe('fa');
    // the same list whether checked only or imported; as many rows in it as the summary says were rejected
    expect(d.rejects).toEqual(r.rejects);
    expect(new Set(d.rejects.map((e) => e.line)).size).toBe(d.totals.rejected);
    expect(d.rejects_total).toBe(2);

    const [closed, status] = r.rejects;
    expect(closed).toMatchObject({
      file: 'گزارش پرونده‌ها ۱۴۰۲.csv',
      line: 8,
      record_id: '1402006',
      record_header: 'شماره پرونده',
      column: 'closed_at',
      header: 'تاریخ پایان',
      value: '۱۴۰۲/۰۵/۰۲ ۰۹:۰۰',
      reason: 'closed_before_submitted',
    });
    expect(closed.times).toEqual([
      {
        column: 'closed_at',
        header: 'تاریخ پایان',
        value: '۱۴۰۲/۰۵/۰۲ ۰۹:۰۰',
        iso: '2023-07-24T05:30:00Z',
        tehran: '2023-07-24 09:00',
        jalali: '1402/05/02 09:00',
      },
      {
        column: 'submitted_at',
        header: 'تاریخ ثبت',
        value: '۱۴۰۲/۰۵/۰۳ ۰۹:۰۰',
        iso: '2023-07-25T05:30:00Z',
        tehran: '2023-07-25 09:00',
        jalali: '1402/05/03 09:00',
      },
    ]);
    expect(closed.fa).toBe(
      '«تاریخ پایان» (۱۴۰۲/۰۵/۰۲ ساعت ۰۹:۰۰) پیش از «تاریخ ثبت» (۱۴۰۲/۰۵/۰۳ ساعت ۰۹:۰۰) است؛ پایان نمی‌تواند پیش از آغاز باشد.',
    );
    expect(closed.en).toBe(
      '“تاریخ پایان” (1402/05/02 09:00, 2023-07-24 09:00 Tehran time) is before “تاریخ ثبت” (1402/05/03 09:00, 2023-07-25 09:00 Tehran time): it cannot end before it began.',
    );
    expect(closed.fa).not.toMatch(/closed_at|submitted_at/);
    expect(status).toMatchObject({
      line: 9,
      record_id: '1402007',
      header: 'وضعیت',
      value: 'معلق',
      reason: 'unknown_status',
    });
    expect(status.fa).toContain('وضعیت «معلق» (ستون «وضعیت») در فایل نگاشت تعریف نشده است');
    // the old fields stay
    expect(r.files[0].reasons.map((x) => x.reason)).toEqual(['closed_before_submitted', 'unknown_status']);
    expect(r.files[0].headers).toMatchObject({ case_id: 'شماره پرونده', closed_at: 'تاریخ پایان' });
    db.close();
  });

  it('prints it in Persian by default for Persian headers, in English with --lang en', () => {
    const root = tempDir();
    const args = [
      join(FIXTURES, 'fa-flat'),
      '--db',
      join(root, 'x.duckdb'),
      '--mapping',
      join(MAPPINGS, 'fa-flat.json'),
      '--dry-run',
    ];
    const fa = cli(args);
    expect(fa.code).toBe(0);
    expect(fa.out).toContain('فقط بررسی شد — چیزی در پایگاه داده نوشته نشد');
    expect(fa.out).toContain(
      'سطر ۸ · شماره پرونده ۱۴۰۲۰۰۶ · «تاریخ پایان»: «تاریخ پایان» (۱۴۰۲/۰۵/۰۲ ساعت ۰۹:۰۰) پیش از «تاریخ ثبت»',
    );
    expect(fa.out).toContain('تاریخ پایان: ۱۴۰۲/۰۵/۰۲ ۰۹:۰۰ (تهران 2023-07-24 09:00، 2023-07-24T05:30:00Z)');
    expect(fa.out).toContain('۳ دفتر تازه، ۴ خدمت تازه');
    const en = cli([...args, '--lang', 'en']);
    expect(en.out).toContain('DRY RUN — nothing was written');
    expect(en.out).toContain(
      'line 8 · شماره پرونده 1402006 · “تاریخ پایان”: “تاریخ پایان” (1402/05/02 09:00',
    );
    expect(en.out).toContain('3 new offices, 4 new services, 3 new categories: check them');
  });

  it('a one-sheet export without a mapping fails with which mapping to use, in Persian and English', async () => {
    const root = tempDir();
    const db = await freshDb(root);
    const r = await importFiles(db, [join(FIXTURES, 'fa-flat')]);
    expect(r.status).toBe('failed');
    expect(r.lang).toBe('fa');
    expect(r.message).toContain('a mapping file is needed');
    expect(r.message).toContain('data/mappings/fa-flat.json (11 of 12)');
    expect(r.message_fa).toContain('این فایل بدون فایل نگاشت خوانده نمی‌شود');
    expect(r.message_fa).toContain('نگاشت data/mappings/fa-flat.json است (۱۱ از ۱۲)');
    expect(await db.all('SELECT count(*)::INTEGER AS n FROM cases')).toEqual([{ n: 0 }]);
    db.close();
  });
});
