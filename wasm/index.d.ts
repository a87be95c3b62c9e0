// Types of the npm package `stakehold` (hand-written; the same file serves the ES module and
// CommonJS entries). Amounts, times, durations, epochs, validator indices and Gwei are
// `bigint`; counts are `number`; addresses are `0x` + 40 hex digits; roots, public keys,
// credentials and signatures are `0x` + hex digits.

/** An address: `0x` followed by 40 hex digits. Outputs are lowercase. */
export type Address = `0x${string}`;

/** Bytes as `0x` followed by two hex digits per byte. Outputs are lowercase. */
export type Hex = `0x${string}`;

/**
 * A fixed-size byte string as input: `0x` and two hex digits per byte (either case), or a
 * `Uint8Array` of exactly that many bytes. A root is 32 bytes, a BLS public key 48, withdrawal
 * credentials 32, a BLS signature 96.
 */
export type BytesInput = Hex | string | Uint8Array;

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
    }
  | { readonly type: 'Deposit'; readonly deposit: DepositInput }
  | { readonly type: 'VoluntaryExit'; readonly exit: VoluntaryExitInput }
  | ({ readonly type: 'ProposerSlashing' } & ProposerSlashingInput)
  | ({ readonly type: 'AttesterSlashing' } & AttesterSlashingInput)
  | ({ readonly type: 'Attest' } & AttestationInput)
  | ({ readonly type: 'ProcessEpoch' } & EpochRootsInput);

/** The presets a chain can start from: the seed's chain (1000-coin validators, Deneb rules)
 * or Ethereum mainnet's at a fork. */
export type PresetName = 'seed_chain' | 'phase0' | 'altair' | 'bellatrix' | 'deneb' | 'electra';

/** The fork whose rules a preset applies (`Deneb` also stands for Capella). */
export type Fork = 'Phase0' | 'Altair' | 'Bellatrix' | 'Deneb' | 'Electra';

/** A deposit to the chain (the spec's `DepositData`); the host has checked its proof and
 * signature. */
export interface DepositInput {
  /** BLS public key, 48 bytes. */
  readonly pubkey: BytesInput;
  /** 32 bytes; the first is the prefix (0x00 BLS, 0x01 execution address, 0x02 compounding). */
  readonly withdrawalCredentials: BytesInput;
  /** Gwei (10^-9 of the chain's coin). */
  readonly amount: IntegerInput;
  /** BLS signature, 96 bytes (kept, not verified). */
  readonly signature: BytesInput;
}

/** A signed voluntary exit's message; the host has checked the signature. */
export interface VoluntaryExitInput {
  /** The exit is not valid before this epoch. */
  readonly epoch: IntegerInput;
  readonly validatorIndex: IntegerInput;
}

/** An epoch and the root of the block at its start. */
export interface CheckpointInput {
  readonly epoch: IntegerInput;
  readonly root: BytesInput;
}

export interface Checkpoint {
  readonly epoch: bigint;
  readonly root: Hex;
}

/** What an attestation votes for (the spec's `AttestationData`): the head block at `slot`,
 * and the FFG link `source → target`. */
export interface AttestationDataInput {
  readonly slot: IntegerInput;
  /** The committee index (0 from Electra on). */
  readonly index: IntegerInput;
  /** The head vote: the root of the block at `slot`. */
  readonly beaconBlockRoot: BytesInput;
  /** The justified checkpoint the vote builds on (`chain().currentJustified` for a target in
   * the current epoch, `chain().previousJustified` for one in the previous epoch). */
  readonly source: CheckpointInput;
  /** The checkpoint voted for: the epoch of `slot`, the current or the previous one. */
  readonly target: CheckpointInput;
}

/** The block that includes an attestation, as the host knows it: its slot (in the chain's
 * current epoch, at least one slot after the attestation's; before Deneb at most an epoch
 * after), its proposer (rewarded from Altair on), and the roots of the host's chain that the
 * votes are judged against. */
export interface IncludingBlockInput {
  readonly slot: IntegerInput;
  readonly proposer: IntegerInput;
  /** The root of the block at the start of the target epoch (a matching target vote names it). */
  readonly targetRoot: BytesInput;
  /** The root of the block at the attestation's slot (a matching head vote names it). */
  readonly headRoot: BytesInput;
}

/** One aggregate attestation as a block includes it: every validator listed votes for `data`
 * (the host has resolved the committee and checked the signature). */
export interface AttestationInput {
  readonly data: AttestationDataInput;
  /** 1 to 64 validator indices, active at the target epoch (a larger committee's votes go in
   * several messages; repeats count once). */
  readonly validators: readonly IntegerInput[];
  readonly block: IncludingBlockInput;
}

/** A block header (the spec's `BeaconBlockHeader`). */
export interface BlockHeaderInput {
  readonly slot: IntegerInput;
  readonly proposerIndex: IntegerInput;
  readonly parentRoot: BytesInput;
  readonly stateRoot: BytesInput;
  readonly bodyRoot: BytesInput;
}

/** Evidence that a proposer signed two different blocks for one slot: the proposer is slashed
 * (the host has checked both signatures). */
export interface ProposerSlashingInput {
  /** The proposer of the block that includes the evidence (rewarded as whistleblower). */
  readonly proposer: IntegerInput;
  readonly evidence: { readonly header1: BlockHeaderInput; readonly header2: BlockHeaderInput };
}

/** An attestation with its attesters listed (the spec's `IndexedAttestation`). */
export interface IndexedAttestationInput {
  /** 1 to 16 validator indices in strictly increasing order (the host may send only those
   * in both attestations, 16 at a time). */
  readonly attestingIndices: readonly IntegerInput[];
  readonly data: AttestationDataInput;
}

/** Evidence that validators signed a double vote or a surround vote: each slashable
 * validator in both attestations is slashed (the host has checked both signatures). */
export interface AttesterSlashingInput {
  /** The proposer of the block that includes the evidence. */
  readonly proposer: IntegerInput;
  readonly evidence: {
    readonly attestation1: IndexedAttestationInput;
    readonly attestation2: IndexedAttestationInput;
  };
}

/** The block roots at the start of the previous and the current epoch, from the host's fork
 * choice. */
export interface EpochRootsInput {
  readonly previousEpochRoot: BytesInput;
  readonly currentEpochRoot: BytesInput;
}

/** The chain a new ledger starts from. */
export interface ChainOptions {
  /** `'seed_chain'` when omitted. */
  readonly preset?: PresetName;
  /** The deposits made before genesis, in order; those with a full balance are active from
   * epoch 0 (without any, the chain can take deposits but never finalizes). */
  readonly genesis?: readonly DepositInput[];
}

/** A preset's name, fork and key constants (amounts in Gwei). */
export interface PresetView {
  /** `'custom'` for a restored chain whose preset is none of the named ones. */
  readonly name: PresetName | 'custom';
  readonly fork: Fork;
  readonly secondsPerSlot: bigint;
  readonly slotsPerEpoch: bigint;
  readonly minDepositAmount: bigint;
  readonly maxEffectiveBalance: bigint;
  readonly effectiveBalanceIncrement: bigint;
  readonly ejectionBalance: bigint;
  readonly minActivationBalance: bigint;
  readonly maxEffectiveBalanceElectra: bigint;
  /** Epochs: activations and exits take effect `1 + maxSeedLookahead` epochs after they are
   * decided. */
  readonly maxSeedLookahead: bigint;
  /** Epochs from exit to withdrawable. */
  readonly minValidatorWithdrawabilityDelay: bigint;
  /** Epochs a validator must have been active before it may exit. */
  readonly shardCommitteePeriod: bigint;
  readonly minPerEpochChurnLimit: bigint;
  readonly churnLimitQuotient: bigint;
  readonly maxPerEpochActivationChurnLimit: bigint;
  /** Rewards: `get_base_reward` scales with it. */
  readonly baseRewardFactor: bigint;
  /** The inactivity leak starts when finality is more than this many epochs behind. */
  readonly minEpochsToInactivityPenalty: bigint;
  /** Added to an absent validator's inactivity score each epoch (altair on). */
  readonly inactivityScoreBias: bigint;
  /** Taken from every inactivity score each epoch outside a leak (altair on). */
  readonly inactivityScoreRecoveryRate: bigint;
  /** The quotient of the inactivity penalty this preset's fork uses. */
  readonly inactivityPenaltyQuotient: bigint;
  /** Epochs in the slashings window: the correlation penalty falls at half of it, a slashed
   * validator is withdrawable at its end. */
  readonly epochsPerSlashingsVector: bigint;
  /** The initial slashing penalty is the effective balance divided by this (this fork's). */
  readonly minSlashingPenaltyQuotient: bigint;
  /** The correlation penalty's multiplier of the slashed share (this fork's). */
  readonly proportionalSlashingMultiplier: bigint;
  /** The whistleblower's reward is the effective balance divided by this (this fork's). */
  readonly whistleblowerRewardQuotient: bigint;
}

/** The chain as a dashboard shows it. */
export interface ChainView {
  readonly preset: PresetView;
  /** The epoch the next `processEpoch` ends. */
  readonly currentEpoch: bigint;
  /** The spec's `justification_bits` (4 bits): bit `i` set when epoch `currentEpoch - i` is
   * justified (bit 0 is updated when an epoch ends). */
  readonly justificationBits: number;
  readonly previousJustified: Checkpoint;
  readonly currentJustified: Checkpoint;
  readonly finalized: Checkpoint;
  /** Validators in the registry, whatever their state. */
  readonly validatorCount: number;
  /** Validators active in the current epoch, and their effective balance (Gwei; floored at
   * one increment, as the spec's `get_total_active_balance`). */
  readonly activeValidators: bigint;
  readonly totalActiveBalance: bigint;
  /** Electra: deposits waiting for the balance churn. */
  readonly pendingDeposits: number;
  /** The effective balance (Gwei) of the unslashed validators whose attestations so far
   * earned each flag, in the previous and the current epoch (the spec's
   * `get_unslashed_participating_indices` summed; phase0: the matching attestations). What
   * the current epoch's end will weigh for justification is `previous.target` and
   * `current.target`. */
  readonly participatingBalance: {
    readonly previous: FlagBalances;
    readonly current: FlagBalances;
  };
  /** The effective balance slashed over the last `EPOCHS_PER_SLASHINGS_VECTOR` epochs (the
   * spec's `sum(state.slashings)`, which sets the correlation penalty), Gwei. */
  readonly slashingsSum: bigint;
}

/** Gwei per participation flag: timely source, target and head. */
export interface FlagBalances {
  readonly source: bigint;
  readonly target: bigint;
  readonly head: bigint;
}

/** Participation flags as bits: 1 timely source, 2 timely target, 4 timely head (phase0:
 * matching source, target, head). */
export type ParticipationFlags = number;

/** A validator (the spec's `Validator`) and its balance. Epochs not scheduled are
 * `FAR_FUTURE_EPOCH` (2^64 − 1). */
export interface ValidatorView {
  readonly index: bigint;
  readonly pubkey: Hex;
  readonly withdrawalCredentials: Hex;
  /** Gwei, a multiple of the preset's increment: what counts in votes and churn. */
  readonly effectiveBalance: bigint;
  readonly slashed: boolean;
  readonly activationEligibilityEpoch: bigint;
  readonly activationEpoch: bigint;
  readonly exitEpoch: bigint;
  readonly withdrawableEpoch: bigint;
  /** Gwei. */
  readonly balance: bigint;
  /** The spec's inactivity score (Altair on; 0 under phase0). */
  readonly inactivityScore: bigint;
  /** The flags its attestations earned in the previous and the current epoch. */
  readonly participation: { readonly previous: ParticipationFlags; readonly current: ParticipationFlags };
}

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
    }
  /** A deposit was credited (Gwei), to a new validator or as a top-up. */
  | { readonly type: 'ValidatorDeposited'; readonly index: bigint; readonly amount: bigint; readonly balance: bigint }
  /** Electra: a deposit joined the pending deposits (credited within the churn at an epoch's end). */
  | { readonly type: 'DepositQueued'; readonly index: bigint; readonly amount: bigint }
  | { readonly type: 'ValidatorExiting'; readonly index: bigint; readonly exitEpoch: bigint; readonly withdrawableEpoch: bigint }
  /** Its effective balance fell to the ejection balance. */
  | { readonly type: 'ValidatorEjected'; readonly index: bigint; readonly exitEpoch: bigint; readonly withdrawableEpoch: bigint }
  /** It left the activation queue: active from `epoch`. */
  | { readonly type: 'ValidatorActivated'; readonly index: bigint; readonly epoch: bigint }
  /** A validator was slashed (day 1): it exits, pays the initial penalty (Gwei), and is
   * withdrawable only after the slashings window; the including block's `proposer` earns
   * `reward` (Gwei) as proposer and whistleblower. */
  | {
      readonly type: 'ValidatorSlashed';
      readonly index: bigint;
      readonly penalty: bigint;
      readonly exitEpoch: bigint;
      readonly withdrawableEpoch: bigint;
      readonly proposer: bigint;
      readonly reward: bigint;
    }
  /** A slashed validator paid the correlation penalty (day 18), Gwei (it may be 0). */
  | { readonly type: 'CorrelationPenalty'; readonly index: bigint; readonly penalty: bigint }
  /** An attestation was included: `attesters` is how many validators' participation it
   * changed, `flags` the flags it earned, `proposerReward` the including block's proposer's
   * reward (Gwei; 0 under phase0, which rewards inclusion at the epoch's end). */
  | {
      readonly type: 'Attested';
      readonly targetEpoch: bigint;
      readonly attesters: number;
      readonly flags: ParticipationFlags;
      readonly proposerReward: bigint;
    }
  /** An epoch ended: the balances that justification weighed, and what the rewards and
   * penalties credited and took (Gwei). `inactivityLeak` is 1 when the chain is in an
   * inactivity leak (more than four epochs without finality), else 0. */
  | {
      readonly type: 'EpochProcessed';
      readonly epoch: bigint;
      readonly activeValidators: bigint;
      readonly totalActiveBalance: bigint;
      readonly previousTargetBalance: bigint;
      readonly currentTargetBalance: bigint;
      readonly inactivityLeak: 0 | 1;
      readonly rewards: bigint;
      readonly penalties: bigint;
    }
  | { readonly type: 'Justified'; readonly epoch: bigint; readonly root: Hex }
  | { readonly type: 'Finalized'; readonly epoch: bigint; readonly root: Hex };

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
  // 500–599 records that contradict each other (snapshots), messages the records cannot take
  | 'UnsortedAccounts' | 'EmptyAccount' | 'TotalsMismatch' | 'ChainMessage' | 'ChainMismatch'
  // 600–699 arguments that could not be converted
  | 'InvalidAddress' | 'InvalidArgument' | 'NullPointer' | 'NoSuchItem' | 'NoSuchPage'
  // 700–799 proof-of-stake validators (presets, deposits, exits, the registry)
  | 'ZeroParameter' | 'NotMultipleOfIncrement' | 'EjectionNotBelowMax' | 'ActivationAboveMax'
  | 'ChurnBelowIncrement' | 'ParameterOverflow' | 'WeightsMismatch' | 'TooManyPendingDepositsPerEpoch'
  | 'UnknownValidator' | 'LengthMismatch' | 'BalanceOverflow' | 'NotActive' | 'ExitAlreadyInitiated'
  | 'ExitNotYetValid' | 'TooYoungToExit' | 'PendingWithdrawals' | 'WrongFork' | 'BelowMinDeposit'
  // 718–727 slashing evidence, the slashings vector, per-validator lists
  | 'ProposerSlotMismatch' | 'ProposerIndexMismatch' | 'IdenticalHeaders' | 'NotSlashable'
  | 'NotSlashableAttestations' | 'InvalidAttestingIndices' | 'NoSlashableValidator'
  | 'SlashingsLength' | 'ParameterTooLarge' | 'ListLength'
  // 800–899 checkpoint finality (justification, finalization) and attestations (807 retired)
  | 'PreviousTargetOverflow' | 'TotalActiveOverflow' | 'CurrentTargetOverflow'
  | 'PreviousJustifiedEpochOverflow' | 'CurrentJustifiedEpochOverflow'
  | 'PreviousTargetSumOverflow' | 'CurrentTargetSumOverflow' | 'NoAttesters'
  | 'TargetEpochOutOfRange' | 'TargetEpochMismatch' | 'InclusionOutsideEpoch' | 'InclusionTooEarly'
  | 'InclusionTooLate' | 'WrongSource' | 'AttesterNotActive';

/** A field of an error: amounts, times, epochs, indices and Gwei are bigint, counts number,
 * addresses and roots strings. */
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
  /** The proof-of-stake chain; an empty `'seed_chain'` registry when omitted. */
  readonly chain?: ChainOptions;
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
  /** A deposit to the chain → `ValidatorDeposited` (or `DepositQueued` under Electra). */
  deposit(ctx: Context, deposit: DepositInput): StakeholdEvent[];
  /** A validator's voluntary exit → `ValidatorExiting`. */
  voluntaryExit(ctx: Context, exit: VoluntaryExitInput): StakeholdEvent[];
  /** Evidence of a proposer's two blocks for one slot → `ValidatorSlashed`. */
  proposerSlashing(ctx: Context, slashing: ProposerSlashingInput): StakeholdEvent[];
  /** Evidence of a double or surround vote → one `ValidatorSlashed` per validator slashed
   * (those in both attestations not already slashed). */
  attesterSlashing(ctx: Context, slashing: AttesterSlashingInput): StakeholdEvent[];
  /** Includes an attestation: its attesters' participation flags are set and (Altair on)
   * the including block's proposer is rewarded → `Attested`. */
  attest(ctx: Context, attestation: AttestationInput): StakeholdEvent[];
  /**
   * Ends the current epoch → `EpochProcessed`, then any `Justified`, `Finalized`,
   * `CorrelationPenalty`, `ValidatorEjected`, `ValidatorActivated` (and Electra's
   * `ValidatorDeposited`).
   */
  processEpoch(ctx: Context, roots: EpochRootsInput): StakeholdEvent[];
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
  /** The proof-of-stake chain: preset, epoch, finality checkpoints, registry size,
   * participating balances, the slashings window. */
  chain(): ChainView;
  /** Validator `index` and its balance, or `null` if the registry has no such index. */
  validator(index: IntegerInput): ValidatorView | null;
  /** Validators by index, from `start` (0) — at most `limit` of them (all). */
  validators(page?: { readonly start?: IntegerInput; readonly limit?: IntegerInput }): ValidatorView[];
  /** The index of the validator with this public key, or `null`. */
  validatorIndex(pubkey: BytesInput): bigint | null;
  /** The canonical state bytes (equal ledgers give equal bytes). */
  snapshot(): Uint8Array;

  /** Releases the wasm memory now. Later calls on this ledger throw. */
  free(): void;
  [Symbol.dispose](): void;
}

/** `FAR_FUTURE_EPOCH` (2^64 − 1): an epoch not scheduled (exit, activation, withdrawability). */
export declare const FAR_FUTURE_EPOCH: bigint;

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

/** What `slashingTimeline` reads of a validator: a `ValidatorView` (as `Ledger.validator(i)`
 * returns it) or any object with these two fields. */
export interface ValidatorSlashingInput {
  readonly slashed: boolean;
  readonly withdrawableEpoch: IntegerInput;
}

/** When a slashed validator meets the rest of its slashing, from the epoch asked about.
 * Times are `0` once passed. */
export interface SlashingTimeline {
  /** The epoch whose processing applies the correlation penalty (`process_slashings`):
   * `withdrawableEpoch − EPOCHS_PER_SLASHINGS_VECTOR / 2` (about day 18 after the slashing). */
  readonly correlationPenaltyEpoch: bigint;
  /** When the balance can be withdrawn (about day 36 after the slashing). */
  readonly withdrawableEpoch: bigint;
  readonly secondsToCorrelationPenalty: number;
  readonly secondsToWithdrawable: number;
  readonly daysToCorrelationPenalty: number;
  readonly daysToWithdrawable: number;
}

// Estimates for dashboards: floating-point numbers for display only, computed by the core
// (`stakehold::estimate`, after the consensus specs' functions); no transition reads them.

/**
 * The expected yearly return of a validator that takes part as the network does, as a
 * fraction (`0.0294` is 2.94 %), given the total active balance (Gwei) and the share of it
 * attesting on time (`participation`, clamped to 0..1; `NaN` counts as 0). Negative when
 * missed duties cost more than they earn; `0` for a zero total. Display only.
 */
export declare function estimateApr(preset: PresetName, totalActiveBalance: IntegerInput, participation: number): number;
/**
 * A slashed validator's correlation-penalty and withdrawable epochs, and the time until each
 * from `currentEpoch`; `null` for a validator that is not slashed or whose withdrawable epoch
 * is not scheduled. Display only.
 */
export declare function slashingTimeline(
  preset: PresetName,
  validator: ValidatorSlashingInput,
  currentEpoch: IntegerInput,
): SlashingTimeline | null;
/**
 * The probability (0..1) that a validator with `effectiveBalance` proposes at least one block in
 * the next `slots` slots (7200 a day with 12-second slots), when `totalActiveBalance` is
 * active (Gwei): `1 − (1 − effectiveBalance / totalActiveBalance)^slots`. Display only.
 */
export declare function proposalProbability(
  effectiveBalance: IntegerInput,
  totalActiveBalance: IntegerInput,
  slots: IntegerInput,
): number;

/**
 * Loads the WebAssembly module. Required once in browsers before anything else (calling
 * earlier throws an Error saying so); in Node it resolves at once.
 */
export declare function init(input?: string | URL | Request | Response | BufferSource | WebAssembly.Module): Promise<void>;
export default init;
