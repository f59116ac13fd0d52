import { ApiDef, OpenApiDeps, read, write } from './kuaishou-api.common';
import { ksError } from './kuaishou-emulator.errors';
import { long } from './kuaishou-emulator.json';
import { KuaishouEmulatorStore } from './kuaishou-emulator.store';
import { itemListView, itemView, skuView } from './kuaishou-emulator.views';

/** Item APIs: listing (open.item.new / edit), reads, shelf, stock and price writes. */
export function itemApis(deps: OpenApiDeps): Record<string, ApiDef> {
  const { store } = deps;
  const catalog = store.catalog;
  const itemCreated = (item: ReturnType<KuaishouEmulatorStore['createItem']>) => ({
    data: {
      kwaiItemId: long(item.kwaiItemId),
      relItemId: long(item.relItemId),
      skuIdMapping: item.skus.map((s) => ({
        kwaiSkuId: long(s.kwaiSkuId),
        relSkuId: long(s.relSkuId),
        skuNick: s.skuNick,
      })),
    },
  });

  return {
    'open.item.new': write('merchant_item', ({ shop, p }) => itemCreated(store.createItem(shop, p))),
    'open.item.edit': write('merchant_item', ({ shop, p }) => itemCreated(store.editItem(shop, p))),
    'open.item.get': read('merchant_item', ({ shop, p }) => ({
      data: itemView(store.item(shop, p.long('kwaiItemId')), catalog),
    })),
    'open.item.list.get': read('merchant_item', ({ shop, p }) => {
      const page = Math.max(1, p.int('pageNumber', true) ?? 1);
      const requested = p.int('pageSize', true);
      const size = !requested || requested > 100 ? 100 : Math.max(10, requested);
      const shelf = p.int('onOfflineStatus', true);
      if (shelf !== undefined && shelf !== 1) throw ksError.invalid('onOfflineStatus 仅支持1(在售)');
      const byId = p.long('kwaiItemId', true);
      const byRel = p.long('relItemId', true);
      const items = store
        .itemsOf(shop)
        .filter(
          (i) =>
            (shelf === undefined || i.shelf === 1) &&
            (!byId || i.kwaiItemId === byId) &&
            (!byRel || i.relItemId === byRel),
        )
        .sort((a, b) => a.createTime - b.createTime || (a.kwaiItemId < b.kwaiItemId ? -1 : 1));
      const slice = items.slice((page - 1) * size, page * size);
      return {
        data: {
          totalItemCount: items.length,
          currentPageItemCount: slice.length,
          currentPageNumber: page,
          totalPage: Math.ceil(items.length / size),
          items: slice.map((i) => itemListView(i, catalog)),
        },
      };
    }),
    'open.item.sku.list.get': read('merchant_item', ({ shop, p }) => {
      const item = store.item(shop, p.long('kwaiItemId'));
      const rel = p.long('relSkuId', true);
      const skus = item.skus.filter((s) => !rel || s.relSkuId === rel).map((s) => skuView(item, s));
      return { data: { skuCount: skus.length, skuList: skus } };
    }),
    'open.item.shelf.status.update': write('merchant_item', ({ shop, p }) => {
      store.setShelf(shop, p);
      return undefined;
    }),
    'open.item.sku.stock.update': write('merchant_item', ({ shop, p }) => {
      store.updateStock(shop, p);
      return undefined;
    }),
    'open.item.sku.price.update': write('merchant_item', ({ shop, p }) => {
      store.updatePrice(shop, p);
      return undefined;
    }),
  };
}
