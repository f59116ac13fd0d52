import { bundledKuaishouLeaves, bundledSuggester } from './bundled-kuaishou-tree';
import { bigrams, CategorySuggester, leavesOf, nameTerms, normalizeText } from './category-suggest';
import { jiebaSegmenter } from './chinese-segmenter';

const leaf = (id: string, path: string[], open?: boolean) => ({ id, name: path[path.length - 1], path, open });

describe(CategorySuggester.name, () => {
  const small = new CategorySuggester([
    leaf('1584', ['服饰/鞋靴/箱包', '女装', '连衣裙']),
    leaf('1609', ['服饰/鞋靴/箱包', '女装', '半身裙']),
    leaf('1526', ['服饰/鞋靴/箱包', '男装', 'T恤']),
    leaf('1588', ['服饰/鞋靴/箱包', '女装', 'T恤']),
    leaf('1833', ['食品', '生鲜', '水果']),
    leaf('1483', ['美妆/个护清洁', '美妆', '彩妆', '唇彩/唇蜜/唇釉']),
  ]);

  describe('suggest', () => {
    it('ranks the leaf whose name appears in the title first', () => {
      const [first] = small.suggest({ title: '法式碎花雪纺连衣裙女夏' });
      expect(first.categoryId).toBe('1584');
      expect(first.path).toEqual(['服饰/鞋靴/箱包', '女装', '连衣裙']);
    });

    it('matches any part of a slash-joined leaf name', () => {
      expect(small.suggest({ title: '水光镜面唇釉' })[0].categoryId).toBe('1483');
    });

    it('uses the full path to tell same-named leaves apart', () => {
      expect(small.suggest({ title: '男装纯棉T恤' })[0].categoryId).toBe('1526');
      expect(small.suggest({ title: '女装纯棉T恤' })[0].categoryId).toBe('1588');
    });

    it('lets the Youzan category break a tie between branches', () => {
      expect(small.suggest({ title: '纯棉T恤', youzanCategory: '男人' })[0].categoryId).toBe('1526');
      expect(small.suggest({ title: '纯棉T恤', youzanCategory: '1000000' })[0].categoryId).toBe('1588');
    });

    it('falls back to the description when the title says nothing', () => {
      expect(small.suggest({ title: '限量款', description: '一条显瘦的半身裙' })[0].categoryId).toBe('1609');
    });

    it('never suggests a leaf the shop may not use', () => {
      const closed = new CategorySuggester([leaf('1584', ['女装', '连衣裙'], false), leaf('1609', ['女装', '半身裙'])]);
      expect(closed.suggest({ title: '连衣裙' }).map((s) => s.categoryId)).not.toContain('1584');
    });

    it('returns nothing for text that shares no character with any leaf', () => {
      expect(small.suggest({ title: '¥¥¥' })).toEqual([]);
    });

    it('gives confidences between 0 and 1, highest first', () => {
      const ranked = small.suggest({ title: '女装T恤连衣裙' });
      expect(ranked.length).toBeGreaterThan(1);
      for (const s of ranked) expect(s.confidence).toBeGreaterThan(0);
      for (const s of ranked) expect(s.confidence).toBeLessThanOrEqual(1);
      for (let i = 1; i < ranked.length; i++)
        expect(ranked[i].confidence).toBeLessThanOrEqual(ranked[i - 1].confidence);
    });

    it('gives a single weak match a low confidence', () => {
      const [only] = small.suggest({ title: '果' });
      expect(only.categoryId).toBe('1833');
      expect(only.confidence).toBeLessThan(0.5);
    });

    it('uses the everyday words of the keyword list on the real tree', () => {
      const real = bundledSuggester();
      expect(real.suggest({ title: '现摘赣南脐橙10斤', youzanCategory: '食品' })[0].categoryId).toBe('1833');
      expect(real.suggest({ title: '苹果iPhone 15 Pro 256G', youzanCategory: '数码家电' })[0].categoryId).toBe('1067');
    });
  });

  describe('word segmentation', () => {
    it('segments Chinese titles into dictionary words with jieba', () => {
      const words = jiebaSegmenter()('男士洗面奶控油祛痘洁面乳');
      expect(words).toEqual(expect.arrayContaining(['男士', '洗面奶', '控油', '祛痘']));
    });

    it('ranks the men’s leaf first for a men’s face wash, where character n-grams alone put the general one first', () => {
      // Names only (no keyword list), on the real tree: 洁面 is in the title either way; the word 男士
      // is what tells 男士洁面 (1558) from 洁面 (1522).
      const item = { title: '男士洗面奶控油祛痘洁面乳', youzanCategory: '美妆' };
      const ngramsOnly = new CategorySuggester(bundledKuaishouLeaves(), {}, { segmenter: null });
      const segmented = new CategorySuggester(bundledKuaishouLeaves(), {});
      expect(ngramsOnly.suggest(item, 3).map((s) => s.categoryId)).toEqual(['1522', '1558', '1561']);
      expect(segmented.suggest(item, 3)[0]).toMatchObject({
        categoryId: '1558',
        path: ['美妆/个护清洁', '个护清洁', '男士面部护肤', '男士洁面'],
      });
    });
  });

  it('indexes all 525 leaves of the bundled real tree', () => {
    expect(bundledKuaishouLeaves()).toHaveLength(525);
  });
});

describe('text helpers', () => {
  it('splits leaf names into terms without filler words', () => {
    expect(nameTerms('唇彩/唇蜜/唇釉')).toEqual(['唇彩', '唇蜜', '唇釉']);
    expect(nameTerms('其它彩妆')).toEqual(['其它彩妆', '彩妆']);
  });

  it('strips listing boilerplate and punctuation', () => {
    expect(normalizeText('【包邮】2024新款 连衣裙！')).toBe('连衣裙');
    expect(normalizeText('ＴＥＥ')).toBe('tee');
  });

  it('builds character bigrams within words only', () => {
    expect([...bigrams('连衣裙 女')]).toEqual(['连衣', '衣裙']);
  });

  it('builds leaf paths from a flat list', () => {
    const leaves = leavesOf([
      { id: '1', parentId: null, name: '食品', leaf: false },
      { id: '2', parentId: '1', name: '水果', leaf: true, open: true },
    ]);
    expect(leaves).toEqual([{ id: '2', name: '水果', path: ['食品', '水果'], open: true }]);
  });
});
