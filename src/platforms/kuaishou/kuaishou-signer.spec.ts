import { kuaishouStringToSign, KuaishouSignedParams, signKuaishouRequest } from './kuaishou-signer';

// Test vectors from the fact sheet §2.3.
const SECRET = '0123456789abcdef0123456789abcdef';
const base = (signMethod: KuaishouSignedParams['signMethod']): KuaishouSignedParams => ({
  access_token: 'TEST_TOKEN',
  appkey: 'ks000000000000000001',
  method: 'open.item.get',
  param: '{"kwaiItemId":123456}',
  signMethod,
  timestamp: '1700000000000',
  version: '1',
});

describe('signKuaishouRequest', () => {
  it('builds the string to sign in ASCII key order with raw values and the secret appended', () => {
    expect(kuaishouStringToSign(base('MD5'), SECRET)).toBe(
      'access_token=TEST_TOKEN&appkey=ks000000000000000001&method=open.item.get&param={"kwaiItemId":123456}&signMethod=MD5&timestamp=1700000000000&version=1&signSecret=0123456789abcdef0123456789abcdef',
    );
  });

  it('signs with MD5 as lowercase hex', () => {
    expect(signKuaishouRequest(base('MD5'), SECRET)).toBe('3c32a78bcbdd2dd18c12615dd76b90c1');
  });

  it('signs with HMAC_SHA256 as standard Base64', () => {
    expect(signKuaishouRequest(base('HMAC_SHA256'), SECRET)).toBe('Q2DjwQHDDc4vd7Uv4Bmv+I0XRlC/LJhAAzvSVUrjlPs=');
  });

  it('skips a missing param instead of signing an empty value', () => {
    const { param: _param, ...withoutParam } = base('MD5');
    expect(kuaishouStringToSign(withoutParam, SECRET)).not.toContain('param=');
  });

  it('changes when any signed value changes', () => {
    expect(signKuaishouRequest({ ...base('HMAC_SHA256'), param: '{"kwaiItemId":123457}' }, SECRET)).not.toBe(
      'Q2DjwQHDDc4vd7Uv4Bmv+I0XRlC/LJhAAzvSVUrjlPs=',
    );
  });
});
