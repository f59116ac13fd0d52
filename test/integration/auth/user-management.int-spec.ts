import request from 'supertest';
import { asSession, asUser, createTestMerchant, createTestUser, TestUser } from '@test/support/access';
import { UsersService } from '@app/auth/users.service';
import { startTestApp, TestApp } from '@test/support/test-app';

describe('managing users (admin: everyone; owner: their merchant)', () => {
  let t: TestApp;
  let merchantId: string;
  let owner: TestUser;
  let admin: TestUser;
  const http = () => request(t.app.getHttpServer());
  const signIn = (u: TestUser, password = u.password) => http().post('/api/session').send({ email: u.email, password });

  beforeAll(async () => {
    t = await startTestApp({ label: 'usermgmt' });
    ({ merchantId, owner } = await createTestMerchant(t.app, 'Managed merchant'));
    admin = await createTestUser(t.app, 'admin');
  });

  afterAll(async () => {
    await t?.close();
  });

  it('lists all users for an admin and only their merchant for an owner', async () => {
    const other = await createTestMerchant(t.app, 'Elsewhere');
    const all = (await http().get('/api/users').set(asUser(admin))).body as { id: string; disabledAt: number | null }[];
    expect(all.map((u) => u.id)).toEqual(expect.arrayContaining([owner.userId, other.owner.userId, admin.userId]));
    expect(all.every((u) => u.disabledAt === null)).toBe(true);
    const mine = (await http().get(`/api/merchants/${merchantId}/users`).set(asUser(owner))).body as { id: string }[];
    expect(mine.map((u) => u.id)).toContain(owner.userId);
    expect(mine.map((u) => u.id)).not.toContain(other.owner.userId);
  });

  it('a disabled user cannot sign in, and their sessions and API tokens stop at once; re-enabled they sign in again', async () => {
    const staff = await createTestUser(t.app, 'staff', merchantId);
    expect((await http().get('/api/session').set('cookie', staff.cookie)).status).toBe(200);
    expect((await http().get(`/api/merchants/${merchantId}`).set(asUser(staff))).status).toBe(200);

    const disabled = await http()
      .post(`/api/merchants/${merchantId}/users/${staff.userId}/disable`)
      .set(asSession(owner));
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({ id: staff.userId, disabledAt: expect.any(Number) });
    expect((await http().get('/api/session').set('cookie', staff.cookie)).status).toBe(401);
    expect((await http().get(`/api/merchants/${merchantId}`).set(asUser(staff))).status).toBe(401);
    const refused = await signIn(staff);
    expect(refused.status).toBe(401);
    expect(JSON.stringify(refused.body)).toMatch(/disabled/);

    expect(
      (await http().post(`/api/merchants/${merchantId}/users/${staff.userId}/enable`).set(asSession(owner))).body,
    ).toMatchObject({ disabledAt: null });
    expect((await signIn(staff)).status).toBe(200);
    // The old token stays revoked: re-enabling does not bring back what a disabled user held.
    expect((await http().get(`/api/merchants/${merchantId}`).set(asUser(staff))).status).toBe(401);
  });

  it("an owner cannot touch another merchant's users (404) nor disable themselves", async () => {
    const other = await createTestMerchant(t.app, 'Not yours');
    expect(
      (await http().post(`/api/merchants/${merchantId}/users/${other.owner.userId}/disable`).set(asSession(owner)))
        .status,
    ).toBe(404);
    expect(
      (
        await http()
          .put(`/api/merchants/${merchantId}/users/${other.owner.userId}/role`)
          .set(asSession(owner))
          .send({ role: 'staff' })
      ).status,
    ).toBe(404);
    expect((await http().get('/api/session').set('cookie', other.owner.cookie)).status).toBe(200);
    expect(
      (await http().post(`/api/merchants/${merchantId}/users/${owner.userId}/disable`).set(asSession(owner))).status,
    ).toBe(400);
  });

  it('changes owner ↔ staff, and a merchant keeps at least one active owner', async () => {
    const m = await createTestMerchant(t.app, 'Two owners');
    const staff = await createTestUser(t.app, 'staff', m.merchantId);
    const base = `/api/merchants/${m.merchantId}/users`;
    expect(
      (await http().put(`${base}/${m.owner.userId}/role`).set(asSession(m.owner)).send({ role: 'staff' })).status,
    ).toBe(400);
    expect(
      (await http().put(`/api/users/${m.owner.userId}/role`).set(asUser(admin)).send({ role: 'staff' })).status,
    ).toBe(409);
    expect(
      (await http().put(`${base}/${staff.userId}/role`).set(asSession(m.owner)).send({ role: 'admin' })).status,
    ).toBe(400);
    expect((await http().put(`/api/users/${staff.userId}/role`).set(asUser(admin)).send({ role: 'ops' })).status).toBe(
      400,
    );
    const promoted = await http().put(`${base}/${staff.userId}/role`).set(asSession(m.owner)).send({ role: 'owner' });
    expect(promoted.status).toBe(200);
    expect(promoted.body).toMatchObject({ role: 'owner' });
    // The promoted user's existing session acts as an owner now.
    expect(
      (await http().get(`/api/merchants/${m.merchantId}/erp-credentials`).set('cookie', staff.cookie)).status,
    ).toBe(200);
    expect(
      (await http().put(`/api/users/${m.owner.userId}/role`).set(asUser(admin)).send({ role: 'staff' })).body,
    ).toMatchObject({ role: 'staff' });
    // Disabling the last active owner is refused too.
    expect((await http().post(`/api/users/${staff.userId}/disable`).set(asUser(admin))).status).toBe(409);
    expect((await http().get('/api/session').set('cookie', staff.cookie)).status).toBe(200);
    expect((await http().get(base).set(asUser(admin))).body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: staff.userId, role: 'owner', disabledAt: null }),
        expect.objectContaining({ id: m.owner.userId, role: 'staff' }),
      ]),
    );
  });

  it('an admin resets a password: the old one stops working and the sessions end', async () => {
    const staff = await createTestUser(t.app, 'staff', merchantId);
    expect(
      (await http().put(`/api/users/${staff.userId}/password`).set(asUser(admin)).send({ password: 'short' })).status,
    ).toBe(400);
    expect(
      (
        await http()
          .put(`/api/users/${staff.userId}/password`)
          .set(asSession(owner))
          .send({ password: 'a-reset-password' })
      ).status,
    ).toBe(403);
    expect(
      (
        await http()
          .put(`/api/users/${staff.userId}/password`)
          .set(asUser(admin))
          .send({ password: 'a-reset-password' })
      ).status,
    ).toBe(204);
    expect((await http().get('/api/session').set('cookie', staff.cookie)).status).toBe(401);
    expect((await signIn(staff)).status).toBe(401);
    expect((await signIn(staff, 'a-reset-password')).status).toBe(200);
    expect((await http().post(`/api/users/${admin.userId}/disable`).set(asUser(admin))).status).toBe(400);
  });

  it('the pages show the users with bilingual states and carry out the forms (refusals shown with their reason)', async () => {
    const m = await createTestMerchant(t.app, 'Page merchant');
    const staff = await createTestUser(t.app, 'staff', m.merchantId);
    const form = (url: string, who: TestUser, fields: Record<string, string> = {}) =>
      http()
        .post(url)
        .set('cookie', who.cookie)
        .type('form')
        .send({ _csrf: who.csrf, ...fields });

    const page = await http().get(`/merchants/${m.merchantId}/erp-credentials`).set('cookie', m.owner.cookie);
    expect(page.text).toContain(`data-testid="user-state-${staff.userId}">有效 Active`);
    const disabled = await form(`/merchants/${m.merchantId}/users/${staff.userId}/disable`, m.owner);
    expect(disabled.status).toBe(200);
    expect(disabled.text).toContain('已停用 Disabled');
    const ownRole = await form(`/merchants/${m.merchantId}/users/${m.owner.userId}/role`, m.owner, { role: 'staff' });
    expect(ownRole.status).toBe(400);
    expect(ownRole.text).toContain('操作失败 Not done: you cannot change your own role');
    const lastOwner = await form(`/users/${m.owner.userId}/role`, admin, { role: 'staff' });
    expect(lastOwner.status).toBe(409);
    expect(lastOwner.text).toContain('操作失败 Not done: a merchant keeps at least one active owner');

    const home = await http().get('/').set('cookie', admin.cookie);
    expect(home.text).toContain(`data-testid="user-row-${staff.userId}"`);
    expect(
      (
        await http()
          .get('/')
          .set('cookie', (await createTestUser(t.app, 'ops')).cookie)
      ).text,
    ).not.toContain('user-list');
    const reset = await form(`/users/${staff.userId}/password`, admin, { password: 'reset-from-the-page' });
    expect(reset.status).toBe(200);
    expect(reset.text).toContain('Password reset');
    const enabled = await form(`/users/${staff.userId}/enable`, admin);
    expect(enabled.status).toBe(200);
    expect((await signIn(staff, 'reset-from-the-page')).status).toBe(200);
  });

  it('an admin changes ops ↔ admin, never their own role, and the service keeps an active admin', async () => {
    const ops = await createTestUser(t.app, 'ops');
    const second = await createTestUser(t.app, 'admin');
    const role = (who: TestUser, target: TestUser, value: string) =>
      http().put(`/api/users/${target.userId}/role`).set(asUser(who)).send({ role: value });

    expect((await role(ops, second, 'ops')).status).toBe(403);
    expect((await role(second, second, 'ops')).status).toBe(400);
    expect((await role(second, ops, 'owner')).status).toBe(400);
    const promoted = await role(second, ops, 'admin');
    expect(promoted.status).toBe(200);
    expect(promoted.body).toMatchObject({ id: ops.userId, role: 'admin' });
    // The promoted user's existing session acts as an admin at once.
    expect((await http().get('/api/users').set('cookie', ops.cookie)).status).toBe(200);
    expect((await role(ops, second, 'ops')).body).toMatchObject({ role: 'ops' });
    expect((await http().get('/api/users').set('cookie', second.cookie)).status).toBe(403);

    const form = await http()
      .post(`/users/${second.userId}/role`)
      .set('cookie', admin.cookie)
      .type('form')
      .send({ _csrf: admin.csrf, role: 'admin' });
    expect(form.status).toBe(200);
    expect(form.text).toContain('现为 now 管理员 Admin');
    expect(form.text).toContain(`data-testid="user-role-${ops.userId}"`);
  });

  it('two admins demoting each other at once leave one admin', async () => {
    const users = t.app.get(UsersService);
    const admins = (await users.list()).filter((u) => u.role === 'admin' && u.disabledAt === null);
    for (const a of admins.slice(1)) await users.changeRole(admins[0].id, a.id, 'ops', null);
    const a = (await users.list()).find((u) => u.id === admins[0].id)!;
    const b = await createTestUser(t.app, 'admin');
    const results = await Promise.allSettled([
      users.changeRole(a.id, b.userId, 'ops', null),
      users.changeRole(b.userId, a.id, 'ops', null),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((await users.list()).filter((u) => u.role === 'admin' && u.disabledAt === null)).toHaveLength(1);
    const disabling = await Promise.allSettled([
      users.setDisabled(a.id, b.userId, true, null),
      users.setDisabled(b.userId, a.id, true, null),
    ]);
    expect(disabling.filter((r) => r.status === 'fulfilled').length).toBeLessThanOrEqual(1);
    expect((await users.list()).filter((u) => u.role === 'admin' && u.disabledAt === null)).toHaveLength(1);
  });
});
