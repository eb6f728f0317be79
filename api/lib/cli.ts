/**
 * The frame the admin CLIs (npm run users, npm run publish) share: exit 2 with the usage text for a
 * usage error, 1 with the message for a refusal the command expects, 1 with "Failed: …" otherwise.
 */
import { pathToFileURL } from 'node:url';

/** Bad command-line usage: the message is followed by the command's usage text, exit code 2. */
export class UsageError extends Error {}

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

export const CONSOLE_IO: Io = { out: console.log, err: console.error };

/** Runs `main` and maps failures to the exit code: 2 usage, 1 refused (a `Refusal`) or failed. */
export async function runCommand(
  main: (out: Io['out']) => Promise<number>,
  usage: string,
  Refusal: abstract new (...args: never[]) => Error,
  io: Io,
): Promise<number> {
  try {
    return await main(io.out);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`${err.message}\n\n${usage}`);
      return 2;
    }
    io.err(err instanceof Refusal ? err.message : `Failed: ${(err as Error).message}`);
    return 1;
  }
}

/** Runs `run` with the process's arguments when `moduleUrl` is the script node was started with. */
export function runIfMain(moduleUrl: string, run: (argv: string[]) => Promise<number>): void {
  if (process.argv[1] && moduleUrl === pathToFileURL(process.argv[1]).href) {
    run(process.argv.slice(2)).then((code) => {
      process.exitCode = code;
    });
  }
}
