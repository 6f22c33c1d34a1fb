// Small validators for the engine's inputs. Inputs reach the engine from GraphQL (already
// type-checked) and from task payloads read back from Redis (not type-checked), so every
// check is done here, and every failure names the field by its path in the input object.
import { ValidationError } from '../errors.js';

/** True when `v` is absent (undefined or null): the field takes its default. */
export function isAbsent(v: unknown): v is null | undefined {
  return v === undefined || v === null;
}

/** Returns `v` as a plain object, or throws naming `field`. */
export function requireObject(v: unknown, field: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new ValidationError(field, 'must be an object');
  }
  return v as Record<string, unknown>;
}

/** Returns the integer `v` (or `fallback` when absent), checking min..max inclusive. */
export function optionalInt(v: unknown, field: string, fallback: number, min: number, max: number): number {
  if (isAbsent(v)) return fallback;
  return requireInt(v, field, min, max);
}

/** Returns the integer `v`, checking min..max inclusive. */
export function requireInt(v: unknown, field: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new ValidationError(field, 'must be an integer');
  if (v < min || v > max) throw new ValidationError(field, `must be between ${min} and ${max}`);
  return v;
}

/** Returns `v` (or `fallback` when absent) if it is one of `allowed`. */
export function optionalEnum<T extends string>(v: unknown, field: string, allowed: readonly T[], fallback: T): T {
  if (isAbsent(v)) return fallback;
  return requireEnum(v, field, allowed);
}

/** Returns `v` if it is one of `allowed`. */
export function requireEnum<T extends string>(v: unknown, field: string, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new ValidationError(field, `must be one of ${allowed.join(', ')}`);
  }
  return v as T;
}

/** Returns a non-negative finite amount, or null when absent. */
export function optionalAmount(v: unknown, field: string): number | null {
  if (isAbsent(v)) return null;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValidationError(field, 'must be a finite number');
  if (v < 0) throw new ValidationError(field, 'must not be negative');
  // -0 and 0 mean the same; keep one of them so cache keys agree.
  return v === 0 ? 0 : v;
}

/** Returns `v` as an array (empty when absent) of at most `max` of its `items` ("chips"), or throws naming `field`. */
export function optionalArray(v: unknown, field: string, max: number, items: string): unknown[] {
  if (isAbsent(v)) return [];
  if (!Array.isArray(v)) throw new ValidationError(field, 'must be a list');
  if (v.length > max) throw new ValidationError(field, `at most ${max} ${items} are allowed, got ${v.length}`);
  return v;
}
