/**
 * Carriers in domain terms. Each platform adapter maps them to its own numbering
 * (Kuaishou `expressCode` integers, Youzan `out_stype` express ids).
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
