// What every CLI command is: a function of its arguments and the process's streams, returning the exit code.

export interface CliIo {
  readStdin(): Promise<string>
  stdout(text: string): void
  stderr(text: string): void
}

export interface Command {
  /** Lines after "usage:" for this command, e.g. "terms < terms.json". */
  usage: string
  run(args: string[], io: CliIo): Promise<number>
}

/** Exit codes shared by the commands. */
export const EXIT = { ok: 0, invalidItem: 1, usage: 2 } as const
