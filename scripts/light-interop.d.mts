/** See light-interop.mjs. */
export function lightInterop(code: string, name: string): string;
