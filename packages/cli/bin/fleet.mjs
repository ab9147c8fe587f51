#!/usr/bin/env node
// The `fleet` bin: the CLI runs from its TypeScript source through tsx's loader (no build step),
// so `pnpm fleet …`, `npx fleet …` and a PATH entry all run the same code, quietly.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
