// `dyno completion bash|zsh|fish`: the completion script, rendered from the commander program (every
// command and flag, so it never drifts) plus a small Procfile reader in the shell itself for the
// process types (start/check/run/scale/restart/stop arguments, -p/--process-type, --can-die…).
import { DynoError } from '../core/errors.js';

/** One command as the script completes it. */
export interface CompletionCommand {
  name: string;
  description: string;
  /** Every visible flag spelling (`-t`, `--timeout`). */
  flags: string[];
  /** Flags whose value is a process type / a file / a directory. */
  typeFlags: string[];
  fileFlags: string[];
  dirFlags: string[];
  /** Its positional arguments are process types. */
  typeArgs: boolean;
  /** Fixed words for its first argument (`completion`: bash zsh fish). */
  words: string[];
}

export const SHELLS = ['bash', 'zsh', 'fish'] as const;

// Process types of ./Procfile (or the -f one), in the shell: Heroku's `^\s*([A-Za-z0-9_-]+):?\s+`.
const BASH_TYPES = `_dyno_types() {
  local f=Procfile i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in -f|--procfile) f="\${COMP_WORDS[i+1]}" ;; esac
  done
  [ -f "$f" ] && sed -n 's/^[[:space:]]*\\([A-Za-z0-9_-][A-Za-z0-9_-]*\\):\\{0,1\\}[[:space:]].*/\\1/p' "$f" 2>/dev/null
}`;

const q = (words: readonly string[]): string => words.join(' ');

/** The bash script (zsh loads it through bashcompinit). */
export function renderBash(commands: readonly CompletionCommand[], globalFlags: readonly string[]): string {
  const valueCases = commands.flatMap((c) => [
    c.typeFlags.length ? `      ${c.name}:${c.typeFlags.join(`|${c.name}:`)}) COMPREPLY=($(compgen -W "$(_dyno_types)" -- "$cur")); return ;;` : '',
    c.fileFlags.length ? `      ${c.name}:${c.fileFlags.join(`|${c.name}:`)}) COMPREPLY=($(compgen -f -- "$cur")); return ;;` : '',
    c.dirFlags.length ? `      ${c.name}:${c.dirFlags.join(`|${c.name}:`)}) COMPREPLY=($(compgen -d -- "$cur")); return ;;` : '',
  ]).filter(Boolean);
  const flagCases = commands.map((c) => `      ${c.name}) COMPREPLY=($(compgen -W "${q(c.flags)}" -- "$cur")) ;;`);
  const argCases = commands.filter((c) => c.typeArgs || c.words.length).map((c) => `      ${c.name}) COMPREPLY=($(compgen -W "${q(c.words)}${c.typeArgs ? ' $(_dyno_types)' : ''}" -- "$cur")) ;;`);
  return `# dyno completion for bash. Load it with:  source <(dyno completion bash)
# or save it:  dyno completion bash > ~/.local/share/bash-completion/completions/dyno
${BASH_TYPES}
_dyno() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" cmd="" i
  COMPREPLY=()
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in -*) ;; *) cmd="\${COMP_WORDS[i]}"; break ;; esac
  done
  if [ -z "$cmd" ]; then
    case "$cur" in -*) COMPREPLY=($(compgen -W "${q(globalFlags)}" -- "$cur")) ;; *) COMPREPLY=($(compgen -W "${q(commands.map((c) => c.name))}" -- "$cur")) ;; esac
    return
  fi
  case "$cmd:$prev" in
${valueCases.join('\n')}
  esac
  case "$cur" in
    -*)
      case "$cmd" in
${flagCases.join('\n')}
      esac ;;
    *)
      case "$cmd" in
${argCases.join('\n')}
      esac ;;
  esac
}
complete -o default -F _dyno dyno
`;
}

/** zsh: the bash script through zsh's bashcompinit (one script, the same completions). */
export function renderZsh(commands: readonly CompletionCommand[], globalFlags: readonly string[]): string {
  return `#compdef dyno
# dyno completion for zsh. Load it with:  source <(dyno completion zsh)   (uses bashcompinit)
autoload -U +X compinit && compinit -u
autoload -U +X bashcompinit && bashcompinit
${renderBash(commands, globalFlags).split('\n').filter((l) => !l.startsWith('#')).join('\n')}`;
}

// Single-quote for fish.
const fq = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** fish: one `complete` line per command and flag. */
export function renderFish(commands: readonly CompletionCommand[]): string {
  const types = `(string replace -rf '^\\s*([A-Za-z0-9_-]+):?\\s.*' '$1' < Procfile 2>/dev/null)`;
  const lines = ['# dyno completion for fish. Load it with:  dyno completion fish | source', 'complete -c dyno -f'];
  for (const c of commands) {
    lines.push(`complete -c dyno -n __fish_use_subcommand -a ${c.name} -d ${fq(c.description)}`);
    const when = `-n '__fish_seen_subcommand_from ${c.name}'`;
    for (const flag of c.flags) {
      const spelled = flag.startsWith('--') ? `-l ${flag.slice(2)}` : `-s ${flag.slice(1)}`;
      const value = c.typeFlags.includes(flag) ? ` -x -a ${fq(types)}` : c.fileFlags.includes(flag) ? ' -r -F' : c.dirFlags.includes(flag) ? " -x -a '(__fish_complete_directories)'" : '';
      lines.push(`complete -c dyno ${when} ${spelled}${value}`);
    }
    if (c.typeArgs) lines.push(`complete -c dyno ${when} -a ${fq(types)}`);
    if (c.words.length) lines.push(`complete -c dyno ${when} -a ${fq(c.words.join(' '))}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The script for `shell`; an unknown shell is a usage error listing the shells. */
export function renderCompletion(shell: string, commands: readonly CompletionCommand[], globalFlags: readonly string[]): string {
  if (shell === 'bash') return renderBash(commands, globalFlags);
  if (shell === 'zsh') return renderZsh(commands, globalFlags);
  if (shell === 'fish') return renderFish(commands);
  throw new DynoError('USAGE', `no completion for shell "${shell}"`, { hint: `use one of ${SHELLS.join(', ')}` });
}
