/**
 * resolveConfig: Skytable 0.8's names (YAML, flags, environment) and skydb's own, the layering
 * defaults < file < env < flags, endpoint parsing, validation errors naming their source, and
 * redaction. Pure: the YAML file is handed over as a string.
 */
import { describe, expect, it } from 'vitest'
import { configOptions, redactConfig, resolveConfig } from '../src/index.js'
import type { ResolvedConfig } from '../src/index.js'

const password = 'sixteen-chars-pw'

function resolve(
  argv: string[],
  env: Record<string, string> = {},
  file: string | null = null,
): Promise<ResolvedConfig> {
  return resolveConfig({
    argv: file === null ? argv : ['--config', '/etc/skyd.yaml', ...argv],
    env,
    cwd: '/srv',
    readFile: async () => file ?? '',
  })
}

describe('resolveConfig', () => {
  it('defaults to a dev TCP endpoint on 127.0.0.1:2003 and ./skydb-data', async () => {
    const { config, origins } = await resolve([])
    expect(config).toMatchObject({
      mode: 'dev',
      tcp: { host: '127.0.0.1', port: 2003 },
      tls: null,
      dataDir: '/srv/skydb-data',
      durability: 'sync',
      rootPassword: null,
    })
    expect(origins.endpoints).toBe('default')
  })

  it("reads Skytable's YAML layout", async () => {
    const { config } = await resolve(
      [],
      {},
      [
        'system:',
        '  mode: prod',
        '  rs_window: 600',
        'auth:',
        '  plugin: pwd',
        `  root_pass: ${password}`,
        'endpoints:',
        '  secure: { host: 0.0.0.0, port: 2004, cert: c.pem, private_key: k.pem,',
        '            pkey_passphrase: p.txt }',
        '  insecure: { host: 127.0.0.1, port: 2003 }',
      ].join('\n'),
    )
    expect(config.mode).toBe('prod')
    expect(config.rootPassword).toBe(password)
    expect(config.tcp).toEqual({ host: '127.0.0.1', port: 2003 })
    expect(config.tls).toEqual({
      host: '0.0.0.0',
      port: 2004,
      cert: '/srv/c.pem',
      key: '/srv/k.pem',
      passphraseFile: '/srv/p.txt',
    })
    expect(config.serviceWindowS).toBe(600)
  })

  it("reads Skytable's flags and environment variables", async () => {
    const flags = await resolve([
      '--mode',
      'prod',
      '--auth-root-password',
      password,
      '--endpoint',
      'tcp@0.0.0.0:3000',
      '--endpoint=tls@[::1]:3001',
      '--tlscert',
      'c',
      '--tlskey',
      'k',
    ])
    expect(flags.config).toMatchObject({
      mode: 'prod',
      rootPassword: password,
      tcp: { host: '0.0.0.0', port: 3000 },
      tls: { host: '::1', port: 3001, cert: '/srv/c', key: '/srv/k' },
    })
    const env = await resolve([], {
      SKYDB_RUN_MODE: 'prod',
      SKYDB_AUTH_ROOT_PASSWORD: password,
      SKYDB_ENDPOINTS: 'tcp@127.0.0.1:4000,tls@127.0.0.1:4001',
      SKYDB_TLS_CERT: 'c',
      SKYDB_TLS_KEY: 'k',
      SKYDB_TLS_PASSPHRASE: 'p',
    })
    expect(env.config).toMatchObject({
      mode: 'prod',
      tcp: { port: 4000 },
      tls: { port: 4001, passphraseFile: '/srv/p' },
    })
  })

  it('layers flags over env over file over defaults, saying where each came from', async () => {
    const { config, origins } = await resolve(
      ['--max-connections', '30'],
      { SKYDB_MAX_CONNECTIONS: '20', SKYDB_IDLE_TIMEOUT_MS: '5' },
      'limits:\n  max_connections: 10\n  idle_timeout_ms: 1\n  handshake_timeout_ms: 7\n',
    )
    expect(config.connectionsMax).toBe(30)
    expect(config.idleTimeoutMs).toBe(5)
    expect(config.handshakeTimeoutMs).toBe(7)
    expect(origins).toMatchObject({
      connectionsMax: 'flag',
      idleTimeoutMs: 'env',
      handshakeTimeoutMs: 'file',
      frameBytesMax: 'default',
    })
  })

  it('takes endpoints whole from the highest layer that names any', async () => {
    const { config } = await resolve(
      ['--endpoint', 'tls@127.0.0.1:2004', '--tlscert', 'c', '--tlskey', 'k'],
      { SKYDB_ENDPOINTS: 'tcp@127.0.0.1:9' },
    )
    expect(config.tcp).toBeNull()
    expect(config.tls?.port).toBe(2004)
  })

  it.each([
    [['--auth-root-password', 'short'], {}, null, 'at least 16 characters'],
    [['--endpoint', 'udp@h:1'], {}, null, 'protocol@host:port'],
    [['--endpoint', 'tcp@h:70000'], {}, null, 'port must be 0-65535'],
    [['--endpoint', 'tcp@a:1', '--endpoint', 'tcp@b:2'], {}, null, 'more than one tcp endpoint'],
    [['--endpoint', 'tls@h:1'], {}, null, '--tlscert and --tlskey'],
    [['--mode', 'prod', '--durability', 'none'], {}, null, 'refused in prod mode'],
    [['--max-query-bytes', '100', '--max-frame-bytes', '50'], {}, null, 'exceeds max frame bytes'],
    [['--max-connections', '0'], {}, null, 'expected an integer >= 1'],
    [
      [],
      { SKYDB_DURABILITY: 'sometimes' },
      null,
      'SKYDB_DURABILITY: expected one of sync, batch, none',
    ],
    [[], {}, 'system:\n  mood: happy\n', 'unknown setting system.mood'],
    [[], {}, 'system: [1, 2]\n', 'must not be a list'],
    [[], {}, 'system: {\n', 'not valid YAML'],
  ])('refuses %j %j %j: %s', async (argv, env, file, message) => {
    await expect(resolve(argv, env, file)).rejects.toMatchObject({
      code: 'SERVER_CONFIG_INVALID',
      message: expect.stringContaining(message),
    })
  })

  it('refuses malformed flags as usage errors', async () => {
    await expect(resolve(['--data-dir'])).rejects.toMatchObject({ code: 'SERVER_USAGE' })
    await expect(resolve(['--bogus', '1'])).rejects.toMatchObject({ code: 'SERVER_USAGE' })
    await expect(resolve(['--mode', 'dev', '--mode', 'prod'])).rejects.toMatchObject({
      code: 'SERVER_USAGE',
    })
  })

  it('lowers the default query limit with a lowered frame limit', async () => {
    const { config } = await resolve(['--max-frame-bytes', '4096'])
    expect(config.queryBytesMax).toBe(4096)
  })

  it('warns about settings without effect', async () => {
    const { warnings } = await resolve(['--service-window', '300', '--tlscert', 'c'])
    expect(warnings).toHaveLength(2)
  })

  it('redacts the root password', async () => {
    const { config } = await resolve(['--auth-root-password', password])
    expect(JSON.stringify(redactConfig(config))).not.toContain(password)
    expect(redactConfig(config).rootPassword).toBe('(redacted)')
  })

  it('names every option in YAML, as a flag and as an environment variable', () => {
    for (const entry of configOptions) {
      expect(entry.yaml, entry.key).toMatch(/^[a-z_]+\.[a-z_.]+$/)
      expect(entry.flag, entry.key).toMatch(/^--[a-z-]+$/)
      expect(entry.env, entry.key).toMatch(/^SKYDB_[A-Z_]+$/)
    }
  })
})
