import dressConfig from '../../platforms/kuaishou/fixtures/category-config-1584.json';
import rulesConfig from '../../platforms/kuaishou/fixtures/category-config-format-rules.json';
import { toChannelProperty } from '../../platforms/kuaishou/kuaishou.mapper';
import { KsCategoryConfig } from '../../platforms/kuaishou/kuaishou-wire.types';
import { ChannelCategoryProperty } from '../../platforms/ports/catalog.port';
import { isKuaishouHosted } from '../../platforms/kuaishou/kuaishou-catalog.channel';
import { checkHostedImages, countByGroup, ListingDraft, validateListing, ValidationTarget } from './listing-validation';

/** Properties as the adapter maps a recorded `open.item.category.config` answer. */
function propertiesOf(fixture: { data: unknown }): ChannelCategoryProperty[] {
  return ((fixture.data as KsCategoryConfig).propConfigs ?? []).map((config) => toChannelProperty(config, []));
}

/** Just enough PNG (signature + IHDR) for `image-size` to read its dimensions. */
function png(width: number, height: number, padTo = 0): Uint8Array {
  const head = Buffer.alloc(24);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(head, 0);
  head.writeUInt32BE(13, 8);
  head.write('IHDR', 12, 'ascii');
  head.writeUInt32BE(width, 16);
  head.writeUInt32BE(height, 20);
  return padTo > 24 ? Buffer.concat([head, Buffer.alloc(padTo - 24)]) : head;
}

const dress = (): ValidationTarget => ({
  platform: 'kuaishou',
  categoryId: '1584',
  leaf: true,
  open: true,
  properties: propertiesOf(dressConfig),
});

const draft = (overrides: Partial<ListingDraft> = {}): ListingDraft => ({
  title: '法式碎花连衣裙',
  description: '雪纺面料，收腰设计，适合春夏。',
  imageUrls: ['https://img/1.png'],
  properties: [
    { propertyId: '102', valueIds: ['990000001'] },
    { propertyId: '99000001', valueIds: ['990000004'] },
    { propertyId: '99000002', valueIds: ['990000010'] },
  ],
  skus: [{ skuCode: 'DRESS-S', specs: [{ name: '尺码', value: 'S' }], priceFen: 19900 }],
  ...overrides,
});

const codes = (findings: { code: string }[]) => findings.map((f) => f.code).sort();

describe('validateListing', () => {
  it('passes a complete dress listing against the recorded 1584 config', () => {
    const images = new Map([['https://img/1.png', png(800, 800)]]);
    expect(validateListing(draft(), dress(), images)).toEqual([]);
  });

  it('names every required property of the config that is missing, with values to choose from', () => {
    const findings = validateListing(draft({ properties: [] }), dress());
    const required = propertiesOf(dressConfig).filter((p) => p.required);
    expect(required.length).toBeGreaterThan(1);
    expect(findings.map((f) => f.field).sort()).toEqual(required.map((p) => `properties[${p.id}]`).sort());
    const brand = findings.find((f) => f.field === 'properties[102]')!;
    expect(brand).toMatchObject({ code: 'PROPERTY_REQUIRED', group: 'property', severity: 'error' });
    expect(brand.message.zh).toContain('品牌');
    expect(brand.message.en).toContain('品牌');
    expect(brand.hint.zh).toContain('无品牌');
    expect(countByGroup(findings)).toEqual({ category: 0, property: required.length, image: 0, other: 0 });
  });

  it('refuses values outside the listed ones and more values than propValueMaximum', () => {
    const properties = [
      { propertyId: '102', valueIds: ['42'] },
      { propertyId: '99000001', valueIds: ['990000004', '990000005', '990000006', '990000007'] },
      { propertyId: '99000002', valueIds: ['990000010', '990000011'] },
      { propertyId: '12345', text: 'x' },
      { propertyId: '102', valueIds: ['990000001'] },
    ];
    expect(codes(validateListing(draft({ properties }), dress()))).toEqual([
      'PROPERTY_DUPLICATE',
      'PROPERTY_TOO_MANY_VALUES',
      'PROPERTY_TOO_MANY_VALUES',
      'PROPERTY_UNKNOWN',
      'PROPERTY_VALUE_UNKNOWN',
    ]);
  });

  describe('input formats (propInputConfig)', () => {
    const lipstick = (): ValidationTarget => ({
      platform: 'kuaishou',
      categoryId: '1482',
      leaf: true,
      open: true,
      properties: propertiesOf(rulesConfig),
    });
    const base = [
      { propertyId: '102', valueIds: ['990000001'] },
      { propertyId: '99100001', valueIds: ['991000001'] },
      { propertyId: '99100004', imageUrls: ['https://img/prop.png'] },
    ];
    const images = new Map([
      ['https://img/1.png', png(800, 800)],
      ['https://img/prop.png', png(600, 600)],
    ]);

    it('accepts a text matching the pattern within its length, and a number within range', () => {
      const properties = [
        ...base,
        { propertyId: '99100002', text: '粤G妆网备字2024012345' },
        { propertyId: '99100003', text: '3.5' },
      ];
      expect(validateListing(draft({ properties }), lipstick(), images)).toEqual([]);
    });

    it('reports a text off the pattern with the platform’s own message as hint, and a number out of range', () => {
      const properties = [
        ...base,
        { propertyId: '99100002', text: '备案号12' },
        { propertyId: '99100003', text: '900' },
      ];
      const findings = validateListing(draft({ properties }), lipstick(), images);
      expect(codes(findings)).toEqual(['PROPERTY_LENGTH', 'PROPERTY_NUMBER', 'PROPERTY_PATTERN']);
      expect(findings.find((f) => f.code === 'PROPERTY_PATTERN')!.hint.zh).toBe('请填写正确的化妆品备案编号');
      expect(findings.find((f) => f.code === 'PROPERTY_NUMBER')!.field).toBe('properties[99100003]');
    });

    it('checks image properties for count and minimum dimensions', () => {
      const small = new Map([...images, ['https://img/prop.png', png(300, 900)]]);
      const properties = [
        ...base.slice(0, 2),
        { propertyId: '99100004', imageUrls: ['https://img/prop.png'] },
        { propertyId: '99100002', text: '粤G妆网备字2024012345' },
      ];
      const findings = validateListing(draft({ properties }), lipstick(), small);
      expect(findings).toHaveLength(1);
      expect(findings[0]).toMatchObject({ code: 'PROPERTY_IMAGE_SIZE', group: 'image' });
      expect(findings[0].message.en).toContain('300×900');

      const four = ['a', 'b', 'c', 'd'].map((n) => `https://img/${n}.png`);
      const tooMany = [...properties.slice(0, 2), { propertyId: '99100004', imageUrls: four }, properties[3]];
      expect(codes(validateListing(draft({ properties: tooMany }), lipstick()))).toEqual(['PROPERTY_IMAGE_COUNT']);
    });
  });

  it('checks main images: count, format, bytes and dimensions', () => {
    const gif = Buffer.from('GIF89a\x20\x03\x20\x03\x00\x00', 'latin1');
    const images = new Map<string, Uint8Array>([
      ['https://img/1.png', png(300, 300)],
      ['https://img/big.png', png(1000, 1000, 2 * 1024 * 1024 + 1)],
      ['https://img/anim.gif', gif],
      ['https://img/broken', Buffer.from('not an image')],
    ]);
    const imageUrls = ['https://img/1.png', 'https://img/big.png', 'https://img/anim.gif', 'https://img/broken'];
    const findings = validateListing(draft({ imageUrls }), dress(), images);
    expect(findings.map((f) => `${f.code}@${f.field}`).sort()).toEqual([
      'IMAGE_FORMAT@imageUrls[2]',
      'IMAGE_TOO_LARGE@imageUrls[1]',
      'IMAGE_TOO_SMALL@imageUrls[0]',
      'IMAGE_UNREADABLE@imageUrls[3]',
    ]);
    // The same GIF is fine on Youzan, which takes GIFs.
    const youzan = validateListing(
      draft({ imageUrls: ['https://img/anim.gif'] }),
      { platform: 'youzan', categoryId: null, properties: [] },
      images,
    );
    expect(codes(youzan)).toEqual([]);
    expect(codes(validateListing(draft({ imageUrls: [] }), dress()))).toEqual(['IMAGE_COUNT']);
    const ten = Array.from({ length: 10 }, (_, i) => `https://img/${i}.png`);
    expect(codes(validateListing(draft({ imageUrls: ten }), dress()))).toEqual(['IMAGE_COUNT']);
  });

  it('requires an open leaf category on Kuaishou', () => {
    expect(codes(validateListing(draft(), { ...dress(), categoryId: null }))).toEqual(['CATEGORY_MISSING']);
    expect(codes(validateListing(draft(), { ...dress(), leaf: false, open: false }))).toEqual([
      'CATEGORY_NOT_LEAF',
      'CATEGORY_NOT_OPEN',
    ]);
  });

  it('checks title and description lengths per platform', () => {
    const long = '裙'.repeat(61);
    expect(codes(validateListing(draft({ title: long, description: '' }), dress()))).toEqual([
      'DESCRIPTION_LENGTH',
      'TITLE_TOO_LONG',
    ]);
    const youzan: ValidationTarget = { platform: 'youzan', categoryId: null, properties: [] };
    expect(codes(validateListing(draft({ title: long, description: '好看' }), youzan))).toEqual(['DESCRIPTION_LENGTH']);
    expect(codes(validateListing(draft({ title: '  ' }), youzan))).toEqual(['TITLE_MISSING']);
  });

  it('checks SKU prices, strike-through prices and the full spec set', () => {
    const skus = [
      {
        skuCode: 'D-S-RED',
        specs: [
          { name: '尺码', value: 'S' },
          { name: '颜色', value: '红' },
        ],
        priceFen: 0,
      },
      {
        skuCode: 'D-M-RED',
        specs: [
          { name: '尺码', value: 'M' },
          { name: '颜色', value: '红' },
        ],
        priceFen: 100,
      },
      {
        skuCode: 'D-S-BLUE',
        specs: [
          { name: '尺码', value: 'S' },
          { name: '颜色', value: '蓝' },
        ],
        priceFen: 100,
        marketPriceFen: 100,
      },
    ];
    const findings = validateListing(draft({ skus }), dress());
    expect(findings.map((f) => `${f.code}@${f.field}`).sort()).toEqual([
      'SALE_PROP_CARTESIAN@skus[].specs',
      'SKU_MARKET_PRICE@skus[2].marketPriceFen',
      'SKU_PRICE@skus[0].priceFen',
    ]);
    const complete = [
      ...skus.map((s) => ({ ...s, priceFen: 100, marketPriceFen: undefined })),
      {
        skuCode: 'D-M-BLUE',
        specs: [
          { name: '尺码', value: 'M' },
          { name: '颜色', value: '蓝' },
        ],
        priceFen: 100,
      },
    ];
    expect(validateListing(draft({ skus: complete }), dress())).toEqual([]);
    const fourLevels = [
      { skuCode: 'X', specs: ['a', 'b', 'c', 'd'].map((name) => ({ name, value: '1' })), priceFen: 100 },
    ];
    expect(codes(validateListing(draft({ skus: fourLevels }), dress()))).toEqual(['SALE_PROP_LEVELS']);
    expect(codes(validateListing(draft({ skus: [skus[1], skus[1]] }), dress()))).toEqual([
      'SALE_PROP_CARTESIAN',
      'SKU_CODE_DUPLICATE',
    ]);
  });
});

describe('checkHostedImages (images about to be sent to Kuaishou)', () => {
  it('names each image not on the Kuaishou image host, with its index and a fix hint', () => {
    const findings = checkHostedImages(
      [
        'https://p4-ec.kwaixiaodian.com/bs2/a.png',
        'https://img.yzcdn.cn/b.jpg',
        'https://evil.com/x.kwaixiaodian.com.jpg',
      ],
      isKuaishouHosted,
    );
    expect(findings.map((f) => [f.code, f.field, f.group])).toEqual([
      ['IMAGE_NOT_HOSTED', 'imageUrls[1]', 'image'],
      ['IMAGE_NOT_HOSTED', 'imageUrls[2]', 'image'],
    ]);
    expect(findings[0].hint.en).toContain('open.item.image.upload');
    expect(checkHostedImages(['https://ali2.a.kwimgs.com/x.jpg'], isKuaishouHosted)).toEqual([]);
  });
});
