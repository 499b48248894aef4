/** MySQL TIME text ↔ whole seconds, for the rowstore engine's TIME arithmetic functions. */
const TIME_SECONDS_MAX = 838 * 3600 + 59 * 60 + 59;

/** '[-]H…H:MM[:SS[.f]]', 'YYYY-MM-DD[ HH:MM:SS]' (seconds since 1970) or a number of seconds. */
export function timeTextSeconds(text: string): number | null {
  const trimmed = text.trim();
  const datetime = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2}))?/.exec(trimmed);
  if (datetime !== null) {
    const [, year, month, day, hours, minutes, seconds] = datetime;
    const utc = Date.UTC(
      Number(year),
      Number(month) - 1,
      Number(day),
      Number(hours ?? 0),
      Number(minutes ?? 0),
      Number(seconds ?? 0),
    );
    return Number.isFinite(utc) ? utc / 1000 : null;
  }
  const clock = /(?:^|\s)(-)?(\d+):(\d{1,2})(?::(\d{1,2}))?(?:\.\d*)?$/.exec(trimmed);
  if (clock === null) {
    const number = Number(trimmed);
    return Number.isFinite(number) ? Math.trunc(number) : null;
  }
  const [, minus, hours, minutes, seconds] = clock;
  const total = Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds ?? 0);
  return minus === undefined ? total : -total;
}

export function secondsTimeText(seconds: number): string | null {
  if (!Number.isFinite(seconds)) return null;
  const clamped = Math.max(-TIME_SECONDS_MAX, Math.min(TIME_SECONDS_MAX, Math.floor(seconds)));
  const magnitude = Math.abs(clamped);
  const two = (value: number): string => String(value).padStart(2, '0');
  const hours = Math.floor(magnitude / 3600);
  return `${clamped < 0 ? '-' : ''}${two(hours)}:${two(Math.floor((magnitude % 3600) / 60))}:${two(magnitude % 60)}`;
}
