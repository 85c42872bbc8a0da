// `dyno connect` on a terminal in raw mode: a tiny line editor. The current terminal line is always
// the dyno's last output line (printed without its newline until the next one comes, so a prompt
// such as `(Pdb) ` stays in front of what you type) followed by what you are typing. Enter sends the
// line; Ctrl-D on an empty line, Ctrl-] and Ctrl-C detach (the dyno keeps running).

/** What a key press asks for. */
export type TerminalAction = { type: 'send'; line: string } | { type: 'detach'; key: string };

const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const CTRL_U = '\u0015';
const CTRL_RB = '\u001d';

export class ConnectTerminal {
  /** The last output line, not yet ended on screen. */
  private tail = '';
  /** What the user typed so far. */
  private typed = '';

  constructor(private readonly write: (s: string) => void) {}

  /** One line of the dyno's output, shown above the line being typed. */
  print(text: string): void {
    this.write(`\r\u001b[K${this.tail ? `${this.tail}\r\n` : ''}${text}${this.typed}`);
    this.tail = text;
  }

  /** Keys from the terminal (raw mode); returns what they ask for, in order. */
  feed(chunk: string): TerminalAction[] {
    const actions: TerminalAction[] = [];
    if (chunk.startsWith('\u001b')) return actions; // arrows and other escape sequences: no history or cursor here
    for (const ch of chunk) {
      if (ch === CTRL_RB || ch === CTRL_C || (ch === CTRL_D && this.typed === '')) {
        actions.push({ type: 'detach', key: ch === CTRL_RB ? 'Ctrl-]' : ch === CTRL_C ? 'Ctrl-C' : 'Ctrl-D' });
        return actions;
      }
      if (ch === '\r' || ch === '\n') {
        actions.push({ type: 'send', line: this.typed });
        this.write('\r\n');
        this.tail = '';
        this.typed = '';
      } else if (ch === '\u007f' || ch === '\b') {
        if (!this.typed) continue;
        this.typed = [...this.typed].slice(0, -1).join('');
        this.write('\b \b');
      } else if (ch === CTRL_U) {
        this.typed = '';
        this.write(`\r\u001b[K${this.tail}`);
      } else if (ch >= ' ' || ch === '\t') {
        this.typed += ch;
        this.write(ch);
      }
    }
    return actions;
  }

  /** Leave the terminal on a fresh line. */
  end(): void {
    if (this.tail || this.typed) this.write('\r\n');
    this.tail = '';
    this.typed = '';
  }
}
