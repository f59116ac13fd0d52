import { isDailyCapRefusal, mapAuditRejection, mapPlatformRefusal, nextChinaDay } from './publish-policy';

describe('publish policy', () => {
  describe('nextChinaDay', () => {
    it('is the next midnight in UTC+8, i.e. 16:00 UTC', () => {
      expect(new Date(nextChinaDay(Date.UTC(2026, 11, 3, 9, 0))).toISOString()).toBe('2026-12-03T16:00:00.000Z');
    });

    it('moves to the following day once China midnight has passed', () => {
      expect(new Date(nextChinaDay(Date.UTC(2026, 11, 3, 16, 0))).toISOString()).toBe('2026-12-04T16:00:00.000Z');
    });
  });

  describe('isDailyCapRefusal', () => {
    it('recognizes Kuaishou’s daily create cap message', () => {
      expect(isDailyCapRefusal('每个商家每天最多发布500个商品')).toBe(true);
    });

    it('does not take other refusals for the cap', () => {
      expect(isDailyCapRefusal('运费模板无效')).toBe(false);
      expect(isDailyCapRefusal(undefined)).toBe(false);
    });
  });

  describe('mapAuditRejection', () => {
    it('maps a wrong-category rejection to the category rule', () => {
      expect(mapAuditRejection('商品与所选类目不符').rule).toBe('CATEGORY_NOT_OPEN');
    });

    it('maps an image rejection to an image rule with a hint about the main image', () => {
      const mapped = mapAuditRejection('主图含有水印');
      expect(mapped.rule).toBe('IMAGE_FORMAT');
      expect(mapped.hint.zh).toContain('主图');
    });

    it('maps a refused image that Kuaishou does not host to the hosted-image rule, not to the image format rule', () => {
      const mapped = mapAuditRejection('主图[https://x/a.jpg]不是快手图片地址，请先通过open.item.image.upload上传图片');
      expect(mapped.rule).toBe('IMAGE_NOT_HOSTED');
      expect(mapped.hint.en).toContain('open.item.image.upload');
    });

    it('maps a missing brand qualification to the property value rule', () => {
      expect(mapAuditRejection('品牌资质缺失').rule).toBe('PROPERTY_VALUE_UNKNOWN');
    });

    it('maps Kuaishou’s missing required property refusal to the required-property rule, even when it names the brand', () => {
      expect(mapAuditRejection('必填属性未填写: 品牌(102)').rule).toBe('PROPERTY_REQUIRED');
    });

    it('has no rule, but a general hint, for a reason it does not know', () => {
      const mapped = mapAuditRejection('其他原因');
      expect(mapped.rule).toBeNull();
      expect(mapped.hint.en).toMatch(/platform/);
    });
  });

  describe('mapPlatformRefusal', () => {
    it('maps a documented code before any keyword: Youzan 121009313 is the image count, not the image format', () => {
      const mapped = mapPlatformRefusal('youzan', '121009313', '至少上传一张商品图片');
      expect(mapped).toMatchObject({ rule: 'IMAGE_COUNT', by: 'code' });
      // By its words alone it would be taken for an image format problem.
      expect(mapAuditRejection('至少上传一张商品图片').rule).toBe('IMAGE_FORMAT');
    });

    it('takes the code of its own platform only', () => {
      expect(mapPlatformRefusal('kuaishou', '121009313', '至少上传一张商品图片')).toMatchObject({
        rule: 'IMAGE_FORMAT',
        by: 'keyword',
      });
    });

    it('explains Kuaishou 3401 by its code whatever the text says', () => {
      const mapped = mapPlatformRefusal('kuaishou', '3401', 'some other wording');
      expect(mapped).toMatchObject({ rule: null, by: 'code' });
      expect(mapped.hint.en).toContain('Kuaishou shop app');
    });

    it('falls back to the keywords for Kuaishou’s general business code 21', () => {
      expect(mapPlatformRefusal('kuaishou', '21', '必填属性未填写: 品牌(102)')).toMatchObject({
        rule: 'PROPERTY_REQUIRED',
        by: 'keyword',
      });
      expect(mapPlatformRefusal('kuaishou', '21', '其他原因')).toMatchObject({ rule: null, by: 'none' });
    });
  });
});
