import { AppConfigShape } from '@app/config/app-config';

export const DAY_MS = 86_400_000;

/** What an admin tunes at run time; the environment (or the constant beside it) gives each default. */
export interface OpsSettings {
  retentionPushesDays: number;
  retentionErpDeliveriesDays: number;
  retentionDriftDays: number;
  retentionSettledWritesDays: number;
  retentionClosedFailuresDays: number;
  retentionOauthStatesDays: number;
  retentionOutboxDays: number;
  retentionInboxDays: number;
  retentionOutboundDeliveriesDays: number;
  signInMaxAttempts: number;
  signInWindowMinutes: number;
  sessionIdleSeconds: number;
  failureRetryDelaysMs: number[];
  failureAlertThreshold: number;
  failureAlertWindowMinutes: number;
  platformAlertWindowMinutes: number;
  errorRateAlertPercent: number;
  errorRateAlertMinCalls: number;
  noSuccessAlertMinutes: number;
  kuaishouDailyCallQuota: number;
  youzanMonthlyCallQuota: number;
}

export type OpsSettingKey = keyof OpsSettings;

export interface OpsSettingDefinition {
  key: OpsSettingKey;
  group: 'retention' | 'sign-in' | 'failures' | 'alerts' | 'quotas';
  /** A whole number, or a list of them (`items` bounds its length). */
  kind: 'int' | 'int-list';
  min: number;
  max: number;
  items?: { min: number; max: number };
  unit: string;
  label: string;
  /** Why the bounds are what they are, for the API docs and the page. */
  help: string;
  defaultOf: (config: AppConfigShape) => number | number[];
}

/**
 * Dedupe tables outlive every way a duplicate can still arrive: Kuaishou re-pushes for about 2 hours and
 * from its console; Youzan keeps its message log (manual re-push) for 7 days; ERP deliveries are re-signed
 * on every retry. Kafka keeps records 7 days by default, so inbox rows outlive that.
 */
export const OPS_SETTING_DEFINITIONS: readonly OpsSettingDefinition[] = [
  {
    key: 'retentionPushesDays',
    group: 'retention',
    kind: 'int',
    min: 7,
    max: 3650,
    unit: '天 days',
    label: '平台推送保留 Platform pushes kept',
    help: 'At least 7: Youzan can re-push a message for 7 days.',
    defaultOf: () => 30,
  },
  {
    key: 'retentionErpDeliveriesDays',
    group: 'retention',
    kind: 'int',
    min: 7,
    max: 3650,
    unit: '天 days',
    label: 'ERP 投递保留 ERP deliveries kept',
    help: 'Delivery ids dedupe ERP retries; at least 7.',
    defaultOf: () => 30,
  },
  {
    key: 'retentionDriftDays',
    group: 'retention',
    kind: 'int',
    min: 1,
    max: 3650,
    unit: '天 days',
    label: '库存偏差记录保留 Stock drift records kept',
    help: 'History only.',
    defaultOf: () => 30,
  },
  {
    key: 'retentionSettledWritesDays',
    group: 'retention',
    kind: 'int',
    min: 1,
    max: 3650,
    unit: '天 days',
    label: '已结算库存写入保留 Settled stock writes kept',
    help: 'Pending and unknown writes stay whatever their age.',
    defaultOf: () => 14,
  },
  {
    key: 'retentionClosedFailuresDays',
    group: 'retention',
    kind: 'int',
    min: 1,
    max: 3650,
    unit: '天 days',
    label: '已关闭失败保留 Closed sync failures kept',
    help: 'Open failures stay whatever their age.',
    defaultOf: () => 90,
  },
  {
    key: 'retentionOauthStatesDays',
    group: 'retention',
    kind: 'int',
    min: 1,
    max: 365,
    unit: '天 days',
    label: '授权状态保留 OAuth states kept after expiry',
    help: 'Connect links that expired or were used.',
    defaultOf: () => 1,
  },
  {
    key: 'retentionOutboxDays',
    group: 'retention',
    kind: 'int',
    min: 1,
    max: 3650,
    unit: '天 days',
    label: '已发布事件保留 Published outbox events kept',
    help: 'Pending events stay until published.',
    defaultOf: () => 7,
  },
  {
    key: 'retentionInboxDays',
    group: 'retention',
    kind: 'int',
    min: 8,
    max: 3650,
    unit: '天 days',
    label: '消费记录保留 Consumer inbox rows kept',
    help: 'Longer than Kafka keeps records (7 days) so a late redelivery is still caught.',
    defaultOf: () => 14,
  },
  {
    key: 'retentionOutboundDeliveriesDays',
    group: 'retention',
    kind: 'int',
    min: 8,
    max: 3650,
    unit: '天 days',
    label: '已送达出站 Webhook 保留 Delivered outbound webhooks kept',
    help: 'Delivered ones only (pending and failed stay); longer than Kafka keeps records, so a redelivered event still finds its delivery and is not sent again.',
    defaultOf: () => 30,
  },
  {
    key: 'signInMaxAttempts',
    group: 'sign-in',
    kind: 'int',
    min: 1,
    max: 1000,
    unit: '次 attempts',
    label: '登录失败上限 Failed sign-ins allowed',
    help: 'Per account and address within the window; an address gets ten times as many over all accounts.',
    defaultOf: (c) => c.auth.signInMaxAttempts,
  },
  {
    key: 'signInWindowMinutes',
    group: 'sign-in',
    kind: 'int',
    min: 1,
    max: 1440,
    unit: '分钟 minutes',
    label: '登录限制窗口 Sign-in limit window',
    help: 'Failures are counted over this window, counted together by every instance.',
    defaultOf: () => 15,
  },
  {
    key: 'sessionIdleSeconds',
    group: 'sign-in',
    kind: 'int',
    min: 60,
    max: 30 * 86_400,
    unit: '秒 seconds',
    label: '会话空闲超时 Session idle timeout',
    help: 'A session ends after this long without a request.',
    defaultOf: (c) => Math.round(c.auth.sessionIdleMs / 1000),
  },
  {
    key: 'failureRetryDelaysMs',
    group: 'failures',
    kind: 'int-list',
    min: 1,
    max: 20,
    items: { min: 1000, max: DAY_MS },
    unit: '毫秒 ms',
    label: '失败自动重试间隔 Automatic retry delays of sync failures',
    help: 'One delay per retry, comma-separated; the last repeats until the failure is resolved.',
    defaultOf: (c) => c.messaging.failureRetryDelaysMs,
  },
  {
    key: 'failureAlertThreshold',
    group: 'failures',
    kind: 'int',
    min: 1,
    max: 100_000,
    unit: '条 failures',
    label: '失败告警阈值 Sync failures that raise an alert',
    help: 'Open failures opened within the window, of one merchant or of all; reaching it raises one alert per window.',
    defaultOf: () => 20,
  },
  {
    key: 'failureAlertWindowMinutes',
    group: 'failures',
    kind: 'int',
    min: 1,
    max: 1440,
    unit: '分钟 minutes',
    label: '失败告警窗口 Sync failure alert window',
    help: 'Failures are counted over this window; at most one alert per merchant (and one overall) per window.',
    defaultOf: () => 15,
  },
  {
    key: 'platformAlertWindowMinutes',
    group: 'alerts',
    kind: 'int',
    min: 1,
    max: 1440,
    unit: '分钟 minutes',
    label: '平台错误率窗口 Platform error-rate window',
    help: 'Calls of every instance over this many minutes give the error rates on the platform health page and its alert.',
    defaultOf: () => 15,
  },
  {
    key: 'errorRateAlertPercent',
    group: 'alerts',
    kind: 'int',
    min: 1,
    max: 100,
    unit: '% percent',
    label: '平台错误率告警 Platform error rate that raises an alert',
    help: 'Failed calls to one platform as a share of its calls within the window; the alert is resolved when the rate falls below.',
    defaultOf: () => 50,
  },
  {
    key: 'errorRateAlertMinCalls',
    group: 'alerts',
    kind: 'int',
    min: 1,
    max: 1_000_000,
    unit: '次 calls',
    label: '错误率最少调用 Calls before the error rate counts',
    help: 'Fewer calls than this within the window raise no error-rate alert (a single failed call is not a rate).',
    defaultOf: () => 20,
  },
  {
    key: 'noSuccessAlertMinutes',
    group: 'alerts',
    kind: 'int',
    min: 1,
    max: 1440,
    unit: '分钟 minutes',
    label: '无成功调用告警 Minutes without a successful call',
    help: 'A platform whose calls all failed for this long (none succeeding) raises an alert; one success resolves it.',
    defaultOf: () => 30,
  },
  {
    key: 'kuaishouDailyCallQuota',
    group: 'quotas',
    kind: 'int',
    min: 1,
    max: 1_000_000_000,
    unit: '次/天 calls/day',
    label: '快手每日调用配额 Kuaishou daily call quota',
    help: "The app's daily quota shown in the Kuaishou console (about 1,000,000 by default; raised by Kuaishou on request). Drawn on the live calls chart.",
    defaultOf: () => 1_000_000,
  },
  {
    key: 'youzanMonthlyCallQuota',
    group: 'quotas',
    kind: 'int',
    min: 1,
    max: 1_000_000_000,
    unit: '次/月 calls/month',
    label: '有赞每月调用配额 Youzan monthly call quota',
    help: 'The API calls of the Youzan package bought (A 500,000, B 2,000,000, C 12,000,000 a month). Drawn on the live calls chart.',
    defaultOf: () => 500_000,
  },
];

export const OPS_SETTING_KEYS = OPS_SETTING_DEFINITIONS.map((d) => d.key);

export function opsSettingDefaults(config: AppConfigShape): OpsSettings {
  return Object.fromEntries(OPS_SETTING_DEFINITIONS.map((d) => [d.key, d.defaultOf(config)])) as unknown as OpsSettings;
}
