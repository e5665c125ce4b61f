/**
 * The `skyd` command line as an operator uses it: start-up refusals
 * (no root password on first start, a short one), the configuration printed with the password
 * redacted and layered from YAML, environment and flags, the maintenance commands (verify,
 * repair, backup, restore) with their exit codes on a live, a stopped and a damaged directory,
 * and the shell fed from standard input. Servers are real processes; the short-lived commands
 * run in this process through the same `runCli` the binary calls (one spawned `skyd` checks the
 * binary itself), which keeps the file fast.
 */
import { readFile, readdir, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  connectTo,
  removeDir,
  rootPassword,
  runCliInProcess as runSkyd,
  runSkyd as spawnSkyd,
  startSkyd,
  tempDir,
} from './support/skyd.js'
import type { SkydProcess } from './support/skyd.js'

const scratch: string[] = []
async function scratchDir(): Promise<string> {
  const dir = await tempDir('skyd-cli-')
  scratch.push(dir)
  return dir
}

afterAll(async () => {
  for (const dir of scratch) await removeDir(dir)
})

describe('start-up', () => {
  it('refuses a first start without a root password, saying how (exit 2)', async () => {
    const dir = path.join(await scratchDir(), 'data')
    const result = await runSkyd(['serve', '--data-dir', dir, '--endpoint', 'tcp@127.0.0.1:0'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('--auth-root-password')
    expect(result.stderr).toContain('SKYDB_AUTH_ROOT_PASSWORD')
    await expect(stat(dir)).rejects.toMatchObject({ code: 'ENOENT' }) // nothing was created
  })

  it('refuses a root password shorter than 16 characters, as Skytable does (exit 2)', async () => {
    const dir = await scratchDir()
    const result = await runSkyd(['serve', '--data-dir', dir, '--auth-root-password', 'short'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('at least 16 characters')
  })

  it('refuses an unknown flag and an unknown YAML key (exit 2)', async () => {
    expect((await runSkyd(['serve', '--no-such-flag', 'x'])).code).toBe(2)
    const dir = await scratchDir()
    const file = path.join(dir, 'skyd.yaml')
    await writeFile(file, 'system:\n  mode: dev\n  no_such_key: 1\n')
    const result = await runSkyd(['serve', '--config', file])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('unknown setting system.no_such_key')
  })

  it('prints the configuration, layered file < env < flags, password redacted', async () => {
    const dir = await scratchDir()
    const file = path.join(dir, 'skyd.yaml')
    await writeFile(
      file,
      [
        'system:',
        '  mode: dev',
        `  data_dir: ${path.join(dir, 'data')}`,
        '  log_level: warn',
        'auth:',
        '  plugin: pwd',
        `  root_pass: ${rootPassword}`,
        'endpoints:',
        '  insecure:',
        '    host: 127.0.0.1',
        '    port: 0',
        'limits:',
        '  max_connections: 50',
        '',
      ].join('\n'),
    )
    const skyd = await startSkyd({
      dataDir: path.join(dir, 'data'),
      omitDataDirFlag: true,
      rootPassword: null,
      endpoints: [],
      args: ['--config', file, '--log-level', 'info'],
      env: { SKYDB_MAX_CONNECTIONS: '60', SKYDB_IDLE_TIMEOUT_MS: '1234' },
    })
    const printed = skyd.logs.find((record) => record.msg === 'configuration') as unknown as {
      config: Record<string, unknown>
      origins: Record<string, string>
    }
    expect(printed.config.rootPassword).toBe('(redacted)')
    expect(printed.config.connectionsMax).toBe(60)
    expect(printed.config.idleTimeoutMs).toBe(1234)
    expect(printed.config.logLevel).toBe('info')
    expect(printed.origins).toMatchObject({
      rootPassword: 'file',
      connectionsMax: 'env',
      logLevel: 'flag',
      endpoints: 'file',
      mode: 'file',
    })
    expect(JSON.stringify(skyd.logs)).not.toContain(rootPassword)
    const client = await connectTo(skyd)
    expect((await client.query('sysctl report status')).kind).toBe('empty')
    await client.close()
    expect((await skyd.stop()).code).toBe(0)
  })

  it('runs from the bin launcher in a fresh process', async () => {
    const result = await spawnSkyd(['--version'])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^skyd \(skydb\) \d/)
  })

  it('answers --help, --version and an unknown command', async () => {
    const help = await runSkyd(['--help'])
    expect(help.code).toBe(0)
    for (const command of ['serve', 'shell', 'verify', 'repair', 'backup', 'restore']) {
      expect(help.stdout).toContain(command)
      const own = await runSkyd([command, '--help'])
      expect(own.code).toBe(0)
      expect(own.stdout).toContain(`skyd ${command}`)
    }
    expect((await runSkyd(['serve', '--help'])).stdout).toContain('SKYDB_AUTH_ROOT_PASSWORD')
    expect((await runSkyd(['--version'])).stdout).toMatch(/^skyd \(skydb\) \d/)
    expect((await runSkyd(['frobnicate'])).code).toBe(2)
  })
})

describe('maintenance commands', () => {
  let skyd: SkydProcess
  let dataDir: string

  beforeAll(async () => {
    dataDir = path.join(await scratchDir(), 'data')
    skyd = await startSkyd({ dataDir })
    const client = await connectTo(skyd)
    await client.query('create space m')
    await client.query('create model m.kv(k: uint64, v: string)')
    for (let key = 0; key < 20; key += 1)
      await client.query('insert into m.kv(?, ?)', key, `v${key}`)
    await client.close()
  })

  it('runs verify beside a live server; repair and a passwordless backup get 3', async () => {
    expect((await runSkyd(['verify', '--data-dir', dataDir])).code).toBe(0)
    const backup = await runSkyd(
      ['backup', '--data-dir', dataDir, '--to', path.join(await scratchDir(), 'b')],
      { env: { SKYDB_PASSWORD: '', SKYDB_AUTH_ROOT_PASSWORD: '' } },
    )
    expect(backup.code).toBe(3)
    expect(backup.stderr).toContain('RECOVERY_LOCKED')
    expect(backup.stderr).toContain('to back up through it, give its root password')
    expect((await runSkyd(['repair', '--data-dir', dataDir])).code).toBe(3)
    expect((await skyd.stop()).code).toBe(0)
  })

  it('verify, backup and restore a stopped directory; the restore serves the rows', async () => {
    const verified = await runSkyd(['verify', '--data-dir', dataDir])
    expect(verified.code).toBe(0)
    expect(verified.stdout).toContain('ok')
    expect(verified.stderr).toContain('verifying') // progress on standard error
    const backupDir = path.join(await scratchDir(), 'backup')
    const backup = await runSkyd(['backup', '--data-dir', dataDir, '--to', backupDir])
    expect(backup.code).toBe(0)
    expect(backup.stdout).toContain('backup written')
    const restoredDir = path.join(await scratchDir(), 'restored')
    const restored = await runSkyd([
      'restore',
      '--from',
      backupDir,
      '--data-dir',
      restoredDir,
      '--json',
    ])
    expect(restored.code).toBe(0)
    expect(JSON.parse(restored.stdout)).toMatchObject({ stoppedAt: 'end of journal' })
    const again = await runSkyd(['restore', '--from', backupDir, '--data-dir', restoredDir])
    expect(again.code).toBe(1) // the target is not empty
    const server = await startSkyd({ dataDir: restoredDir, rootPassword: null })
    const client = await connectTo(server)
    expect((await client.query('select v from m.kv where k = ?', 19)).row()).toEqual(['v19'])
    await client.close()
    expect((await server.stop()).code).toBe(0)
  })

  it('refuses a directory damaged mid-journal (exit 4); repair opens it (exit 0)', async () => {
    const damagedDir = path.join(await scratchDir(), 'damaged')
    const server = await startSkyd({ dataDir: damagedDir })
    const client = await connectTo(server)
    await client.query('create space d')
    await client.query('create model d.kv(k: uint64, v: string)')
    for (let key = 0; key < 50; key += 1)
      await client.query('insert into d.kv(?, ?)', key, 'x'.repeat(200))
    await server.stop('SIGKILL') // no shutdown checkpoint: the rows live in the journal only
    const journalDir = path.join(damagedDir, 'journal')
    const [segment] = (await readdir(journalDir)).filter((name) => name.endsWith('.log'))
    const file = path.join(journalDir, segment as string)
    const bytes = await readFile(file)
    const middle = Math.floor(bytes.length / 2)
    bytes[middle] = (bytes[middle] as number) ^ 0xff // one flipped byte, valid frames after it
    await writeFile(file, bytes)

    const refused = await runSkyd([
      'serve',
      '--data-dir',
      damagedDir,
      '--endpoint',
      'tcp@127.0.0.1:0',
    ])
    expect(refused.code).toBe(4)
    expect(refused.stderr).toContain('skyd repair')
    expect((await runSkyd(['verify', '--data-dir', damagedDir])).code).toBe(1)
    expect((await runSkyd(['repair', '--data-dir', damagedDir, '--dry-run'])).code).toBe(1)
    const repaired = await runSkyd(['repair', '--data-dir', damagedDir])
    expect(repaired.code).toBe(0)
    expect(repaired.stdout).toContain('repaired')
    expect(await readdir(damagedDir)).toContain('quarantine')
    const reopened = await startSkyd({ dataDir: damagedDir, rootPassword: null })
    const after = await connectTo(reopened)
    expect((await after.query('select v from d.kv where k = ?', 0)).row()).toEqual([
      'x'.repeat(200),
    ])
    await after.close()
    expect((await reopened.stop()).code).toBe(0)
  })
})

describe('skyd shell', () => {
  let skyd: SkydProcess
  beforeAll(async () => {
    skyd = await startSkyd()
  })
  afterAll(async () => {
    expect((await skyd.stop()).code).toBe(0)
    await removeDir(skyd.dataDir)
  })

  const shell = (input: string, extra: string[] = []): ReturnType<typeof runSkyd> =>
    runSkyd(['shell', '--port', String(skyd.port), ...extra], {
      input,
      env: { SKYDB_PASSWORD: rootPassword },
    })

  it('runs statements from standard input with inline literals and prints tables', async () => {
    const result = await shell(
      [
        '# a comment',
        'create space sh',
        'create model sh.users(name: string, age: uint8, score: sint64)',
        "insert into sh.users('ann', 30, -5)",
        "insert into sh.users { name: 'bob', age: 41, score: +7 }",
        "select name, age, score from sh.users where name = 'ann'",
        'select all * from sh.users limit 10',
        'create space if not exists sh',
      ].join('\n'),
    )
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('(Okay)')
    expect(result.stdout).toContain(
      [
        '+-------+-----+-------+',
        '| name  | age | score |',
        '+-------+-----+-------+',
        '| "ann" | 30  | -5    |',
        '+-------+-----+-------+',
      ].join('\n'),
    )
    expect(result.stdout).toContain('(2 rows)')
    expect(result.stdout.trimEnd().endsWith('false')).toBe(true)
  })

  it('prints errors with their code and exits 1 when a statement failed', async () => {
    const result = await shell("select * from sh.users where name = 'nobody'\n")
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('(error) 111 QExecDmlRowNotFound')
  })

  it('runs --eval statements and reports a refused login', async () => {
    const result = await runSkyd([
      'shell',
      '--port',
      String(skyd.port),
      '--password',
      rootPassword,
      '--eval',
      'use $current',
      '--eval',
      '!metrics',
    ])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('null')
    expect(result.stdout).toContain('"fsyncLatencyMs"')
    const refused = await runSkyd([
      'shell',
      '--port',
      String(skyd.port),
      '--password',
      'wrong-password-1234',
      '--eval',
      'use $current',
    ])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('authentication failed')
  })
})
