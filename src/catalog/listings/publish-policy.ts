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
  /** How it was found: the platform's documented code, a keyword of its reason, or neither. */
  by: 'code' | 'keyword' | 'none';
}

/**
 * Refusal codes the fact sheets document for listings (Youzan's business `code`, Kuaishou's
 * `result`), by platform. Only these map by code; Kuaishou answers most listing refusals with the
 * general business code 21 and its audit gives a reason text without a code, so those map by keyword.
 */
const CODE_RULES: Record<string, { rule: FindingCode | null; hint: Bilingual }> = {
  // youzan-open-api.md §2.3 (DOC2020): at least one image.
  'youzan:121009313': {
    rule: 'IMAGE_COUNT',
    hint: { zh: '至少添加一张商品主图', en: 'Add at least one main image' },
  },
  // kuaishou-open-platform.md §2.5 (FAQ-K1002): edited once in Kuaishou's own online editor.
  'kuaishou:3401': {
    rule: null,
    hint: {
      zh: '请在快手小店 APP 或 PC 端直接修改该商品',
      en: 'Make this change in the Kuaishou shop app or PC back office',
    },
  },
  // youzan-open-api.md §2.3: the item or SKU no longer exists on Youzan.
  'youzan:122001001': { rule: null, hint: gone('item') },
  'youzan:123005001': { rule: null, hint: gone('item') },
  'youzan:123004002': { rule: null, hint: gone('SKU') },
  // youzan-open-api.md §2.3: an item in a promotion cannot be taken off the shelf.
  'youzan:121001010': {
    rule: null,
    hint: { zh: '先结束该商品参加的营销活动', en: 'End the promotion the item takes part in first' },
  },
};

function gone(what: 'item' | 'SKU'): Bilingual {
  return what === 'item'
    ? {
        zh: '有赞上已没有该商品：重新起草发布或重新绑定',
        en: 'Youzan no longer has the item: draft it again or bind it again',
      }
    : {
        zh: '有赞商品上已没有该 SKU：重新读取商品后再改',
        en: 'The Youzan item no longer has this SKU: read the item again first',
      };
}

/**
 * A platform's refusal (of a create or an edit) mapped to the validator rule it corresponds to: by
 * its documented code where the fact sheets give one, else by the keywords of its reason.
 */
export function mapPlatformRefusal(
  platform: string,
  code: string | null | undefined,
  reason: string | null | undefined,
): RejectionMapping {
  const byCode = code ? CODE_RULES[`${platform}:${code}`] : undefined;
  if (byCode) return { ...byCode, by: 'code' };
  return mapAuditRejection(reason);
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

/**
 * Maps a platform's audit rejection reason (Kuaishou `auditReason`: text, no code) to the validator
 * rule it corresponds to, with a fix hint, by keyword.
 */
export function mapAuditRejection(reason: string | null | undefined): RejectionMapping {
  const text = reason ?? '';
  const hit = REJECTION_RULES.find((r) => r.pattern.test(text));
  if (hit) return { rule: hit.rule, hint: hit.hint, by: 'keyword' };
  return {
    by: 'none',
    rule: null,
    hint: {
      zh: '按平台给出的原因修改商品后重新发布',
      en: 'Change the item as the platform’s reason says, then publish again',
    },
  };
}
