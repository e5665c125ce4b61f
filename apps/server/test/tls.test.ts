/**
 * The TLS endpoint of a real skyd, with a self-signed certificate made at test time by the
 * `openssl` command (skipped with a message where openssl is missing): TCP and TLS endpoints
 * side by side, Skytable's flag names (`--endpoint tls@…`, `--tlscert`, `--tlskey`,
 * `--tls-passphrase` naming a file that holds the key's passphrase), and a client that trusts
 * the certificate.
 */
import { execFileSync } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { connect } from '@sky/client'
import { afterAll, expect, it } from 'vitest'
import { removeDir, rootPassword, runCliInProcess, startSkyd, tempDir } from './support/skyd.js'

const dirs: string[] = []
afterAll(async () => {
  for (const dir of dirs) await removeDir(dir)
})

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

const openssl = hasOpenssl()
if (!openssl) console.warn('tls.test.ts: openssl not found, TLS tests skipped')

/** A self-signed certificate for 127.0.0.1 whose key is encrypted with `passphrase`. */
async function makeCertificate(
  dir: string,
  passphrase: string,
): Promise<{ cert: string; key: string; pass: string }> {
  const cert = path.join(dir, 'cert.pem')
  const key = path.join(dir, 'key.pem')
  const pass = path.join(dir, 'passphrase.txt')
  await writeFile(pass, `${passphrase}\n`)
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout',
      key,
      '-out',
      cert,
      '-passout',
      `file:${pass}`,
    ],
    { stdio: 'ignore' },
  )
  return { cert, key, pass }
}

it.skipIf(!openssl)('serves TLS and TCP side by side with a passphrase-protected key', async () => {
  const dir = await tempDir('skyd-tls-')
  dirs.push(dir)
  const files = await makeCertificate(dir, 'key-passphrase')
  const skyd = await startSkyd({
    endpoints: ['tcp@127.0.0.1:0', 'tls@127.0.0.1:0'],
    args: ['--tlscert', files.cert, '--tlskey', files.key, '--tls-passphrase', files.pass],
  })
  try {
    expect(skyd.tlsPort).not.toBeNull()
    const ca = await readFile(files.cert)
    const secure = await connect({
      port: skyd.tlsPort as number,
      tls: { ca },
      username: 'root',
      password: rootPassword,
    })
    await secure.query('create space t')
    await secure.query('create model t.kv(k: string, v: string)')
    await secure.query('insert into t.kv(?, ?)', 'over', 'tls')
    const plain = await connect({ port: skyd.port, username: 'root', password: rootPassword })
    expect((await plain.query('select v from t.kv where k = ?', 'over')).row()).toEqual(['tls'])
    // A client that does not trust the certificate is refused by TLS itself.
    await expect(
      connect({
        port: skyd.tlsPort as number,
        tls: true,
        username: 'root',
        password: rootPassword,
      }),
    ).rejects.toMatchObject({ code: 'CLIENT_CONNECT_FAILED' })
    await secure.close()
    await plain.close()
  } finally {
    expect((await skyd.stop()).code).toBe(0)
    await removeDir(skyd.dataDir)
  }
})

it.skipIf(!openssl)(
  'refuses a TLS endpoint without a key, and a wrong passphrase (exit 2, exit 5)',
  async () => {
    const dir = await tempDir('skyd-tls-')
    dirs.push(dir)
    const files = await makeCertificate(dir, 'key-passphrase')
    const noKey = await runCliInProcess([
      'serve',
      '--data-dir',
      path.join(dir, 'data'),
      '--auth-root-password',
      rootPassword,
      '--endpoint',
      'tls@127.0.0.1:0',
      '--tlscert',
      files.cert,
    ])
    expect(noKey.code).toBe(2)
    expect(noKey.stderr).toContain('--tlskey')
    const wrong = path.join(dir, 'wrong.txt')
    await writeFile(wrong, 'not-the-passphrase\n')
    const badPass = await runCliInProcess([
      'serve',
      '--data-dir',
      path.join(dir, 'data'),
      '--auth-root-password',
      rootPassword,
      '--endpoint',
      'tls@127.0.0.1:0',
      '--tlscert',
      files.cert,
      '--tlskey',
      files.key,
      '--tls-passphrase',
      wrong,
    ])
    expect(badPass.code).toBe(5)
    expect(badPass.stderr).toContain('SERVER_ENDPOINT_FAILED')
  },
)
