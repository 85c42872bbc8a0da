// dyno's version, injected by the esbuild bundle (--define); '0.0.0-dev' when run from sources.
declare const DYNO_VERSION: string | undefined;

export const VERSION: string = typeof DYNO_VERSION === 'string' ? DYNO_VERSION : '0.0.0-dev';
