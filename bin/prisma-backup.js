#!/usr/bin/env node
// The `prisma-backup` command: the built CLI after `npm run build`, else the TypeScript sources via ts-node.
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const built = path.join(root, 'dist', 'starter.js');
if (fs.existsSync(built)) {
  require(built);
} else {
  require('ts-node').register({ project: path.join(root, 'tsconfig.json'), transpileOnly: true });
  require(path.join(root, 'src', 'starter.ts'));
}
