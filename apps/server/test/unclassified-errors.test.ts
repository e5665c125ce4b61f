/**
 * Failures outside a statement get the Skytable code that classifies them (blueql.md §6): a
 * typed storage failure is 0 SysServerError, an untyped one 2 SysUnknownError, and either way
 * the connection keeps answering. Runs an in-process SkyServer on 127.0.0.1 over a stand-in
 * backend, because a real engine has no way to fail like this on demand.
 */
import { connect } from '@sky/client'
import type { Response } from '@sky/protocol'
import { SkyError } from '@sky/std'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SkyServer, resolveConfig, silentLogger } from '../src/index.js'
import type { BackendSession, QueryBackend } from '../src/index.js'

class StorageStopped extends SkyError {
  readonly code = 'TEST_STORAGE_STOPPED'
}

/** Answers `select 1`-style queries with Empty, and fails on the two trigger texts. */
function standInBackend(): QueryBackend {
  const session = (user: string): BackendSession => ({
    user,
    isRoot: true,
    transactionState: 'none',
    async respond(query: string): Promise<Response> {
      if (query === 'fail untyped') throw new TypeError('x is not a function')
      if (query === 'fail typed') throw new StorageStopped('the engine stopped')
      return { type: 'empty' }
    },
    close() {},
  })
  return {
    verifyPassword: async (user, password) => user === 'root' && password === 'stand-in-password',
    openSession: session,
    counters: () => ({ healthy: true }),
    checkpoint: async () => {},
    backup: async () => {
      throw new StorageStopped('no backups here')
    },
    close: async () => {},
  }
}

let server: SkyServer
let port: number

beforeAll(async () => {
  const { config } = await resolveConfig({
    argv: ['--data-dir', '/nonexistent-unused', '--endpoint', 'tcp@127.0.0.1:0'],
    env: {},
    cwd: '/',
    readFile: async () => '',
  })
  server = await SkyServer.start({ config, backend: standInBackend(), log: silentLogger })
  port = server.addresses.tcp!.port
})

afterAll(async () => {
  await server.shutdown()
})

describe('a failure outside the statement', () => {
  it('answers 2 SysUnknownError for an untyped failure and 0 for a typed one, then goes on', async () => {
    const client = await connect({ port, username: 'root', password: 'stand-in-password' })
    try {
      await expect(client.query('fail untyped')).rejects.toMatchObject({ skytableCode: 2 })
      await expect(client.query('fail typed')).rejects.toMatchObject({ skytableCode: 0 })
      // Same connection, still answering.
      expect((await client.query('anything')).kind).toBe('empty')
    } finally {
      await client.close()
    }
  })
})
