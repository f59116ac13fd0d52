import { serviceUrl } from './service-url';

describe('serviceUrl (where erp:stock, erp:ship and the demo find the service)', () => {
  it('takes --url first, then PUBLIC_BASE_URL, then localhost on PORT, then 3000', () => {
    expect(serviceUrl('http://h:1/', { PUBLIC_BASE_URL: 'http://p', PORT: '9' })).toBe('http://h:1');
    expect(serviceUrl(undefined, { PUBLIC_BASE_URL: 'https://shop.example/', PORT: '9' })).toBe('https://shop.example');
    expect(serviceUrl(undefined, { PORT: '4100' })).toBe('http://localhost:4100');
    expect(serviceUrl(undefined, {})).toBe('http://localhost:3000');
  });
});
