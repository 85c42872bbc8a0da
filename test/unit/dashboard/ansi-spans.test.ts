import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAnsiSpans, type AnsiSpan } from '../../../src/dashboard/ansi-spans.js';
import { CLIENT_ANSI } from '../../../src/dashboard/client-ansi.js';

const E = '\u001b';
const rows: Array<[string, string, AnsiSpan[]]> = [
  ['plain text is one unstyled run', 'hello', [{ text: 'hello' }]],
  ['Rails-style red then reset', `${E}[31mred${E}[0m plain`, [{ text: 'red', fg: '#cd3131' }, { text: ' plain' }]],
  ['bold + bright colour, then 22 and 39', `${E}[1;92mok${E}[22m still green${E}[39m none`, [{ text: 'ok', fg: '#23d18b', bold: true }, { text: ' still green', fg: '#23d18b' }, { text: ' none' }]],
  ['256 colours and a background', `${E}[38;5;208;48;5;17mx`, [{ text: 'x', fg: '#ff8700', bg: '#00005f' }]],
  ['truecolor, also with colons', `${E}[38;2;1;2;3ma${E}[38:2:255:0:0mb`, [{ text: 'a', fg: '#010203' }, { text: 'b', fg: '#ff0000' }]],
  ['an empty SGR resets', `${E}[4mu${E}[mv`, [{ text: 'u', underline: true }, { text: 'v' }]],
  ['cursor moves and OSC titles are dropped', `${E}[2K${E}[1Gline${E}]0;title\u0007!`, [{ text: 'line' }, { text: '!' }]],
  ['HTML stays text', `${E}[35m<img src=x onerror=alert(1)>`, [{ text: '<img src=x onerror=alert(1)>', fg: '#bc3fbc' }]],
  ['grey ramp', `${E}[38;5;244mg`, [{ text: 'g', fg: '#808080' }]],
];
for (const [name, text, want] of rows) test(`ANSI: ${name}`, () => assert.deepEqual(parseAnsiSpans(text), want));

test('the page script embeds the function as it is compiled (self-contained)', () => {
  const rebuilt = new Function(`${CLIENT_ANSI}; return parseAnsiSpans;`)() as typeof parseAnsiSpans;
  assert.deepEqual(rebuilt(`${E}[31mred`), [{ text: 'red', fg: '#cd3131' }]);
});
