import { flattenOptionalTree } from './kuaishou.mapper';

describe('flattenOptionalTree', () => {
  it('flattens open.item.category.optional.get with parents, leaves and the merchant’s open flags', () => {
    const categories = flattenOptionalTree([
      {
        categoryId: 1001,
        categoryName: '服饰/鞋靴/箱包',
        hierarchy: 1,
        open: true,
        childCategory: [
          {
            categoryId: 1582,
            categoryName: '女装',
            hierarchy: 2,
            open: true,
            childCategory: [
              { categoryId: 1584, categoryName: '连衣裙', hierarchy: 3, open: true, childCategory: [] },
              { categoryId: 1609, categoryName: '半身裙', hierarchy: 3, open: false, childCategory: null },
            ],
          },
        ],
      },
    ]);
    expect(categories).toEqual([
      { id: '1001', parentId: null, name: '服饰/鞋靴/箱包', leaf: false, open: true },
      { id: '1582', parentId: '1001', name: '女装', leaf: false, open: true },
      { id: '1584', parentId: '1582', name: '连衣裙', leaf: true, open: true },
      { id: '1609', parentId: '1582', name: '半身裙', leaf: true, open: false },
    ]);
  });

  it('treats a category without an open flag as open', () => {
    expect(flattenOptionalTree([{ categoryId: 7, categoryName: 'x' }])).toEqual([
      { id: '7', parentId: null, name: 'x', leaf: true, open: true },
    ]);
  });
});
