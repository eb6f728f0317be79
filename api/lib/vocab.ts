/** The contract's closed vocabularies, with Persian and English labels for display. */

export const CASE_STATUSES = ['open', 'completed', 'rejected', 'withdrawn'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
/** Only these have a duration ("closed" in DESIGN's metric definitions). */
export const CLOSED_STATUSES: readonly CaseStatus[] = ['completed', 'rejected'];

export const CHANNELS = ['in_person', 'online'] as const;
export type Channel = (typeof CHANNELS)[number];

export const COMPLAINT_CATEGORIES = [
  'delay',
  'bribe_request',
  'misconduct',
  'wrong_information',
  'fee_overcharge',
  'other',
] as const;
export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number];

export const COMPLAINT_SOURCES = ['137', '1888', 'office', 'online'] as const;
export type ComplaintSource = (typeof COMPLAINT_SOURCES)[number];

/** An event's lifecycle (DESIGN "events"): a step's start or its completion (the default). */
export const LIFECYCLES = ['start', 'complete'] as const;
export type Lifecycle = (typeof LIFECYCLES)[number];

/** Who holds a case during a step (DESIGN "events", "stages"). */
export const EVENT_ACTORS = ['office', 'municipality', 'citizen', 'other'] as const;
export type EventActor = (typeof EVENT_ACTORS)[number];

export interface Label {
  fa: string;
  en: string;
}

/** Service categories used by the demo catalogue; imported data may bring others (shown by code). */
export const SERVICE_CATEGORIES: Record<string, Label> = {
  building_permit: { fa: 'پروانه ساختمانی', en: 'Building permits' },
  technical_supervision: { fa: 'نظارت فنی', en: 'Technical supervision' },
  subdivision: { fa: 'تفکیک و تجمیع', en: 'Subdivision & merging' },
  inquiry: { fa: 'استعلام', en: 'Inquiries' },
  fees: { fa: 'عوارض', en: 'Fees' },
  business_licence: { fa: 'پروانه کسب', en: 'Business licences' },
  urban_services: { fa: 'خدمات شهری', en: 'Urban services' },
  transport: { fa: 'حمل و نقل', en: 'Transport' },
  real_estate: { fa: 'املاک', en: 'Real estate' },
};

export const STATUS_LABELS: Record<CaseStatus, Label> = {
  open: { fa: 'باز', en: 'Open' },
  completed: { fa: 'انجام‌شده', en: 'Completed' },
  rejected: { fa: 'ردشده', en: 'Rejected' },
  withdrawn: { fa: 'انصراف', en: 'Withdrawn' },
};

export const CHANNEL_LABELS: Record<Channel, Label> = {
  in_person: { fa: 'حضوری', en: 'In person' },
  online: { fa: 'برخط', en: 'Online' },
};

export const COMPLAINT_CATEGORY_LABELS: Record<ComplaintCategory, Label> = {
  delay: { fa: 'تأخیر', en: 'Delay' },
  bribe_request: { fa: 'درخواست رشوه', en: 'Bribe request' },
  misconduct: { fa: 'رفتار نامناسب', en: 'Misconduct' },
  wrong_information: { fa: 'اطلاعات نادرست', en: 'Wrong information' },
  fee_overcharge: { fa: 'دریافت اضافه', en: 'Fee overcharge' },
  other: { fa: 'سایر', en: 'Other' },
};

export const COMPLAINT_SOURCE_LABELS: Record<ComplaintSource, Label> = {
  '137': { fa: 'سامانه ۱۳۷', en: '137 city hotline' },
  '1888': { fa: 'سامانه ۱۸۸۸ (نظارت همگانی)', en: '1888 public oversight line' },
  office: { fa: 'در دفتر', en: 'At the office' },
  online: { fa: 'برخط', en: 'Online' },
};
