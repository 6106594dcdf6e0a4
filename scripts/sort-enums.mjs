// Wails 2.9.2 writes the bound enums of frontend/wailsjs/go/models.ts in map
// order, which changes from run to run. This sorts each run of consecutive
// `export enum` blocks by name, so the generated file is the same every time.
import { readFileSync, writeFileSync } from 'node:fs';

const file = process.argv[2];
const lines = readFileSync(file, 'utf8').split('\n');
const out = [];
for (let i = 0; i < lines.length; ) {
  if (!/^\texport enum /.test(lines[i])) {
    out.push(lines[i++]);
    continue;
  }
  const blocks = [];
  while (i < lines.length && /^\texport enum /.test(lines[i])) {
    const block = [];
    do block.push(lines[i]);
    while (lines[i++] !== '\t}');
    blocks.push(block);
  }
  blocks.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  for (const b of blocks) out.push(...b);
}
writeFileSync(file, out.join('\n'));
