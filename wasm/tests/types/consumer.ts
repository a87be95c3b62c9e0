// Compiled (not run) by scripts/test-wasm.sh with `tsc --noEmit --strict`: the package's types
// resolve through its `exports`, describe the API, and reject misuse.
import init, {
  FAR_FUTURE_EPOCH,
  Ledger,
  StakeholdError,
  estimateApr,
  formatAmount,
  proposalProbability,
  slashingTimeline,
  type AccountView,
  type AttestationInput,
  type AttesterSlashingInput,
  type ChainView,
  type Checkpoint,
  type DepositInput,
  type Hex,
  type Message,
  type ProposerSlashingInput,
  type SlashingTimeline,
  type StakeholdEvent,
  type ValidatorView,
} from 'stakehold';

async function main(): Promise<void> {
  await init();
  const ledger = new Ledger({ council: '0xadadadadadadadadadadadadadadadadadadadad' });
  const ctx = { caller: '0xa1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1', now: 1_796_256_000n };
  const events: StakeholdEvent[] = ledger.stake(ctx, 10n ** 19n);
  for (const e of events) {
    if (e.type === 'Unstaked') {
      const when: bigint = e.unlockTime;
      console.log(when);
    }
  }
  const view: AccountView = ledger.account(ctx.caller, ctx.now);
  const staked: bigint = view.staked;
  console.log(formatAmount(staked));
  try {
    ledger.withdraw(ctx);
  } catch (e) {
    if (e instanceof StakeholdError) {
      const code: number = e.code;
      console.log(code, e.name, e.fields);
    }
  }
  // @ts-expect-error amounts are integers, not booleans
  ledger.stake(ctx, true);
  // @ts-expect-error a context needs a time
  ledger.withdraw({ caller: ctx.caller });
  // @ts-expect-error unknown message type
  ledger.submit(ctx, { type: 'Explode' });
  ledger.free();

  // The proof-of-stake chain.
  const key: Hex = `0x${'01'.repeat(48)}`;
  const genesis: DepositInput[] = [
    { pubkey: key, withdrawalCredentials: new Uint8Array(32), amount: 1_000_000_000_000n, signature: `0x${'00'.repeat(96)}` },
  ];
  const pos = new Ledger({ council: ctx.caller, chain: { preset: 'seed_chain', genesis } });
  const chain: ChainView = pos.chain();
  const epoch: bigint = chain.currentEpoch;
  const source: Checkpoint = chain.currentJustified;
  const root: Hex = source.root;
  const bits: number = chain.justificationBits;
  console.log(chain.preset.name === 'custom', chain.preset.fork === 'Electra', bits, chain.validatorCount + 1);
  const correlationPenaltyAfter: bigint = chain.preset.epochsPerSlashingsVector / 2n;
  console.log(correlationPenaltyAfter, chain.preset.baseRewardFactor * chain.preset.inactivityPenaltyQuotient);
  const data = { slot: epoch * 32n, index: 0, beaconBlockRoot: root, source, target: { epoch, root } };
  const attestation: AttestationInput = {
    data,
    validators: [0, 1n, '2'],
    block: { slot: epoch * 32n + 1n, proposer: 0, targetRoot: root, headRoot: new Uint8Array(32) },
  };
  for (const e of pos.attest(ctx, attestation)) {
    if (e.type === 'Attested') {
      const count: number = e.attesters;
      const target: bigint = e.targetEpoch;
      const flags: number = e.flags;
      const reward: bigint = e.proposerReward;
      console.log(count, target, flags & 0b100, reward);
    }
  }
  for (const e of pos.processEpoch(ctx, { previousEpochRoot: root, currentEpochRoot: new Uint8Array(32) })) {
    if (e.type === 'Finalized' || e.type === 'Justified') {
      const r: Hex = e.root;
      console.log(e.epoch + 1n, r);
    } else if (e.type === 'EpochProcessed') {
      const gwei: bigint = e.totalActiveBalance;
      const net: bigint = e.rewards - e.penalties;
      const leaking: boolean = e.inactivityLeak === 1;
      console.log(gwei, net, leaking);
    } else if (e.type === 'CorrelationPenalty') {
      const penalty: bigint = e.penalty;
      console.log(e.index, penalty);
    }
  }
  const header = { slot: 5, proposerIndex: 0, parentRoot: root, stateRoot: root, bodyRoot: root };
  const proposerSlashing: ProposerSlashingInput = { proposer: 1, evidence: { header1: header, header2: { ...header, bodyRoot: source.root } } };
  for (const e of pos.proposerSlashing(ctx, proposerSlashing)) {
    if (e.type === 'ValidatorSlashed') {
      const withdrawable: bigint = e.withdrawableEpoch;
      const reward: bigint = e.reward;
      console.log(e.index, e.penalty, e.exitEpoch, withdrawable, e.proposer, reward);
    }
  }
  const attesterSlashing: AttesterSlashingInput = {
    proposer: '1',
    evidence: {
      attestation1: { attestingIndices: [0n], data },
      attestation2: { attestingIndices: [0n], data: { ...data, beaconBlockRoot: source.root } },
    },
  };
  pos.attesterSlashing(ctx, attesterSlashing);
  const participating: bigint = chain.participatingBalance.current.target + chain.participatingBalance.previous.head;
  const slashings: bigint = chain.slashingsSum;
  console.log(participating, slashings);
  pos.deposit(ctx, genesis[0]!);
  pos.voluntaryExit(ctx, { epoch: 0n, validatorIndex: 0 });
  const v: ValidatorView | null = pos.validator(0n);
  if (v !== null) {
    const exiting: boolean = v.exitEpoch !== FAR_FUTURE_EPOCH;
    const score: bigint = v.inactivityScore;
    const flags: number = v.participation.current | v.participation.previous;
    console.log(exiting, v.balance + v.effectiveBalance, v.pubkey, score, flags);
  }
  const page: ValidatorView[] = pos.validators({ start: 0, limit: 10 });
  const index: bigint | null = pos.validatorIndex(key);
  console.log(page.length, index);
  const msgs: Message[] = [
    { type: 'Deposit', deposit: genesis[0]! },
    { type: 'VoluntaryExit', exit: { epoch: 1, validatorIndex: 2 } },
    { type: 'Attest', ...attestation, validators: [] },
    { type: 'ProcessEpoch', previousEpochRoot: root, currentEpochRoot: root },
    { type: 'ProposerSlashing', ...proposerSlashing },
    { type: 'AttesterSlashing', proposer: 0n, evidence: attesterSlashing.evidence },
  ];
  for (const m of msgs) pos.submit(ctx, m);
  // @ts-expect-error an unknown preset
  new Ledger({ council: ctx.caller, chain: { preset: 'mainnet' } });
  // @ts-expect-error a deposit needs its signature
  pos.deposit(ctx, { pubkey: key, withdrawalCredentials: key, amount: 1n });
  // @ts-expect-error roots are hex strings or bytes, not numbers
  pos.processEpoch(ctx, { previousEpochRoot: 0, currentEpochRoot: root });
  // @ts-expect-error a checkpoint needs its root
  pos.attest(ctx, { ...attestation, data: { ...data, source: { epoch: 0n } } });
  // @ts-expect-error validators are a list of indices
  pos.attest(ctx, { ...attestation, validators: 0 });
  // @ts-expect-error an attestation names its including block
  pos.attest(ctx, { data, validators: [0] });
  // @ts-expect-error the old shape (source, target, validators) is gone
  pos.attest(ctx, { source, target: source, validators: [0] });
  // @ts-expect-error the including block's proposer, not proposerIndex
  pos.attest(ctx, { ...attestation, block: { slot: 1, proposerIndex: 0, targetRoot: root, headRoot: root } });
  // @ts-expect-error a proposer slashing needs two headers
  pos.proposerSlashing(ctx, { proposer: 0, evidence: { header1: header } });
  // @ts-expect-error headers carry a body root
  pos.proposerSlashing(ctx, { proposer: 0, evidence: { header1: header, header2: { slot: 5, proposerIndex: 0, parentRoot: root, stateRoot: root } } });
  // @ts-expect-error attesting indices are a list
  pos.attesterSlashing(ctx, { proposer: 0, evidence: { attestation1: { attestingIndices: 0, data }, attestation2: { attestingIndices: [0], data } } });
  // @ts-expect-error the evidence is attestation1 and attestation2
  pos.submit(ctx, { type: 'AttesterSlashing', proposer: 0, evidence: { attestation_1: { attestingIndices: [0], data } } });
  // @ts-expect-error inactivityLeak is 0 or 1, not a boolean
  const leak: StakeholdEvent = { type: 'EpochProcessed', epoch: 0n, activeValidators: 0n, totalActiveBalance: 0n, previousTargetBalance: 0n, currentTargetBalance: 0n, inactivityLeak: true, rewards: 0n, penalties: 0n };
  // @ts-expect-error pendingVotes is gone
  console.log(chain.pendingVotes, leak);
  // @ts-expect-error the exit's index is validatorIndex
  pos.voluntaryExit(ctx, { epoch: 0n, index: 0n });
  // @ts-expect-error epochs are bigint on output, not number
  const wrong: number = chain.currentEpoch;
  // @ts-expect-error validator() may return null
  const missing: ValidatorView = pos.validator(99);
  // @ts-expect-error chain messages carry their fields
  pos.submit(ctx, { type: 'ProcessEpoch' });
  console.log(wrong, missing);

  // Dashboard estimates: numbers for display only.
  const apr: number = estimateApr('seed_chain', chain.totalActiveBalance, 0.99);
  const odds: number = proposalProbability(1_000_000_000_000n, chain.totalActiveBalance, 7200);
  const first = pos.validator(0);
  if (first !== null) {
    const preset = chain.preset.name === 'custom' ? 'seed_chain' : chain.preset.name;
    const timeline: SlashingTimeline | null = slashingTimeline(preset, first, chain.currentEpoch);
    if (timeline !== null) {
      const penalty: bigint = timeline.correlationPenaltyEpoch;
      const days: number = timeline.daysToWithdrawable;
      console.log(penalty, days);
    }
    // @ts-expect-error the timeline may be null
    const sure: SlashingTimeline = slashingTimeline('deneb', first, 0n);
    console.log(sure);
  }
  const minimal: SlashingTimeline | null = slashingTimeline('electra', { slashed: true, withdrawableEpoch: 9000 }, '100');
  console.log(apr, odds, minimal);
  // @ts-expect-error participation is a number, not a bigint
  estimateApr('deneb', 1n, 1n);
  // @ts-expect-error an unknown preset
  estimateApr('mainnet', 1n, 1);
  // @ts-expect-error a validator needs its withdrawable epoch
  slashingTimeline('deneb', { slashed: true }, 0n);
  // @ts-expect-error the probability is a number, not a bigint
  const big: bigint = proposalProbability(1n, 2n, 3n);
  console.log(big);
  pos.free();
}

void main();
