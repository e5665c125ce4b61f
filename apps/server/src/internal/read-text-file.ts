/**
 * Operator files: the YAML configuration, a TLS certificate, key or passphrase file, and the
 * shell's history.
 *
 * This is the one place in skyd that touches files without `@sky/vfs`: the data directory is
 * only ever touched through a `FileSystem`, but `NodeFileSystem.open` opens read-write (a TLS key
 * is commonly mode 0400), and these files are the operator's, not the database's: read once at
 * start-up, or appended to by the interactive shell, never synced.
 */
import { appendFile, readFile } from 'node:fs/promises'

/** The file's bytes. @throws the `node:fs` error (ENOENT, EACCES, …). */
export function readOperatorFile(path: string): Promise<Buffer> {
  return readFile(path)
}

/** Appends `text` to the file (created if missing, mode 0600). */
export function appendOperatorFile(path: string, text: string): Promise<void> {
  return appendFile(path, text, { mode: 0o600 })
}
