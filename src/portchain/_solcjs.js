#!/usr/bin/env node
// A `solc`-compatible front for solcjs (the official wasm build from npm), for machines with no native solc.
// Speaks the two commands py-solc-x, brownie and slither use: `--version` and `--standard-json` (input on stdin,
// output JSON alone on stdout). Every other flag (--allow-paths, --base-path ...) is accepted and ignored: portchain
// hands solc a self-contained input, so no import needs resolving from disk.
'use strict';
const solc = require('solc');

const args = process.argv.slice(2);
if (args.includes('--version') || args.includes('-v')) {
  process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${solc.version()}\n`);
  process.exit(0);
}
if (!args.includes('--standard-json')) {
  process.stderr.write('this solc shim only supports --version and --standard-json\n');
  process.exit(2);
}
const chunks = [];
process.stdin.on('data', (chunk) => chunks.push(chunk));
process.stdin.on('end', () => {
  const missing = (path) => ({ error: `File not found: ${path} (portchain passes every source inline)` });
  process.stdout.write(solc.compile(Buffer.concat(chunks).toString('utf8'), { import: missing }));
});
