import { html, SafeHtml } from './html';

export interface MerchantNavLink {
  key: string;
  label: string;
  /** Below `/merchants/:merchantId` ('' is the overview). */
  path: string;
  /** Shown to owners only (the page refuses others). */
  ownerOnly?: boolean;
}

/**
 * The merchant workspace's pages, in nav order. A new page adds one line here (link only pages
 * that exist: a link to a 404 is worse than none).
 */
export const MERCHANT_NAV: MerchantNavLink[] = [
  { key: 'overview', label: '概览 Overview', path: '' },
  { key: 'stock', label: '库存 Stock', path: '/stock' },
  { key: 'prices', label: '价格 Prices', path: '/prices' },
  { key: 'catalog', label: '类目 Catalog', path: '/catalog' },
  { key: 'orders', label: '订单 Orders', path: '/orders' },
  { key: 'shipments', label: '发货 Shipments', path: '/shipments' },
  { key: 'refunds', label: '退款 Refunds', path: '/refunds' },
  { key: 'campaigns', label: '活动 Campaigns', path: '/campaigns' },
  { key: 'webhooks', label: 'Webhooks', path: '/webhooks' },
  { key: 'credentials', label: '凭证 Credentials', path: '/erp-credentials', ownerOnly: true },
];

/** One nav for every merchant page; `current` is the key of the page showing it. */
export function merchantNav(merchantId: string, current: string, options: { owner?: boolean } = {}): SafeHtml {
  const links = MERCHANT_NAV.filter((l) => !l.ownerOnly || options.owner);
  return html`<nav class="card merchant-nav" aria-label="商家导航 Merchant pages" data-testid="merchant-nav">${links.map(
    (l) =>
      html`<a href="/merchants/${merchantId}${l.path}" data-testid="nav-${l.key}"${l.key === current ? new SafeHtml(' aria-current="page"') : ''}>${l.label}</a>`,
  )}</nav>`;
}
