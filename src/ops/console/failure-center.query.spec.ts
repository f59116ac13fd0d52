import { failureQueryString, parseActionForm, parseFailureQuery } from './failure-center.query';

const ID_A = '0b9c7a52-5e0c-4c4e-9b1d-1f2a3b4c5d6e';
const ID_B = '1c9c7a52-5e0c-4c4e-9b1d-1f2a3b4c5d6f';

describe('failure center query', () => {
  it('shows the failures needing someone by default', () => {
    const parsed = parseFailureQuery({});
    expect(parsed.filter).toEqual({ status: ['open', 'retrying'] });
    expect(parsed.page).toBe(1);
    expect(parsed.errors).toEqual({});
  });

  it('turns every filter and the search into the repository filter, trimmed', () => {
    const parsed = parseFailureQuery({
      status: 'dismissed',
      context: ' inventory ',
      platform: 'youzan',
      shopRef: 'yz-shop-1',
      errorCode: 'rate_limited',
      q: 'SKU-42',
      page: '3',
    });
    expect(parsed.filter).toEqual({
      status: ['dismissed'],
      context: 'inventory',
      platform: 'youzan',
      shopRef: 'yz-shop-1',
      errorCode: 'RATE_LIMITED',
      search: 'SKU-42',
    });
    expect(parsed.page).toBe(3);
  });

  it('drops the status filter for "all"', () => {
    expect(parseFailureQuery({ status: 'all' }).filter.status).toBeUndefined();
  });

  it('names each bad field in words and leaves it out instead of failing', () => {
    const parsed = parseFailureQuery({ status: 'gone', platform: 'taobao', q: 'x'.repeat(101), page: '0x10' });
    expect(Object.keys(parsed.errors).sort()).toEqual(['page', 'platform', 'q', 'status']);
    expect(parsed.filter).toEqual({});
    expect(parsed.page).toBe(1);
    expect(parsed.errors.platform).toMatch(/kuaishou or youzan/);
  });

  it('ignores non-text query values (repeated parameters)', () => {
    const parsed = parseFailureQuery({ q: ['a', 'b'], context: ['x'] });
    expect(parsed.filter.search).toBeUndefined();
    expect(parsed.filter.context).toBeUndefined();
  });

  it('keeps the filters in paging links', () => {
    const { form } = parseFailureQuery({ platform: 'kuaishou', q: 'a b' });
    expect(failureQueryString(form, 2)).toBe('status=open%2Cretrying&platform=kuaishou&q=a+b&page=2');
  });
});

describe('failure action form', () => {
  it('takes one id or many, without duplicates', () => {
    expect(parseActionForm({ action: 'retry', ids: ID_A })).toEqual({ action: 'retry', ids: [ID_A], errors: {} });
    expect(parseActionForm({ action: 'replay', ids: [ID_A, ID_B, ID_A] }).ids).toEqual([ID_A, ID_B]);
  });

  it('wants a reason to dismiss', () => {
    expect(parseActionForm({ action: 'dismiss', ids: ID_A }).errors.note).toMatch(/Say why/);
    expect(parseActionForm({ action: 'dismiss', ids: ID_A, note: 'known' })).toMatchObject({
      note: 'known',
      errors: {},
    });
  });

  it('refuses an unknown action, no selection and ids that are not ids', () => {
    expect(Object.keys(parseActionForm({}).errors).sort()).toEqual(['action', 'ids']);
    expect(parseActionForm({ action: 'retry', ids: ['1 OR 1=1'] }).errors.ids).toMatch(/not valid/);
    expect(parseActionForm({ action: 'delete', ids: ID_A }).action).toBeUndefined();
  });
});
