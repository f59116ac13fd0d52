import type { FindingCode } from './listing-validation';
import type { Bilingual } from './listing-validation';

const CHINA_UTC_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** The first instant of the next China (UTC+8) day: when Kuaishou's daily create count starts again. */
export function nextChinaDay(now: number): number {
  const day = Math.floor((now + CHINA_UTC_OFFSET_MS) / DAY_MS);
  return (day + 1) * DAY_MS - CHINA_UTC_OFFSET_MS;
}

/** Kuaishou's refusal once a merchant used its 500 creates of the day (每个商家每天最多发布N个商品). */
export function isDailyCapRefusal(message: string | undefined): boolean {
  return !!message && /每天最多发布\d*个商品/.test(message);
}

export interface RejectionMapping {
  /** The validator rule the platform's reason maps to, or null when none does. */
  rule: FindingCode | null;
  hint: Bilingual;
}

/** Keywords of the platform's audit reasons, in the order they are tried (most specific first). */
const REJECTION_RULES: { pattern: RegExp; rule: FindingCode; hint: Bilingual }[] = [
  {
    // An image Kuaishou does not host (sheet §3.2/§3.6: upload first); no result code is documented for it.
    pattern: /不是快手图片|快手图片空间|image\.upload|not (a )?kuaishou-hosted/i,
    rule: 'IMAGE_NOT_HOSTED',
    hint: {
      zh: '换成从原图重新上传的图片（open.item.image.upload 返回的快手地址），不要直接填写快手域名下的地址',
      en: 'Use an image uploaded from the original (the Kuaishou URL open.item.image.upload answers), not a URL typed in on a Kuaishou host',
    },
  },
  {
    pattern: /必填属性|属性未填写|缺少.{0,6}属性|required (property|attribute)/i,
    rule: 'PROPERTY_REQUIRED',
    hint: { zh: '补全类目要求的必填属性', en: 'Fill in the properties the category requires' },
  },
  {
    pattern: /类目|category/i,
    rule: 'CATEGORY_NOT_OPEN',
    hint: {
      zh: '在类目映射中换一个与商品相符且已开放的叶子类目',
      en: 'Map the item to a matching, open leaf category',
    },
  },
  {
    pattern: /品牌|资质|brand/i,
    rule: 'PROPERTY_VALUE_UNKNOWN',
    hint: {
      zh: '选择已授权的品牌，或在快手后台上传品牌资质',
      en: 'Choose a brand you are authorized for, or upload the brand qualification in the Kuaishou back office',
    },
  },
  {
    pattern: /属性|attribute|property/i,
    rule: 'PROPERTY_REQUIRED',
    hint: { zh: '按类目要求补全并核对商品属性', en: 'Fill in and check the category’s properties' },
  },
  {
    pattern: /主图|图片|白底|水印|image|picture/i,
    rule: 'IMAGE_FORMAT',
    hint: {
      zh: '更换主图：白底、无水印无文字、800×800 以上',
      en: 'Replace the main image: white background, no watermark or text, 800×800 or larger',
    },
  },
  {
    pattern: /标题|title|极限词|广告法/i,
    rule: 'TITLE_TOO_LONG',
    hint: {
      zh: '修改标题：删去极限词（最、第一、顶级等）并控制长度',
      en: 'Reword the title: drop absolute terms (最, 第一, 顶级…) and keep it short',
    },
  },
  {
    pattern: /价格|划线价|price/i,
    rule: 'SKU_PRICE',
    hint: { zh: '核对 SKU 售价与划线价', en: 'Check the SKU prices and strike-through prices' },
  },
  {
    pattern: /详情|描述|detail|description/i,
    rule: 'DESCRIPTION_LENGTH',
    hint: { zh: '补充或修改商品详情描述', en: 'Complete or correct the description' },
  },
];

/** Maps a platform's audit rejection reason to the validator rule it corresponds to, with a fix hint. */
export function mapAuditRejection(reason: string | null | undefined): RejectionMapping {
  const text = reason ?? '';
  const hit = REJECTION_RULES.find((r) => r.pattern.test(text));
  if (hit) return { rule: hit.rule, hint: hit.hint };
  return {
    rule: null,
    hint: {
      zh: '按平台给出的原因修改商品后重新发布',
      en: 'Change the item as the platform’s reason says, then publish again',
    },
  };
}
