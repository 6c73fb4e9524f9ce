#!/usr/bin/env node
// The installed CLI (package.json `bin`, compiled to dist/): plain Node, no TypeScript loader.
import { main } from './main.ts';

process.exitCode = await main(process.argv.slice(2));
