/**
 * The demo city's catalogue of 128 services. Names are the ones Iranian municipalities use for their
 * electronic-office services (DESIGN.md "Typical services"), extended believably. Each service has a
 * statutory deadline (`sla_days`) and a duration model: a lognormal body around `median_days` with
 * spread `sigma`, to which the generator adds a long right tail (cases stuck on another agency).
 * Codes are stable: tests, ground truth and bookmarks refer to them.
 */

export type ServiceCategory =
  | 'building_permit'
  | 'technical_supervision'
  | 'subdivision'
  | 'inquiry'
  | 'fees'
  | 'business_licence'
  | 'urban_services'
  | 'transport'
  | 'real_estate';

export interface DemoService {
  service_code: string;
  name: string;
  name_en: string;
  category: ServiceCategory;
  sla_days: number;
  /** Median processing time in days before office, district and anomaly effects. */
  median_days: number;
  /** Log-scale spread of the lognormal body. */
  sigma: number;
  /** Share of all cases (the weights sum to 1 over the catalogue). */
  share: number;
}

/** Share of case volume per category: fees, inquiries and permits dominate. */
export const CATEGORY_SHARES: Record<ServiceCategory, number> = {
  inquiry: 0.24,
  fees: 0.22,
  building_permit: 0.25,
  technical_supervision: 0.08,
  business_licence: 0.07,
  urban_services: 0.05,
  transport: 0.04,
  subdivision: 0.03,
  real_estate: 0.02,
};

/** Log-scale spread per category: fees vary from minutes to days, permits less so in relative terms. */
const CATEGORY_SIGMA: Record<ServiceCategory, number> = {
  inquiry: 0.7,
  fees: 0.85,
  building_permit: 0.55,
  technical_supervision: 0.6,
  business_licence: 0.6,
  urban_services: 0.65,
  transport: 0.7,
  subdivision: 0.5,
  real_estate: 0.5,
};

/** [code, Persian name, English name, sla_days, median_days, relative weight within the category] */
type Row = readonly [string, string, string, number, number, number];

const ROWS: Record<ServiceCategory, readonly Row[]> = {
  building_permit: [
    ['BP-01', 'دستور نقشه', 'Planning instruction', 7, 5, 20],
    ['BP-02', 'صدور پروانه ساختمانی', 'Building permit', 15, 17, 18],
    ['BP-03', 'تمدید پروانه ساختمانی', 'Building permit extension', 7, 6, 10],
    ['BP-04', 'اصلاح پروانه ساختمانی', 'Building permit amendment', 15, 12, 7],
    ['BP-05', 'گواهی عدم خلاف', 'Certificate of no violation', 10, 8, 12],
    ['BP-06', 'گواهی پایان‌کار', 'Completion certificate', 15, 16, 8],
    ['BP-07', 'المثنی پروانه ساختمانی', 'Duplicate building permit', 7, 4, 2],
    ['BP-08', 'پروانه تعمیرات اساسی', 'Major repairs permit', 10, 9, 3],
    ['BP-09', 'پروانه تخریب', 'Demolition permit', 10, 7, 2],
    ['BP-10', 'مجوز دیوارکشی', 'Boundary wall permit', 10, 6, 2],
    ['BP-11', 'مجوز بهسازی نما', 'Facade renovation permit', 10, 8, 2],
    ['BP-12', 'تمدید دستور نقشه', 'Planning instruction renewal', 5, 3, 3],
    ['BP-13', 'ارجاع پرونده به کمیسیون ماده ۱۰۰', 'Referral to the Article 100 Commission', 30, 35, 3],
    ['BP-14', 'اجرای رأی کمیسیون ماده ۱۰۰', 'Enforcement of an Article 100 Commission ruling', 20, 18, 2],
    ['BP-15', 'اصلاح نقشه معماری', 'Architectural plan revision', 15, 13, 2],
    ['BP-16', 'گواهی عدم خلاف برای نقل و انتقال', 'Certificate of no violation for transfer', 7, 5, 4],
    ['BP-17', 'صدور شناسنامه ساختمان', 'Building identity certificate', 10, 8, 2],
    ['BP-18', 'مجوز افزایش طبقه', 'Additional storey permit', 20, 25, 1],
    ['BP-19', 'پروانه ساختمانی در بافت فرسوده', 'Building permit in worn-out urban fabric', 15, 16, 2],
    ['BP-20', 'ابطال پروانه ساختمانی', 'Building permit cancellation', 10, 7, 1],
    ['BP-21', 'تعیین وضعیت ساختمان‌های نیمه‌کاره', 'Status of unfinished buildings', 20, 22, 1],
    ['BP-22', 'تأیید حفاظ‌گذاری و ایمنی کارگاه', 'Site fencing and safety approval', 7, 5, 1],
  ],
  technical_supervision: [
    ['TS-01', 'گزارش مراحل نظارت', 'Supervision stage report', 5, 3, 30],
    ['TS-02', 'تعیین ناظر ساختمان', 'Assignment of building supervisor', 5, 3, 12],
    ['TS-03', 'تغییر ناظر', 'Change of supervisor', 7, 5, 5],
    ['TS-04', 'اعلام شروع عملیات ساختمانی', 'Construction start notice', 3, 1.5, 10],
    ['TS-05', 'تأیید اجرای پی', 'Foundation inspection approval', 7, 4, 8],
    ['TS-06', 'تأیید اجرای اسکلت', 'Frame inspection approval', 7, 5, 8],
    ['TS-07', 'گزارش تخلف ساختمانی ناظر', 'Supervisor violation report', 7, 4, 5],
    ['TS-08', 'بازدید کارشناسی ملک', 'Expert site visit', 10, 7, 8],
    ['TS-09', 'تأیید نقشه‌های سازه', 'Structural drawings approval', 10, 8, 5],
    ['TS-10', 'تأیید نقشه‌های تأسیسات', 'Building services drawings approval', 10, 8, 4],
    ['TS-11', 'گواهی اتمام سفت‌کاری', 'Shell completion certificate', 7, 5, 3],
    ['TS-12', 'معرفی مجری ذی‌صلاح', 'Registration of a qualified builder', 5, 3, 2],
  ],
  subdivision: [
    ['SD-01', 'تفکیک عرصه و اعیان', 'Parcel and building subdivision', 30, 28, 30],
    ['SD-02', 'تجمیع پلاک', 'Plot merging', 30, 30, 15],
    ['SD-03', 'صورت‌مجلس تفکیکی آپارتمان', 'Apartment subdivision minutes', 20, 18, 25],
    ['SD-04', 'افراز ملک مشاعی', 'Partition of co-owned land', 30, 32, 6],
    ['SD-05', 'اصلاح سند تفکیکی', 'Subdivision deed correction', 20, 16, 8],
    ['SD-06', 'استعلام تفکیک ثبتی', 'Registry subdivision inquiry', 15, 12, 10],
    ['SD-07', 'تفکیک اراضی بیش از ۵۰۰ متر', 'Subdivision of land over 500 m²', 45, 40, 2],
    ['SD-08', 'تعیین بر و کف', 'Setback and grade determination', 15, 10, 4],
  ],
  inquiry: [
    ['INQ-01', 'استعلام دفترخانه برای نقل و انتقال ملک', 'Notary inquiry for property transfer', 7, 2.5, 30],
    ['INQ-02', 'استعلام بانکی', 'Bank inquiry', 5, 1.5, 20],
    ['INQ-03', 'استعلام اداره ثبت', 'Land registry inquiry', 7, 2, 8],
    ['INQ-04', 'استعلام کاربری ملک', 'Land use inquiry', 5, 1.5, 10],
    ['INQ-05', 'استعلام طرح تفصیلی', 'Detailed plan inquiry', 5, 1, 6],
    ['INQ-06', 'استعلام بر اصلاحی', 'Street widening setback inquiry', 5, 2, 5],
    ['INQ-07', 'استعلام بدهی عوارض', 'Fee debt inquiry', 2, 0.2, 12],
    ['INQ-08', 'استعلام دادگستری', 'Judiciary inquiry', 10, 4, 4],
    ['INQ-09', 'استعلام اداره مالیات', 'Tax office inquiry', 7, 3, 3],
    ['INQ-10', 'استعلام سازمان تأمین اجتماعی', 'Social security inquiry', 7, 3, 3],
    ['INQ-11', 'استعلام وضعیت پرونده ساختمانی', 'Building file status inquiry', 3, 0.5, 6],
    ['INQ-12', 'استعلام ارزش معاملاتی', 'Transaction value inquiry', 3, 1, 4],
    ['INQ-13', 'استعلام میراث فرهنگی', 'Cultural heritage inquiry', 15, 10, 1],
    ['INQ-14', 'استعلام آتش‌نشانی', 'Fire department inquiry', 10, 6, 2],
    ['INQ-15', 'استعلام حریم', 'Right-of-way inquiry', 10, 5, 2],
    ['INQ-16', 'استعلام شرکت آب و فاضلاب', 'Water and sewerage inquiry', 7, 4, 2],
    ['INQ-17', 'استعلام شرکت توزیع برق', 'Electricity distribution inquiry', 7, 4, 2],
    ['INQ-18', 'استعلام شرکت گاز', 'Gas company inquiry', 7, 4, 2],
    ['INQ-19', 'استعلام پدافند غیرعامل', 'Passive defence inquiry', 15, 9, 1],
    ['INQ-20', 'استعلام سازمان حفاظت محیط زیست', 'Environmental protection inquiry', 15, 8, 1],
  ],
  fees: [
    ['FEE-01', 'عوارض نوسازی', 'Urban renewal levy', 1, 0.1, 30],
    ['FEE-02', 'عوارض کسب و پیشه', 'Business levy', 2, 0.3, 18],
    ['FEE-03', 'عوارض صدور پروانه ساختمانی', 'Building permit fees', 3, 0.5, 10],
    ['FEE-04', 'عوارض پسماند', 'Waste levy', 1, 0.1, 12],
    ['FEE-05', 'عوارض تمدید پروانه ساختمانی', 'Permit extension fees', 3, 0.4, 4],
    ['FEE-06', 'عوارض تغییر کاربری', 'Change of use fee', 5, 2, 2],
    ['FEE-07', 'عوارض ارزش افزوده ناشی از طرح‌های توسعه شهری', 'Betterment levy', 5, 2, 2],
    ['FEE-08', 'عوارض حذف پارکینگ', 'Parking waiver levy', 3, 1, 2],
    ['FEE-09', 'عوارض تابلو', 'Signage levy', 2, 0.3, 4],
    ['FEE-10', 'تقسیط عوارض', 'Fee instalment plan', 5, 2, 3],
    ['FEE-11', 'بخشودگی جرائم عوارض', 'Fee penalty waiver', 7, 4, 2],
    ['FEE-12', 'استرداد عوارض', 'Fee refund', 15, 10, 1],
    ['FEE-13', 'پرداخت جریمه کمیسیون ماده ۱۰۰', 'Article 100 Commission fine payment', 3, 0.5, 2],
    ['FEE-14', 'عوارض حفاری', 'Excavation fees', 2, 0.4, 2],
    ['FEE-15', 'عوارض فضای سبز', 'Green space levy', 2, 0.3, 2],
    ['FEE-16', 'مفاصاحساب عوارض', 'Fee clearance certificate', 3, 0.5, 8],
    ['FEE-17', 'عوارض تمدید پروانه کسب', 'Business licence renewal fees', 2, 0.3, 4],
    ['FEE-18', 'عوارض سالانه خودرو', 'Annual vehicle levy', 1, 0.1, 6],
  ],
  business_licence: [
    ['BL-01', 'پروانه کسب', 'Business licence', 10, 8, 25],
    ['BL-02', 'تمدید پروانه کسب', 'Business licence renewal', 5, 3, 20],
    ['BL-03', 'مجوز تابلو', 'Signage permit', 7, 5, 15],
    ['BL-04', 'تمدید مجوز تابلو', 'Signage permit renewal', 5, 3, 8],
    ['BL-05', 'گواهی عدم مغایرت کاربری برای کسب', 'Land use compatibility for business', 7, 5, 8],
    ['BL-06', 'مجوز تبلیغات محیطی', 'Outdoor advertising permit', 10, 7, 4],
    ['BL-07', 'مجوز غرفه و بازارچه موقت', 'Temporary stall permit', 7, 4, 3],
    ['BL-08', 'مجوز فعالیت کارگاه مزاحم', 'Nuisance workshop permit', 15, 12, 2],
    ['BL-09', 'مجوز استفاده از پیاده‌رو', 'Sidewalk use permit', 7, 5, 3],
    ['BL-10', 'ابطال پروانه کسب', 'Business licence cancellation', 5, 3, 3],
    ['BL-11', 'تغییر نام یا نوع فعالیت صنفی', 'Change of business name or activity', 7, 5, 4],
    ['BL-12', 'مجوز نصب دکل مخابراتی', 'Telecom mast permit', 20, 18, 1],
    ['BL-13', 'مجوز جایگاه سوخت', 'Fuel station permit', 30, 25, 1],
    ['BL-14', 'پروانه بهره‌برداری اماکن عمومی', 'Public venue operating licence', 20, 15, 3],
  ],
  urban_services: [
    ['US-01', 'مجوز حفاری', 'Excavation permit', 7, 5, 20],
    ['US-02', 'قطع درخت', 'Tree felling permit', 10, 8, 12],
    ['US-03', 'هرس درخت', 'Tree pruning request', 7, 4, 8],
    ['US-04', 'مجوز تخلیه نخاله ساختمانی', 'Construction debris disposal permit', 3, 1.5, 12],
    ['US-05', 'جمع‌آوری پسماند حجیم', 'Bulky waste collection', 3, 1, 8],
    ['US-06', 'گواهی ایمنی آتش‌نشانی', 'Fire safety certificate', 15, 10, 6],
    ['US-07', 'مجوز اشغال معبر', 'Street occupancy permit', 5, 3, 8],
    ['US-08', 'درخواست ترمیم آسفالت', 'Asphalt repair request', 10, 8, 5],
    ['US-09', 'مجوز اتصال به شبکه آب‌های سطحی', 'Surface water network connection', 10, 7, 3],
    ['US-10', 'گزارش سد معبر', 'Obstruction report', 3, 2, 5],
    ['US-11', 'مجوز برگزاری مراسم در فضای عمومی', 'Public space event permit', 7, 5, 3],
    ['US-12', 'مجوز نصب داربست در معبر', 'Scaffolding permit', 3, 2, 4],
    ['US-13', 'درخواست روشنایی معابر', 'Street lighting request', 10, 7, 3],
    ['US-14', 'مجوز استقرار کانتینر در معبر', 'Street container permit', 5, 3, 3],
  ],
  transport: [
    ['TR-01', 'طرح ترافیک', 'Traffic zone permit', 2, 0.2, 30],
    ['TR-02', 'پارک حاشیه‌ای', 'Kerbside parking permit', 3, 0.5, 20],
    ['TR-03', 'طرح ترافیک ساکنین و کسبه', 'Traffic zone permit for residents and shopkeepers', 5, 2, 12],
    ['TR-04', 'مجوز تردد خودروی سنگین', 'Heavy vehicle access permit', 5, 3, 8],
    ['TR-05', 'پروانه تاکسیرانی', 'Taxi driver licence', 15, 10, 5],
    ['TR-06', 'تمدید پروانه تاکسیرانی', 'Taxi licence renewal', 7, 4, 6],
    ['TR-07', 'کارت هوشمند ناوگان', 'Fleet smart card', 7, 4, 5],
    ['TR-08', 'اعتراض به جریمه طرح ترافیک', 'Traffic zone fine objection', 15, 12, 6],
    ['TR-09', 'مجوز پارکینگ عمومی', 'Public car park licence', 20, 15, 1],
    ['TR-10', 'مجوز حمل بار درون‌شهری', 'Urban freight permit', 5, 2, 3],
    ['TR-11', 'پروانه وانت‌بار', 'Pickup van service licence', 10, 7, 2],
    ['TR-12', 'مجوز توقف خودروی حمل مصالح', 'Material truck stopping permit', 3, 1, 2],
  ],
  real_estate: [
    ['RE-01', 'تغییر کاربری', 'Change of land use', 45, 40, 25],
    ['RE-02', 'تملک املاک واقع در طرح', 'Acquisition of property in a plan', 60, 45, 10],
    ['RE-03', 'تهاتر املاک', 'Property swap', 45, 35, 10],
    ['RE-04', 'صدور سند تعریض', 'Street widening compensation deed', 30, 25, 12],
    ['RE-05', 'اجاره املاک شهرداری', 'Lease of municipal property', 30, 20, 10],
    ['RE-06', 'کارشناسی ارزیابی ملک', 'Property valuation', 15, 10, 20],
    ['RE-07', 'طرح در کمیسیون ماده ۵', 'Article 5 Commission referral', 60, 55, 8],
    ['RE-08', 'واگذاری زمین در اجرای طرح‌ها', 'Land allocation for plans', 60, 45, 5],
  ],
};

function build(): DemoService[] {
  const out: DemoService[] = [];
  for (const [category, rows] of Object.entries(ROWS) as [ServiceCategory, readonly Row[]][]) {
    const total = rows.reduce((s, r) => s + r[5], 0);
    for (const [service_code, name, name_en, sla_days, median_days, weight] of rows) {
      out.push({
        service_code,
        name,
        name_en,
        category,
        sla_days,
        median_days,
        sigma: CATEGORY_SIGMA[category],
        share: (CATEGORY_SHARES[category] * weight) / total,
      });
    }
  }
  return out;
}

export const SERVICES: readonly DemoService[] = build();
