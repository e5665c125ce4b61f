/**
 * Goal: every exported error class keeps its name, code, retryable flag, Skytable code, message,
 * fields and prototype chain (callers match on `code`, the query layer on `skytableCode`, logs on
 * `name` and `message`). Method: construct each with sample arguments and compare with a table.
 */
import { describe, expect, it } from 'vitest'
import { SkyError, isSkyError } from '@sky/std'
import * as gns from '../src/index.js'
import { GnsError, skytableCodeOf } from '../src/index.js'

const cause = new Error('underlying')

/** [error, name, code, retryable, skytableCode, message, extra fields] */
const table: readonly [Error, string, string, boolean, number, string, object][] = [
  [
    new gns.GnsInvalidNameError('1x', 'not an identifier'),
    'GnsInvalidNameError',
    'GNS_INVALID_NAME',
    false,
    28,
    'invalid name "1x": not an identifier',
    { value: '1x' },
  ],
  [
    new gns.GnsNotFoundError('space s'),
    'GnsNotFoundError',
    'GNS_NOT_FOUND',
    false,
    100,
    'space s not found',
    { what: 'space s' },
  ],
  [
    new gns.GnsUnknownFieldError('f'),
    'GnsUnknownFieldError',
    'GNS_UNKNOWN_FIELD',
    false,
    101,
    'unknown field f',
    { field: 'f' },
  ],
  [
    new gns.GnsInvalidPropertiesError('env is not a dict'),
    'GnsInvalidPropertiesError',
    'GNS_INVALID_PROPERTIES',
    false,
    102,
    'invalid properties: env is not a dict',
    {},
  ],
  [
    new gns.GnsAlreadyExistsError('model s.m'),
    'GnsAlreadyExistsError',
    'GNS_ALREADY_EXISTS',
    false,
    103,
    'model s.m already exists',
    { what: 'model s.m' },
  ],
  [
    new gns.GnsNotEmptyError('space s'),
    'GnsNotEmptyError',
    'GNS_NOT_EMPTY',
    false,
    104,
    'space s is not empty; use allow not empty',
    { what: 'space s' },
  ],
  [
    new gns.GnsInvalidTypeError('bare list'),
    'GnsInvalidTypeError',
    'GNS_INVALID_TYPE',
    false,
    105,
    'invalid type definition: bare list',
    {},
  ],
  [
    new gns.GnsBadModelDefinitionError('no field'),
    'GnsBadModelDefinitionError',
    'GNS_BAD_MODEL_DEFINITION',
    false,
    106,
    'bad model definition: no field',
    {},
  ],
  [
    new gns.GnsIllegalAlterError('remove the key'),
    'GnsIllegalAlterError',
    'GNS_ILLEGAL_ALTER',
    false,
    107,
    'illegal alter: remove the key',
    {},
  ],
  [
    new gns.GnsNeedLockError('narrows f'),
    'GnsNeedLockError',
    'GNS_NEED_LOCK',
    false,
    112,
    "alter needs a lock on the model's data: narrows f",
    {},
  ],
  [
    new gns.GnsAuthError('drop yourself'),
    'GnsAuthError',
    'GNS_AUTH',
    false,
    3,
    'user management refused: drop yourself',
    {},
  ],
  [
    new gns.GnsCatalogFullError('too many objects'),
    'GnsCatalogFullError',
    'GNS_CATALOG_FULL',
    false,
    0,
    'catalog full: too many objects',
    {},
  ],
  [
    new gns.GnsModelUnavailableError('model s.m', 'lost to damage'),
    'GnsModelUnavailableError',
    'GNS_MODEL_UNAVAILABLE',
    false,
    0,
    'model s.m is unavailable: lost to damage',
    { what: 'model s.m', reason: 'lost to damage' },
  ],
  [
    new gns.GnsPrepareConflictError('model s.m', 'p-1'),
    'GnsPrepareConflictError',
    'GNS_PREPARE_CONFLICT',
    true,
    4,
    'model s.m has a prepared operation p-1 awaiting commit or abort',
    { what: 'model s.m', prepareId: 'p-1' },
  ],
  [
    new gns.GnsUnknownPrepareError('p-2'),
    'GnsUnknownPrepareError',
    'GNS_UNKNOWN_PREPARE',
    false,
    4,
    'no pending prepared operation p-2',
    { prepareId: 'p-2' },
  ],
  [
    new gns.GnsDiskFullError({ cause }),
    'GnsDiskFullError',
    'GNS_DISK_FULL',
    true,
    0,
    'catalog journal disk full; nothing changed',
    { cause },
  ],
  [
    new gns.GnsPoisonedError({ cause }),
    'GnsPoisonedError',
    'GNS_POISONED',
    false,
    0,
    'catalog stopped after a storage failure; reopen to recover',
    { cause },
  ],
  [new gns.GnsClosedError(), 'GnsClosedError', 'GNS_CLOSED', false, 0, 'catalog is closed', {}],
  [
    new gns.GnsUnsupportedVersionError('gns.a', 9),
    'GnsUnsupportedVersionError',
    'GNS_UNSUPPORTED_VERSION',
    false,
    0,
    'gns.a has format version 9, which this skydb cannot read; refusing to rewrite it',
    { file: 'gns.a', version: 9 },
  ],
  [
    new gns.GnsUnrecoverableError(['gns.a: bad-header', 'gns.b: short']),
    'GnsUnrecoverableError',
    'GNS_UNRECOVERABLE',
    false,
    0,
    'catalog unrecoverable: gns.a: bad-header; gns.b: short',
    { details: ['gns.a: bad-header', 'gns.b: short'] },
  ],
]

describe('error classes', () => {
  it('cover every exported error class', () => {
    const exported = Object.entries(gns)
      .filter(([name, value]) => typeof value === 'function' && name.endsWith('Error'))
      .map(([name]) => name)
      .filter((name) => name !== 'GnsError')
      .sort()
    expect(table.map((row) => row[1]).sort()).toEqual(exported)
  })

  for (const [error, name, code, retryable, skytableCode, message, fields] of table) {
    it(`${name}: ${code}, retryable ${retryable}, Skytable ${skytableCode}`, () => {
      const constructor = (gns as unknown as Record<string, abstract new () => unknown>)[name]!
      expect(error).toBeInstanceOf(constructor)
      expect(error).toBeInstanceOf(GnsError)
      expect(error).toBeInstanceOf(SkyError)
      expect(error).toBeInstanceOf(Error)
      expect(Object.getPrototypeOf(error)).toBe(constructor.prototype)
      expect(error.name).toBe(name)
      expect(error.message).toBe(message)
      expect(isSkyError(error, code)).toBe(true)
      expect(error).toMatchObject({ code, retryable, skytableCode, ...fields })
      expect(skytableCodeOf(error)).toBe(skytableCode)
      expect(String(error)).toBe(`${name}: ${message}`)
    })
  }
})
