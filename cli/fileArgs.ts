// The argument shape the verifying commands share: one FILE, options that take a value, and --json.

export interface FileArgs<Option extends string> {
  file: string
  json: boolean
  /** The value of each option given, keyed without its dashes ("key" for --key). */
  options: Partial<Record<Option, string>>
}

/** Parses `FILE [--opt VALUE | --opt=VALUE]… [--json]`; a string is the usage error ('' for --help). */
export function parseFileArgs<Option extends string>(argv: readonly string[], valueOptions: readonly Option[]): FileArgs<Option> | string {
  let file: string | undefined
  let json = false
  const options: Partial<Record<Option, string>> = {}
  const named = (arg: string): Option | undefined => valueOptions.find((o) => arg === `--${o}`)
  const inline = (arg: string): Option | undefined => valueOptions.find((o) => arg.startsWith(`--${o}=`))
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    const option = named(arg)
    const withValue = option === undefined ? inline(arg) : undefined
    if (option !== undefined) {
      const value = argv[++i]
      if (value === undefined) return `${arg} needs a value`
      options[option] = value
    } else if (withValue !== undefined) options[withValue] = arg.slice(withValue.length + 3)
    else if (arg === '--json') json = true
    else if (arg === '--help' || arg === '-h') return ''
    else if (arg.startsWith('-')) return `unknown option ${arg}`
    else if (file === undefined) file = arg
    else return `unexpected argument ${arg}`
  }
  if (file === undefined) return 'FILE is missing'
  return { file, json, options }
}
