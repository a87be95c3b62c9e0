// Node entry (CommonJS). The module is compiled synchronously when the package is loaded, so
// there is nothing to initialise; `init()` exists (and resolves at once) for code shared with
// browsers.
'use strict';
const raw = require('../dist/node/stakehold_wasm.js');
const { createApi } = require('../dist/api.cjs');

const api = createApi(raw, () => true);

const init = async () => {};

module.exports = { ...api, init, default: init };
