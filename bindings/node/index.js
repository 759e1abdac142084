'use strict';
// parindex for Node.js: the napi-rs addon (parindex.node), with failures as InvalidInput.

const native = require('./parindex.node');

const MARKER = 'parindex:';

/** Invalid input, or an unusable call; `errors` holds SPEC §10's error objects. */
class InvalidInput extends Error {
  constructor(status, errors) {
    super(errors.map((e) => `${e.file ? e.file + ':' : ''}${e.path || '/'} [${e.code}]${e.criterion ? ' ' + e.criterion : ''}: ${e.message}`).join('\n'));
    this.name = 'InvalidInput';
    this.status = status;
    this.errors = errors;
  }
}

function call(f) {
  try {
    return f();
  } catch (e) {
    if (e && typeof e.message === 'string' && e.message.startsWith(MARKER)) {
      const { status, errors } = JSON.parse(e.message.slice(MARKER.length));
      throw new InvalidInput(status, errors);
    }
    throw e;
  }
}

const text = (a) => (a !== null && typeof a === 'object' && !Buffer.isBuffer(a) ? JSON.stringify(a) : a);

/** A round opened for live preview (round and criteria sets parsed once). */
class Round {
  constructor(round) {
    this._native = call(() => new native.Round(round));
  }
  get id() {
    return call(() => this._native.id);
  }
  get closed() {
    return this._native.closed;
  }
  scoreUnit(assessment) {
    return call(() => this._native.scoreUnit(text(assessment)));
  }
  close() {
    this._native.close();
  }
  [Symbol.dispose]() {
    this.close();
  }
}

module.exports = {
  InvalidInput,
  Round,
  score: (round) => call(() => native.score(round)),
  validate: (round, roundDir) => JSON.parse(call(() => native.validate(round, roundDir ?? undefined))),
  explain: (round, unit, criterion) => call(() => native.explain(round, unit, criterion ?? undefined)),
};
