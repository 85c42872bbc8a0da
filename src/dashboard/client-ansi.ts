// Page script, ANSI part: parseAnsiSpans (ansi-spans.ts, embedded from its compiled source) and
// ansiNodes(), which turns a log line's text into text nodes and styled <span>s — textContent and
// CSS properties only, so an app's output is never HTML.
import { parseAnsiSpans } from './ansi-spans.js';

/** Browser JavaScript: parseAnsiSpans(), ansiNodes(). */
export const CLIENT_ANSI = `
const __name = (fn) => fn; // esbuild's keepNames helper, should the compiled source refer to it
const parseAnsiSpans = (${parseAnsiSpans.toString()});
${String.raw`
// One node per styled run; a line without escapes stays a single text node.
function ansiNodes(text) {
  if (text.indexOf('\u001b') < 0 && text.indexOf('\u009b') < 0) return [text];
  return parseAnsiSpans(text).map((s) => {
    if (!s.fg && !s.bg && !s.bold && !s.dim && !s.italic && !s.underline) return s.text;
    const span = el('span', { class: 'ansi', text: s.text });
    if (s.fg) span.style.color = s.fg;
    if (s.bg) span.style.backgroundColor = s.bg;
    if (s.bold) span.style.fontWeight = '700';
    if (s.dim) span.style.opacity = '0.7';
    if (s.italic) span.style.fontStyle = 'italic';
    if (s.underline) span.style.textDecoration = 'underline';
    return span;
  });
}
`}`;
