import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeText } from '../../../src/app/decode-text.js';

const rows: Array<{ name: string; bytes: Buffer; text?: string; problems: string[]; binary?: boolean }> = [
  { name: 'plain UTF-8 passes through', bytes: Buffer.from('web: é ✓\n'), text: 'web: é ✓\n', problems: [] },
  { name: 'a UTF-8 BOM is kept for the parser to judge', bytes: Buffer.from('\ufeffweb: x'), text: '\ufeffweb: x', problems: [] },
  { name: 'UTF-16LE with BOM (PowerShell `>`) → error utf16, text decoded', bytes: Buffer.from('\ufeffweb: x\n', 'utf16le'), text: 'web: x\n', problems: ['utf16@0:0'] },
  { name: 'UTF-16BE with BOM → error utf16', bytes: Buffer.from([0xfe, 0xff, 0x00, 0x41]), text: 'A', problems: ['utf16@0:0'] },
  { name: 'a NUL byte → error binary at its position', bytes: Buffer.from('web: x\nab\0c'), problems: ['binary@2:3'], binary: true },
  { name: 'a PNG header is binary', bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), problems: ['binary@3:1'], binary: true },
  { name: 'Latin-1 bytes → error invalid-utf8 at the first bad byte', bytes: Buffer.from([0x77, 0x65, 0x62, 0x3a, 0x20, 0x0a, 0x63, 0x61, 0x66, 0xe9]), problems: ['invalid-utf8@2:4'] },
  { name: 'an empty file is fine', bytes: Buffer.alloc(0), text: '', problems: [] },
];

for (const row of rows) {
  test(row.name, () => {
    const out = decodeText(row.bytes, 'Procfile');
    if (row.text !== undefined) assert.equal(out.text, row.text);
    assert.deepEqual(out.problems.map((p) => `${p.code}@${p.line}:${p.col}`), row.problems);
    assert.equal(out.binary, row.binary ?? false);
    for (const p of out.problems) assert.equal(p.severity, 'error');
  });
}
