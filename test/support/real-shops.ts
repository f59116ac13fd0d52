/** Made-up platform credentials of real (non-sandbox) shops: they switch sandbox mode off. */
export const REAL_SHOP_CREDENTIALS = {
  KUAISHOU_APP_KEY: 'ks-real',
  KUAISHOU_APP_SECRET: 'ks-real-app-secret',
  KUAISHOU_SIGN_SECRET: 'ks-real-sign-secret',
  KUAISHOU_MESSAGE_SECRET: Buffer.alloc(32, 7).toString('base64'),
  YOUZAN_CLIENT_ID: 'yz-real',
  YOUZAN_CLIENT_SECRET: 'yz-real-client-secret',
};
