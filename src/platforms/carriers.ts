/**
 * Carriers in domain terms, and the one carrier table: for each carrier, the codes and names an
 * ERP may send for it, its Kuaishou `expressCode` (the static table of the fact sheet §3.9; there
 * is no carrier-list API) and its Youzan express id (`out_stype`, from the 2020 demo answer of
 * `youzan.logistics.express.get`) or, where that list has no known id, the name fragments to find
 * it in the live list.
 */
export enum Carrier {
  SF = 'SF',
  ZTO = 'ZTO',
  YTO = 'YTO',
  STO = 'STO',
  YUNDA = 'YUNDA',
  EMS = 'EMS',
  CHINA_POST = 'CHINA_POST',
  JD = 'JD',
  JTEXPRESS = 'JTEXPRESS',
  DEPPON = 'DEPPON',
  BEST = 'BEST',
  ZJS = 'ZJS',
  UC = 'UC',
  OTHER = 'OTHER',
}

export const CARRIERS = Object.values(Carrier);

export interface CarrierRow {
  /** Codes and names an ERP may send (matched without case, spaces, hyphens or underscores). */
  aliases: string[];
  kuaishouExpressCode: number;
  /** Absent: look the carrier up by `youzanNames` in Youzan's express list. */
  youzanExpressId?: string;
  youzanNames: string[];
}

/**
 * 百世快递 merged into 极兔速递, so BEST ships as 109 on Kuaishou too (Youzan still lists 百世 as 6).
 * Which Kuaishou rows are retired is unconfirmed; the platform answers result 11 for a code it no
 * longer accepts.
 */
export const CARRIER_TABLE: Record<Carrier, CarrierRow> = {
  [Carrier.SF]: {
    aliases: ['SF', 'SFEXPRESS', 'SHUNFENG', '顺丰', '顺丰速运'],
    kuaishouExpressCode: 4,
    youzanExpressId: '7',
    youzanNames: ['顺丰'],
  },
  [Carrier.ZTO]: {
    aliases: ['ZTO', 'ZHONGTONG', '中通', '中通快递'],
    kuaishouExpressCode: 9,
    youzanExpressId: '3',
    youzanNames: ['中通'],
  },
  [Carrier.YTO]: {
    aliases: ['YTO', 'YUANTONG', '圆通', '圆通速递'],
    kuaishouExpressCode: 6,
    youzanExpressId: '2',
    youzanNames: ['圆通'],
  },
  [Carrier.STO]: {
    aliases: ['STO', 'SHENTONG', '申通', '申通快递'],
    kuaishouExpressCode: 3,
    youzanExpressId: '1',
    youzanNames: ['申通'],
  },
  [Carrier.YUNDA]: {
    aliases: ['YUNDA', 'YD', '韵达', '韵达快递'],
    kuaishouExpressCode: 11,
    youzanExpressId: '4',
    youzanNames: ['韵达'],
  },
  [Carrier.EMS]: {
    aliases: ['EMS', '中国邮政EMS'],
    kuaishouExpressCode: 2,
    youzanExpressId: '11',
    youzanNames: ['EMS'],
  },
  [Carrier.CHINA_POST]: {
    aliases: ['CHINAPOST', 'YZPY', 'POST', '邮政', '邮政快递包裹', '中国邮政'],
    kuaishouExpressCode: 8,
    youzanExpressId: '8',
    youzanNames: ['邮政'],
  },
  [Carrier.JD]: {
    aliases: ['JD', 'JDL', '京东', '京东物流', '京东快递'],
    kuaishouExpressCode: 14,
    youzanNames: ['京东'],
  },
  [Carrier.JTEXPRESS]: {
    aliases: ['JTEXPRESS', 'JT', 'J&T', 'JTSD', '极兔', '极兔速递'],
    kuaishouExpressCode: 109,
    youzanNames: ['极兔', 'J&T'],
  },
  [Carrier.DEPPON]: {
    aliases: ['DEPPON', 'DBL', '德邦', '德邦物流', '德邦快递'],
    kuaishouExpressCode: 53,
    youzanExpressId: '28',
    youzanNames: ['德邦'],
  },
  [Carrier.BEST]: {
    aliases: ['BEST', 'HTKY', 'BESTEXPRESS', '百世', '百世快递', '百世汇通'],
    kuaishouExpressCode: 109,
    youzanExpressId: '6',
    youzanNames: ['百世'],
  },
  [Carrier.ZJS]: {
    aliases: ['ZJS', '宅急送'],
    kuaishouExpressCode: 10,
    youzanExpressId: '25',
    youzanNames: ['宅急送'],
  },
  [Carrier.UC]: {
    aliases: ['UC', 'UCEXPRESS', '优速', '优速快递'],
    kuaishouExpressCode: 15,
    youzanExpressId: '38',
    youzanNames: ['优速'],
  },
  [Carrier.OTHER]: {
    aliases: ['OTHER', '其他'],
    kuaishouExpressCode: 9999,
    youzanExpressId: '41',
    youzanNames: ['其他'],
  },
};

function normalize(text: string): string {
  return text.replace(/[\s_-]+/g, '').toUpperCase();
}

const BY_ALIAS = new Map<string, Carrier>(
  (Object.entries(CARRIER_TABLE) as [Carrier, CarrierRow][]).flatMap(([carrier, row]) =>
    [carrier, ...row.aliases].map((alias) => [normalize(alias), carrier] as const),
  ),
);

/** The carrier an ERP means by a code or name (`sf`, `SF-EXPRESS`, `顺丰速运`); undefined when unknown. */
export function parseCarrier(codeOrName: string): Carrier | undefined {
  return BY_ALIAS.get(normalize(codeOrName));
}
