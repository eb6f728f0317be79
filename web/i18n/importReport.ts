/** Words of the upload report's details (rejected rows, notices): the sentences themselves come from the API. */
import type { Lang } from '../lib/format.ts';

const fa = {
  notices: 'نکته‌ها',
  rejectsDry: 'ردیف‌هایی که این بررسی رد می‌کند (چیزی ذخیره نشده است)',
  rejectsReal: 'ردیف‌های ردشده در این واردسازی',
  noneRejected: 'هیچ ردیفی رد نشد.',
  shown: (shown: string, total: string) => `${shown} مورد نخست از ${total} مشکل`,
  file: 'فایل',
  line: 'سطر',
  record: 'شناسه',
  column: 'ستون',
  value: 'مقدار',
  problem: 'مشکل و راه درست کردن',
  times: 'زمان (تهران)',
};

const en: typeof fa = {
  notices: 'Notes',
  rejectsDry: 'Rows this check rejects (nothing was saved)',
  rejectsReal: 'Rows rejected by this import',
  noneRejected: 'No row was rejected.',
  shown: (shown, total) => `the first ${shown} of ${total} problems`,
  file: 'File',
  line: 'Line',
  record: 'Id',
  column: 'Column',
  value: 'Value',
  problem: 'Problem and how to fix it',
  times: 'Time (Tehran)',
};

export const importReportWords = (lang: Lang) => (lang === 'en' ? en : fa);
