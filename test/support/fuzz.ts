import { SeededRandom } from '@app/sandbox/shared/random';

/** A JSON token written as is (numbers JSON.stringify cannot produce: 1e400, -0, 40-digit integers). */
export class RawJson {
  constructor(readonly text: string) {}
}

/** Seeded generator of hostile values and JSON text; the same seed gives the same bodies. */
export class Hostile {
  private readonly rng: SeededRandom;

  constructor(seed: number) {
    this.rng = new SeededRandom(seed);
  }

  int(min: number, max: number): number {
    return this.rng.int(min, max);
  }

  chance(rate: number): boolean {
    return this.rng.chance(rate);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.rng.int(0, items.length - 1)];
  }

  string(min: number, max: number, alphabet = 'abcXYZ019-_.:/ 中文🙂'): string {
    const chars = [...alphabet];
    return Array.from({ length: this.int(min, max) }, () => this.pick(chars)).join('');
  }

  /** Any hostile JSON value: wrong types, extremes, odd strings, small nests. */
  any(depth = 0): unknown {
    const kinds = depth > 2 ? 9 : 11;
    switch (this.int(0, kinds)) {
      case 0:
        return null;
      case 1:
        return this.pick([true, false]);
      case 2:
        return this.pick([0, -1, 1.5, -0.0001, 2 ** 31, 2 ** 53 + 1, 1e20, Number.MAX_SAFE_INTEGER]);
      case 3:
        return new RawJson(
          this.pick(['1e400', '-1e400', '-0', '12345678901234567890123456789012345678901', '0.0000000000000000000001']),
        );
      case 4:
        return '';
      case 5:
        return this.pick([
          '   ',
          '\u3000',
          '\t\n',
          '\u0000',
          '\u0007bell',
          '\ud800',
          '\ufffd',
          '<script>alert(1)</script>',
          "' OR 1=1 --",
          '../../etc/passwd',
          '%00',
          '${jndi:x}',
        ]);
      case 6:
        return this.string(300, 5000);
      case 7:
        return this.string(1, 40);
      case 8:
        return this.pick(['__proto__', 'constructor', 'toString', 'NaN', 'Infinity', 'null', 'true', '[]', '{}']);
      case 9:
        return this.int(-5, 5);
      case 10:
        return Array.from({ length: this.int(0, 4) }, () => this.any(depth + 1));
      default:
        return Object.fromEntries(
          Array.from({ length: this.int(0, 3) }, () => [
            this.pick(['a', '__proto__', 'constructor', 'x'.repeat(300), '']),
            this.any(depth + 1),
          ]),
        );
    }
  }

  /** A value that is not a string (for string fields). */
  notString(): unknown {
    return this.pick([null, true, 0, -1, 1.5, [], ['a'], { a: 1 }, new RawJson('1e400')]);
  }

  /** A value that is not a whole number in range (for integer fields). */
  notCount(): unknown {
    return this.pick([
      null,
      true,
      -1,
      1.5,
      '5',
      '',
      [],
      [1],
      { a: 1 },
      new RawJson('1e400'),
      new RawJson('-0.5'),
      1e20,
      2 ** 53 + 2,
    ]);
  }

  /** A value that can never be an id: a list, an object, a boolean, or a string too long or with spaces. */
  notId(maxLength: number): unknown {
    return this.pick([
      [],
      ['a', 'b'],
      [1, 2],
      { a: 1 },
      true,
      false,
      'x'.repeat(maxLength + this.int(1, 2000)),
      'has space',
      'ctl\u0001',
      '中文id',
    ]);
  }

  /** Deep nesting as text (a value JSON.stringify would overflow on). */
  nested(depth = this.int(20, 20_000)): RawJson {
    const open = this.pick(['[', '{"a":']);
    return new RawJson(
      open === '[' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth),
    );
  }
}

/** JSON text of a value tree that may hold RawJson tokens and lone surrogates. */
export function toJsonText(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${toJsonText(v)}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

/** Damage that leaves no valid JSON document behind, whatever the route accepts. */
export const BREAKS_JSON = [0, 1, 5, 7];
/** Damage a JSON-only API refuses: also foreign content types, charsets and non-object bodies. */
export const BREAKS_JSON_API = [0, 1, 2, 3, 4, 5, 6, 7];

/** Wire-level damage applied to a JSON body (one of `cases`). */
export function damageJson(
  h: Hostile,
  text: string,
  cases: number[] = BREAKS_JSON_API,
): { body: Buffer; contentType?: string } {
  switch (h.pick(cases)) {
    case 0:
      return {
        body: Buffer.from(text.slice(0, h.int(1, Math.max(1, text.length - 1)))),
        contentType: 'application/json',
      };
    case 1: {
      const at = h.int(0, text.length);
      return {
        body: Buffer.concat([
          Buffer.from(text.slice(0, at)),
          Buffer.from(h.pick([[0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xe2, 0x82]])),
          Buffer.from(text.slice(at)),
        ]),
        contentType: 'application/json',
      };
    }
    case 2:
      return {
        body: Buffer.from(text),
        contentType: h.pick([
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/xml',
          'application/octet-stream',
        ]),
      };
    case 3:
      return {
        body: Buffer.from(text, 'latin1'),
        contentType: h.pick([
          'application/json; charset=latin1',
          'application/json; charset=iso-8859-1',
          'application/json; charset=utf-16',
          'application/json; charset=bogus',
        ]),
      };
    case 4:
      return { body: Buffer.from(text) };
    case 5:
      return { body: Buffer.from(toJsonText(h.nested())), contentType: 'application/json' };
    case 6:
      return {
        body: Buffer.from(toJsonText(h.pick([[], [JSON.parse(text) as unknown], 'a string', 42, null, true]))),
        contentType: 'application/json',
      };
    default:
      return {
        body: Buffer.from(`${text}${h.pick(['x', '}', ',', ' garbage', '\u0000'])}`),
        contentType: 'application/json',
      };
  }
}
