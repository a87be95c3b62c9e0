// Types of the npm package `stakehold` (hand-written; the same file serves the ES module and
// CommonJS entries). Amounts, times and durations are `bigint`; counts are `number`;
// addresses are `0x` + 40 hex digits.

/** An address: `0x` followed by 40 hex digits. Outputs are lowercase. */
export type Address = `0x${string}`;

/**
 * A non-negative integer as input: a `bigint`, a safe integer `number`, or a string of decimal
 * digits. Amounts are base units (wei: 1 BTT = 10^18), at most 2^256 − 1.
 */
export type IntegerInput = bigint | number | string;

/** Who sends a message, and when (Unix seconds). */
export interface Context {
  readonly caller: Address | string;
  readonly now: IntegerInput;
  /** Block height; 0 when omitted. */
  readonly height?: IntegerInput;
}

/** How unstaked funds unlock. `Merged`: BTIP-85's single bucket, whose deadline every unstake
 * resets. `Chunked`: up to `max` separate unlocks, each with its own deadline. */
export type UnlockPolicy = { readonly type: 'Merged' } | { readonly type: 'Chunked'; readonly max: number };

export interface StakeParams {
  /** Seconds from unstake to withdrawable. */
  readonly unlockPeriod: bigint;
  /** The smallest stake accepted, wei. */
  readonly minStake: bigint;
  readonly unlockPolicy: UnlockPolicy;
}

export interface StakeParamsInput {
  readonly unlockPeriod: IntegerInput;
  readonly minStake: IntegerInput;
  readonly unlockPolicy: UnlockPolicy;
}

export interface CouncilMember {
  readonly account: Address;
  /** Whether every privileged message needs this member's approval. */
  readonly required: boolean;
}

export interface Council {
  readonly members: readonly CouncilMember[];
  /** Approvals needed. */
  readonly threshold: number;
}

export interface CouncilInput {
  readonly members: readonly { readonly account: Address | string; readonly required?: boolean }[];
  readonly threshold: number;
}

export type SlashReason = { readonly type: 'LostData' } | { readonly type: 'Other'; readonly code: number };

/** A transition request, as `submit` and `encodeMessage` take it and `decodeMessage` returns. */
export type Message =
  | { readonly type: 'Stake'; readonly amount: IntegerInput }
  | { readonly type: 'Unstake'; readonly amount: IntegerInput }
  | { readonly type: 'Withdraw' }
  | { readonly type: 'Rebond'; readonly amount: IntegerInput }
  | {
      readonly type: 'Slash';
      readonly account: Address | string;
      readonly amount: IntegerInput;
      /** `{ type: 'LostData' }` when omitted. */
      readonly reason?: SlashReason;
      readonly approvals: readonly (Address | string)[];
    }
  | {
      readonly type: 'UpdateStakeParams';
      readonly params: StakeParamsInput;
      readonly approvals: readonly (Address | string)[];
    }
  | {
      readonly type: 'UpdateCouncil';
      readonly council: CouncilInput | Address;
      readonly approvals: readonly (Address | string)[];
    };

/** An effect of a transition (named after the BTIP-85 events). */
export type StakeholdEvent =
  | { readonly type: 'CouncilUpdated'; readonly members: number; readonly required: number; readonly threshold: number }
  | { readonly type: 'Staked'; readonly account: Address; readonly amount: bigint }
  | { readonly type: 'Unstaked'; readonly account: Address; readonly amount: bigint; readonly unlockTime: bigint }
  | { readonly type: 'Withdrawn'; readonly account: Address; readonly amount: bigint }
  | { readonly type: 'Rebonded'; readonly account: Address; readonly amount: bigint }
  | {
      readonly type: 'ParametersUpdated';
      readonly unlockPeriod: bigint;
      readonly minStake: bigint;
      readonly unlockPolicy: UnlockPolicy;
    }
  | {
      readonly type: 'Slashed';
      readonly account: Address;
      readonly reason: SlashReason;
      readonly requested: bigint;
      readonly fromStaked: bigint;
      readonly fromUnlocking: bigint;
    };

/** A pending unlock. */
export interface Unlock {
  readonly amount: bigint;
  /** When it can be withdrawn (Unix seconds). */
  readonly release: bigint;
}

/** An account as seen at a given time. An account that never staked is all zeros. */
export interface AccountView {
  readonly address: Address;
  /** Active stake. */
  readonly staked: bigint;
  /** Pending unlocks, matured or not. */
  readonly unlocked: bigint;
  /** The part of `unlocked` that can be withdrawn at the time asked about. */
  readonly withdrawable: bigint;
  /** When every pending unlock is withdrawable (BTIP-85's `unlockTime`); `null` if none. */
  readonly unlockTime: bigint | null;
  /** Pending unlocks, earliest first. */
  readonly unlocks: readonly Unlock[];
}

export interface Totals {
  readonly totalStaked: bigint;
  readonly totalUnlocked: bigint;
  readonly totalSlashed: bigint;
  /** What the contract holds; always ≥ totalStaked + totalUnlocked. */
  readonly balance: bigint;
}

/** Every error name, with its stable code in comments (shared with Rust and C). */
export type StakeholdErrorName =
  // 100–199 arithmetic and amounts
  | 'Overflow' | 'Underflow' | 'DecimalsTooLarge' | 'InvalidAmount'
  // 200–299 the byte format
  | 'Truncated' | 'TrailingBytes' | 'UnsupportedVersion' | 'Malformed' | 'BufferTooSmall'
  // 300–399 the council
  | 'NotCouncilMember' | 'DuplicateApproval' | 'BelowThreshold' | 'MissingRequiredSigner'
  | 'EmptyCouncil' | 'DuplicateMember' | 'InvalidThreshold' | 'TooManyMembers' | 'ThresholdBelowRequired'
  // 400–499 staking
  | 'BelowMinStake' | 'ZeroAmount' | 'ExceedsStaked' | 'StillLocked' | 'NothingToWithdraw'
  | 'TooManyUnlockChunks' | 'ExceedsUnlocking' | 'NothingToSlash' | 'ZeroMinStake'
  | 'InvalidChunkLimit' | 'UnlockPeriodTooLong'
  // 500–599 snapshots whose records contradict each other
  | 'UnsortedAccounts' | 'EmptyAccount' | 'TotalsMismatch'
  // 600–699 arguments that could not be converted
  | 'InvalidAddress' | 'InvalidArgument' | 'NullPointer' | 'NoSuchItem' | 'NoSuchPage'
  // 700–799 proof-of-stake validators (presets, deposits, exits, the registry)
  | 'ZeroParameter' | 'NotMultipleOfIncrement' | 'EjectionNotBelowMax' | 'ActivationAboveMax'
  | 'ChurnBelowIncrement' | 'ParameterOverflow' | 'WeightsMismatch' | 'TooManyPendingDepositsPerEpoch'
  | 'UnknownValidator' | 'LengthMismatch' | 'BalanceOverflow' | 'NotActive' | 'ExitAlreadyInitiated'
  | 'ExitNotYetValid' | 'TooYoungToExit' | 'PendingWithdrawals' | 'WrongFork' | 'BelowMinDeposit'
  // 800–899 checkpoint finality (justification, finalization, the attestation tally)
  | 'PreviousTargetOverflow' | 'TotalActiveOverflow' | 'CurrentTargetOverflow'
  | 'PreviousJustifiedEpochOverflow' | 'CurrentJustifiedEpochOverflow'
  | 'PreviousTargetSumOverflow' | 'CurrentTargetSumOverflow' | 'UnsortedVotes';

/** A field of an error: amounts and times are bigint, counts number, addresses strings. */
export type ErrorField = bigint | number | string | UnlockPolicy | SlashReason;

/**
 * Thrown by every function of the package on a refused transition or a bad argument; the
 * ledger is then unchanged. `code` is the stable numeric code, `name` the variant (e.g.
 * `'BelowMinStake'`, code 400) and `fields` what it carries (e.g. `{ amount, min }`).
 */
export declare class StakeholdError extends Error {
  readonly code: number;
  readonly name: StakeholdErrorName;
  readonly fields: Readonly<Record<string, ErrorField>>;
}

/** What `applyBlock` returns, one entry per message in `codes` and `eventCounts`. */
export interface BlockOutcome {
  /** 0 for a message that was applied, else its error code (see `StakeholdErrorName`). */
  readonly codes: Uint16Array;
  /** How many events each message emitted (0 for a refused one). */
  readonly eventCounts: Uint32Array;
  /** Every event of the block in order, as SCALE bytes: `decodeEvents(events)`. */
  readonly events: Uint8Array;
}

export interface LedgerOptions {
  /** The council that approves privileged messages: an object, or one admin address. */
  readonly council: CouncilInput | Address | string;
  /** BTFS defaults when omitted: 7-day unlock, 1 BTT minimum, merged unlocks. */
  readonly params?: StakeParamsInput;
}

export interface SlashInput {
  readonly account: Address | string;
  readonly amount: IntegerInput;
  readonly reason?: SlashReason;
  readonly approvals: readonly (Address | string)[];
}

/**
 * The staking state of every account. The one wasm-owned object of the package: call `free()`
 * (or declare it with `using`) when done; everything it returns is a plain object.
 * Each transition returns its events, or throws a `StakeholdError` and changes nothing.
 */
export declare class Ledger {
  constructor(options: LedgerOptions);
  /** A ledger from `snapshot()` bytes, validated (throws on inconsistent records). */
  static restore(snapshot: Uint8Array): Ledger;

  stake(ctx: Context, amount: IntegerInput): StakeholdEvent[];
  unstake(ctx: Context, amount: IntegerInput): StakeholdEvent[];
  withdraw(ctx: Context): StakeholdEvent[];
  rebond(ctx: Context, amount: IntegerInput): StakeholdEvent[];
  slash(ctx: Context, slash: SlashInput): StakeholdEvent[];
  updateStakeParams(
    ctx: Context,
    update: { readonly params: StakeParamsInput; readonly approvals: readonly (Address | string)[] },
  ): StakeholdEvent[];
  updateCouncil(
    ctx: Context,
    update: { readonly council: CouncilInput | Address; readonly approvals: readonly (Address | string)[] },
  ): StakeholdEvent[];
  /** Applies a message object. */
  submit(ctx: Context, msg: Message): StakeholdEvent[];
  /** Applies a SCALE-encoded, versioned message (see `encodeMessage`). */
  apply(ctx: Context, msg: Uint8Array): StakeholdEvent[];

  /**
   * Applies a block of messages (`encodeBlock` bytes), each on its own exactly as `apply`
   * would (a refused message changes nothing and does not stop the others), in one call across
   * the wasm boundary: the fast way to replay many transactions. Throws only if the bytes are
   * not a block (then nothing is applied).
   */
  applyBlock(block: Uint8Array): BlockOutcome;

  /** An account at time `now` (Unix seconds). */
  account(address: Address | string, now: IntegerInput): AccountView;
  /** Every account holding something, sorted. */
  accounts(): Address[];
  readonly accountCount: number;
  totals(): Totals;
  params(): StakeParams;
  council(): Council;
  /** The canonical state bytes (equal ledgers give equal bytes). */
  snapshot(): Uint8Array;

  /** Releases the wasm memory now. Later calls on this ledger throw. */
  free(): void;
  [Symbol.dispose](): void;
}

/** A message as versioned SCALE bytes (what `Ledger.apply` and the C library read). */
export declare function encodeMessage(msg: Message): Uint8Array;
/** Messages with their contexts as block bytes for `Ledger.applyBlock`. */
export declare function encodeBlock(block: readonly { readonly ctx: Context; readonly msg: Message }[]): Uint8Array;
/** SCALE event-list bytes (`BlockOutcome.events`) as event objects. */
export declare function decodeEvents(bytes: Uint8Array): StakeholdEvent[];
/** Versioned SCALE bytes as a message object. */
export declare function decodeMessage(bytes: Uint8Array): Message;
/** SCALE event bytes (as the Rust and C surfaces emit them) as an event object. */
export declare function decodeEvent(bytes: Uint8Array): StakeholdEvent;
/** `1500000000000000000n` → `'1.5'`; 18 decimals unless given. */
export declare function formatAmount(amount: IntegerInput, decimals?: number): string;
/** `'1.5'` → `1500000000000000000n`; 18 decimals unless given. */
export declare function parseAmount(text: string, decimals?: number): bigint;
/** Unix seconds → `'2026-12-03 14:02 UTC'` (with seconds when `seconds` is true). */
export declare function formatTime(timestamp: IntegerInput, seconds?: boolean): string;

/**
 * Loads the WebAssembly module. Required once in browsers before anything else (calling
 * earlier throws an Error saying so); in Node it resolves at once.
 */
export declare function init(input?: string | URL | Request | Response | BufferSource | WebAssembly.Module): Promise<void>;
export default init;
