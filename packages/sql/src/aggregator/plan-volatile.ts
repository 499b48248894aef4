/**
 * Whether a translation folded the clock or a session value into its engine SQL (NOW(),
 * DATABASE(), @@var): `translateOptions` passes `noteVolatile` as `TranslateOptions.onVolatile`,
 * and `watchVolatile` tells the plan memo (`plan-memo.ts`) whether the plan it watched may be
 * kept. Planning is synchronous, so one flag follows the plan being made; a volatile plan made
 * inside another (a sub-plan) makes the outer one volatile too.
 */

let volatileSeen = false;

/** Called by translations: the plan being made holds values of this statement alone. */
export function noteVolatile(): void {
  volatileSeen = true;
}

/** Runs `work` (synchronous planning) and says whether a translation inside it was volatile. */
export function watchVolatile<T>(work: () => T): {
  readonly result: T;
  readonly volatile: boolean;
} {
  const outer = volatileSeen;
  volatileSeen = false;
  try {
    const result = work();
    return { result, volatile: volatileSeen };
  } finally {
    volatileSeen = outer || volatileSeen;
  }
}
