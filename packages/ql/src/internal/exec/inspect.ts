/**
 * `inspect` (blueql.md §4.8): the JSON text describing the catalog, a space or a model.
 *
 * skydb emits valid JSON everywhere: Skytable's extra `}` after `inspect space` is a defect the
 * spec lets us fix (§7 item 7, "skydb's choice"). Lists are sorted by name (the spec leaves their
 * order unspecified) so answers are reproducible.
 */
import { describeFieldType } from '@sky/gns'
import type { CatalogVersion, Model } from '@sky/gns'

function sortedNames(names: Iterable<string>): string[] {
  return [...names].sort()
}

/** `inspect global`: spaces, users (root only) and settings. */
export function inspectGlobal(catalog: CatalogVersion, root: boolean): string {
  const spaces = sortedNames(catalog.spaces.keys())
  if (!root) return JSON.stringify({ spaces, settings: {} })
  return JSON.stringify({ spaces, users: sortedNames(catalog.users.keys()), settings: {} })
}

/** `inspect space s`: its models. The space exists (checked by the caller). */
export function inspectSpace(catalog: CatalogVersion, name: string): string | undefined {
  const space = catalog.space(name)
  if (space === undefined) return undefined
  return JSON.stringify({ models: sortedNames(space.models.keys()) })
}

/** The `decl` of a model: `{*pk:String,?nullable:UInt8,!other:[String]}`. */
export function modelDeclaration(model: Model): string {
  const fields = model.fields.map((field) => {
    const mark = field.name === model.primaryKey ? '*' : field.nullable ? '?' : '!'
    return `${mark}${field.name}:${describeFieldType(field.type)}`
  })
  return `{${fields.join(',')}}`
}

/** `inspect model m`: declaration, row count and (empty) properties. */
export function inspectModel(model: Model, rows: number): string {
  return JSON.stringify({ decl: modelDeclaration(model), rows, properties: {} })
}
