/**
 * verify: read and check every checkpoint, journal segment and catalog copy of a data directory,
 * changing nothing. A torn tail is a warning (the normal remains of a crash); damage anywhere else
 * is a problem, and `exitCode` is 1.
 */
import type { GnsOptions } from '@sky/gns'
import type { FileSystem } from '@sky/vfs'
import { joinPath } from '@sky/vfs'
import { listCheckpoints, readCheckpoint } from './internal/checkpoint-read.js'
import { inspectGns } from './internal/gns-inspect.js'
import { type JournalWalk, firstSegmentBase, walkJournal } from './internal/journal-walk.js'

/** One thing verify found wrong. */
export interface VerifyProblem {
  readonly area: 'journal' | 'checkpoint' | 'catalog'
  /** Path relative to the data directory. */
  readonly file: string
  readonly detail: string
  readonly offset?: number
}

/** Per checkpoint. */
export interface VerifiedCheckpoint {
  readonly name: string
  readonly lsn: bigint
  readonly status: 'valid' | 'damaged' | 'newer format'
  readonly rows?: number
}

/** What verify found. */
export interface VerifyReport {
  /** No problem (warnings allowed). */
  readonly ok: boolean
  /** 0 when ok, 1 when a problem was found: for a command line. */
  readonly exitCode: 0 | 1
  readonly problems: readonly VerifyProblem[]
  readonly warnings: readonly string[]
  readonly checkpoints: readonly VerifiedCheckpoint[]
  readonly journal: {
    readonly segments: number
    readonly frames: number
    readonly firstLsn: bigint
    readonly lastLsn: bigint
  }
  /** The catalog's sequence number as a healing open would recover it (undefined if it cannot). */
  readonly catalogSeq: number | undefined
}

/** Options of {@link verify}. */
export interface VerifyOptions {
  readonly fs: FileSystem
  readonly gnsOptions?: Omit<GnsOptions, 'fs' | 'dir' | 'catalogSource'>
}

/**
 * Checks the data directory `dir` without changing it (not even the lock).
 *
 * @example
 * ```ts
 * const report = await verify('/var/lib/skydb', { fs: new NodeFileSystem() })
 * process.exitCode = report.exitCode
 * ```
 */
export async function verify(dir: string, options: VerifyOptions): Promise<VerifyReport> {
  if (typeof dir !== 'string' || !dir.startsWith('/')) {
    throw new TypeError('dir is an absolute path')
  }
  const { fs } = options
  await fs.stat(dir)
  const problems: VerifyProblem[] = []
  const warnings: string[] = []
  const journalDir = joinPath(dir, 'journal')
  const walk = await walkJournal(fs, journalDir)
  journalProblems(walk, problems, warnings)
  const checkpoints = await verifyCheckpoints(fs, dir, problems)
  const newestValid = checkpoints.find((entry) => entry.status === 'valid')
  const first = await firstSegmentBase(fs, journalDir)
  const needed = (newestValid?.lsn ?? 0n) + 1n
  if (first > needed) {
    const after = newestValid?.name ?? 'the empty state'
    const detail = `starts at lsn ${first}, but ${after} needs ${needed}`
    problems.push({ area: 'journal', file: 'journal/', detail })
  }
  const catalog = await inspectGns(fs, dir, options.gnsOptions ?? {})
  catalogProblems(catalog, problems)
  const ok = problems.length === 0
  return {
    ok,
    exitCode: ok ? 0 : 1,
    problems,
    warnings,
    checkpoints,
    journal: {
      segments: walk.segments.length,
      frames: walk.segments.reduce((sum, segment) => sum + segment.frames.length, 0),
      firstLsn: walk.firstLsn,
      lastLsn: walk.lastLsn,
    },
    catalogSeq: 'error' in catalog ? undefined : catalog.seq,
  }
}

function journalProblems(walk: JournalWalk, problems: VerifyProblem[], warnings: string[]): void {
  for (const range of walk.damage) {
    const file = `journal/${range.segment}`
    const bytes = range.end - range.start
    if (range.kind === 'torn') {
      warnings.push(
        `${file}: torn tail of ${bytes} bytes at offset ${range.start} ` +
          '(open keeps it in the quarantine)',
      )
      continue
    }
    const before = range.lsnAfter === 0n ? '' : `, before lsn ${range.lsnAfter}`
    const detail = `${bytes} damaged bytes after lsn ${range.lsnBefore}${before}`
    problems.push({ area: 'journal', file, offset: range.start, detail })
  }
  for (const gap of walk.gaps) {
    const detail = `lsn ${gap.from}..${gap.to} missing`
    problems.push({ area: 'journal', file: `journal/${gap.segment}`, detail })
  }
}

function catalogProblems(
  catalog: Awaited<ReturnType<typeof inspectGns>>,
  problems: VerifyProblem[],
): void {
  if ('error' in catalog) {
    problems.push({ area: 'catalog', file: 'gns/', detail: catalog.error })
    return
  }
  for (const damage of catalog.report.damage) {
    const file =
      damage.file === 'catalog-source'
        ? 'journal/ and checkpoints/ (catalog copies)'
        : `gns/${damage.file}`
    problems.push({
      area: 'catalog',
      file,
      detail: `${damage.kind}: ${damage.detail}`,
      ...(damage.offset === undefined ? {} : { offset: damage.offset }),
    })
  }
  for (const lost of catalog.report.lost) {
    problems.push({ area: 'catalog', file: 'gns/', detail: `lost: ${lost}` })
  }
}

async function verifyCheckpoints(
  fs: FileSystem,
  dir: string,
  problems: VerifyProblem[],
): Promise<VerifiedCheckpoint[]> {
  const checkpointsDir = joinPath(dir, 'checkpoints')
  const result: VerifiedCheckpoint[] = []
  for (const { name, lsn } of await listCheckpoints(fs, checkpointsDir)) {
    const read = await readCheckpoint(fs, checkpointsDir, name)
    const file = `checkpoints/${name}`
    if (read.status === 'valid') {
      result.push({ name, lsn, status: 'valid', rows: read.content.rows })
    } else if (read.status === 'version') {
      result.push({ name, lsn, status: 'newer format' })
      problems.push({ area: 'checkpoint', file, detail: `format version ${read.version}` })
    } else {
      result.push({ name, lsn, status: 'damaged' })
      for (const problem of read.problems)
        problems.push({ area: 'checkpoint', file, offset: problem.offset, detail: problem.detail })
    }
  }
  return result
}
