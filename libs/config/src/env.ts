import { accept, envSpec, got, reject, type EnvSpec, type PresenceOptions, type Resolved } from './env-spec';

export interface StrOptions extends PresenceOptions<string> {
  /** Refuse values made only of whitespace. */
  nonEmpty?: boolean;
}

export interface RangeOptions extends PresenceOptions<number> {
  min?: number;
  max?: number;
}

export interface UrlOptions extends PresenceOptions<string> {
  /** Accepted `URL.protocol` values, with the colon: `['postgres:', 'postgresql:']`. */
  protocols?: string[];
}

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const TRUE_WORDS = ['true', '1', 'yes'];
const FALSE_WORDS = ['false', '0', 'no'];

function rangeText(o: RangeOptions | undefined): string {
  const { min, max } = o ?? {};
  if (min !== undefined && max !== undefined) return ` between ${min} and ${max}`;
  if (min !== undefined) return ` >= ${min}`;
  if (max !== undefined) return ` <= ${max}`;
  return '';
}

function inRange(n: number, o: RangeOptions | undefined): boolean {
  return (o?.min === undefined || n >= o.min) && (o?.max === undefined || n <= o.max);
}

/**
 * Field builders for `loadConfig`. Each one returns a spec whose value type follows from its
 * options (see `Resolved`). Numbers, booleans, URLs and enums ignore surrounding whitespace;
 * strings are kept exactly as written.
 */
export const env = {
  str<O extends StrOptions = Record<never, never>>(o?: O): EnvSpec<Resolved<string, O>> {
    return envSpec<string, O>(o, (raw) =>
      o?.nonEmpty && raw.trim() === '' ? reject('must not be blank') : accept(raw),
    );
  },

  int<O extends RangeOptions = Record<never, never>>(o?: O): EnvSpec<Resolved<number, O>> {
    return envSpec<number, O>(o, (raw) => {
      const text = raw.trim();
      const n = Number(text);
      return INTEGER.test(text) && Number.isSafeInteger(n) && inRange(n, o)
        ? accept(n)
        : reject(`must be an integer${rangeText(o)} ${got(raw)}`);
    });
  },

  num<O extends RangeOptions = Record<never, never>>(o?: O): EnvSpec<Resolved<number, O>> {
    return envSpec<number, O>(o, (raw) => {
      const text = raw.trim();
      const n = Number(text);
      return DECIMAL.test(text) && Number.isFinite(n) && inRange(n, o)
        ? accept(n)
        : reject(`must be a number${rangeText(o)} ${got(raw)}`);
    });
  },

  /** Without a default the variable is required: a flag nobody set is more often a mistake. */
  bool<O extends { default?: boolean } = Record<never, never>>(o?: O): EnvSpec<Resolved<boolean, O>> {
    return envSpec<boolean, O>(o, (raw) => {
      const word = raw.trim().toLowerCase();
      if (TRUE_WORDS.includes(word)) return accept(true);
      if (FALSE_WORDS.includes(word)) return accept(false);
      return reject(`must be one of true/false, 1/0, yes/no ${got(raw)}`);
    });
  },

  /**
   * The value stays a string (as written, minus surrounding whitespace). It must have the
   * `scheme://host` form: `localhost:8000` parses as a URL with protocol `localhost:`, and is
   * the typo this check exists for.
   */
  url<O extends UrlOptions = Record<never, never>>(o?: O): EnvSpec<Resolved<string, O>> {
    return envSpec<string, O>(o, (raw) => {
      const text = raw.trim();
      const protocols = o?.protocols ?? [];
      const url = URL.canParse(text) && SCHEME.test(text) ? new URL(text) : undefined;
      if (url && url.host !== '' && (protocols.length === 0 || protocols.includes(url.protocol))) {
        return accept(text);
      }
      const wanted = protocols.length > 0 ? ` with protocol ${protocols.join(' or ')}` : '';
      return reject(`must be a URL${wanted} ${got(raw)}`);
    });
  },

  /** Matches case-insensitively and yields the canonical spelling from `values`. */
  oneOf<const T extends string, O extends PresenceOptions<NoInfer<T>> = Record<never, never>>(
    values: readonly T[],
    o?: O,
  ): EnvSpec<Resolved<T, O>> {
    return envSpec<T, O>(o, (raw) => {
      const text = raw.trim();
      const match =
        values.find((v) => v === text) ?? values.find((v) => v.toLowerCase() === text.toLowerCase());
      return match !== undefined ? accept(match) : reject(`must be one of ${values.join(', ')} ${got(raw)}`);
    });
  },
};
