import { describe, expect, it } from 'vitest'
import { AssertionError, SkyError, assert, isSkyError, unreachable } from '../src/index.js'

class ExampleError extends SkyError {
  readonly code = 'STD_EXAMPLE'
  override readonly retryable = true
}

describe('SkyError', () => {
  it('carries its code, retryability, name and cause', () => {
    const cause = new Error('low level')
    const error = new ExampleError('example', { cause })
    expect(error.code).toBe('STD_EXAMPLE')
    expect(error.retryable).toBe(true)
    expect(error.name).toBe('ExampleError')
    expect(error.cause).toBe(cause)
  })

  it('is recognised by shape and code, and plain errors are not', () => {
    const error = new ExampleError('example')
    expect(isSkyError(error)).toBe(true)
    expect(isSkyError(error, 'STD_EXAMPLE')).toBe(true)
    expect(isSkyError(error, 'STD_OTHER')).toBe(false)
    expect(isSkyError(new Error('plain'))).toBe(false)
    expect(isSkyError({ code: 'STD_EXAMPLE', retryable: true })).toBe(false)
  })
})

describe('assert', () => {
  it('passes on truthy conditions and throws AssertionError otherwise', () => {
    expect(() => assert(1, 'one')).not.toThrow()
    expect(() => assert(0, 'zero is truthy')).toThrow(AssertionError)
    expect(() => assert(false, 'named')).toThrow('assertion failed: named')
  })

  it('unreachable always throws', () => {
    expect(() => unreachable('x' as never)).toThrow(AssertionError)
  })
})
