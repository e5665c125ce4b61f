/**
 * How the shell prints answers: `(Okay)` for Empty, a bare value as text, rows as a table with a
 * border (column names from the statement's column list when it names them, else 0, 1, …), and
 * errors with Skytable's code and name.
 */
import { queryErrorName } from '@sky/client'
import type { QueryResult, Value } from '@sky/client'

/** One value as the shell shows it. */
export function formatValue(value: Value): string {
  switch (value.type) {
    case 'null':
      return 'null'
    case 'string':
      return JSON.stringify(value.value)
    case 'binary':
      return `x'${Buffer.from(value.value).toString('hex')}'`
    case 'list':
      return `[${value.value.map(formatValue).join(', ')}]`
    default:
      return String(value.value)
  }
}

/** The column names a `select` lists, or null for `*` or anything else. */
export function columnNames(query: string): string[] | null {
  const match = /^\s*select\s+(?:all\s+)?(.+?)\s+from\s/i.exec(query)
  if (match === null) return null
  const list = (match[1] as string).trim()
  if (list === '*') return null
  const names = list.split(',').map((name) => name.trim())
  return names.every((name) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) ? names : null
}

/** A bordered table. */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = header.map((name, column) =>
    Math.max(name.length, ...rows.map((row) => (row[column] ?? '').length)))
  const line = `+${widths.map((width) => '-'.repeat(width + 2)).join('+')}+`
  const render = (cells: readonly string[]): string =>
    `|${widths.map((width, column) => ` ${(cells[column] ?? '').padEnd(width)} `).join('|')}|`
  return [line, render(header), line, ...rows.map(render), line].join('\n')
}

/** The text printed for a successful answer to `query`. */
export function formatResult(query: string, result: QueryResult): string {
  switch (result.kind) {
    case 'empty':
      return '(Okay)'
    case 'value':
      return formatValue(result.value)
    case 'row': {
      const header = columnNames(query) ?? result.values.map((_value, index) => String(index))
      return formatTable(header, [result.values.map(formatValue)])
    }
    case 'rows': {
      const names = columnNames(query)
      const header = names !== null && names.length === result.columnCount
        ? names
        : Array.from({ length: result.columnCount }, (_value, index) => String(index))
      const table = formatTable(header, result.rows.map((row) => row.map(formatValue)))
      return `${table}\n(${result.rows.length} row${result.rows.length === 1 ? '' : 's'})`
    }
  }
}

/** The text printed for an error answer. */
export function formatQueryError(code: number): string {
  return `(error) ${code} ${queryErrorName(code) ?? 'unknown error code'}`
}
