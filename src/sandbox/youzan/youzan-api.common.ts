/** What every emulated Youzan API shares: its definition, the gateway's parameter type checks, parameter readers. */
import { parseCst } from './youzan-emulator.codec';
import { BusinessError, gw } from './youzan-emulator.errors';
import { Shop, YouzanEmulatorStore } from './youzan-emulator.store';

type ParamType = 'string' | 'number' | 'long' | 'date' | 'bool' | 'any';

type ParamSpec = ParamType | `${ParamType}!`;

export interface UploadedFile {
  field: string;
  filename?: string;
  contentType?: string;
  size: number;
}

export interface ApiContext {
  shop: Shop;
  params: Record<string, unknown>;
  store: YouzanEmulatorStore;
  files: UploadedFile[];
}

export interface ApiDef {
  versions: string[];
  /** Business code for a parameter-rule violation in this API's domain (emulator's choice). */
  paramCode: number;
  params: Record<string, ParamSpec>;
  /** Counted in writesApplied when it succeeds. */
  write?: boolean;
  /** A stock write: its operation id header is tracked for double applies. */
  stockWrite?: (params: Record<string, unknown>) => boolean;
  /** Answers in the legacy `{response}` / `{error_response}` envelope. */
  legacy?: boolean;
  handle(ctx: ApiContext): unknown;
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** Gateway-style type checks: a wrong JSON type (date without time, number for a String) is 5001. */
export function checkParams(def: ApiDef, raw: Record<string, unknown>): void {
  for (const [name, spec] of Object.entries(def.params)) {
    const required = spec.endsWith('!');
    const type = (required ? spec.slice(0, -1) : spec) as ParamType;
    const value = raw[name];
    if (value === undefined || value === null || value === '') {
      if (required) throw new BusinessError(def.paramCode, `参数 ${name} 不能为空`);
      continue;
    }
    if (!typeOk(type, value)) throw gw.wrongType();
  }
}

function typeOk(type: ParamType, value: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return (
        (typeof value === 'number' && Number.isFinite(value)) ||
        typeof value === 'bigint' ||
        (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value))
      );
    case 'long':
      return (
        (typeof value === 'number' && Number.isInteger(value)) ||
        typeof value === 'bigint' ||
        (typeof value === 'string' && /^\d+$/.test(value))
      );
    case 'date':
      return typeof value === 'string' && DATE_TIME.test(value) && parseCst(value) !== undefined;
    case 'bool':
      return typeof value === 'boolean' || value === 'true' || value === 'false' || value === 0 || value === 1;
    default:
      return true;
  }
}

export function str(params: Record<string, unknown>, name: string): string | undefined {
  const v = params[name];
  return v === undefined || v === null || v === '' ? undefined : String(v);
}

export function num(params: Record<string, unknown>, name: string): number | undefined {
  const v = params[name];
  return v === undefined || v === null || v === '' ? undefined : Number(v);
}

export function date(params: Record<string, unknown>, name: string): number | undefined {
  const v = str(params, name);
  return v === undefined ? undefined : parseCst(v);
}
