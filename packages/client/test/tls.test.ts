/**
 * TLS against the fake server with a self-signed certificate made at test time by the `openssl`
 * command (Node cannot make X.509 certificates without a library). Skipped, with a message, on a
 * machine without openssl.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect } from '../src/index.js'
import { startFakeServer } from './fake-server.js'
import type { FakeServer } from './fake-server.js'

function makeCertificate(): { key: string; cert: string } | null {
  const dir = mkdtempSync(join(tmpdir(), 'sky-client-tls-'))
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1',
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ], { stdio: 'ignore' })
    return {
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    }
  } catch {
    return null
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const certificate = makeCertificate()
if (certificate === null) console.warn('tls.test.ts: openssl not found, TLS tests skipped')

describe.skipIf(certificate === null)('TLS', () => {
  let server: FakeServer
  const material = certificate ?? { key: '', cert: '' }

  beforeAll(async () => {
    server = await startFakeServer({
      tls: material,
      answer: (query) => ({ type: 'string', value: query.queryText }),
    })
  })
  afterAll(async () => {
    await server.close()
  })

  it('connects, authenticates and queries over TLS with a trusted CA', async () => {
    const connection = await connect({
      port: server.port,
      tls: { ca: material.cert },
      username: 'root',
      password: 'pw',
    })
    const results = await Promise.all([connection.query('a'), connection.query('b')])
    expect(results.map((result) => result.scalar())).toEqual(['a', 'b'])
    await connection.close()
    expect(connection.closeReason).toBe('closed-by-client')
  })

  it('passes tls options through: the server name is checked against the certificate', async () => {
    const options = { port: server.port, username: 'root', password: 'pw' }
    const good = await connect({ ...options, tls: { ca: material.cert, servername: 'localhost' } })
    await good.close()
    const tls = { ca: material.cert, servername: 'other.test' }
    const error = await connect({ ...options, tls }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'CLIENT_CONNECT_FAILED' })
    expect((error as Error).message).toMatch(/other\.test/)
  })

  it('refuses an untrusted certificate with CLIENT_CONNECT_FAILED before the hello', async () => {
    const before = server.helloCount()
    const error = await connect({ port: server.port, tls: true, username: 'root', password: 'pw' })
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'CLIENT_CONNECT_FAILED' })
    expect(String((error as Error).message)).toMatch(/self[- ]signed/i)
    expect(server.helloCount()).toBe(before)
  })
})
