/**
 * formatStatement: a statement back to BlueQL text, with its parameters.
 *
 * BlueQL has no inline numbers or strings, so every value that came from a parameter is written
 * `?` and returned in `parameters`, in text order; `true`, `false` and `null` written in the
 * text stay inline. A template's placeholders are written `?` (its `parameters` is empty).
 *
 * Invariants (tested as a round trip): for a statement `s` parsed from any text,
 * `parseQuery(f.text, f.parameters)` with `f = formatStatement(s)` equals `s` up to spans and
 * parameter numbers. Output is canonical: lowercase keywords, one space between words, no
 * trailing commas, alter fields always in parentheses, a type's `type:` entry first.
 */
import { unreachable } from '@sky/std'
import type {
  AlterFieldSpec,
  Columns,
  Condition,
  Dict,
  DictEntry,
  DictValue,
  EntityRef,
  FieldDefinition,
  Identifier,
  InsertValue,
  Literal,
  NullValue,
  Placeholder,
  Statement,
  StatementTemplate,
  TypeSpec,
} from './ast.js'
import type { Parameter } from './parameter.js'
import { literalParameter } from './internal/literal.js'

/** Text and parameters that parse back to the formatted statement. */
export interface FormattedStatement {
  readonly text: string
  readonly parameters: readonly Parameter[]
}

type AnyValue = InsertValue<Placeholder> | DictValue<Placeholder>

/** Collects parameters while words are produced in text order. */
class Formatter {
  readonly parameters: Parameter[] = []

  value(value: AnyValue | Literal | NullValue): string {
    switch (value.kind) {
      case 'placeholder':
        return '?'
      case 'null':
        if (value.parameterIndex === null) return 'null'
        this.parameters.push({ type: 'null' })
        return '?'
      case 'bool':
        if (value.parameterIndex === null) return String(value.value)
        this.parameters.push({ type: 'bool', value: value.value })
        return '?'
      case 'uint':
      case 'sint':
      case 'float':
      case 'binary':
      case 'string':
        this.parameters.push(literalParameter(value))
        return '?'
      case 'list':
        return `[${value.elements.map((element) => this.value(element)).join(', ')}]`
      case 'function':
        return `@${value.name}()`
      case 'dict':
        return this.dict(value)
      default:
        return unreachable(value)
    }
  }

  dict(dict: Dict<Placeholder>): string {
    return this.entries(dict.entries, [])
  }

  /** `{ a: v, … }` with `leading` entries (already formatted) first; `{}` when empty. */
  entries(entries: readonly DictEntry<Placeholder>[], leading: readonly string[]): string {
    const parts = [...leading]
    for (const entry of entries) parts.push(`${entry.key.text}: ${this.value(entry.value)}`)
    return parts.length === 0 ? '{}' : `{ ${parts.join(', ')} }`
  }

  type(type: TypeSpec<Placeholder>): string {
    const leading = type.elementType === null ? [] : [`type: ${this.type(type.elementType)}`]
    if (leading.length === 0 && type.properties.length === 0) return type.name.text
    return `${type.name.text} ${this.entries(type.properties, leading)}`
  }

  field(field: FieldDefinition<Placeholder>): string {
    const prefix = `${field.primary ? 'primary ' : ''}${field.nullable ? 'null ' : ''}`
    return `${prefix}${field.name.text}: ${this.type(field.type)}`
  }

  alterField(field: AlterFieldSpec<Placeholder>): string {
    const leading: string[] = []
    if (field.type !== null) leading.push(`type: ${this.type(field.type)}`)
    if (field.nullable !== null) leading.push(`nullable: ${this.value(field.nullable)}`)
    return `${field.name.text} ${this.entries(field.properties, leading)}`
  }

  where(conditions: readonly Condition<Placeholder>[]): string {
    const parts = conditions.map(
      (condition) => `${condition.field.text} ${condition.operator} ${this.value(condition.value)}`,
    )
    return parts.join(' and ')
  }
}


function entity(ref: EntityRef): string {
  return ref.space === null ? ref.model.text : `${ref.space.text}.${ref.model.text}`
}

function columns(value: Columns): string {
  return value === '*' ? '*' : value.map((name: Identifier) => name.text).join(', ')
}

function clauses(...parts: readonly (string | false)[]): string {
  return parts.filter((part): part is string => part !== false).join(' ')
}

/**
 * Writes `statement` as BlueQL text and lists the parameters its `?` take.
 *
 * @example
 * ```ts
 * const { text, parameters } = formatStatement(parseQuery('select * from s.m where k = ?', [p]))
 * // text: 'select * from s.m where k = ?', parameters: [p]
 * ```
 */
export function formatStatement(statement: Statement | StatementTemplate): FormattedStatement {
  const formatter = new Formatter()
  const text = formatWith(formatter, statement as StatementTemplate)
  return { text, parameters: formatter.parameters }
}

function formatWith(f: Formatter, s: StatementTemplate): string {
  switch (s.kind) {
    case 'create-space':
      return clauses('create space', s.ifNotExists && 'if not exists', s.name.text,
        s.properties !== null && `with ${f.dict(s.properties)}`)
    case 'alter-space':
      return `alter space ${s.name.text} with ${f.dict(s.properties)}`
    case 'drop-space':
      return clauses('drop space', s.ifExists && 'if exists',
        s.allowNotEmpty && 'allow not empty', s.name.text)
    case 'create-model':
      return clauses('create model', s.ifNotExists && 'if not exists',
        `${entity(s.entity)}(${s.fields.map((field) => f.field(field)).join(', ')})`,
        s.properties !== null && `with ${f.dict(s.properties)}`)
    case 'alter-model-add':
    case 'alter-model-update': {
      const action = s.kind === 'alter-model-add' ? 'add' : 'update'
      const fields = s.fields.map((field) => f.alterField(field)).join(', ')
      return `alter model ${entity(s.entity)} ${action} (${fields})`
    }
    case 'alter-model-remove':
      return `alter model ${entity(s.entity)} remove (${columns(s.fields)})`
    case 'drop-model':
      return clauses('drop model', s.ifExists && 'if exists',
        s.allowNotEmpty && 'allow not empty', entity(s.entity))
    default:
      return formatOther(f, s)
  }
}

function formatOther(f: Formatter, s: StatementTemplate): string {
  switch (s.kind) {
    case 'use':
      if (s.target.kind === 'space') return `use ${s.target.name.text}`
      return s.target.kind === 'null' ? 'use null' : 'use $current'
    case 'inspect-global':
      return 'inspect global'
    case 'inspect-space':
      return `inspect space ${s.name.text}`
    case 'inspect-model':
      return `inspect model ${entity(s.entity)}`
    case 'insert': {
      const { data } = s
      if (data.kind === 'tuple') {
        const values = data.values.map((value) => f.value(value)).join(', ')
        return `insert into ${entity(s.entity)}(${values})`
      }
      const entries = data.entries.map((entry) => `${entry.key.text}: ${f.value(entry.value)}`)
      const body = entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`
      return `insert into ${entity(s.entity)} ${body}`
    }
    default:
      return formatRest(f, s)
  }
}

function formatRest(f: Formatter, s: StatementTemplate): string {
  switch (s.kind) {
    case 'select':
      return clauses(`select ${columns(s.columns)} from ${entity(s.entity)}`,
        s.where.length > 0 && `where ${f.where(s.where)}`)
    case 'select-all':
      return `select all ${columns(s.columns)} from ${entity(s.entity)} limit ${f.value(s.limit)}`
    case 'update': {
      const assignments = s.assignments.map(
        (item) => `${item.field.text} ${item.operator} ${f.value(item.value)}`,
      )
      return `update ${entity(s.entity)} set ${assignments.join(', ')} where ${f.where(s.where)}`
    }
    case 'delete':
      return `delete from ${entity(s.entity)} where ${f.where(s.where)}`
    case 'sysctl-report-status':
      return 'sysctl report status'
    case 'sysctl-create-user':
    case 'sysctl-alter-user': {
      const action = s.kind === 'sysctl-create-user' ? 'create' : 'alter'
      return `sysctl ${action} user ${s.user.text} with ${f.dict(s.properties)}`
    }
    case 'sysctl-drop-user':
      return `sysctl drop user ${s.user.text}`
    case 'begin':
      if (s.isolation === null) return 'begin'
      return `begin isolation level ${s.isolation.replace('-', ' ')}`
    case 'commit':
    case 'rollback':
      return s.kind
    default:
      throw new TypeError(`formatStatement: unknown kind ${String((s as { kind?: unknown }).kind)}`)
  }
}
