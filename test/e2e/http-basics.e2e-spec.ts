import { Controller, Get, Module } from '@nestjs/common';
import request from 'supertest';
import { Public } from '@app/auth/policy.decorator';
import { asUser, createTestUser, TestUser } from '../support/access';
import { startTestApp, TestApp } from '../support/test-app';

@Public()
@Controller('__test')
class BoomController {
  @Get('boom')
  boom(): never {
    throw new Error('database password is hunter2');
  }
}

/** A route someone forgot to give a policy. */
@Controller('__test')
class UnguardedController {
  @Get('unguarded')
  unguarded(): string {
    return 'should never answer';
  }
}

@Module({ controllers: [BoomController, UnguardedController] })
class BoomModule {}

describe('HTTP basics', () => {
  let t: TestApp;
  let ops: TestUser;

  beforeAll(async () => {
    t = await startTestApp({ label: 'http', extraModules: [BoomModule] });
    ops = await createTestUser(t.app, 'ops');
  });

  afterAll(async () => {
    await t?.close();
  });

  it('answers a malformed request with 400 and a message per bad field', async () => {
    const res = await request(t.app.getHttpServer())
      .get('/ops/failures?pageSize=5000&status=open,lost&page=zero')
      .set(asUser(ops));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'VALIDATION_FAILED' });
    const fields = Object.fromEntries(
      (res.body.fields as { field: string; messages: string[] }[]).map((f) => [f.field, f.messages.join(' ')]),
    );
    expect(Object.keys(fields).sort()).toEqual(['page', 'pageSize', 'status']);
    expect(fields.pageSize).toMatch(/must not be greater than 200/);
    expect(res.body.correlationId).toEqual(res.headers['x-correlation-id']);
  });

  it('rejects unknown body fields instead of ignoring them', async () => {
    const res = await request(t.app.getHttpServer())
      .post('/ops/failures/0b6c3c2e-5d1f-4d55-9c1c-6f1f7d0e8a11/dismiss')
      .set(asUser(ops))
      .send({ note: 'x', force: true });
    expect(res.status).toBe(400);
    expect(res.body.fields).toEqual([{ field: 'force', messages: ['property force should not exist'] }]);
  });

  it('maps domain errors to their status', async () => {
    const res = await request(t.app.getHttpServer())
      .post('/ops/failures/0b6c3c2e-5d1f-4d55-9c1c-6f1f7d0e8a11/retry')
      .set(asUser(ops));
    expect(res.status).toBe(404);
    expect(res.body.error).toBe('FAILURE_NOT_FOUND');
  });

  it('answers an unexpected error with 500 and a correlation id, without leaking its message', async () => {
    const res = await request(t.app.getHttpServer()).get('/__test/boom').set('x-correlation-id', 'req-1234567890');
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ statusCode: 500, error: 'INTERNAL', correlationId: 'req-1234567890' });
    expect(JSON.stringify(res.body)).not.toContain('hunter2');
  });

  it('refuses a route that declares no access policy, for everyone', async () => {
    const res = await request(t.app.getHttpServer()).get('/__test/unguarded').set(asUser(ops));
    expect(res.status).toBe(403);
  });

  it('answers liveness to anyone and the checks only to operators', async () => {
    const anonymous = await request(t.app.getHttpServer()).get('/health');
    expect(anonymous.status).toBe(200);
    expect(anonymous.body).toEqual({ status: 'ok' });
  });

  it('reports health of the database and the bus', async () => {
    const res = await request(t.app.getHttpServer()).get('/health').set(asUser(ops));
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.checks.database).toMatchObject({ up: true, kind: 'mysql' });
    expect(res.body.checks.bus).toMatchObject({ up: true, kind: 'in-process', relay: 'running' });
    // Platform circuit breakers show up too (an open one degrades, never fails, /health).
    expect(res.body.checks['platform:kuaishou']).toMatchObject({
      up: true,
      critical: false,
      breakers: { kuaishou: 'closed' },
    });
    expect(res.body.checks['platform:youzan']).toMatchObject({
      up: true,
      critical: false,
      breakers: { youzan: 'closed' },
    });
  });

  it('exposes Prometheus metrics and the OpenAPI document', async () => {
    expect((await request(t.app.getHttpServer()).get('/metrics')).status).toBe(401);
    expect((await request(t.app.getHttpServer()).get('/docs-json')).status).toBe(401);
    const metrics = await request(t.app.getHttpServer()).get('/metrics').set(asUser(ops));
    expect(metrics.status).toBe(200);
    expect(metrics.headers['content-type']).toMatch(/text\/plain/);
    expect(metrics.text).toContain('kwaizan_process_');

    const docs = await request(t.app.getHttpServer()).get('/docs-json').set(asUser(ops));
    expect(docs.status).toBe(200);
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining(['/ops/failures', '/ops/failures/{id}/retry', '/ops/failures/{id}/dismiss', '/health']),
    );
  });
});
