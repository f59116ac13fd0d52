import request from 'supertest';
import { asSession, asUser, createTestMerchant, createTestUser, TestUser } from '@test/support/access';
import { startTestApp, TestApp } from '@test/support/test-app';

describe('signing in, sessions and API tokens', () => {
  let t: TestApp;
  let merchantId: string;
  let owner: TestUser;
  const http = () => request(t.app.getHttpServer());

  beforeAll(async () => {
    t = await startTestApp({ label: 'signin', env: { SIGN_IN_MAX_ATTEMPTS: '3' } });
    ({ merchantId, owner } = await createTestMerchant(t.app, 'Sign-in merchant'));
  });

  afterAll(async () => {
    await t?.close();
  });

  it('signs in with the right password only, and sets an httpOnly SameSite=Lax cookie', async () => {
    expect((await http().post('/api/session').send({ email: owner.email, password: 'wrong-password' })).status).toBe(
      401,
    );
    const ok = await http().post('/api/session').send({ email: owner.email.toUpperCase(), password: owner.password });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      user: { email: owner.email, role: 'owner', merchantId },
      csrfToken: expect.any(String),
    });
    const cookie = String(ok.headers['set-cookie']?.[0]);
    expect(cookie).toMatch(/^kwaizan_session=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
  });

  it('refuses sign-in for a while after too many failures, even with the right password', async () => {
    const user = await createTestUser(t.app, 'staff', merchantId);
    for (let i = 0; i < 3; i++)
      expect(
        (
          await http()
            .post('/api/session')
            .send({ email: user.email, password: `wrong-${i}` })
        ).status,
      ).toBe(401);
    expect((await http().post('/api/session').send({ email: user.email, password: user.password })).status).toBe(429);
  });

  it('a password change signs out the other sessions and keeps this one', async () => {
    const user = await createTestUser(t.app, 'staff', merchantId);
    const other = await http().post('/api/session').send({ email: user.email, password: user.password });
    const otherCookie = String(other.headers['set-cookie']?.[0]).split(';')[0];
    const changed = await http()
      .put('/api/session/password')
      .set(asSession(user))
      .send({ currentPassword: user.password, newPassword: 'a-brand-new-password' });
    expect(changed.status).toBe(204);
    expect((await http().get('/api/session').set('cookie', user.cookie)).status).toBe(200);
    expect((await http().get('/api/session').set('cookie', otherCookie)).status).toBe(401);
    expect((await http().post('/api/session').send({ email: user.email, password: user.password })).status).toBe(401);
  });

  it('scopes an API token to its merchant, keeps it away from credentials, and refuses it once revoked', async () => {
    const other = await createTestMerchant(t.app, 'Other merchant');
    expect((await http().get(`/api/merchants/${merchantId}/skus`).set(asUser(owner))).status).toBe(200);
    expect((await http().get(`/api/merchants/${other.merchantId}/skus`).set(asUser(owner))).status).toBe(403);
    expect((await http().get('/api/merchants').set(asUser(owner))).body).toEqual([
      expect.objectContaining({ id: merchantId }),
    ]);
    // Managing credentials needs a signed-in person.
    expect(
      (await http().post(`/api/merchants/${merchantId}/api-tokens`).set(asUser(owner)).send({ name: 'x' })).status,
    ).toBe(403);

    const issued = await http()
      .post(`/api/merchants/${merchantId}/api-tokens`)
      .set(asSession(owner))
      .send({ name: 'script' });
    expect(issued.status).toBe(201);
    const token = (issued.body as { token: string; id: string }).token;
    expect((await http().get(`/api/merchants/${merchantId}`).set('authorization', `Bearer ${token}`)).status).toBe(200);
    const listed = await http().get(`/api/merchants/${merchantId}/api-tokens`).set(asUser(owner));
    expect(JSON.stringify(listed.body)).not.toContain(token);
    expect(
      (
        await http()
          .delete(`/api/merchants/${merchantId}/api-tokens/${(issued.body as { id: string }).id}`)
          .set(asSession(owner))
      ).status,
    ).toBe(204);
    expect((await http().get(`/api/merchants/${merchantId}`).set('authorization', `Bearer ${token}`)).status).toBe(401);
  });

  it('lets an admin create users, and checks what it is given', async () => {
    const admin = await createTestUser(t.app, 'admin');
    const made = await http()
      .post('/api/users')
      .set(asUser(admin))
      .send({ email: 'New.Staff@Example.com', password: 'long-enough-pw', role: 'staff', merchantId });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ email: 'new.staff@example.com', role: 'staff', merchantId });
    expect(
      (
        await http()
          .post('/api/users')
          .set(asUser(admin))
          .send({ email: 'new.staff@example.com', password: 'long-enough-pw', role: 'staff', merchantId })
      ).status,
    ).toBe(409);
    const bad = await http()
      .post('/api/users')
      .set(asUser(admin))
      .send({ email: 'x@example.com', password: 'short', role: 'owner' });
    expect(bad.status).toBe(400);
    expect(
      (
        await http()
          .post('/api/users')
          .set(asUser(admin))
          .send({ email: 'o@example.com', password: 'long-enough-pw', role: 'ops', merchantId })
      ).status,
    ).toBe(400);
  });

  describe('sign-in CSRF (another site must not sign a browser into an account it chose)', () => {
    const formOf = async () => {
      const page = await http().get('/sign-in');
      const cookie = String(page.headers['set-cookie']?.[0] ?? '').split(';')[0];
      const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
      return { cookie, token: token! };
    };
    const sessionCookieOf = (res: request.Response) =>
      ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('kwaizan_session='));

    it("refuses the sign-in form without the form's own pre-session token, or with another's", async () => {
      const { cookie, token } = await formOf();
      expect(cookie).toMatch(/^kwaizan_sign_in=/);
      expect(token).toEqual(expect.any(String));
      const bare = await http().post('/sign-in').type('form').send({ email: owner.email, password: owner.password });
      expect(bare.status).toBe(403);
      expect(sessionCookieOf(bare)).toBeUndefined();
      expect(bare.text).toContain('登录失败 Sign-in failed');
      const wrong = await http()
        .post('/sign-in')
        .set('cookie', cookie)
        .type('form')
        .send({ email: owner.email, password: owner.password, _csrf: `${token.slice(1)}x` });
      expect(wrong.status).toBe(403);
      expect(sessionCookieOf(wrong)).toBeUndefined();

      const ok = await http()
        .post('/sign-in')
        .set('cookie', cookie)
        .type('form')
        .send({ email: owner.email, password: owner.password, _csrf: token });
      expect(ok.status).toBe(303);
      expect(sessionCookieOf(ok)).toBeDefined();
    });

    it("a second tab's sign-in page leaves the first tab's form valid, for a long page stay", async () => {
      const first = await formOf();
      expect(String((await http().get('/sign-in')).headers['set-cookie']?.[0])).toMatch(/Max-Age=43200/);
      const secondPage = await http().get('/sign-in').set('cookie', first.cookie);
      const second = /name="_csrf" value="([^"]+)"/.exec(secondPage.text)?.[1];
      expect(second).toBe(first.token);
      // A failed attempt in one tab does not change the token either.
      const failed = await http()
        .post('/sign-in')
        .set('cookie', first.cookie)
        .type('form')
        .send({ email: owner.email, password: 'wrong-password', _csrf: first.token });
      expect(failed.status).toBe(401);
      expect(/name="_csrf" value="([^"]+)"/.exec(failed.text)?.[1]).toBe(first.token);
      const secondTab = await http()
        .post('/sign-in')
        .set('cookie', first.cookie)
        .type('form')
        .send({ email: owner.email, password: owner.password, _csrf: second });
      expect(secondTab.status).toBe(303);
      const firstTab = await http()
        .post('/sign-in')
        .set('cookie', first.cookie)
        .type('form')
        .send({ email: owner.email, password: owner.password, _csrf: first.token });
      expect(firstTab.status).toBe(303);
      expect(sessionCookieOf(firstTab)).toBeDefined();
    });

    it('refuses a sign-in that a browser says came from another site, on the form and on POST /api/session', async () => {
      const { cookie, token } = await formOf();
      const fields = { email: owner.email, password: owner.password, _csrf: token };
      for (const headers of [
        { origin: 'https://evil.example' },
        { origin: 'null' },
        { 'sec-fetch-site': 'cross-site' },
        { 'sec-fetch-site': 'same-site' },
      ]) {
        const form = await http().post('/sign-in').set('cookie', cookie).set(headers).type('form').send(fields);
        expect([form.status, sessionCookieOf(form)]).toEqual([403, undefined]);
        const api = await http()
          .post('/api/session')
          .set(headers)
          .send({ email: owner.email, password: owner.password });
        expect([api.status, sessionCookieOf(api)]).toEqual([403, undefined]);
        expect(api.body).toMatchObject({ error: 'SIGN_IN_REJECTED' });
      }
      const sameOrigin = await http()
        .post('/api/session')
        .set({ 'sec-fetch-site': 'same-origin', origin: `http://${new URL(t.config.http.publicBaseUrl).host}` })
        .send({ email: owner.email, password: owner.password });
      expect(sameOrigin.status).toBe(200);
      // A plain cross-site HTML form cannot send JSON, and /api refuses anything else.
      expect(
        (await http().post('/api/session').type('form').send({ email: owner.email, password: owner.password })).status,
      ).toBe(415);
    });
  });
});
