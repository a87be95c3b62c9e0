// Shared fixtures of the package tests. The tests import `stakehold` as users do: from the
// packed tarball installed into a temporary project (scripts/test-wasm.sh).
export const admin = `0x${'ad'.repeat(20)}`;
export const alice = `0x${'a1'.repeat(20)}`;
export const bob = `0x${'b0'.repeat(20)}`;
export const BTT = 10n ** 18n;
export const DAY = 86_400n;
export const WEEK = 7n * DAY;
export const T0 = 1_796_256_000n; // 2026-12-03 00:00 UTC

export const at = (caller, now, height = 1n) => ({ caller, now, height });

export const hex = (bytes) => Buffer.from(bytes).toString('hex');
export const unhex = (text) => new Uint8Array(Buffer.from(text, 'hex'));
