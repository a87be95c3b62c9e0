// End-to-end test of the dashboard: the page served by server.mjs, driven in Debian's headless
// Chromium by playwright-core (which never downloads a browser here: executablePath is given).
// Needs the package installed in ./node_modules (scripts/test-web.sh does it all):
//   npm install --no-save <path to stakehold-<version>.tgz>
//   node --test wasm/examples/web/
//
// The page's clock starts at 2026-01-01 00:00 UTC (`?now=`), so every date below is fixed.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const PACKAGE_JSON = join(HERE, 'node_modules', 'stakehold', 'package.json');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const START = 1767225600; // 2026-01-01 00:00 UTC
const SCREENSHOT = join(tmpdir(), 'stakehold-web-e2e.png');
const SCREENSHOT_LOCKED = join(tmpdir(), 'stakehold-web-e2e-locked.png');

let server;
let browser;
let page;
const problems = []; // console errors, page errors, failed requests
const wasmResponses = [];

/** Waits (up to 5 s) until the element's text is `expected`, then asserts it. */
async function expectText(testId, expected, root = page) {
  const locator = root.getByTestId(testId);
  const deadline = Date.now() + 5000;
  let actual;
  for (;;) {
    actual = (await locator.first().textContent())?.trim();
    if (actual === expected || Date.now() > deadline) break;
    await new Promise((ok) => setTimeout(ok, 50));
  }
  assert.equal(actual, expected, `[data-testid="${testId}"]`);
}

async function expectAccount({ staked, unlocking, withdrawable, unlockTime }) {
  await expectText('account-staked', staked);
  await expectText('account-unlocking', unlocking);
  await expectText('account-withdrawable', withdrawable);
  await expectText('account-unlock-time', unlockTime);
}

async function expectTotals({ staked, unlocking, slashed = '0 BTT', balance }) {
  await expectText('total-staked', staked);
  await expectText('total-unlocking', unlocking);
  await expectText('total-slashed', slashed);
  await expectText('total-balance', balance);
}

/** The log as `Type detail` lines, newest first. */
async function logLines() {
  return page
    .getByTestId('log-entry')
    .evaluateAll((entries) =>
      entries.map(
        (e) =>
          `${e.querySelector('[data-testid="log-type"]').textContent} ` +
          e.querySelector('[data-testid="log-detail"]').textContent,
      ),
    );
}

async function enterAmount(text) {
  await page.getByLabel('Amount (BTT)').fill(text);
}

describe('staking dashboard in headless Chromium', () => {
  before(async () => {
    assert.ok(
      existsSync(PACKAGE_JSON),
      'the stakehold package is not installed in wasm/examples/web/node_modules: ' +
        'run scripts/test-web.sh (or npm install --no-save <tarball> in that folder)',
    );
    server = await startServer({ root: HERE });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
      if (r.url().endsWith('.wasm')) wasmResponses.push(r);
    });
  });

  after(async () => {
    if (page) {
      await page.screenshot({ path: SCREENSHOT, fullPage: true }).catch(() => {});
      console.log(`screenshots: ${SCREENSHOT_LOCKED} ${SCREENSHOT}`);
    }
    await browser?.close();
    await server?.close();
  });

  it('loads the WebAssembly module and shows an empty ledger', async () => {
    await page.goto(`${server.url}?now=${START}`);
    const version = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')).version;
    const status = page.getByTestId('status');
    await page.waitForSelector('[data-testid="status"][data-state="ready"]', { timeout: 15000 });
    assert.equal(await status.getAttribute('data-version'), version);
    assert.match(await status.textContent(), new RegExp(`Ready · stakehold ${version.replaceAll('.', '\\.')}`));

    assert.equal(wasmResponses.length, 1, 'one .wasm fetched');
    assert.equal(wasmResponses[0].status(), 200);
    assert.equal(wasmResponses[0].headers()['content-type'], 'application/wasm');

    await expectText('clock', '2026-01-01 00:00 UTC');
    await expectText('params', 'Unlock period 7 d · minimum stake 1 BTT · merged unlocks');
    assert.equal(await page.getByLabel('Address').inputValue(), '0x' + '11'.repeat(20));
    await expectAccount({ staked: '0 BTT', unlocking: '0 BTT', withdrawable: '0 BTT', unlockTime: '—' });
    await expectTotals({ staked: '0 BTT', unlocking: '0 BTT', balance: '0 BTT' });
    assert.equal(await page.getByTestId('log-entry').count(), 0);
    assert.ok(await page.getByTestId('log-empty').isVisible());
    assert.ok(await page.getByTestId('timeline-empty').isVisible());
    assert.ok(await page.getByTestId('error').isHidden());
    for (const name of ['Stake', 'Unstake', 'Rebond', 'Withdraw', '+1 day', '+7 days']) {
      assert.ok(await page.getByRole('button', { name, exact: true }).isEnabled(), `${name} enabled`);
    }
  });

  it('refuses a stake below the minimum and shows why', async () => {
    await enterAmount('0.5');
    await page.getByTestId('stake').click();
    const error = page.getByTestId('error');
    await error.waitFor({ state: 'visible' });
    assert.equal(await error.getAttribute('data-name'), 'BelowMinStake');
    assert.equal(await error.getAttribute('data-code'), '400');
    assert.match(await page.getByTestId('error-title').textContent(), /^BelowMinStake \(400\): stake of /);
    await expectText('error-details', 'amount: 0.5 BTT · min: 1 BTT');
    await expectAccount({ staked: '0 BTT', unlocking: '0 BTT', withdrawable: '0 BTT', unlockTime: '—' });
    assert.equal(await page.getByTestId('log-entry').count(), 0);
  });

  it('stakes 10 BTT', async () => {
    await enterAmount('10');
    await page.getByTestId('stake').click();
    await expectAccount({ staked: '10 BTT', unlocking: '0 BTT', withdrawable: '0 BTT', unlockTime: '—' });
    await expectTotals({ staked: '10 BTT', unlocking: '0 BTT', balance: '10 BTT' });
    assert.ok(await page.getByTestId('error').isHidden(), 'a success clears the error');
    assert.deepEqual(await logLines(), ['Staked 10 BTT']);
    assert.ok(await page.getByTestId('log-empty').isHidden());
  });

  it('unstakes 4 BTT: 6 staked, 4 unlocking until 7 days later, on the timeline', async () => {
    await enterAmount('4');
    await page.getByTestId('unstake').click();
    await expectAccount({
      staked: '6 BTT',
      unlocking: '4 BTT',
      withdrawable: '0 BTT',
      unlockTime: '2026-01-08 00:00 UTC',
    });
    await expectTotals({ staked: '6 BTT', unlocking: '4 BTT', balance: '10 BTT' });
    assert.deepEqual(await logLines(), ['Unstaked 4 BTT · unlocks 2026-01-08 00:00 UTC', 'Staked 10 BTT']);

    const unlocks = page.getByTestId('timeline-unlock');
    assert.equal(await unlocks.count(), 1);
    assert.ok(await page.getByTestId('timeline-empty').isHidden());
    await expectText('timeline-amount', '4 BTT', unlocks);
    await expectText('timeline-date', '2026-01-08 00:00 UTC', unlocks);
    await expectText('timeline-eta', 'in 7 d', unlocks);
    assert.equal(await unlocks.getAttribute('data-release'), String(START + 7 * 86400));
    // One unlock period ahead: the right end of the line.
    assert.equal(await unlocks.getAttribute('data-position'), '100');
    const track = await page.locator('.timeline .track').boundingBox();
    const dot = await unlocks.locator('.dot').boundingBox();
    assert.ok(Math.abs(dot.x + dot.width / 2 - (track.x + track.width)) < 2, 'dot at the right end');
  });

  it('refuses a withdrawal before the unlock time and changes nothing', async () => {
    await page.getByTestId('withdraw').click();
    const error = page.getByTestId('error');
    await error.waitFor({ state: 'visible' });
    await expectText('error-title', 'StillLocked (403): funds are locked until 2026-01-08 00:00 UTC');
    assert.equal(await error.getAttribute('data-code'), '403');
    await expectText('error-details', 'unlockTime: 2026-01-08 00:00 UTC');
    await expectAccount({
      staked: '6 BTT',
      unlocking: '4 BTT',
      withdrawable: '0 BTT',
      unlockTime: '2026-01-08 00:00 UTC',
    });
    await expectTotals({ staked: '6 BTT', unlocking: '4 BTT', balance: '10 BTT' });
    assert.equal(await page.getByTestId('log-entry').count(), 2);
    await page.screenshot({ path: SCREENSHOT_LOCKED, fullPage: true });
  });

  it('moves the clock: one day later the unlock is closer, still locked', async () => {
    await page.getByTestId('advance-1d').click();
    await expectText('clock', '2026-01-02 00:00 UTC');
    assert.ok(await page.getByTestId('error').isHidden(), 'moving the clock clears the error');
    const unlock = page.getByTestId('timeline-unlock');
    await expectText('timeline-eta', 'in 6 d', unlock);
    // 6 of 7 days ahead.
    assert.equal(await unlock.getAttribute('data-position'), '85.71');
    await expectText('account-withdrawable', '0 BTT');
  });

  it('seven days later withdraws the 4 BTT', async () => {
    await page.getByTestId('advance-7d').click();
    await expectText('clock', '2026-01-09 00:00 UTC');
    await expectText('account-withdrawable', '4 BTT');
    const unlock = page.getByTestId('timeline-unlock');
    await expectText('timeline-eta', 'ready to withdraw', unlock);
    assert.equal(await unlock.getAttribute('data-position'), '0');

    await page.getByTestId('withdraw').click();
    await expectAccount({ staked: '6 BTT', unlocking: '0 BTT', withdrawable: '0 BTT', unlockTime: '—' });
    await expectTotals({ staked: '6 BTT', unlocking: '0 BTT', balance: '6 BTT' });
    assert.ok(await page.getByTestId('error').isHidden());
    assert.deepEqual(await logLines(), [
      'Withdrawn 4 BTT',
      'Unstaked 4 BTT · unlocks 2026-01-08 00:00 UTC',
      'Staked 10 BTT',
    ]);
    const newest = page.getByTestId('log-entry').first();
    assert.equal(await newest.getAttribute('data-type'), 'Withdrawn');
    assert.equal(await newest.locator('time').textContent(), '2026-01-09 00:00 UTC');
    assert.equal(await page.getByTestId('timeline-unlock').count(), 0);
    assert.ok(await page.getByTestId('timeline-empty').isVisible());
  });

  it('unstakes 2 BTT and rebonds 1 BTT of it', async () => {
    await enterAmount('2');
    await page.getByTestId('unstake').click();
    await expectText('account-unlocking', '2 BTT');
    await enterAmount('1');
    await page.getByTestId('rebond').click();
    await expectAccount({
      staked: '5 BTT',
      unlocking: '1 BTT',
      withdrawable: '0 BTT',
      unlockTime: '2026-01-16 00:00 UTC',
    });
    await expectTotals({ staked: '5 BTT', unlocking: '1 BTT', balance: '6 BTT' });
    assert.deepEqual((await logLines()).slice(0, 2), [
      'Rebonded 1 BTT',
      'Unstaked 2 BTT · unlocks 2026-01-16 00:00 UTC',
    ]);
    await expectText('timeline-amount', '1 BTT', page.getByTestId('timeline-unlock'));
  });

  it('logged no console error, page error or failed request', () => {
    assert.deepEqual(problems, []);
  });
});
