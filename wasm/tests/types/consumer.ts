// Compiled (not run) by scripts/test-wasm.sh with `tsc --noEmit --strict`: the package's types
// resolve through its `exports`, describe the API, and reject misuse.
import init, { Ledger, StakeholdError, formatAmount, type StakeholdEvent, type AccountView } from 'stakehold';

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
}

void main();
