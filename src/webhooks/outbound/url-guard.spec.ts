import { checkWebhookUrl, guardedLookup, isPublicAddress, WebhookUrlRefusedError } from './url-guard';

describe('url guard', () => {
  describe('isPublicAddress', () => {
    it.each([
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '224.0.0.1',
    ])('refuses %s', (address) => expect(isPublicAddress(address)).toBe(false));
    it.each(['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'])('accepts %s', (address) =>
      expect(isPublicAddress(address)).toBe(true),
    );
  });

  describe('checkWebhookUrl', () => {
    it('refuses private address literals, local names, other schemes and credentials', () => {
      for (const url of [
        'http://127.0.0.1:8080/hook',
        'http://[::1]/hook',
        'https://169.254.169.254/latest/meta-data',
        'http://localhost/hook',
        'ftp://erp.example.com/hook',
        'https://user:pw@erp.example.com/hook',
        'not a url',
      ])
        expect(() => checkWebhookUrl(url, false)).toThrow(WebhookUrlRefusedError);
    });

    it('accepts a public URL, and private ones when private URLs are allowed', () => {
      expect(checkWebhookUrl('https://erp.example.com/hooks', false).hostname).toBe('erp.example.com');
      expect(checkWebhookUrl('http://127.0.0.1:8080/hook', true).port).toBe('8080');
    });
  });

  describe('guardedLookup', () => {
    it('refuses a host name that resolves to a loopback address', (done) => {
      guardedLookup(false)('localhost', {}, (error) => {
        expect(error).toBeInstanceOf(WebhookUrlRefusedError);
        done();
      });
    });

    it('lets it through when private URLs are allowed', (done) => {
      guardedLookup(true)('localhost', {}, (error, addresses) => {
        expect(error).toBeNull();
        expect(addresses.length).toBeGreaterThan(0);
        done();
      });
    });
  });
});
