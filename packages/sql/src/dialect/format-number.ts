/**
 * FORMAT(x, d [, locale]) as MariaDB computes it (Item_func_format), for both engines
 * (`exo_format`). The number comes with its kind: 'e' + the text of an exact value (INT or
 * DECIMAL), rounded half away from zero at `d` decimals; 'f' + a DOUBLE's text, rounded as
 * my_double_round does (rint(x · 10^d) / 10^d, so 2.5 is 2 and 2.675 is 2.68) and written
 * with `d` decimals. `d` is cut to 0…38. The integer part is then grouped as the locale does.
 */
import { roundDecimal } from '../catalog/decimal.js';
import { fixedText } from '../number-text.js';

const DECIMALS_MAX = 38;

interface Locale {
  readonly point: string;
  readonly separator: string;
  /** Digits per group from the right, the last repeating ([3] for 1,234,567; [3, 2] for 12,34,567). */
  readonly grouping: readonly number[];
}

const EN: Locale = { point: '.', separator: ',', grouping: [3] };
const DOT_COMMA: Locale = { point: ',', separator: '.', grouping: [3] };
const SPACE_COMMA: Locale = { point: ',', separator: ' ', grouping: [3] };
const COMMA_ONLY: Locale = { point: ',', separator: '', grouping: [] };

/**
 * Locales whose FORMAT differs from en_US, as MariaDB 10.11 answers them; other names format
 * as en_US (MariaDB warns 1649 for names it does not know, which is not told apart here).
 */
const LOCALES: Readonly<Record<string, Locale>> = {
  de_DE: DOT_COMMA,
  es_ES: DOT_COMMA,
  da_DK: DOT_COMMA,
  nb_NO: DOT_COMMA,
  tr_TR: DOT_COMMA,
  de_CH: { point: '.', separator: "'", grouping: [3] },
  ru_RU: SPACE_COMMA,
  sv_SE: SPACE_COMMA,
  fi_FI: SPACE_COMMA,
  cs_CZ: SPACE_COMMA,
  de_AT: COMMA_ONLY,
  fr_FR: COMMA_ONLY,
  fr_CH: COMMA_ONLY,
  it_IT: COMMA_ONLY,
  nl_NL: COMMA_ONLY,
  pt_BR: COMMA_ONLY,
  pt_PT: COMMA_ONLY,
  pl_PL: COMMA_ONLY,
  en_IN: { point: '.', separator: ',', grouping: [3, 2] },
};

/** `exo_format(kind + number, decimals, locale)`: NULL when the number or count is NULL. */
export function formatNumber([value, decimals, locale]: readonly (string | null)[]): string | null {
  if (value === null || value === undefined || decimals === null || decimals === undefined)
    return null;
  const d = Math.max(0, Math.min(DECIMALS_MAX, Math.trunc(Number(decimals)) || 0));
  const text = value.slice(1);
  const rounded = value.startsWith('e') ? roundDecimal(text, d) : doubleRounded(Number(text), d);
  if (rounded === undefined) return null;
  return grouped(rounded, LOCALES[locale ?? ''] ?? EN);
}

/** my_double_round then my_fcvt: a non-finite product leaves the value as it is. */
function doubleRounded(value: number, decimals: number): string {
  if (!Number.isFinite(value)) return fixedText(value, decimals);
  const scale = 10 ** decimals;
  const product = value * scale;
  const rounded = Number.isFinite(product) ? roundHalfEven(product) / scale : value;
  return fixedText(rounded, decimals);
}

function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** Fixed-point text with the locale's decimal point and digit groups. */
function grouped(text: string, locale: Locale): string {
  const negative = text.startsWith('-');
  const [whole = '0', fraction] = (negative ? text.slice(1) : text).split('.');
  const groups: string[] = [];
  let rest = whole;
  let index = 0;
  while (locale.grouping.length > 0 && rest.length > 0) {
    const size = locale.grouping[Math.min(index, locale.grouping.length - 1)] ?? 3;
    if (rest.length <= size) break;
    groups.unshift(rest.slice(-size));
    rest = rest.slice(0, -size);
    index += 1;
  }
  groups.unshift(rest);
  const integer = groups.join(locale.separator);
  const sign = negative ? '-' : '';
  return fraction === undefined
    ? `${sign}${integer}`
    : `${sign}${integer}${locale.point}${fraction}`;
}
