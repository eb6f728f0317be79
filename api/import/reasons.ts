/**
 * Reason codes stored in `rejects.reason`. One code per rule so that a summary can say "fix these 120 dates" rather
 * than "120 rows were bad". The dashboard shows `fa`/`en`; `detail` on each reject row carries the specifics.
 */
import type { Label } from '../lib/vocab.ts';

export const REASONS = {
  missing_required: {
    fa: 'مقدار الزامی خالی است',
    en: 'A required value is empty',
  },
  bad_date: {
    fa: 'تاریخ نامعتبر یا ناخوانا',
    en: 'Date is not a valid date in a recognised form',
  },
  closed_before_submitted: {
    fa: 'تاریخ بستن پیش از تاریخ ثبت است',
    en: 'Closed (or resolved) before it was submitted (or received)',
  },
  status_closed_mismatch: {
    fa: 'وضعیت با تاریخ بستن سازگار نیست (باز با تاریخ بستن، یا بسته بدون آن)',
    en: 'Status and closed date disagree (open with a closed date, or completed/rejected without one)',
  },
  unknown_office: {
    fa: 'دفتر ناشناخته',
    en: 'Office id is neither in this import nor in the database',
  },
  unknown_service: {
    fa: 'خدمت ناشناخته',
    en: 'Service code is neither in this import nor in the database',
  },
  unknown_status: {
    fa: 'وضعیت ناشناخته (در فایل نگاشت تعریف نشده)',
    en: 'Status is not open/completed/rejected/withdrawn and not mapped in the mapping file',
  },
  bad_value: {
    fa: 'مقدار خارج از واژگان یا بازه مجاز',
    en: 'Value outside the allowed vocabulary or range (channel, category, source, district, number, lifecycle, actor)',
  },
  duplicate_conflict: {
    fa: 'شناسه تکراری با محتوای متفاوت',
    en: 'The same id appears more than once with different content (none of them is loaded)',
  },
  unknown_case: {
    fa: 'شکایت یا رویداد برای پرونده‌ای ناشناخته',
    en: 'Complaint or event refers to a case id that is neither in this import nor in the database',
  },
  event_before_submitted: {
    fa: 'رویداد پیش از تاریخ ثبت پرونده',
    en: "Event is earlier than its case's submitted time",
  },
  office_conflict: {
    fa: 'یک دفتر با دو منطقه متفاوت',
    en: 'One office appears with two different districts (flat export)',
  },
  service_conflict: {
    fa: 'یک خدمت با دو دسته یا مهلت متفاوت',
    en: 'One service appears with two different categories or deadlines (flat export)',
  },
  ambiguous_match: {
    fa: 'نام با بیش از یک مورد در فهرست موجود جور درمی‌آید',
    en: 'The name matches more than one office or service in the catalogue (flat export)',
  },
  malformed_row: {
    fa: 'تعداد ستون‌های ردیف با سطر عنوان نمی‌خواند',
    en: 'The row has a different number of fields than the header',
  },
} as const satisfies Record<string, Label>;

export type ReasonCode = keyof typeof REASONS;

export const REASON_CODES = Object.keys(REASONS) as ReasonCode[];
