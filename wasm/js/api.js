// The public API of the npm package, built over the raw wasm-bindgen exports.
//
// This file is glue, not logic: every rule, check and conversion is in Rust (the core, and
// wasm/src for JavaScript values). It gives the exports the shape of a JavaScript library:
// a `Ledger` class with one camelCase method per transition, errors thrown as
// `StakeholdError` (so `instanceof` works), a clear error when the module is used before
// `init()` in the browser, and `free()` / `[Symbol.dispose]` for the one wasm-owned object.
//
// It is written once and shipped twice by scripts/build-wasm.sh: as an ES module for browsers
// and bundlers, and as CommonJS for Node (whose ESM entry re-exports the CommonJS one, so a
// Node process has one `StakeholdError` class whichever way it loads the package).

export function createApi(raw, isReady) {
  /** An error of the stakehold core, or an argument it could not accept. */
  class StakeholdError extends Error {
    constructor(code, name, message, fields) {
      super(message);
      Object.defineProperty(this, 'name', { value: name, enumerable: false, configurable: true });
      this.code = code;
      this.fields = Object.freeze(fields);
    }
  }

  function notReady() {
    return new Error(
      'stakehold: the WebAssembly module is not initialised yet; call `await init()` ' +
        '(the default export) once before using the package in a browser',
    );
  }

  // Errors from Rust cross as plain `{ stakehold: true, code, name, message, fields }`.
  function lift(e) {
    if (e !== null && typeof e === 'object' && e.stakehold === true) {
      return new StakeholdError(e.code, e.name, e.message, e.fields);
    }
    return e;
  }

  function call(f) {
    if (!isReady()) throw notReady();
    try {
      return f();
    } catch (e) {
      throw lift(e);
    }
  }

  const FROM_RAW = Symbol('stakehold.raw');

  /** The staking state of every account. The one wasm-owned object: `free()` it when done. */
  class Ledger {
    #raw;

    constructor(options) {
      if (options !== null && typeof options === 'object' && FROM_RAW in options) {
        this.#raw = options[FROM_RAW];
        return;
      }
      this.#raw = call(() => new raw.RawLedger(options?.params, options?.council, options?.chain));
    }

    /** A ledger from `snapshot()` bytes, validated. */
    static restore(snapshot) {
      return new Ledger({ [FROM_RAW]: call(() => raw.RawLedger.restore(snapshot)) });
    }

    #live() {
      if (this.#raw === undefined) throw new Error('stakehold: this Ledger was freed');
      return this.#raw;
    }

    #run(f) {
      return call(() => f(this.#live()));
    }

    stake(ctx, amount) {
      return this.submit(ctx, { type: 'Stake', amount });
    }

    unstake(ctx, amount) {
      return this.submit(ctx, { type: 'Unstake', amount });
    }

    withdraw(ctx) {
      return this.submit(ctx, { type: 'Withdraw' });
    }

    rebond(ctx, amount) {
      return this.submit(ctx, { type: 'Rebond', amount });
    }

    slash(ctx, { account, amount, reason, approvals } = {}) {
      return this.submit(ctx, { type: 'Slash', account, amount, reason, approvals });
    }

    updateStakeParams(ctx, { params, approvals } = {}) {
      return this.submit(ctx, { type: 'UpdateStakeParams', params, approvals });
    }

    updateCouncil(ctx, { council, approvals } = {}) {
      return this.submit(ctx, { type: 'UpdateCouncil', council, approvals });
    }

    // The proof-of-stake chain. An argument that is not an object still reaches Rust, which
    // throws a StakeholdError naming it.
    deposit(ctx, deposit) {
      return this.submit(ctx, { type: 'Deposit', deposit });
    }

    voluntaryExit(ctx, exit) {
      return this.submit(ctx, { type: 'VoluntaryExit', exit });
    }

    proposerSlashing(ctx, slashing) {
      return this.submit(ctx, { ...slashing, type: 'ProposerSlashing' });
    }

    attesterSlashing(ctx, slashing) {
      return this.submit(ctx, { ...slashing, type: 'AttesterSlashing' });
    }

    attest(ctx, attestation) {
      return this.submit(ctx, { ...attestation, type: 'Attest' });
    }

    processEpoch(ctx, roots) {
      return this.submit(ctx, { ...roots, type: 'ProcessEpoch' });
    }

    /** Applies a message object. */
    submit(ctx, msg) {
      return this.#run((r) => r.submit(ctx, msg));
    }

    /** Applies a SCALE-encoded, versioned message (as `encodeMessage` writes). */
    apply(ctx, bytes) {
      return this.#run((r) => r.apply(ctx, bytes));
    }

    /** Applies a block of messages (`encodeBlock` bytes) in one call; see the types. */
    applyBlock(block) {
      return this.#run((r) => r.applyBlock(block));
    }

    account(address, now) {
      return this.#run((r) => r.account(address, now));
    }

    accounts() {
      // Lowercase `0x` + 40 hex digits: string order is address order.
      return this.#run((r) => r.accounts()).sort();
    }

    get accountCount() {
      return this.#run((r) => r.accountCount());
    }

    totals() {
      return this.#run((r) => r.totals());
    }

    params() {
      return this.#run((r) => r.params());
    }

    council() {
      return this.#run((r) => r.council());
    }

    chain() {
      return this.#run((r) => r.chain());
    }

    validator(index) {
      return this.#run((r) => r.validator(index));
    }

    validators(page) {
      return this.#run((r) => r.validators(page?.start, page?.limit));
    }

    validatorIndex(pubkey) {
      return this.#run((r) => r.validatorIndex(pubkey));
    }

    snapshot() {
      return this.#run((r) => r.snapshot());
    }

    /** Releases the wasm memory now (a garbage-collected Ledger is released eventually). */
    free() {
      if (this.#raw !== undefined) {
        this.#raw.free();
        this.#raw = undefined;
      }
    }
  }

  if (typeof Symbol.dispose === 'symbol') {
    Ledger.prototype[Symbol.dispose] = Ledger.prototype.free;
  }

  return {
    Ledger,
    StakeholdError,
    FAR_FUTURE_EPOCH: 2n ** 64n - 1n,
    encodeMessage: (msg) => call(() => raw.encodeMessage(msg)),
    decodeMessage: (bytes) => call(() => raw.decodeMessage(bytes)),
    decodeEvent: (bytes) => call(() => raw.decodeEvent(bytes)),
    encodeBlock: (items) => call(() => raw.encodeBlock(items)),
    decodeEvents: (bytes) => call(() => raw.decodeEvents(bytes)),
    formatAmount: (amount, decimals) => call(() => raw.formatAmount(amount, decimals)),
    parseAmount: (text, decimals) => call(() => raw.parseAmount(text, decimals)),
    formatTime: (timestamp, seconds) => call(() => raw.formatTime(timestamp, seconds)),
    // Dashboard estimates: numbers for display only (computed in the core, never fed back).
    estimateApr: (preset, totalActiveBalance, participation) =>
      call(() => raw.estimateApr(preset, totalActiveBalance, participation)),
    slashingTimeline: (preset, validator, currentEpoch) =>
      call(() => raw.slashingTimeline(preset, validator, currentEpoch)),
    proposalProbability: (effectiveBalance, totalActiveBalance, slots) =>
      call(() => raw.proposalProbability(effectiveBalance, totalActiveBalance, slots)),
  };
}
