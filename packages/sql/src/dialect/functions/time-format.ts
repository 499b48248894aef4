/**
 * TIME_FORMAT of a TIME value (MySQL reference, "Date and Time Functions"): the value is a
 * signed duration, so %H and %k show every hour ('100:00:00' → '100'), a negative time keeps its
 * sign in front, and %h/%I/%l/%p read the hour modulo 24.
 */
import { quoteString } from '../context.js';

/** DuckDB SQL formatting the INTERVAL `interval` with the constant MySQL `format`. */
export function duckTimeFormat(interval: string, format: string): string {
  const micros = `abs(epoch_us(${interval}))`;
  const hours = `(${micros} // 3600000000)`;
  // lpad would cut hours of three digits.
  const two = (sql: string): string =>
    `(CASE WHEN ${sql} < 10 THEN '0' ELSE '' END || CAST(${sql} AS VARCHAR))`;
  const hour12 = `((${hours} % 24 + 11) % 12 + 1)`;
  const pieces: string[] = [`(CASE WHEN epoch_us(${interval}) < 0 THEN '-' ELSE '' END)`];
  for (let index = 0; index < format.length; index++) {
    const letter = format[index] ?? '';
    if (letter !== '%' || index + 1 >= format.length) {
      pieces.push(quoteString(letter));
      continue;
    }
    index += 1;
    const code = format[index] ?? '';
    switch (code) {
      case 'H':
        pieces.push(two(hours));
        break;
      case 'k':
        pieces.push(`CAST(${hours} AS VARCHAR)`);
        break;
      case 'h':
      case 'I':
        pieces.push(two(hour12));
        break;
      case 'l':
        pieces.push(`CAST(${hour12} AS VARCHAR)`);
        break;
      case 'i':
        pieces.push(two(`${micros} // 60000000 % 60`));
        break;
      case 's':
      case 'S':
        pieces.push(two(`${micros} // 1000000 % 60`));
        break;
      case 'f':
        pieces.push(`lpad(CAST(${micros} % 1000000 AS VARCHAR), 6, '0')`);
        break;
      case 'p':
        pieces.push(`(CASE WHEN ${hours} % 24 < 12 THEN 'AM' ELSE 'PM' END)`);
        break;
      case 'T':
        pieces.push(
          `${two(hours)} || ':' || ${two(`${micros} // 60000000 % 60`)} || ':' || ${two(`${micros} // 1000000 % 60`)}`,
        );
        break;
      default:
        // Date parts of a TIME are zero or NULL in MySQL; the letter itself otherwise.
        pieces.push('NULL');
    }
  }
  return `(CASE WHEN ${interval} IS NULL THEN NULL ELSE ${pieces.join(' || ')} END)`;
}
