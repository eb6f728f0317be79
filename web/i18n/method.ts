/** The Method page's text in both languages (DESIGN.md "Metric definitions", in plain words). */
import { DEFINITION_KEYS, DEFINITIONS } from '../../api/public/definitions.ts';
import type { Lang } from '../lib/format.ts';
import { stageSectionsEn, stageSectionsFa } from './method-stages.ts';

export interface MethodSection {
  id: string;
  title: string;
  paragraphs: string[];
  formula?: string;
}

export interface MethodText {
  title: string;
  intro: string;
  sections: MethodSection[];
  referencesTitle: string;
}

export const REFERENCES = [
  'Kaplan, E. L., & Meier, P. (1958). Nonparametric estimation from incomplete observations. Journal of the American Statistical Association, 53(282), 457–481.',
  'Kruskal, W. H., & Wallis, W. A. (1952). Use of ranks in one-criterion variance analysis. Journal of the American Statistical Association, 47(260), 583–621.',
  'Spiegelhalter, D. J. (2005). Funnel plots for comparing institutional performance. Statistics in Medicine, 24(8), 1185–1202.',
  'Spiegelhalter, D. J., Sherlaw-Johnson, C., Bardsley, M., Blunt, I., Wood, C., & Grigg, O. (2012). Statistical methods for healthcare regulation: rating, screening and surveillance. Journal of the Royal Statistical Society A, 175(1), 1–47.',
  'Benjamini, Y., & Hochberg, Y. (1995). Controlling the false discovery rate: a practical and powerful approach to multiple testing. Journal of the Royal Statistical Society B, 57(1), 289–300.',
  'Montgomery, D. C. Introduction to Statistical Quality Control (u-charts for nonconformities per unit). Wiley.',
  'Wilcoxon, F. (1945). Individual comparisons by ranking methods. Biometrics Bulletin, 1(6), 80–83; Mann, H. B., & Whitney, D. R. (1947). On a test of whether one of two random variables is stochastically larger than the other. Annals of Mathematical Statistics, 18(1), 50–60.',
  'Przyborowski, J., & Wileński, H. (1940). Homogeneity of results in testing samples from Poisson series. Biometrika, 31(3/4), 313–323 (the conditional test of two Poisson rates).',
  'U.S. Department of Justice & Federal Trade Commission (2023). Merger Guidelines, section 2.1: markets with an HHI above 1,800 are highly concentrated.',
];

/**
 * The public part of the method: the exact definitions the public scorecards and the open data carry
 * (one text, api/public/definitions.ts), shown at the end of this page and, without sign-in, at
 * /public/method.
 */
export function publicMethodSection(lang: Lang): MethodSection {
  return {
    id: 'public',
    title: lang === 'en' ? 'Public scorecards and open data' : 'کارنامه عمومی دفاتر و داده باز',
    paragraphs: DEFINITION_KEYS.map((k) => DEFINITIONS[k][lang]),
  };
}

const fa: MethodText = {
  title: 'روش محاسبه شاخص‌ها',
  intro:
    'هر عدد این سامانه از پرونده‌های ثبت‌شده در دفاتر خدمات الکترونیک شهر به دست می‌آید و با همان فیلترها تا سطح پرونده قابل پیگیری است. در این صفحه توضیح داده شده است که هر شاخص چگونه محاسبه می‌شود و چرا.',
  referencesTitle: 'منابع',
  sections: [
    {
      id: 'scope',
      title: 'کدام پرونده‌ها شمرده می‌شوند',
      paragraphs: [
        'فیلتر تاریخ بر پرونده‌ها بر اساس تاریخ ثبت و بر شکایت‌ها بر اساس تاریخ دریافت اعمال می‌شود. منطقه هر پرونده، منطقه دفتری است که آن را ثبت کرده است.',
        'پرونده «مختومه» پرونده‌ای است که انجام شده یا رد شده است؛ فقط این پرونده‌ها مدت رسیدگی دارند. پرونده‌هایی که متقاضی از آن‌ها انصراف داده در تعداد پرونده‌ها شمرده می‌شوند، اما نه زمان‌سنجی می‌شوند و نه به عنوان پرونده باز در نظر گرفته می‌شوند.',
      ],
    },
    {
      id: 'processing',
      title: 'زمان رسیدگی: میانه و صدک ۹۰',
      paragraphs: [
        'مدت رسیدگی هر پرونده، فاصله ثبت تا اختتام به روز است. میانه یعنی نیمی از پرونده‌های مختومه زودتر از آن تمام شده‌اند؛ صدک ۹۰ یعنی ۹۰ درصد پرونده‌ها زودتر از آن تمام شده‌اند و کندترین ده درصد را نشان می‌دهد. هر دو با درون‌یابی خطی محاسبه می‌شوند.',
      ],
      formula: 'مدت (روز) = (زمان اختتام − زمان ثبت) به ثانیه ÷ ۸۶۴۰۰',
    },
    {
      id: 'km',
      title: 'میانه کاپلان–مایر',
      paragraphs: [
        'اگر بسیاری از پرونده‌های کند هنوز باز باشند، میانه پرونده‌های مختومه زمان رسیدگی را کمتر از واقع نشان می‌دهد. برآورد کاپلان–مایر پرونده‌های باز را هم به حساب می‌آورد: هر پرونده باز تا تاریخ آخرین داده‌ها «دست‌کم به اندازه عمرش» طول کشیده است (داده سانسورشده). میانه کاپلان–مایر کوچک‌ترین زمانی است که احتمال باز ماندن پرونده تا آن زمان به کمتر از ۵۰ درصد برسد؛ اگر چنین زمانی نباشد، خالی نمایش داده می‌شود.',
        'اگر این احتمال درست روی ۵۰ درصد بایستد (مثلاً وقتی هیچ پرونده بازی نیست و تعداد پرونده‌ها زوج است)، میانه وسط آن بازه است، یعنی میانگین آن زمان و زمان بسته شدن پرونده بعدی؛ به این ترتیب بدون پرونده باز، میانه کاپلان–مایر با میانه معمولی برابر است. این همان قاعده بسته آماری survival در R است (با رواداری گرد کردن یک میلیاردم).',
        'سامانه هر دو میانه را نشان می‌دهد و همیشه می‌گوید کدام است.',
      ],
    },
    {
      id: 'breach',
      title: 'نرخ تخطی از مهلت قانونی',
      paragraphs: [
        'پرونده‌ای از مهلت گذشته است که یا پس از مهلت قانونی خدمت بسته شده، یا هنوز باز است و عمرش از مهلت گذشته است. مخرج کسر، پرونده‌های مختومه به‌علاوه پرونده‌های بازِ از مهلت گذشته است؛ پرونده‌های بازی که هنوز در مهلت‌اند تکلیفشان روشن نیست و شمرده نمی‌شوند.',
        'اگر برای پرونده‌ای مهلت مشخصی (due_at) ثبت شده باشد، همان مهلت ملاک است و بر مهلت عمومی خدمت (sla_days) مقدم است.',
      ],
    },
    {
      id: 'variance',
      title: 'تفاوت مناطق برای یک خدمت',
      paragraphs: [
        'برای یک خدمت، توزیع زمان رسیدگی هر منطقه (چارک‌ها و صدک‌های ۱۰ و ۹۰) نمایش داده می‌شود. آزمون کروسکال–والیس بررسی می‌کند که آیا تفاوت مناطق بیش از آن است که از تصادف انتظار می‌رود. این آزمون بر رتبه‌ها تکیه دارد و به چند پرونده بسیار طولانی حساس نیست. اگر مقدار p کمتر از ۰٫۰۵ باشد، می‌گوییم تفاوت تصادفی نیست.',
        'اندازه اثر ε² نشان می‌دهد تفاوت مناطق چه سهمی از پراکندگی کل را توضیح می‌دهد. مناطقی که کمتر از ۲۰ پرونده مختومه دارند نمایش داده می‌شوند اما در آزمون شرکت نمی‌کنند.',
      ],
      formula: 'ε² = H(n+1)/(n²−1)',
    },
    {
      id: 'slow-share',
      title: 'سهم پرونده‌های کند (تعدیل ترکیب خدمات)',
      paragraphs: [
        'دفتری که بیشتر خدمات زمان‌بر انجام می‌دهد نباید کند شمرده شود. برای هر پرونده مختومه می‌پرسیم: آیا از میانه شهر برای همان خدمت کندتر بوده است؟ سهم این پرونده‌ها در یک دفتر یا منطقه، «سهم پرونده‌های کند» است. مقدار عادی آن، با هر ترکیب خدماتی، ۵۰ درصد است.',
      ],
    },
    {
      id: 'complaints',
      title: 'نرخ شکایت',
      paragraphs: [
        'تعداد شکایت‌های دریافتی (از سامانه ۱۳۷، ۱۸۸۸، دفتر یا برخط) تقسیم بر تعداد پرونده‌ها در همان بازه، در هر هزار پرونده. گزارش‌های درخواست رشوه همین‌طور و جداگانه شمرده می‌شوند.',
      ],
    },
    {
      id: 'funnel',
      title: 'نمودار قیفی و پراکندگی اضافی',
      paragraphs: [
        'دفتر کوچک با چند پرونده ممکن است تصادفاً عدد بالایی داشته باشد. نمودار قیفی هر دفتر را بر حسب حجم کارش می‌سنجد: حدهای ۹۵ و ۹۹٫۸ درصد گرد مقدار هدف، با افزایش حجم تنگ‌تر می‌شوند. مقدار هدف برای سهم پرونده‌های کند ۰٫۵ و برای نرخ‌ها میانگین کل شهر است.',
        'در داده‌های واقعی، تفاوت دفاتر معمولاً بیش از تصادف محض است. به پیروی از اشپیگل‌هالتر، ضریب پراکندگی اضافی φ از میانگین مجذور zها (پس از محدود کردن zها به صدک‌های ۱۰ و ۹۰) برآورد می‌شود و اگر از ۱ بیشتر باشد، حدها به نسبت √φ گشاد می‌شوند. دفاتر با کمتر از ۳۰ پرونده نمایش داده می‌شوند اما در برآورد و هشدارها شرکت نمی‌کنند.',
        'روش دیگر، «جمعی» (اثرات تصادفی، همان روشی که بسته FunnelPlotR برای شاخص SHMI در بریتانیا به کار می‌برد)، به جای ضرب کردن، واریانس ثابت τ² را به واریانس هر دفتر اضافه می‌کند. روش ضربی پیش‌فرض است. روش جمعی وقتی مناسب است که دفاتر بزرگ به خاطر تفاوت‌های کوچکی که از نظر عملی مهم نیستند پرچم بخورند: با روش ضربی حد دفاتر بزرگ بسیار تنگ می‌ماند، ولی τ² دهانه قیف را برای همه، و به‌ویژه برای دفاتر بزرگ، به یک اندازه باز می‌کند.',
        'حدها هرگز از محدوده ممکن شاخص بیرون نمی‌زنند: نرخ منفی نمی‌شود و سهم از صفر کمتر و از یک بیشتر نمی‌شود.',
      ],
      formula:
        'z = (y − p₀)/(s·√φ)؛  s = √(p₀(1−p₀)/n) برای نسبت‌ها و √(p₀/n) برای نرخ‌ها؛  حدها: p₀ ± ۱٫۹۶·s√φ و p₀ ± ۳٫۰۹·s√φ؛  روش جمعی: √(s² + τ²) به جای s√φ',
    },
    {
      id: 'bh',
      title: 'مقدار q و آزمون‌های متعدد',
      paragraphs: [
        'وقتی ۱۲۰ دفتر را هم‌زمان می‌سنجیم، چند دفتر صرفاً به تصادف بیرون از حد ۹۵٪ می‌افتند. مقدار q (روش بنیامینی–هوخبرگ) این را جبران می‌کند: q برابر ۰٫۰۱ یعنی اگر همه دفاتری را که q کمتر از ۰٫۰۱ دارند بررسی کنیم، انتظار می‌رود کمتر از یک درصدشان هشدار کاذب باشند.',
        'هشدار فقط وقتی داده می‌شود که شاخص بیرون از حد ۹۹٫۸٪ باشد. شاخص‌های سرعت یک بار برای همه خدمات و یک بار برای هر گروه خدمت حساب می‌شوند تا الگویی که فقط در پروانه‌های ساختمانی است (امضای طلایی) در میان کارهای دیگر دفتر گم نشود.',
      ],
    },
    {
      id: 'attribution',
      title: 'کندی از دفتر است یا از منطقه؟',
      paragraphs: [
        'اگر کار تأیید در شهرداری یک منطقه کند باشد، همه دفاتر آن منطقه کند به نظر می‌رسند، در حالی که تقصیر با دفتر نیست. برای هر هشدار سرعت (کند یا سریعِ مشکوک)، دفتر با دفترهای دیگر همان منطقه مقایسه می‌شود: اگر خود منطقه هم برای همان شاخص و همان گروه خدمت هشدار گرفته باشد و دفتر با دیگر دفترهای منطقه تفاوت معناداری نداشته باشد (|z| درون‌منطقه‌ای حداکثر ۳٫۰۹)، هشدار به منطقه نسبت داده می‌شود؛ وگرنه به خود دفتر.',
        'در فهرست بازرسی، هشدارهایی که به خود دفتر مربوط‌اند اول می‌آیند و هشدارهای منسوب به منطقه زیر هشدار همان منطقه نمایش داده می‌شوند: چهار دفتری که فقط به خاطر کندی منطقه کند هستند، یک یافته درباره منطقه‌اند، نه چهار یافته درباره دفاتر.',
      ],
      formula: 'z_w = (y − p_d)/(√(p_d(1−p_d)/n)·√φ)',
    },
    {
      id: 'trends',
      title: 'روندها و نمودار کنترل',
      paragraphs: [
        'نرخ شکایت ماهانه روی نمودار کنترل u رسم می‌شود: خط مرکزی میانگین کل دوره است و حدهای کنترل برای هر ماه بر اساس تعداد پرونده‌های آن ماه محاسبه می‌شوند. ماهی که بیرون از حد است با رنگ قرمز مشخص می‌شود. برای زمان رسیدگی، میانه ماهانه نمایش داده می‌شود.',
        'ماهی که داده‌ها فقط بخشی از آن را پوشش می‌دهند (پیش از اولین ثبت، پس از تاریخ آخرین داده‌ها، یا بریده‌شده با بازه تاریخ انتخابی) «ناقص» است: با دایره توخالی خاکستری رسم می‌شود، در محاسبه خط مرکزی شرکت نمی‌کند و هرگز هشدار نمی‌گیرد؛ ده روز اول یک ماه چیزی درباره کل آن ماه نمی‌گوید.',
        'میانه ماه‌های اخیر فقط پرونده‌هایی را می‌شمارد که زود بسته شده‌اند. برای همین هر ماه میانه کاپلان–مایر و سهم پرونده‌های هنوز بازش را هم دارد؛ ماهی که بیش از ۱۰ درصد پرونده‌هایش هنوز باز است «موقت» است و با لوزی توخالی رسم می‌شود.',
        'تاریخ آخرین داده‌ها (as-of) که عمر پرونده‌های باز با آن سنجیده می‌شود، هرگز خودبه‌خود به عقب برنمی‌گردد: اگر یک بار صریحاً تعیین شده باشد، ورود یک فایل اصلاحی کوچک آن را به آخرین تاریخ موجود در داده عقب نمی‌برد؛ فقط با تعیین صریح تغییر می‌کند و گزارش ورود داده هر تغییر آن را، از چه به چه، اعلام می‌کند.',
      ],
      formula: 'حدها = ū ± ۳√(ū/nₜ) (حد پایین کمتر از صفر نمی‌شود)',
    },
    {
      id: 'access',
      title: 'دسترسی، ظرفیت و تمرکز مالکیت',
      paragraphs: [
        'دفتر «فعال» دفتری است که در بازه انتخاب‌شده دست‌کم یک پرونده ثبت کرده است. طول بازه به روز، از تاریخ «از» (یا اگر تعیین نشده باشد، از نخستین پرونده موجود در داده‌ها) تا تاریخ «تا» (یا اگر تعیین نشده باشد، تا تاریخ آخرین داده‌ها) است و به همان دوره‌ای که داده دارد محدود می‌شود تا روزهای بی‌داده نرخ‌ها را کم نشان ندهند. صفحه دسترسی همیشه می‌گوید با کدام بازه حساب کرده است.',
        'ساکنان به ازای هر دفتر، جمعیت منطقه تقسیم بر دفاتر فعال است؛ دفتر در هر ۱۰۰ هزار نفر عکس همین است؛ و پرونده به ازای هر هزار نفر در سال، شمار پرونده‌ها تقسیم بر جمعیت، ضرب در هزار، به یک سال (۳۶۵٫۲۵ روز) برگردانده می‌شود. این سه شاخص فقط وقتی حساب می‌شوند که جمعیت منطقه بارگذاری شده باشد؛ در غیر این صورت خالی می‌مانند و هرگز حدس زده نمی‌شوند. جمعیت شهر (یا چند منطقه با هم) فقط وقتی جمع زده می‌شود که همه آن مناطق جمعیت داشته باشند. جمعیت شهر نمونه ساختگی است و همین را می‌گوید.',
        'بار کار هر دفتر، پرونده‌های منطقه تقسیم بر دفاتر فعال و تقسیم بر روزهای بازه است. سهم ثبت برخط، پرونده‌های برخط تقسیم بر پرونده‌هایی است که شیوه ثبتشان معلوم است.',
        'تمرکز با شاخص هرفیندال–هیرشمن (HHI) سنجیده می‌شود: سهم هر دفتر از پرونده‌های منطقه به درصد، به توان دو، و جمع آن‌ها؛ از نزدیک صفر (بازار پراکنده) تا ۱۰٬۰۰۰ (یک دفتر همه پرونده‌ها را دارد). همین شاخص برای دارندگان مجوز هم حساب می‌شود، چون یک دارنده مجوز ممکن است چند دفتر داشته باشد؛ دفتری که دارنده مجوزش ثبت نشده، دارنده مجوز خودش شمرده می‌شود. طبق رهنمود ادغام وزارت دادگستری و کمیسیون تجارت فدرال آمریکا (۲۰۲۳)، HHI بالای ۱٬۸۰۰ یعنی «بسیار متمرکز». منطقه‌ای که فقط سه دفتر دارد، حتی اگر هر سه مستقل باشند، ناگزیر بالای این مرز است؛ فاصله زیاد HHI دارندگان مجوز از HHI دفاتر نشان می‌دهد که چند دفتر در دست یک نفر است.',
        'بخش «اگر دفتر تازه‌ای اضافه شود؟» یک مدل ساده است: تقاضای بازه (شمار پرونده‌ها) ثابت می‌ماند و به‌طور مساوی میان همه دفاتر منطقه تقسیم می‌شود. جای دفتر، تقاضای تازه و تفاوت دفاتر در آن دیده نمی‌شود.',
      ],
      formula:
        'HHI = Σ (۱۰۰·sᵢ)²؛  ساکنان به ازای هر دفتر = جمعیت ÷ دفاتر فعال؛  پرونده به ازای هر هزار نفر در سال = پرونده‌ها ÷ جمعیت × ۱۰۰۰ × ۳۶۵٫۲۵ ÷ روزهای بازه؛  بار هر دفتر = پرونده‌ها ÷ دفاتر فعال ÷ روزهای بازه',
    },
    {
      id: 'report',
      title: 'گزارش ماهانه: کدام تغییر فراتر از تصادف است',
      paragraphs: [
        'گزارش ماهانه یک ماه شمسی را با ماه پیش از آن مقایسه می‌کند (پرونده‌ها بر اساس تاریخ ثبت، شکایت‌ها بر اساس تاریخ دریافت). ماه پیش‌فرض آخرین ماهی است که داده‌ها تا پایان آن را در بر دارند. گستره آن کل شهر، یک منطقه، یا برای بازرسان مناطق خودشان است و گزارش همین را روی هر صفحه می‌نویسد. هر عدد گزارش از همان شاخص‌های این صفحه برای بازه آن ماه می‌آید؛ دفاتر و مناطق نشان‌دار همان فهرست بازرسی برای بازه آن ماه‌اند.',
        'تغییر میانه زمان رسیدگی (کل گستره، هر گروه خدمت و هر منطقه) با آزمون رتبه‌ای ویلکاکسون (من–ویتنی) بر زمان رسیدگی پرونده‌های بسته‌شده دو ماه سنجیده می‌شود: همه پرونده‌های دو ماه با هم رتبه‌بندی می‌شوند و پرسش این است که آیا پرونده‌های این ماه به‌طور نظام‌مند کندتر یا تندتر از ماه قبل‌اند. این آزمون به شکل توزیع حساس نیست و یک پرونده بسیار کند آن را به هم نمی‌زند. تقریب نرمال با اصلاح گره‌ها و اصلاح پیوستگی به کار می‌رود (همان wilcox.test در R).',
        'تغییر نرخ تأخیر از مهلت با آزمون دو نسبت (z) سنجیده می‌شود. تغییر نرخ شکایت (همه شکایت‌ها و هر موضوع شکایت) با آزمون دقیق شرطی دو نرخ پواسون: اگر نرخ دو ماه برابر باشد، از کل شکایت‌های دو ماه سهم این ماه از توزیع دوجمله‌ای با احتمال «سهم این ماه از پرونده‌ها» پیروی می‌کند (همان poisson.test در R).',
        'چون یک گزارش ده‌ها آزمون دارد، مقدار q به روش بنیامینی–هوخبرگ بر همه آزمون‌های همان گزارش حساب می‌شود و تغییری «فراتر از تصادف» خوانده می‌شود که q آن کمتر از ۰٫۰۵ باشد. با داده‌های بسیار، تغییرهای کوچک هم از تصادف فراتر می‌روند؛ اندازه تغییر را از دو عدد کنار هم بخوانید.',
        'ماهی که بیش از ۱۰٪ پرونده‌هایش هنوز باز است «موقت» است: پرونده‌های کند دیرتر بسته می‌شوند، پس میانه پرونده‌های بسته‌شده و نرخ تأخیر آن ماه کمتر از واقع است و تغییرِ آن ممکن است کوچک‌تر شود. گزارش این را کنار هر تغییر می‌گوید و میانه کاپلان–مایر را هم می‌آورد. کندترین منطقه از میان مناطقی با دست‌کم ۲۰ پرونده بسته‌شده در آن ماه انتخاب می‌شود و «چند ماه پیاپی» از میانه‌های ماهانه همان مناطق در دوازده ماه اخیر شمرده می‌شود.',
      ],
      formula:
        'W = Σ رتبه‌های این ماه − n₁(n₁+1)/2؛  z = (W − n₁n₂/2 ∓ ½) / √(n₁n₂/12 · ((N+1) − Σ(t³−t)/(N(N−1))))',
    },
    publicMethodSection('fa'),
  ],
};

const en: MethodText = {
  title: 'How the numbers are made',
  intro:
    'Every number in Shafaf comes from the cases registered at the City Electronic Services Offices and can be traced down to those cases with the same filters. This page says how each measure is computed, and why.',
  referencesTitle: 'References',
  sections: [
    {
      id: 'scope',
      title: 'Which cases count',
      paragraphs: [
        'The date filter selects cases by submission date and complaints by the date received. A case belongs to the district of the office that registered it.',
        'A case is closed when it was completed or rejected; only closed cases have a processing time. Withdrawn cases count towards the number of cases but are neither timed nor treated as open.',
      ],
    },
    {
      id: 'processing',
      title: 'Processing time: median and 90th percentile',
      paragraphs: [
        'A case’s processing time is the days from submission to closing. Half of the closed cases finished faster than the median; 90% finished faster than the 90th percentile, which shows the slowest tenth. Both are linear-interpolated quantiles.',
      ],
      formula: 'days = (closed_at − submitted_at) in seconds / 86,400',
    },
    {
      id: 'km',
      title: 'The Kaplan–Meier median',
      paragraphs: [
        'When many slow cases are still open, the median of the closed cases understates processing time. The Kaplan–Meier estimate also uses open cases: each has taken at least its age at the data’s as-of time (it is censored). The Kaplan–Meier median is the smallest time at which the estimated share still open falls below 50%; if it never does, it is left empty.',
        'Where that share sits at exactly 50% over an interval (for example an even number of cases with none open), the median is the middle of the interval: the mean of that time and the next closing time. So with no open cases it equals the ordinary median. This is R survival’s rule (to a rounding tolerance of one in a billion).',
        'The dashboard shows both medians and always says which is which.',
      ],
    },
    {
      id: 'breach',
      title: 'Statutory deadline breach rate',
      paragraphs: [
        'A case breached its deadline if it closed after the service’s statutory deadline, or is still open and already older than it. The denominator is the closed cases plus the open cases already past the deadline; open cases still inside the deadline are undecided and left out.',
        'Where a case carries its own deadline (due_at), that deadline takes precedence over the service’s general sla_days.',
      ],
    },
    {
      id: 'variance',
      title: 'Differences between districts for one service',
      paragraphs: [
        'For one service, each district’s spread of processing times is shown (quartiles, and 10th and 90th percentiles as whiskers). The Kruskal–Wallis test asks whether the districts differ more than chance would produce; it works on ranks, so a few extremely long cases do not drive it. With p below 0.05 we say the differences are not chance.',
        'The effect size ε² says how much of the total spread the districts explain. Districts with fewer than 20 closed cases are shown but left out of the test.',
      ],
      formula: 'ε² = H(n+1)/(n²−1)',
    },
    {
      id: 'slow-share',
      title: 'Share of slow cases (case-mix adjusted)',
      paragraphs: [
        'An office that mostly handles slow services should not look slow for it. For each closed case we ask: was it slower than the city-wide median for the same service? The share of such cases in an office or district is its slow share. Whatever the service mix, 50% is typical.',
      ],
    },
    {
      id: 'complaints',
      title: 'Complaint rate',
      paragraphs: [
        'Complaints received (through 137, 1888, the office or online) divided by cases in the same window, per 1,000 cases. Bribe-request reports are counted the same way, separately.',
      ],
    },
    {
      id: 'funnel',
      title: 'Funnel plots and over-dispersion',
      paragraphs: [
        'A small office can show a high number by chance. A funnel plot judges each office by its volume: the 95% and 99.8% limits around the target narrow as volume grows. The target is 0.5 for the slow share and the city-wide average for rates.',
        'Real offices usually differ by more than pure chance. Following Spiegelhalter, an over-dispersion factor φ is estimated as the mean squared z-score after winsorising the z-scores at their 10th and 90th percentiles; if φ exceeds 1 the limits widen by √φ. Offices with fewer than 30 cases are drawn but take no part in the estimate or the flags.',
        'The other method, additive (random effects, as R’s FunnelPlotR does for the NHS’s SHMI), adds a between-office variance τ² to each office’s variance instead of multiplying it. Multiplicative is the default. Additive is the right choice when large offices would otherwise be flagged for differences too small to matter in practice: multiplied limits stay very narrow for a large office, while τ² opens the funnel by the same amount for everyone, which matters most at the large end.',
        'Limits never leave the range the figure can take: a rate is never below zero, a share never below 0 or above 1.',
      ],
      formula:
        'z = (y − p₀)/(s·√φ);  s = √(p₀(1−p₀)/n) for proportions, √(p₀/n) for rates;  limits p₀ ± 1.96·s√φ and p₀ ± 3.09·s√φ;  additive: √(s² + τ²) instead of s√φ',
    },
    {
      id: 'bh',
      title: 'q-values and many tests at once',
      paragraphs: [
        'Testing 120 offices at once, a few fall outside the 95% limits by chance alone. The Benjamini–Hochberg q-value accounts for this: inspecting every office with q below 0.01 is expected to include fewer than 1% false alarms.',
        'A flag is raised only outside the 99.8% limit. The speed signals are computed over all services and again within each service category, so a pattern confined to building permits (the “golden signature”) is not diluted by the office’s other work.',
      ],
    },
    {
      id: 'attribution',
      title: 'Is it the office, or the district?',
      paragraphs: [
        'When a district municipality’s approvals are slow, every office in the district looks slow although the delay is not theirs. For each speed flag (slow or suspiciously fast) the office is compared with the other offices of its own district: if the district itself is flagged for the same signal and service category, and the office does not differ clearly from its district’s other offices (within-district |z| at most 3.09), the flag is attributed to the district; otherwise to the office.',
        'The inspection list shows office-attributed flags first and district-attributed ones under their district’s flag: four offices that are slow only because their district is slow are one finding about the district, not four about offices.',
      ],
      formula: 'z_w = (y − p_d)/(√(p_d(1−p_d)/n)·√φ)',
    },
    {
      id: 'trends',
      title: 'Trends and control charts',
      paragraphs: [
        'Monthly complaint rates are drawn on a u-chart: the centre line is the average over the period, and each month’s limits depend on that month’s number of cases. A month outside its limits is marked in red. For processing time, the monthly median is shown.',
        'A month the data covers only in part (before the first record, after the as-of time, or cut by the chosen date window) is partial: drawn as a hollow grey circle, left out of the centre line and never flagged — ten days of a month say nothing about the whole month.',
        'Recent months’ medians count only the cases that closed quickly. So each month also carries its Kaplan–Meier median and the share of its cases still open; a month with more than 10% still open is provisional and drawn as a hollow diamond.',
        'The as-of time, to which open cases are aged, never moves backwards on its own: once given explicitly, a small correction file does not pull it back to the latest date in the data. It changes only when given again, and the import report says whenever it changes, from what to what.',
      ],
      formula: 'limits = ū ± 3√(ū/nₜ) (the lower limit is not below 0)',
    },
    {
      id: 'access',
      title: 'Access, capacity and concentration',
      paragraphs: [
        'An office is active if it registered at least one case in the window. The window’s length in days runs from the “from” date (or, without one, the first case in the data) to the “to” date (or, without one, the data’s as-of time), limited to the span the data covers so that days without any data do not dilute the rates. The Access page always says which window it used.',
        'Residents per office is the district’s population divided by its active offices; offices per 100,000 residents is the reverse; cases per 1,000 residents a year is cases divided by population, times 1,000, scaled to a year of 365.25 days. These three need a loaded population: without one they stay empty and are never guessed. A population for the whole city (or several districts) is summed only when each of them has one. The demo city’s populations are synthetic and say so.',
        'Load per office is the cases divided by the active offices and by the days of the window. Online share is online cases divided by the cases whose channel is recorded.',
        'Concentration is measured by the Herfindahl–Hirschman index (HHI): each office’s share of the district’s cases in percent, squared, and summed — from near 0 (many small offices) to 10,000 (one office has every case). The same index is computed over operators (licensees), since one licensee may hold several offices; an office without a recorded operator counts as its own operator. Under the 2023 US Merger Guidelines an HHI above 1,800 is “highly concentrated”. A district with only three offices is above that line even if all three are independent; a large gap between the operators’ HHI and the offices’ HHI is the sign that several offices are in one hand.',
        'The “what if” panel is a simple model: the window’s demand (its number of cases) is held fixed and shared evenly among all of the district’s offices. It ignores where an office opens, any new demand it draws, and how offices differ.',
      ],
      formula:
        'HHI = Σ (100·sᵢ)²;  residents per office = population / active offices;  cases per 1,000 residents a year = cases / population × 1,000 × 365.25 / days;  load = cases / active offices / days',
    },
    {
      id: 'report',
      title: 'The monthly report: which changes are beyond chance',
      paragraphs: [
        'The monthly report compares one Solar Hijri month with the month before (cases by submission date, complaints by the date received). By default it is the last month the data covers to its end. Its scope is the whole city, one district, or an inspector’s own districts, and every page says which. Each of its numbers is one of the measures on this page over that month’s window; the flagged offices and districts are the inspection list for that window.',
        'A change of the median processing time (of the whole scope, each service category and each district) is tested with the Wilcoxon rank-sum (Mann–Whitney) test on the two months’ closed-case durations: all the cases of both months are ranked together, and the question is whether this month’s cases are systematically slower or faster than last month’s. The test does not depend on the shape of the distribution, and one extremely slow case cannot sway it. It uses the normal approximation with the tie and continuity corrections (as R’s wilcox.test).',
        'A change of the deadline breach rate is tested with the two-proportion z-test. A change of a complaint rate (all complaints, and each complaint category) is tested with the exact conditional test of two Poisson rates: if the two months’ rates were equal, this month’s share of the two months’ complaints would be binomial with this month’s share of the cases as its probability (as R’s poisson.test).',
        'A report runs dozens of tests, so q-values are Benjamini–Hochberg over all the tests of that report, and a change is “beyond chance” when its q is below 0.05. With a lot of data small changes are beyond chance too: read the size of a change from the two numbers side by side.',
        'A month with more than 10% of its cases still open is provisional: slow cases close late, so its median of closed cases and its breach rate read low, and its change may shrink. The report says so beside each change and also gives the Kaplan–Meier median. The slowest district is chosen among districts with at least 20 closed cases that month, and “months running” is counted from the same districts’ monthly medians over the last twelve months.',
      ],
      formula:
        'W = Σ ranks of this month − n₁(n₁+1)/2;  z = (W − n₁n₂/2 ∓ ½) / √(n₁n₂/12 · ((N+1) − Σ(t³−t)/(N(N−1))))',
    },
    publicMethodSection('en'),
  ],
};

// Stages of a case (issue 11), kept in their own file.
fa.sections.push(...stageSectionsFa);
en.sections.push(...stageSectionsEn);

export const methodText = (lang: Lang): MethodText => (lang === 'en' ? en : fa);
