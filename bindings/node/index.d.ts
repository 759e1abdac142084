/** parindex for Node.js — the PAR Index (Chỉ số CCHC) scoring engine. See docs/embedding.md. */

/** A round folder or round bundle file path, a round bundle's JSON text (starting with `{`), or its UTF-8 bytes. */
export type RoundInput = string | Buffer;

/** SPEC §10's error object; `file` and `criterion` appear when known. */
export interface ErrorObject {
  code: string;
  file?: string;
  path: string;
  criterion?: string;
  message: string;
}

export type Status = 'invalid' | 'usage' | 'bad_argument' | 'bad_handle' | 'internal';

/** Invalid input, or an unusable call (closed round, bad text, unreadable path). */
export class InvalidInput extends Error {
  readonly status: Status;
  readonly errors: ErrorObject[];
}

/** What `validate` checked. */
export type Validity =
  | { kind: 'round_folder'; units: number; assessments: number }
  | { kind: 'criteria_set' | 'round' | 'assessment' };

/** The results document's JSON text, byte for byte what `parindex score` prints. */
export function score(round: RoundInput): string;

/** Checks a round, or one criteria-set, round or assessment file. */
export function validate(round: RoundInput, roundDir?: string | null): Validity;

/** One unit explained as text, byte for byte what `parindex explain` prints. */
export function explain(round: RoundInput, unit: string, criterion?: string | null): string;

/** A round opened for live preview: its round and criteria sets are parsed once. */
export class Round {
  constructor(round: RoundInput);
  readonly id: string;
  readonly closed: boolean;
  /** The unit's row (JSON text) as the results document holds it; `rank` is null. */
  scoreUnit(assessment: string | Buffer | object): string;
  /** Later calls throw InvalidInput with status `bad_handle`. */
  close(): void;
  [Symbol.dispose](): void;
}
