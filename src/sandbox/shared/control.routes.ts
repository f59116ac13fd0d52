import express, { NextFunction, Request, Response, Router } from 'express';
import { z } from 'zod';
import { SandboxError } from './control.errors';
import { Counters } from './counters';
import { EmulatorClock } from './emulator-clock';
import { FaultInjector } from './fault-injector';
import { PushDispatcher, PushDispatcherOptions } from './push-dispatcher';

/** What the shared part of `/__sandbox` drives: the same in both emulators. */
export interface SharedControlDeps {
  clock: EmulatorClock;
  faults: FaultInjector;
  counters: Counters;
  dispatcher: PushDispatcher;
  dispatcherOptions: PushDispatcherOptions;
  /** Extra work of DELETE /faults (e.g. forgetting rule budgets); fault rules and push faults are always cleared. */
  onResetFaults?: () => void;
}

/** The fault-rule fields both emulators take (each may add its own, e.g. Youzan's `times`). */
export const faultRuleSchema = z.object({
  api: z.string().min(1),
  latencyMs: z.number().min(0).optional(),
  errorRate: z.number().min(0).max(1).optional(),
  error: z.string().optional(),
  throttleRate: z.number().min(0).max(1).optional(),
  maxQps: z.number().positive().optional(),
  dropResponseRate: z.number().min(0).max(1).optional(),
  httpErrorRate: z.number().min(0).max(1).optional(),
  lateApplyRate: z.number().min(0).max(1).optional(),
  lateApplyDelayMs: z.number().int().min(0).optional(),
  /** Kuaishou stock writes: applied, then answered "system busy" (the write landed; the answer says it may not have). */
  busyAfterApplyRate: z.number().min(0).max(1).optional(),
});

export const pushFaultsSchema = z.object({
  lossRate: z.number().min(0).max(1).optional(),
  duplicateRate: z.number().min(0).max(1).optional(),
  delayMs: z.number().min(0).optional(),
});

const advanceBody = z.object({ ms: z.number().int().min(0, 'the clock only moves forward') });
const pushBody = z.object({
  url: z.string().url().nullable(),
  retryDelaysMs: z.array(z.number().int().min(0)).optional(),
  timeoutMs: z.number().int().positive().optional(),
});

/**
 * A router for an emulator's `/__sandbox`: JSON bodies, the shared routes (GET/DELETE /faults,
 * /clock, /counters, /push). The emulator adds its own routes, then {@link controlErrorHandler}.
 */
export function sharedControlRouter(deps: SharedControlDeps): Router {
  const router = express.Router();
  router.use(express.json({ limit: '5mb' }));

  router.get('/faults', (_req, res) => res.json(deps.faults.describe()));
  router.delete('/faults', (_req, res) => {
    deps.faults.reset();
    deps.onResetFaults?.();
    res.json(deps.faults.describe());
  });

  const clock = () => ({ now: deps.clock.now(), offsetMs: deps.clock.offset });
  router.get('/clock', (_req, res) => res.json(clock()));
  router.post('/clock/advance', (req, res) => {
    deps.clock.advance(advanceBody.parse(req.body ?? {}).ms);
    res.json(clock());
  });

  router.get('/counters', (_req, res) => res.json(deps.counters.snapshot()));
  router.post('/counters/reset', (_req, res) => {
    deps.counters.reset();
    res.json(deps.counters.snapshot());
  });

  const push = () => ({
    url: deps.dispatcher.target ?? null,
    retryDelaysMs: deps.dispatcherOptions.retryDelaysMs,
    timeoutMs: deps.dispatcherOptions.timeoutMs,
  });
  router.get('/push', (_req, res) => res.json(push()));
  router.put('/push', (req, res) => {
    const body = pushBody.parse(req.body ?? {});
    deps.dispatcher.setTarget(body.url ?? undefined);
    if (body.retryDelaysMs) deps.dispatcherOptions.retryDelaysMs = body.retryDelaysMs;
    if (body.timeoutMs) deps.dispatcherOptions.timeoutMs = body.timeoutMs;
    res.json(push());
  });
  return router;
}

/**
 * The error answer of both control APIs: a {@link SandboxError} with its status and code, bad
 * input as 400 with the field messages, anything else as 500. `platform` maps the emulator's own
 * errors first (e.g. Kuaishou's API rejections), answering whether it handled the error.
 */
export function controlErrorHandler(platform?: (error: unknown, res: Response) => boolean) {
  return (error: unknown, _req: Request, res: Response, _next: NextFunction): void => {
    if (platform?.(error, res)) return;
    if (error instanceof SandboxError) res.status(error.status).json({ error: error.code, message: error.message });
    else if (error instanceof z.ZodError) {
      const message = error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      res.status(400).json({ error: 'invalid', message });
    } else if (isBadJson(error)) res.status(400).json({ error: 'bad_json', message: (error as Error).message });
    else res.status(500).json({ error: 'internal', message: (error as Error)?.message ?? String(error) });
  };
}

function isBadJson(error: unknown): boolean {
  if (error instanceof SyntaxError) return true;
  const status = (error as { status?: unknown; type?: unknown } | null)?.status;
  return status === 400 && (error as { type?: unknown }).type === 'entity.parse.failed';
}
