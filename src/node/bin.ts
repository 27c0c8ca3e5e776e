#!/usr/bin/env node
/** The `voxpool` command's entry (package.json `bin`): cli.ts's main, its exit code as the process's. */
import { EXIT, main } from './cli.ts';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`voxpool: ${String(e)}\n`);
    process.exit(EXIT.internal);
  },
);
