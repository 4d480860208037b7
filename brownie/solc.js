#!/usr/bin/env node
// Brownie's solc: the project's solcjs 0.8.30 (npm `solc`, the official wasm build) made to look like a native solc
// 0.8.30 to py-solc-x, which brownie compiles through. `make brownie` installs it, behind a small sh launcher, as
// .venv-brownie/solcx/solc-v0.8.30, py-solc-x's folder for that venv: nothing is downloaded.
//
// Speaks what py-solc-x runs: `--version` (native solc's two lines, so its version regex reads 0.8.30+commit...) and
// `--standard-json` (input on stdin, output JSON alone on stdout). Other flags (--allow-paths, which brownie passes)
// are accepted and ignored, except --base-path and --include-path. Brownie hands solc the project's contracts/ only;
// every import it does not pass is read here the way portchain.compiler resolves imports: the base path (the project
// root) first, then node_modules. A source keeps the name it is imported by (`@openzeppelin/contracts/...`), as in
// portchain's own standard-JSON input, so the metadata and bytecode equal the shipped artifacts'. Brownie, though,
// opens every source named in the output as a file under the project root: in the output only (source and contract
// keys, AST absolutePath, error locations), a source read from node_modules is named by its path from the base
// (`node_modules/@openzeppelin/contracts/...`), as a remapping would have named it. Nothing else is changed.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const solc = require(path.join(root, 'node_modules', 'solc'));

const args = process.argv.slice(2);
if (args.includes('--version') || args.includes('-v')) {
  process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${solc.version()}\n`);
  process.exit(0);
}
if (!args.includes('--standard-json')) {
  process.stderr.write('this solc (solcjs for brownie) only supports --version and --standard-json\n');
  process.exit(2);
}

function option(name) {
  const values = [];
  args.forEach((arg, i) => {
    if (arg === name && i + 1 < args.length) values.push(...args[i + 1].split(','));
    else if (arg.startsWith(`${name}=`)) values.push(...arg.slice(name.length + 1).split(','));
  });
  return values.filter((value) => value !== '');
}

const base = path.resolve(option('--base-path')[0] || root);
const searched = [base, ...option('--include-path').map((p) => path.resolve(p)), path.join(root, 'node_modules')];

const fileNames = new Map(); // source unit name -> its path from the base, where the two differ

function findImport(unit) {
  for (const folder of searched) {
    const file = path.resolve(folder, unit);
    const inside = file === folder || file.startsWith(folder + path.sep);
    if (inside && fs.existsSync(file) && fs.statSync(file).isFile()) {
      const fromBase = path.relative(base, file).split(path.sep).join('/');
      if (fromBase !== unit && !fromBase.startsWith('..')) fileNames.set(unit, fromBase);
      return { contents: fs.readFileSync(file, 'utf8') };
    }
  }
  return { error: `File not found: ${unit} (searched ${searched.join(', ')})` };
}

const renamed = (unit) => fileNames.get(unit) ?? unit;

function renameKeys(object) {
  return object && Object.fromEntries(Object.entries(object).map(([unit, value]) => [renamed(unit), value]));
}

function renamePaths(node) {
  if (Array.isArray(node)) return node.forEach(renamePaths);
  if (node === null || typeof node !== 'object') return undefined;
  if (typeof node.absolutePath === 'string') node.absolutePath = renamed(node.absolutePath);
  for (const key of ['sourceLocation']) {
    if (node[key] && typeof node[key].file === 'string') node[key].file = renamed(node[key].file);
  }
  for (const location of node.secondarySourceLocations || []) {
    if (typeof location.file === 'string') location.file = renamed(location.file);
  }
  return Object.values(node).forEach(renamePaths);
}

const chunks = [];
process.stdin.on('data', (chunk) => chunks.push(chunk));
process.stdin.on('end', () => {
  const output = JSON.parse(solc.compile(Buffer.concat(chunks).toString('utf8'), { import: findImport }));
  if (fileNames.size > 0) {
    output.sources = renameKeys(output.sources);
    output.contracts = renameKeys(output.contracts);
    renamePaths(output.sources);
    renamePaths(output.errors);
  }
  process.stdout.write(JSON.stringify(output));
});
