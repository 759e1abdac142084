// Type-checked (tsc --noEmit --strict, scripts/test-bindings.sh), never run: index.d.ts
// describes what a TypeScript program calls.
import { InvalidInput, Round, explain, score, validate } from '../index';
import type { ErrorObject, Status, Validity } from '../index';

const results: string = score('fixtures/dong-thap-2023');
const fromBytes: string = score(Buffer.from('{}'));
const validity: Validity = validate('fixtures/dong-thap-2023', null);
if (validity.kind === 'round_folder') {
  const units: number = validity.units + validity.assessments;
  void units;
}
const text: string = explain('fixtures/dong-thap-2023', 'so-noi-vu', '1.1');
const round = new Round(results);
const row: string = round.scoreUnit({ format: 'parindex/assessment@1', unit: 'so-noi-vu' });
const id: string = round.id;
const closed: boolean = round.closed;
round.close();
try {
  score('x');
} catch (e) {
  if (e instanceof InvalidInput) {
    const status: Status = e.status;
    const first: ErrorObject | undefined = e.errors[0];
    const code: string | undefined = first?.code;
    void [status, code];
  }
}
void [fromBytes, text, row, id, closed];
