#!/usr/bin/env node
// The CLI from a checkout: runs the TypeScript sources through tsx's loader (no build step).
// The installed package runs dist/src/cli/bin.js instead (package.json `bin`).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
