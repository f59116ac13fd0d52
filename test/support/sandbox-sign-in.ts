/** The demo sign-ins `npm start` prints once in sandbox mode, read from the process's log. */
export function sandboxSignIns(
  log: string,
):
  | { owner: { email: string; password: string; merchantId: string }; ops: { email: string; password: string } }
  | undefined {
  const m =
    /merchant owner (\S+) \/ ([A-Za-z0-9_-]+) \(merchant ([0-9a-f-]{36})\); ops (\S+) \/ ([A-Za-z0-9_-]+)\./.exec(log);
  return m
    ? { owner: { email: m[1], password: m[2], merchantId: m[3] }, ops: { email: m[4], password: m[5] } }
    : undefined;
}

/** Signs in over HTTP like a browser's form would, through the JSON API: the cookie and the CSRF token. */
export async function signInOverHttp(
  appUrl: string,
  email: string,
  password: string,
): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${appUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
  return { cookie, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
}
