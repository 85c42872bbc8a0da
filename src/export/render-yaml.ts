// A small block-style YAML writer for the compose and Kubernetes exports: maps, lists, strings,
// numbers, booleans. Every string goes through `quote` (double-quoted), so no value is ever read as
// a YAML 1.1 boolean, number or null ("no", "1e3", "~").
import { yamlString } from './quote.js';

/** What renderYaml accepts. `undefined` map values are left out. */
export type YamlValue = string | number | boolean | YamlValue[] | { [key: string]: YamlValue | undefined };

// Map keys stay plain when they cannot be misread (k8s label keys included); others are quoted.
function yamlKey(key: string, quote: (s: string) => string): string {
  return /^[A-Za-z_][A-Za-z0-9_./-]*$/.test(key) && !/^(y|n|yes|no|on|off|true|false|null)$/i.test(key) ? key : quote(key);
}

// A value that fits on its key's line: scalars and empty collections.
function inline(value: YamlValue, quote: (s: string) => string): string | undefined {
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? '[]' : undefined;
  return Object.values(value).every((v) => v === undefined) ? '{}' : undefined;
}

// The lines of a list or map at `indent`.
function block(value: YamlValue, indent: string, quote: (s: string) => string): string[] {
  const lines: string[] = [];
  if (Array.isArray(value)) {
    for (const item of value) {
      const one = inline(item, quote);
      if (one !== undefined) {
        lines.push(`${indent}- ${one}`);
        continue;
      }
      const inner = block(item, `${indent}  `, quote);
      lines.push(`${indent}- ${inner[0]!.trimStart()}`, ...inner.slice(1));
    }
    return lines;
  }
  if (typeof value !== 'object') return [`${indent}${inline(value, quote)!}`];
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue;
    const one = inline(item, quote);
    if (one !== undefined) lines.push(`${indent}${yamlKey(key, quote)}: ${one}`);
    else lines.push(`${indent}${yamlKey(key, quote)}:`, ...block(item, `${indent}  `, quote));
  }
  return lines;
}

/** One YAML document (no `---`), ending in a newline. */
export function renderYaml(value: YamlValue, quote: (s: string) => string = yamlString): string {
  return `${block(value, '', quote).join('\n')}\n`;
}
