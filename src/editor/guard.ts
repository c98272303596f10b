import type { Ctx } from '../services/ctx';

/**
 * Logs a failed provider call without its message (which may quote document text, secrets included):
 * the error's name and its stack frames only.
 */
export function logFailure(ctx: Ctx, what: string, e: unknown): void {
  const name = e instanceof Error ? e.name : typeof e;
  const frames =
    e instanceof Error && e.stack
      ? e.stack
          .split('\n')
          .filter((l) => /^\s+at /.test(l))
          .slice(0, 8)
          .join('\n')
      : '';
  ctx.log.error(`${what} failed (${name})${frames ? `\n${frames}` : ''}`);
}

/** Runs `fn`; on an exception logs it (see logFailure) and returns `fallback`. */
export function guarded<T>(ctx: Ctx, what: string, fallback: T, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    logFailure(ctx, what, e);
    return fallback;
  }
}
