// The staking dashboard: one in-memory Ledger from the `stakehold` package, a simulated clock,
// and a view of one account, the contract totals, the pending unlocks and the events.
//
// Everything about staking (the rules, the checks, the amounts and dates as text) comes from
// the package; this file only keeps the clock and draws what the ledger reports.
//
// The start of the clock is the current time (to the minute), or `?now=<Unix seconds>`.

import init, { Ledger, StakeholdError, formatAmount, parseAmount, formatTime } from 'stakehold';

const COUNCIL = '0x' + 'ad'.repeat(20);
const ACCOUNTS = [
  { label: 'Alice', address: '0x' + '11'.repeat(20) },
  { label: 'Bob', address: '0x' + '22'.repeat(20) },
  { label: 'Carol', address: '0x' + '33'.repeat(20) },
];
const DAY = 86400n;
const HOUR = 3600n;

const $ = (id) => document.querySelector(`[data-testid="${id}"]`);

const state = {
  ledger: null,
  now: startTime(),
  /** Newest last; drawn newest first. */
  log: [],
};

function startTime() {
  const param = new URLSearchParams(location.search).get('now');
  if (param !== null && /^\d+$/.test(param)) return BigInt(param);
  return BigInt(Math.floor(Date.now() / 60000) * 60);
}

// ---- text -----------------------------------------------------------------------------------

const btt = (wei) => `${formatAmount(wei)} BTT`;

/** `0x1111…1111`, or the name of a known account. */
function shortAddress(address) {
  const known = ACCOUNTS.find((a) => a.address === address.toLowerCase());
  const short = `${address.slice(0, 6)}…${address.slice(-4)}`;
  return known ? `${known.label} (${short})` : short;
}

/** A duration in seconds as `6 d 23 h`, `5 h 30 min` or `45 min`. */
function duration(seconds) {
  const d = seconds / DAY;
  const h = (seconds % DAY) / HOUR;
  const m = (seconds % HOUR) / 60n;
  if (d > 0n) return h > 0n ? `${d} d ${h} h` : `${d} d`;
  if (h > 0n) return m > 0n ? `${h} h ${m} min` : `${h} h`;
  return `${m > 0n ? m : 1n} min`;
}

/** An error field as text: times as dates, other integers as BTT amounts. */
function fieldText(name, value) {
  if (typeof value === 'bigint') {
    return /time|release/i.test(name) ? formatTime(value) : btt(value);
  }
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The part of an event after its type, e.g. `4 BTT · unlocks 2026-01-08 00:00 UTC`. */
function eventDetail(event) {
  switch (event.type) {
    case 'Staked':
    case 'Withdrawn':
    case 'Rebonded':
      return btt(event.amount);
    case 'Unstaked':
      return `${btt(event.amount)} · unlocks ${formatTime(event.unlockTime)}`;
    default:
      return Object.entries(event)
        .filter(([k]) => k !== 'type' && k !== 'account')
        .map(([k, v]) => `${k}: ${fieldText(k, v)}`)
        .join(' · ');
  }
}

// ---- drawing --------------------------------------------------------------------------------

function setText(id, text) {
  $(id).textContent = text;
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

function render() {
  const clock = $('clock');
  clock.textContent = formatTime(state.now);
  clock.dateTime = new Date(Number(state.now) * 1000).toISOString();

  let view = null;
  try {
    view = state.ledger.account(currentAddress(), state.now);
  } catch (e) {
    showError(e);
  }
  setText('account-staked', view ? btt(view.staked) : '—');
  setText('account-unlocking', view ? btt(view.unlocked) : '—');
  setText('account-withdrawable', view ? btt(view.withdrawable) : '—');
  setText('account-unlock-time', view?.unlockTime != null ? formatTime(view.unlockTime) : '—');
  renderTimeline(view ? view.unlocks : []);

  const totals = state.ledger.totals();
  setText('total-staked', btt(totals.totalStaked));
  setText('total-unlocking', btt(totals.totalUnlocked));
  setText('total-slashed', btt(totals.totalSlashed));
  setText('total-balance', btt(totals.balance));

  renderLog();
}

/**
 * Pending unlocks on a line from now to the last release (at least one unlock period), each
 * placed by its release time, with day ticks under it.
 */
function renderTimeline(unlocks) {
  const timeline = $('timeline');
  const list = timeline.querySelector('.unlocks');
  const ticks = timeline.querySelector('.ticks');
  list.replaceChildren();
  ticks.replaceChildren();
  $('timeline-empty').hidden = unlocks.length > 0;
  timeline.classList.toggle('is-empty', unlocks.length === 0);

  const period = state.ledger.params().unlockPeriod;
  const last = unlocks.reduce((max, u) => (u.release > max ? u.release : max), state.now);
  const span = last - state.now > period ? last - state.now : period;
  const percent = (seconds) => Number((seconds * 10000n) / span) / 100;

  // About eight ticks, on whole days.
  const days = span / DAY;
  const step = days <= 8n ? 1n : (days + 7n) / 8n;
  for (let d = 0n; d * DAY <= span; d += step) {
    const tick = el('span', { class: 'tick', style: `left: ${percent(d * DAY)}%` });
    tick.textContent = d === 0n ? 'now' : `+${d} d`;
    ticks.append(tick);
  }

  for (const unlock of unlocks) {
    const ahead = unlock.release > state.now ? unlock.release - state.now : 0n;
    const at = percent(ahead);
    const ready = ahead === 0n;
    const item = el('li', {
      class: `unlock${ready ? ' ready' : ''}`,
      'data-testid': 'timeline-unlock',
      'data-release': String(unlock.release),
      'data-position': String(at),
      style: `--at: ${at}%`,
    });
    const label = el('span', { class: 'label' });
    label.append(
      el('strong', { 'data-testid': 'timeline-amount' }, btt(unlock.amount)),
      el('span', { 'data-testid': 'timeline-date' }, formatTime(unlock.release)),
      el('span', { 'data-testid': 'timeline-eta', class: 'eta' }, ready ? 'ready to withdraw' : `in ${duration(ahead)}`),
    );
    item.append(el('span', { class: 'dot', 'aria-hidden': 'true' }), label);
    list.append(item);
  }
}

function renderLog() {
  const list = $('log');
  list.replaceChildren(
    ...state.log
      .slice()
      .reverse()
      .map(({ at, event }) =>
        el(
          'li',
          { 'data-testid': 'log-entry', 'data-type': event.type, class: `entry ${event.type}` },
          el('time', { class: 'at' }, formatTime(at)),
          el('span', { class: 'type', 'data-testid': 'log-type' }, event.type),
          el('span', { class: 'detail', 'data-testid': 'log-detail' }, eventDetail(event)),
          el('span', { class: 'who subtle' }, event.account ? shortAddress(event.account) : ''),
        ),
      ),
  );
  $('log-empty').hidden = state.log.length > 0;
}

function showError(e) {
  const box = $('error');
  if (e instanceof StakeholdError) {
    setText('error-title', `${e.name} (${e.code}): ${e.message}`);
    setText(
      'error-details',
      Object.entries(e.fields)
        .map(([k, v]) => `${k}: ${fieldText(k, v)}`)
        .join(' · '),
    );
    box.dataset.name = e.name;
    box.dataset.code = String(e.code);
  } else {
    // Not a refusal of the ledger: a bug of this page, so it is loud in the console too.
    console.error(e);
    setText('error-title', `${e?.name ?? 'Error'}: ${e?.message ?? e}`);
    setText('error-details', '');
    delete box.dataset.name;
    delete box.dataset.code;
  }
  box.hidden = false;
}

function clearError() {
  $('error').hidden = true;
}

// ---- actions --------------------------------------------------------------------------------

function currentAddress() {
  return $('address').value.trim();
}

/** Runs one transition at the simulated time; its events go to the log, a refusal to the error area. */
function act(action) {
  clearError();
  try {
    const ctx = { caller: currentAddress(), now: state.now };
    const ledger = state.ledger;
    let events;
    if (action === 'withdraw') {
      events = ledger.withdraw(ctx);
    } else {
      const amount = parseAmount($('amount').value.trim());
      events = ledger[action](ctx, amount);
    }
    for (const event of events) state.log.push({ at: state.now, event });
  } catch (e) {
    showError(e);
  }
  render();
}

function advance(seconds) {
  state.now += BigInt(seconds);
  clearError();
  render();
}

function wire() {
  $('address').value = ACCOUNTS[0].address;
  document.getElementById('known-accounts').replaceChildren(
    ...ACCOUNTS.map((a) => el('option', { value: a.address, label: a.label })),
  );

  document.getElementById('actions').addEventListener('submit', (ev) => {
    ev.preventDefault();
    act('stake');
  });
  for (const button of document.querySelectorAll('button[data-action]')) {
    if (button.type !== 'submit') button.addEventListener('click', () => act(button.dataset.action));
  }
  for (const button of document.querySelectorAll('button[data-seconds]')) {
    button.addEventListener('click', () => advance(button.dataset.seconds));
  }
  $('address').addEventListener('change', () => {
    clearError();
    render();
  });
  for (const button of document.querySelectorAll('button')) button.disabled = false;
}

async function packageVersion() {
  // The package's own package.json, next to the entry the import map resolves `stakehold` to.
  const url = new URL('../package.json', import.meta.resolve('stakehold'));
  const response = await fetch(url);
  return response.ok ? (await response.json()).version : null;
}

async function main() {
  const status = $('status');
  try {
    await init();
    state.ledger = new Ledger({ council: COUNCIL });
    const version = await packageVersion();
    const params = state.ledger.params();
    setText(
      'params',
      `Unlock period ${duration(params.unlockPeriod)} · minimum stake ${btt(params.minStake)} · ` +
        `${params.unlockPolicy.type.toLowerCase()} unlocks`,
    );
    wire();
    render();
    status.textContent = `Ready · stakehold ${version ?? '(unknown version)'} (WebAssembly loaded)`;
    status.dataset.state = 'ready';
    if (version) status.dataset.version = version;
  } catch (e) {
    status.textContent = `Could not load stakehold: ${e?.message ?? e}`;
    status.dataset.state = 'error';
    console.error(e);
  }
}

main();
