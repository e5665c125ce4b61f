/**
 * Command-line flags: `--name value`, `--name=value`, boolean `--name`, and positional arguments.
 *
 * Invariants: every flag given is declared (an unknown one is a usage error, so a typo never
 * passes silently); a flag that takes a value gets exactly one per occurrence; only flags
 * declared `repeatable` may occur twice.
 */
import { ServerUsageError } from '../errors.js'

/** How a flag is written. */
export interface FlagSpec {
  /** With the dashes: `--data-dir`. */
  readonly name: string
  /** False for a boolean switch (`--dry-run`). */
  readonly takesValue: boolean
  readonly repeatable?: boolean
  /** Other spellings (`-h`). */
  readonly aliases?: readonly string[]
}

/** What {@link parseFlags} found. */
export interface ParsedFlags {
  /** By canonical name: the values in order (a switch has `['true']`). */
  readonly values: ReadonlyMap<string, readonly string[]>
  readonly positionals: readonly string[]
}

/**
 * Parses `argv` against `specs`. `--` ends flags; everything after it is positional.
 *
 * @throws ServerUsageError for an unknown flag, a missing value, a value given to a switch, or a
 *   non-repeatable flag given twice.
 */
export function parseFlags(argv: readonly string[], specs: readonly FlagSpec[]): ParsedFlags {
  const byName = new Map<string, FlagSpec>()
  for (const spec of specs) {
    byName.set(spec.name, spec)
    for (const alias of spec.aliases ?? []) byName.set(alias, spec)
  }
  const values = new Map<string, string[]>()
  const positionals: string[] = []
  let index = 0
  while (index < argv.length) {
    const argument = argv[index] as string
    index += 1
    if (argument === '--') {
      positionals.push(...argv.slice(index))
      break
    }
    if (!argument.startsWith('-') || argument === '-') {
      positionals.push(argument)
      continue
    }
    const equals = argument.indexOf('=')
    const name = equals === -1 ? argument : argument.slice(0, equals)
    const spec = byName.get(name)
    if (spec === undefined) throw new ServerUsageError(`unknown option ${name}`)
    let value: string
    if (!spec.takesValue) {
      if (equals !== -1) throw new ServerUsageError(`option ${name} takes no value`)
      value = 'true'
    } else if (equals !== -1) {
      value = argument.slice(equals + 1)
    } else {
      const next = argv[index]
      if (next === undefined) throw new ServerUsageError(`option ${name} needs a value`)
      value = next
      index += 1
    }
    const list = values.get(spec.name) ?? []
    if (list.length > 0 && spec.repeatable !== true) {
      throw new ServerUsageError(`option ${spec.name} given more than once`)
    }
    list.push(value)
    values.set(spec.name, list)
  }
  return { values, positionals }
}

/** The single value of `name`, or undefined. */
export function flagValue(flags: ParsedFlags, name: string): string | undefined {
  return flags.values.get(name)?.[0]
}

/** True when the switch `name` was given. */
export function flagSet(flags: ParsedFlags, name: string): boolean {
  return flags.values.has(name)
}
