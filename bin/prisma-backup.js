#!/usr/bin/env node
// The `prisma-backup` command. In a checkout with its dev dependencies it runs the TypeScript sources
// (so it is never a stale build); installed without them, it runs the build in dist/ (`npm run build`).
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const source = path.join(root, 'src', 'starter.ts');
let tsNode;
try {
  tsNode = require('ts-node');
} catch {
  tsNode = undefined;
}
if (tsNode && fs.existsSync(source)) {
  tsNode.register({ project: path.join(root, 'tsconfig.json'), transpileOnly: true });
  require(source);
} else {
  require(path.join(root, 'dist', 'starter.js'));
}
