// Node entry (ES module): re-exports the CommonJS entry, so a process that loads the package
// both ways still has a single `StakeholdError` class.
import api from './index.cjs';

export default api.init;
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
  init,
} = api;
