/** Words of the upload report's notes and a check's rejected rows: the sentences themselves come from the API. */
import type { Lang } from '../lib/format.ts';

const fa = {
  notices: 'نکته‌ها',
  record: 'شناسه',
  problem: 'مشکل و راه درست کردن',
  times: 'زمان (تهران)',
};

const en: typeof fa = {
  notices: 'Notes',
  record: 'Id',
  problem: 'Problem and how to fix it',
  times: 'Time (Tehran)',
};

export const importReportWords = (lang: Lang) => (lang === 'en' ? en : fa);
