/**
 * Drives the emulators' authorize pages the way a merchant's browser does: GET /connect on the
 * service, follow to the platform's page, approve or deny, follow back to the callback. Used by
 * tests, the benchmarks and the demo script.
 */
export interface AuthorizeForm {
  action: string;
  fields: URLSearchParams;
}

/** Reads an emulator's authorize page like a browser would: the form, its hidden fields, the first shop. */
export function parseAuthorizeForm(pageUrl: string, html: string, shopValue?: string): AuthorizeForm {
  const action = /<form[^>]*method="post"[^>]*action="([^"]+)"/i.exec(html)?.[1];
  if (!action) throw new Error(`no form on the authorize page: ${html.slice(0, 300)}`);
  const fields = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g))
    fields.set(m[1], decodeEntities(m[2]));
  const radios = [...html.matchAll(/<input type="radio" name="([^"]+)" value="([^"]+)"/g)];
  if (radios.length) fields.set(radios[0][1], shopValue ?? radios[0][2]);
  return { action: new URL(action, pageUrl).toString(), fields };
}

function decodeEntities(text: string): string {
  return text
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
}

export interface ConnectResult {
  status: number;
  html: string;
  callbackUrl?: string;
}

/**
 * The merchant's browser flow: GET /connect → the platform's authorize page → approve or deny →
 * redirect back to our callback → result page.
 */
export async function connectInBrowser(
  appUrl: string,
  merchantId: string,
  platform: 'kuaishou' | 'youzan',
  options: {
    decision?: 'approve' | 'deny';
    shop?: string;
    tamper?: (fields: URLSearchParams) => void;
    cookie?: string;
    callbackCookie?: string;
  } = {},
): Promise<ConnectResult> {
  const decision = options.decision ?? 'approve';
  // The connect is bound to the signed-in session that starts it; `callbackCookie` lets a test return in another browser.
  const cookieHeader = (cookie: string | undefined): Record<string, string> => (cookie ? { cookie } : {});
  const start = await fetch(`${appUrl}/connect/${platform}?merchantId=${merchantId}`, {
    redirect: 'manual',
    headers: cookieHeader(options.cookie),
  });
  const authorizeUrl = start.headers.get('location');
  if (start.status !== 302 || !authorizeUrl) throw new Error(`connect did not redirect: ${start.status}`);
  const page = await fetch(authorizeUrl);
  const html = await page.text();
  const form = parseAuthorizeForm(authorizeUrl, html, options.shop);
  options.tamper?.(form.fields);
  const button = new RegExp(
    `<button[^>]*name="([^"]+)"[^>]*value="(${decision === 'approve' ? 'approve|allow' : 'deny|reject'})"`,
  ).exec(html);
  if (button) form.fields.set(button[1], button[2]);
  const answer = await fetch(form.action, { method: 'POST', body: form.fields, redirect: 'manual' });
  const callbackUrl = answer.headers.get('location') ?? undefined;
  if (!callbackUrl)
    throw new Error(`authorize page answered ${answer.status} without a redirect: ${await answer.text()}`);
  const result = await fetch(callbackUrl, {
    headers: cookieHeader('callbackCookie' in options ? options.callbackCookie : options.cookie),
  });
  return { status: result.status, html: await result.text(), callbackUrl };
}

/** Creating merchants is for admins: `authorization` is `Bearer <an admin's API token>`. */
export async function createMerchant(appUrl: string, name: string, authorization: string): Promise<string> {
  const res = await fetch(`${appUrl}/api/merchants`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify({ name }),
  });
  if (res.status !== 201) throw new Error(`creating a merchant failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}
