import { ChannelCategoryProperty } from '@app/platforms/ports/catalog.port';
import { parseDraftForm } from './draft-form';

const prop = (overrides: Partial<ChannelCategoryProperty>): ChannelCategoryProperty => ({
  id: '102',
  name: '品牌',
  required: true,
  inputType: 'single',
  values: [{ id: '990000002', name: '沙箱品牌' }],
  ...overrides,
});

describe('parseDraftForm', () => {
  it('reads the category, title, images one per line and each shown property by its input type', () => {
    const { changes, errors } = parseDraftForm(
      {
        categoryId: ' 1584 ',
        title: '连衣裙',
        imageUrls: 'https://a/1.jpg\r\n\r\nhttps://a/2.jpg',
        prop_102: '990000002',
        prop_7: ['1', '2'],
        prop_8: '  棉  ',
        prop_9: '',
        _csrf: 'x',
      },
      [
        prop({}),
        prop({
          id: '7',
          inputType: 'multi',
          values: [
            { id: '1', name: 'a' },
            { id: '2', name: 'b' },
          ],
        }),
        prop({ id: '8', inputType: 'text', values: [] }),
        prop({ id: '9', inputType: 'text', values: [] }),
      ],
    );
    expect(errors).toEqual([]);
    expect(changes).toEqual({
      categoryId: '1584',
      title: '连衣裙',
      imageUrls: ['https://a/1.jpg', 'https://a/2.jpg'],
      properties: [
        { propertyId: '102', valueIds: ['990000002'] },
        { propertyId: '7', valueIds: ['1', '2'] },
        { propertyId: '8', text: '棉' },
      ],
    });
  });

  it('names every bad field as the validator does, and ignores properties the category does not have', () => {
    const { errors, changes } = parseDraftForm(
      { categoryId: 'abc', title: ' ', imageUrls: 'https://a/1.jpg\nftp://x', prop_102: ['1', '2'], prop_55: '3' },
      [prop({})],
    );
    expect(errors.map((e) => e.field)).toEqual(['categoryId', 'title', 'imageUrls', 'properties[102]']);
    expect(errors.find((e) => e.field === 'imageUrls')?.messages[0]).toContain('line 2');
    expect(changes.properties).toEqual([]);
  });
});
