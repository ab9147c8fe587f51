// `pnpm bench <name>`: runs bench/<name>.ts and prints its figures as one JSON object on the last line.
import fs from 'node:fs';
import path from 'node:path';

const name = process.argv[2];
const available = fs
  .readdirSync(import.meta.dirname)
  .filter((file) => file.endsWith('.ts') && file !== 'main.ts' && !file.startsWith('_'))
  .map((file) => file.replace(/\.ts$/, ''));
if (name === undefined || !available.includes(name)) {
  process.stderr.write(`usage: pnpm bench <${available.join('|')}>\n`);
  process.exit(2);
}
const module = (await import(path.join(import.meta.dirname, `${name}.ts`))) as { default: (argv: string[]) => Promise<Record<string, unknown>> };
const figures = await module.default(process.argv.slice(3));
process.stdout.write(`${JSON.stringify({ bench: name, ...figures })}\n`);
process.exit(0);
