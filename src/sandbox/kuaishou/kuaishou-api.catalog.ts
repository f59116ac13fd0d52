import { ApiDef, OpenApiDeps, read, write } from './kuaishou-api.common';
import { ksError } from './kuaishou-emulator.errors';
import { uploadImage } from './kuaishou-emulator.images';

/** Catalog APIs: categories and their properties, the suggestion ranking, image upload. */
export function catalogApis(deps: OpenApiDeps): Record<string, ApiDef> {
  const { store } = deps;
  const catalog = store.catalog;
  return {
    'open.item.category': read('merchant_item', () => ({
      data: catalog.categories.map((c) => ({ categoryId: c.id, categoryName: c.name, categoryPid: c.pid })),
    })),
    'open.item.category.optional.get': read('merchant_item', ({ shop }) => {
      const children = (pid: number): Record<string, unknown>[] =>
        catalog.categories
          .filter((c) => c.pid === pid)
          .map((c) => ({
            categoryId: c.id,
            categoryName: c.name,
            hierarchy: catalog.path(c.id).length,
            open: store.isOpenFor(shop, c.id),
            childCategory: children(c.id),
          }));
      return { data: children(0) };
    }),
    // The real ranking model is Kuaishou's own; this one ranks leaves by the characters they share with the
    // title and description, enough to exercise the API's shape and its daily cap. The live API takes only
    // Kuaishou-hosted image URLs; this emulator only requires one URL (hosting is not checked here yet,
    // though open.item.image.upload now hands out hosted URLs).
    'open.item.category.suggested.get': read('merchant_item', ({ shop, p }) => {
      const title = p.string('itemTitle');
      const imageUrls = p.strings('imageUrls') ?? [];
      if (!title.trim()) throw ksError.invalid('itemTitle 不能为空');
      if (!imageUrls.length) throw ksError.invalid('imageUrls 不能为空');
      if (!store.takeSuggestQuota(shop)) throw ksError.quota(deps.appKey);
      const text = `${title} ${p.string('itemDesc', true) ?? ''}`;
      const ranked = catalog.categories
        .filter((c) => c.leaf)
        .map((c) => ({
          c,
          score: [...new Set(c.name.replace(/[/其它他]/g, ''))].filter((ch) => text.includes(ch)).length,
        }))
        .filter((r) => r.score > 0)
        .sort((a, b) => b.score - a.score || a.c.id - b.c.id)
        .slice(0, 5);
      return {
        data: ranked.map(({ c }) => {
          const path = catalog.path(c.id);
          return {
            categoryNamePath: path.map((n) => n.name),
            categoryCodePath: path.map((n) => n.id),
            open: store.isOpenFor(shop, c.id),
          };
        }),
      };
    }),
    'open.item.category.config': read('merchant_item', ({ p }) => {
      const id = Number(p.long('categoryId'));
      if (!catalog.get(id)) throw ksError.business('类目不存在');
      return {
        data: {
          categoryConfig: {
            refundRuleList: catalog.refundRulesOf(id),
            preSaleTime: 0,
            allergyRefund: 0,
            freshRotRefund: 0,
            brokenRefund: 0,
          },
          categoryPropSwitch: true,
          propConfigs: catalog.propsOf(id).map((prop) => ({
            propId: prop.propId,
            propName: prop.propName,
            required: prop.required,
            propInputType: prop.inputType,
            propValueMaximum: prop.maxValues,
            sortNum: prop.sortNum,
            customInput: false,
            preConstraint: false,
            prePropValues: [],
            unitProp: [],
            propInputConfig: {},
          })),
        },
      };
    }),
    'open.item.category.prop.value.search': read('merchant_item', ({ p }) => {
      const id = Number(p.long('categoryId'));
      const propId = Number(p.long('propId'));
      const cursor = p.int('cursor');
      const limit = p.int('limit');
      if (limit < 1 || limit > 500) throw ksError.invalid('limit 必须在1-500之间');
      const prop = catalog.propsOf(id).find((c) => c.propId === propId);
      if (!prop) throw ksError.business('类目属性不存在');
      const filter = p.string('propValue', true);
      const values = prop.values.filter((v) => !filter || v.name.includes(filter));
      const page = values.slice(cursor, cursor + limit);
      const next = cursor + page.length < values.length ? cursor + page.length : 0;
      return {
        data: {
          total: values.length,
          cursor: next,
          propValues: page.map((v) => ({ propValueId: v.id, propValue: v.name })),
        },
      };
    }),
    // Multipart: system params and `param` as fields, the bytes in the `imgBytes` part (sheet §2.1, §3.6).
    'open.item.image.upload': write('merchant_item', ({ p, files }) => ({
      data: uploadImage(
        store.hostedImages,
        p.int('uploadType', true) ?? 1,
        p.string('imgUrl', true),
        files.find((f) => f.name === 'imgBytes')?.data,
      ),
    })),
  };
}
