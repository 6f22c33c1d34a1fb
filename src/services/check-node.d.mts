/** The minimum version a ">=X.Y[.Z]" range asks for, as [X, Y, Z]; null for other ranges. */
export function minimumOf(range: string | undefined): [number, number, number] | null;
/** A message for the user when `version` (e.g. "v20.18.1") is older than `range`; null when it is fine. */
export function nodeVersionProblem(version: string, range: string | undefined): string | null;
