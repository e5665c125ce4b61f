/**
 * The quarantine: `<data>/quarantine/<time>/`, where recovery and repair keep every byte they
 * cannot use, with a `report.json` saying what the bytes are, where they came from and why they
 * are here.
 * The engine never deletes anything under `quarantine/`; an operator may, after reading the report.
 *
 * Invariant: a quarantine entry's files are fdatasync'd and its names made durable before the
 * caller goes on to cut or replace the bytes it preserved. `report.json` is written last, so an
 * entry without one is the remains of a crash during quarantining (its source still holds the
 * bytes).
 */
import { assert } from '@sky/std'
import type { FileSystem } from '@sky/vfs'
import { joinPath, mkdirDurable } from '@sky/vfs'
import { crc32 } from './crc.js'

/** Name of the quarantine directory inside the data directory. */
export const quarantineDirName = 'quarantine'
/** Format version of `report.json`. */
export const quarantineReportFormat = 1

/** Why bytes went to the quarantine (`report.json` `kind`). */
export type QuarantineKind =
  | 'torn-tail'
  | 'journal-damage'
  | 'checkpoint-damage'
  | 'checkpoint-unused'
  | 'journal-orphan'

/** One file of a quarantine entry, as listed in `report.json`. */
export interface QuarantineFile {
  readonly name: string
  readonly bytes: number
  readonly crc32: number
  /** Where the bytes were in their source file, when they were a part of it. */
  readonly sourceOffset?: number
}

/** The `report.json` of a quarantine entry. FORMAT.md documents each field. */
export interface QuarantineReport {
  readonly format: number
  readonly createdAt: string
  readonly kind: QuarantineKind
  /** Path of the source, relative to the data directory (e.g. `journal/00000003.log`). */
  readonly source: string
  readonly reason: string
  readonly files: readonly QuarantineFile[]
  /** Kind-specific facts: LSN ranges, lost transactions, models affected. */
  readonly details: Readonly<Record<string, unknown>>
}

/** What a caller hands over to keep. */
export interface QuarantineEntry {
  readonly kind: QuarantineKind
  readonly source: string
  readonly reason: string
  readonly files: ReadonlyArray<{
    readonly name: string
    readonly bytes: Uint8Array
    readonly sourceOffset?: number
  }>
  readonly details?: Readonly<Record<string, unknown>>
}

const encoder = new TextEncoder()

/** Writes quarantine entries under one data directory. */
export class Quarantine {
  constructor(
    private readonly fs: FileSystem,
    private readonly dataDir: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Keeps the entry's bytes durably; resolves with the entry's directory (relative path). */
  async keep(entry: QuarantineEntry): Promise<string> {
    assert(entry.files.length > 0, 'a quarantine entry holds bytes')
    const directory = await this.#newDirectory()
    const files: QuarantineFile[] = []
    for (const file of entry.files) {
      await writeDurable(this.fs, joinPath(directory.absolute, file.name), file.bytes)
      files.push({
        name: file.name,
        bytes: file.bytes.length,
        crc32: crc32(file.bytes),
        ...(file.sourceOffset === undefined ? {} : { sourceOffset: file.sourceOffset }),
      })
    }
    const report: QuarantineReport = {
      format: quarantineReportFormat,
      createdAt: new Date(this.now()).toISOString(),
      kind: entry.kind,
      source: entry.source,
      reason: entry.reason,
      files,
      details: entry.details ?? {},
    }
    const json = JSON.stringify(
      report,
      (_, value: unknown) => (typeof value === 'bigint' ? value.toString() : value),
      2,
    )
    await writeDurable(this.fs, joinPath(directory.absolute, 'report.json'), encoder.encode(json))
    await this.fs.syncDir(directory.absolute)
    return directory.relative
  }

  /**
   * Moves a whole file into a new entry (rename: the bytes are never copied or dropped) and writes
   * the report. `sourcePath` is relative to the data directory.
   */
  async moveIn(
    sourcePath: string,
    entry: Omit<QuarantineEntry, 'files'>,
    bytes: Uint8Array,
  ): Promise<string> {
    const directory = await this.#newDirectory()
    const name = sourcePath.split('/').at(-1)!
    const absoluteSource = joinPath(this.dataDir, sourcePath)
    await this.fs.rename(absoluteSource, joinPath(directory.absolute, name))
    await this.fs.syncDir(directory.absolute)
    await this.fs.syncDir(absoluteSource.slice(0, absoluteSource.lastIndexOf('/')) || '/')
    const report: QuarantineReport = {
      format: quarantineReportFormat,
      createdAt: new Date(this.now()).toISOString(),
      kind: entry.kind,
      source: entry.source,
      reason: entry.reason,
      files: [{ name, bytes: bytes.length, crc32: crc32(bytes) }],
      details: entry.details ?? {},
    }
    const json = JSON.stringify(
      report,
      (_, value: unknown) => (typeof value === 'bigint' ? value.toString() : value),
      2,
    )
    await writeDurable(this.fs, joinPath(directory.absolute, 'report.json'), encoder.encode(json))
    await this.fs.syncDir(directory.absolute)
    return directory.relative
  }

  async #newDirectory(): Promise<{ absolute: string; relative: string }> {
    const root = joinPath(this.dataDir, quarantineDirName)
    await mkdirDurable(this.fs, root)
    const stamp = new Date(this.now()).toISOString().replace(/[:.]/g, '-')
    for (let attempt = 0; ; attempt++) {
      const name = attempt === 0 ? stamp : `${stamp}-${attempt}`
      const absolute = joinPath(root, name)
      if (await this.fs.exists(absolute)) continue
      await mkdirDurable(this.fs, absolute)
      return { absolute, relative: `${quarantineDirName}/${name}` }
    }
  }
}

/** Creates (or replaces) a file with `bytes`, fdatasync'd. The caller syncs the directory. */
export async function writeDurable(fs: FileSystem, path: string, bytes: Uint8Array): Promise<void> {
  const file = await fs.open(path, { create: true })
  try {
    await file.truncate(0)
    await file.write(0, bytes)
    await file.sync()
  } finally {
    await file.close()
  }
}
