/**
 * @packageDocumentation
 * `@sky/std` holds what every skydb package shares and nothing else: {@link SkyError}, the base of
 * typed operating errors with stable codes, and {@link assert} / {@link unreachable} for invariants.
 * No I/O, no dependencies.
 */
export { SkyError, isSkyError } from './error.js'
export type { SkyErrorOptions } from './error.js'
export { AssertionError, assert, unreachable } from './assert.js'
