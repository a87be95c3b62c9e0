// Browser and bundler entry (ES module). Call the default export once before anything else:
//   import init, { Ledger } from 'stakehold';
//   await init();
import initWasm, * as raw from '../dist/web/stakehold_wasm.js';
import { createApi } from '../dist/api.js';

let ready = false;

/**
 * Loads and instantiates the WebAssembly module (fetched next to this file unless `input` —
 * a URL, Response, BufferSource or WebAssembly.Module — says otherwise). Safe to call twice.
 */
export default async function init(input) {
  await initWasm(input === undefined ? undefined : { module_or_path: input });
  ready = true;
}

const api = createApi(raw, () => ready);

export const {
  Ledger,
  StakeholdError,
  FAR_FUTURE_EPOCH,
  encodeMessage,
  decodeMessage,
  decodeEvent,
  encodeBlock,
  decodeEvents,
  formatAmount,
  parseAmount,
  formatTime,
  estimateApr,
  slashingTimeline,
  proposalProbability,
} = api;
export { init };
