import { isLosslessNumber, LosslessNumber, parse, stringify } from 'lossless-json';
import { ksError } from './kuaishou-emulator.errors';

/** A Long id in an answer: a bigint is written digit for digit (Kuaishou ids exceed 2^53). */
export const long = (id: string): bigint => BigInt(id);

/** Answers are written with lossless-json so bigint ids stay JSON numbers, exact. */
export function toJson(value: unknown): string {
  return stringify(value) ?? 'null';
}

/** Reads one `param` JSON string; every number stays a LosslessNumber until a field is read. */
export function parseParam(text: string | undefined): ParamReader {
  if (text === undefined || text === '') return new ParamReader({}, '');
  let value: unknown;
  try {
    value = parse(text);
  } catch {
    throw ksError.invalid('param 不是合法的JSON');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw ksError.invalid('param 必须是JSON对象');
  return new ParamReader(value as Record<string, unknown>, '');
}

/** Typed access to business parameters, answering the platform's parameter errors. */
export class ParamReader {
  constructor(
    readonly raw: Record<string, unknown>,
    private readonly path: string,
  ) {}

  has(name: string): boolean {
    return this.raw[name] !== undefined && this.raw[name] !== null;
  }

  long(name: string): string;
  long(name: string, optional: true): string | undefined;
  long(name: string, optional = false): string | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null || value === '') {
      if (optional) return undefined;
      throw ksError.missing(this.at(name));
    }
    const text = isLosslessNumber(value)
      ? value.toString()
      : typeof value === 'string' || typeof value === 'number'
        ? String(value)
        : '';
    if (!/^\d{1,19}$/.test(text)) throw ksError.invalid(`${this.at(name)} 必须是Long`);
    return text.replace(/^0+(?=\d)/, '');
  }

  int(name: string): number;
  int(name: string, optional: true): number | undefined;
  int(name: string, optional = false): number | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null || value === '') {
      if (optional) return undefined;
      throw ksError.missing(this.at(name));
    }
    const number = isLosslessNumber(value)
      ? Number(value.toString())
      : typeof value === 'string'
        ? Number(value)
        : typeof value === 'number'
          ? value
          : NaN;
    if (!Number.isSafeInteger(number)) throw ksError.invalid(`${this.at(name)} 必须是整数`);
    return number;
  }

  string(name: string): string;
  string(name: string, optional: true): string | undefined;
  string(name: string, optional = false): string | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null) {
      if (optional) return undefined;
      throw ksError.missing(this.at(name));
    }
    if (isLosslessNumber(value)) return value.toString();
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
      throw ksError.invalid(`${this.at(name)} 必须是字符串`);
    return String(value);
  }

  bool(name: string): boolean | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null) return undefined;
    return value === true || value === 'true';
  }

  strings(name: string): string[] | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) throw ksError.invalid(`${this.at(name)} 必须是数组`);
    return value.map((entry) => (isLosslessNumber(entry) ? (entry as LosslessNumber).toString() : String(entry)));
  }

  longs(name: string): string[] | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) throw ksError.invalid(`${this.at(name)} 必须是数组`);
    return value.map((_, index) => new ParamReader({ v: value[index] }, `${this.at(name)}[${index}]`).long('v'));
  }

  object(name: string): ParamReader | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) throw ksError.invalid(`${this.at(name)} 必须是对象`);
    return new ParamReader(value as Record<string, unknown>, this.at(name));
  }

  objects(name: string): ParamReader[] | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) throw ksError.invalid(`${this.at(name)} 必须是数组`);
    return value.map((entry, index) => {
      if (!entry || typeof entry !== 'object' || Array.isArray(entry))
        throw ksError.invalid(`${this.at(name)}[${index}] 必须是对象`);
      return new ParamReader(entry as Record<string, unknown>, `${this.at(name)}[${index}]`);
    });
  }

  private at(name: string): string {
    return this.path ? `${this.path}.${name}` : name;
  }
}
