/**
 * How every tool here launches Chromium (Vitest browser mode, the e2e tests, the benchmarks):
 * Debian's build unless CHROMIUM_PATH names another, with the flags these machines need.
 * Without the networking flags Chromium keeps trying to reach a network these machines lack.
 */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
