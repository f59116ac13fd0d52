import mysql from 'mysql2/promise';
import request from 'supertest';
import { asUser, createTestUser, TestUser } from '@test/support/access';
import { eventually, startTestApp, TestApp } from '@test/support/test-app';

describe('sign-in limit shared by two instances on one database', () => {
  let a: TestApp;
  let b: TestApp;
  let admin: TestUser;
  const signIn = (t: TestApp, user: TestUser, password: string) =>
    request(t.app.getHttpServer()).post('/api/session').send({ email: user.email, password });

  beforeAll(async () => {
    a = await startTestApp({ label: 'limit2', env: { SIGN_IN_MAX_ATTEMPTS: '4' } });
    b = await startTestApp({ database: a.database, env: { SIGN_IN_MAX_ATTEMPTS: '4' } });
    admin = await createTestUser(a.app, 'admin');
  });

  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('counts failures on either instance together: after the limit both refuse, even the right password', async () => {
    const user = await createTestUser(a.app, 'ops');
    for (let i = 0; i < 4; i++) expect((await signIn(i % 2 ? b : a, user, `wrong-${i}`)).status).toBe(401);
    expect((await signIn(a, user, user.password)).status).toBe(429);
    expect((await signIn(b, user, user.password)).status).toBe(429);

    const connection = await mysql.createConnection(a.database.url);
    try {
      const [rows] = await connection.query<mysql.RowDataPacket[]>(
        "SELECT points FROM sign_in_limit WHERE `key` LIKE 'sign-in:%'",
      );
      expect(rows.map((r) => Number(r.points))).toContain(4);
    } finally {
      await connection.end();
    }
  });

  it('a burst of parallel wrong passwords over both instances gets no more guesses than the limit', async () => {
    const user = await createTestUser(a.app, 'ops');
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => signIn(i % 2 ? b : a, user, `burst-${i}`)));
    const statuses = answers.map((r) => r.status);
    // Counted from the answers: a 401 means the password was checked and found wrong.
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(4);
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    expect((await signIn(a, user, user.password)).status).toBe(429);
  }, 60_000);

  it('an admin raising the limit on one instance lets the other accept the right password without a restart', async () => {
    const user = await createTestUser(a.app, 'ops');
    for (let i = 0; i < 4; i++) expect((await signIn(i % 2 ? a : b, user, `wrong-${i}`)).status).toBe(401);
    expect((await signIn(b, user, user.password)).status).toBe(429);

    const raised = await request(a.app.getHttpServer())
      .put('/ops/settings')
      .set(asUser(admin))
      .send({ signInMaxAttempts: 6 });
    expect(raised.status).toBe(200);
    // b reads the settings through a short cache: wait for it, generously.
    await eventually(async () => (await signIn(b, user, user.password)).status === 200, 30_000, 500);
  });
});
