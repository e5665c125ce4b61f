/**
 * Parameter binding and Skytable's error order: which parameter problems are reported, with
 * which code, and in what order against lexing and parsing errors (blueql.md §1.4, §3.1).
 */
import { describe, expect, it } from 'vitest'
import { QueryError, locate, parseQuery, prepare, queryErrorCodes } from '../src/index.js'
import type { Identifier, Parameter } from '../src/index.js'
import { codeOf, errorOf } from './helpers.js'
import { bool, float, nul, sint, str, uint } from './statement-table.js'

const bad = new Error('unreadable parameter')

describe('PreparedStatement.bind', () => {
  const prepared = prepare('update s.m set a = ?, b += ? where k = ? and z < ?')

  it('counts the ? of the text and keeps placeholders in the template', () => {
    expect(prepared.parameterCount).toBe(4)
    expect(prepared.statement).toMatchObject({
      assignments: [{ value: { kind: 'placeholder', index: 0 } }, { value: { index: 1 } }],
      where: [{ value: { kind: 'placeholder', index: 2 } }, { value: { index: 3 } }],
    })
  })

  it('binds in order, ignores extra parameters and leaves the template untouched', () => {
    const before = JSON.stringify(prepared.statement)
    const first = prepared.bind([uint(1), sint(-2), str('k'), float(1.5), str('extra')])
    const second = prepared.bind([bool(true), bool(false), str('j'), float(2)])
    expect(first).toMatchObject({
      assignments: [{ value: { kind: 'uint', value: 1n, parameterIndex: 0 } }, {
        value: { kind: 'sint', value: -2n, parameterIndex: 1 },
      }],
      where: [{ value: { kind: 'string', value: 'k' } }, { value: { kind: 'float', value: 1.5 } }],
    })
    expect(second).toMatchObject({ assignments: [{ value: { kind: 'bool', value: true } }, {}] })
    expect(JSON.stringify(prepared.statement)).toBe(before)
  })

  it('gives the span of its ? to each bound value', () => {
    const statement = prepared.bind([uint(1), uint(2), str('k'), uint(3)])
    if (statement.kind !== 'update') throw new Error('update expected')
    for (const item of [...statement.assignments, ...statement.where]) {
      expect(prepared.text.slice(item.value.span.start, item.value.span.end)).toBe('?')
    }
  })

  it('returns the template itself when the text has no placeholder', () => {
    const noPlaceholders = prepare('select * from s.m where k = true')
    expect(noPlaceholders.bind([])).toBe(noPlaceholders.statement)
  })

  it('reports the first missing parameter with its index and position', () => {
    const error = errorOf(() => prepared.bind([uint(1), uint(2)]))
    expect(error.code).toBe('QL_INVALID_SYNTAX')
    expect(error.parameterIndex).toBe(2)
    expect(error.position).toEqual(locate(prepared.text, prepared.text.indexOf('k = ?') + 4))
    expect(error.statementKeyword).toBe('update')
  })

  it('reports a refused parameter before a missing later one', () => {
    expect(errorOf(() => prepared.bind([nul])).parameterIndex).toBe(0)
  })
})

describe('parameter values', () => {
  const query = 'select * from s.m where k = ?'

  it('accepts the whole u64 and i64 ranges and nothing beyond (25)', () => {
    expect(codeOf(() => parseQuery(query, [uint((1n << 64n) - 1n)]))).toBe('ok')
    expect(codeOf(() => parseQuery(query, [uint(-1)]))).toBe(25)
    expect(codeOf(() => parseQuery(query, [sint(-(1n << 63n))]))).toBe('ok')
    expect(codeOf(() => parseQuery(query, [sint(1n << 63n)]))).toBe(25)
  })

  it('accepts any float, NaN and infinities included', () => {
    for (const value of [Number.NaN, Infinity, -Infinity, -0, 5e-324]) {
      expect(codeOf(() => parseQuery(query, [float(value)]))).toBe('ok')
    }
  })

  it('rejects a string with a lone surrogate (25) but not a surrogate pair', () => {
    expect(codeOf(() => parseQuery(query, [str('a\udc00')]))).toBe(25)
    expect(codeOf(() => parseQuery(query, [str('\ud83d')]))).toBe(25)
    expect(codeOf(() => parseQuery(query, [str('\ud83d\ude00')]))).toBe('ok')
  })

  it('checks only the parameters a ? reaches', () => {
    expect(codeOf(() => parseQuery(query, [uint(1), uint(-1)]))).toBe('ok')
  })

  it('throws TypeError for values that are not Parameters', () => {
    const cases: unknown[] = [
      [{ type: 'uint', value: 1 }],
      [{ type: 'text', value: 'x' }],
      [null],
      [{ type: 'binary', value: [1, 2] }],
      [{ type: 'bool', value: 1 }],
      'not an array',
    ]
    for (const parameters of cases) {
      expect(() => parseQuery(query, parameters as Parameter[])).toThrow(TypeError)
    }
  })
})

describe('parameterError (a parameter the protocol could not decode)', () => {
  it('is error 25 at the ? that would take it, with the decoder error as cause', () => {
    const error = errorOf(() => parseQuery('use ?', [], { parameterError: bad }))
    expect(error.code).toBe('QL_INVALID_PARAMETER')
    expect(error.cause).toBe(bad)
    expect(error.position?.offset).toBe(4)
    expect(error.statementKeyword).toBeNull()
  })

  it('is ignored when the text has no ? for it', () => {
    expect(codeOf(() => parseQuery('use ?', [nul], { parameterError: bad }))).toBe('ok')
    expect(codeOf(() => parseQuery('use s', [], { parameterError: bad }))).toBe('ok')
    expect(codeOf(() => parseQuery('use s', [], { parameterError: null }))).toBe('ok')
  })

  it('loses to a bad byte before its ? and wins over one after', () => {
    expect(codeOf(() => parseQuery('\r ?', [], { parameterError: bad }))).toBe(26)
    expect(codeOf(() => parseQuery('? \r', [], { parameterError: bad }))).toBe(25)
  })

  it('wins over any syntax error, since lexing comes first', () => {
    expect(codeOf(() => parseQuery('? ? ?', [uint(1)], { parameterError: bad }))).toBe(25)
    expect(codeOf(() => parseQuery('? ? ?', [uint(1)]))).toBe(32)
  })

  it('also applies to PreparedStatement.bind', () => {
    const prepared = prepare('select * from s.m where k = ? and j = ?')
    expect(codeOf(() => prepared.bind([uint(1)], { parameterError: bad }))).toBe(25)
    expect(codeOf(() => prepared.bind([uint(1), uint(2)], { parameterError: bad }))).toBe('ok')
  })
})

describe('error order between placeholders and syntax', () => {
  it('lets a refused parameter win over a later syntax error with another code', () => {
    // The dict of alter space is 29, the trailing token after it 28.
    const query = 'alter space s with { env: ? } x'
    expect(codeOf(() => prepare(query))).toBe(28)
    expect(codeOf(() => parseQuery(query, []))).toBe(29)
    expect(codeOf(() => parseQuery(query, [uint(1)]))).toBe(28)
  })

  it('decides `primary ?` by the parameter: null is primary null (30), a string 28', () => {
    const query = 'create model s.m(primary ? a: string, b: string)'
    expect(codeOf(() => parseQuery(query, [nul]))).toBe(30)
    expect(codeOf(() => parseQuery(query, [str('x')]))).toBe(28)
    expect(codeOf(() => parseQuery(query, []))).toBe(28)
  })
})

describe('QueryError', () => {
  it('maps every code to the Skytable code of blueql.md §6', () => {
    expect(queryErrorCodes).toMatchObject({
      QL_AUTH_ERROR: 3, QL_PERMISSION_DENIED: 5, QL_LIMIT_EXCEEDED: 6, QL_INVALID_PARAMETER: 25,
      QL_UNEXPECTED_BYTE: 26, QL_UNEXPECTED_END: 27, QL_INVALID_SYNTAX: 28,
      QL_INVALID_COLLECTION_SYNTAX: 29, QL_INVALID_TYPE_DEFINITION_SYNTAX: 30,
      QL_EXPECTED_ENTITY: 31, QL_EXPECTED_STATEMENT: 32, QL_UNKNOWN_STATEMENT: 33,
      QL_OBJECT_NOT_FOUND: 100, QL_NEED_LOCK: 112,
    })
    const codes = Object.values(queryErrorCodes)
    expect(new Set(codes).size).toBe(codes.length)
    for (const [code, skytableCode] of Object.entries(queryErrorCodes)) {
      const error = new QueryError(code as keyof typeof queryErrorCodes, 'm')
      expect(error.skytableCode).toBe(skytableCode)
      expect(error.retryable).toBe(false)
      expect(error.name).toBe('QueryError')
    }
  })

  it('names the statement keyword so an executor can answer 5 to non-root DDL first', () => {
    expect(errorOf(() => parseQuery('create space')).statementKeyword).toBe('create')
    expect(errorOf(() => parseQuery('drop model m')).statementKeyword).toBe('drop')
    expect(errorOf(() => parseQuery('alter model s.m x')).statementKeyword).toBe('alter')
    expect(errorOf(() => parseQuery('sysctl magic moon')).statementKeyword).toBe('sysctl')
    expect(errorOf(() => parseQuery('create 5')).statementKeyword).toBeNull()
    expect(errorOf(() => parseQuery('hello')).statementKeyword).toBeNull()
    expect(errorOf(() => parseQuery('begin now')).statementKeyword).toBe('begin')
  })
})

describe('parse options', () => {
  it('rejects bare names without a current space: 28 in DML, 31 in inspect', () => {
    const options = { hasCurrentSpace: false }
    expect(codeOf(() => parseQuery('select * from m', [], options))).toBe(28)
    expect(codeOf(() => parseQuery('inspect model m x', [], options))).toBe(31)
    expect(codeOf(() => parseQuery('inspect model m x', []))).toBe(28)
    expect(codeOf(() => parseQuery('select * from s.m', [], options))).toBe('ok')
  })

  it('checks its arguments at the boundary', () => {
    expect(() => parseQuery(5 as unknown as string)).toThrow(TypeError)
    const options = { hasCurrentSpace: 'no' as unknown as boolean }
    expect(() => prepare('use s', options)).toThrow(TypeError)
  })
})

describe('spans', () => {
  it('slice every identifier back to its text and cover the statement', () => {
    const text = '  create model s.m(primary k: string, null v: list { type: uint8 }) with {} '
    const statement = parseQuery(text)
    expect(text.slice(statement.span.start, statement.span.end)).toBe(text.trim())
    const identifiers: Identifier[] = []
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk)
      else if (typeof node === 'object' && node !== null) {
        if ((node as { kind?: unknown }).kind === 'identifier') identifiers.push(node as Identifier)
        Object.values(node).forEach(walk)
      }
    }
    walk(statement)
    const texts = identifiers.map((item) => item.text)
    expect(texts).toEqual(['s', 'm', 'k', 'string', 'v', 'list', 'uint8'])
    for (const item of identifiers) {
      expect(text.slice(item.span.start, item.span.end)).toBe(item.text)
    }
  })
})
