// Runs a WASI program (the epoch benchmark's timing example, core/examples/epoch_timing.rs,
// built for wasm32-wasip1) under Node: the core's epoch transition as WebAssembly in Node's
// engine, for the budget "at most twice the native time".
//
// Run: node wasm/bench/epoch-wasi.mjs target/wasm32-wasip1/release/examples/epoch_timing.wasm [epochs]
// (scripts/bench-epoch.sh builds and runs it, with the native figures beside).
import { readFile } from 'node:fs/promises';
import { WASI } from 'node:wasi';
import { argv, env } from 'node:process';

const [, , file, ...args] = argv;
if (!file) {
  console.error('usage: node epoch-wasi.mjs PROGRAM.wasm [args…]');
  process.exit(2);
}
const wasi = new WASI({ version: 'preview1', args: [file, ...args], env });
const module = await WebAssembly.compile(await readFile(file));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
wasi.start(instance);
