/**
 * Typed errors of `@sky/vfs`. Both file systems report failures with these, never raw Node errors,
 * so callers (and tests on the simulated disk) see the same codes. `errno` keeps the OS name.
 */
import { SkyError } from '@sky/std'

/** Options of every vfs error. */
export interface VfsErrorOptions {
  readonly path: string
  readonly errno: string
  readonly cause?: unknown
}

/** Fields shared by every vfs error. */
export abstract class VfsError extends SkyError {
  readonly path: string
  /** The operating system's name for the failure, e.g. `EIO`. */
  readonly errno: string
  constructor(message: string, options: VfsErrorOptions) {
    super(`${message}: ${options.path} (${options.errno})`, { cause: options.cause })
    this.path = options.path
    this.errno = options.errno
  }
}

/** The path does not exist (ENOENT). */
export class VfsNotFoundError extends VfsError {
  readonly code = 'VFS_NOT_FOUND'
}

/** The path exists where it must not (EEXIST). */
export class VfsExistsError extends VfsError {
  readonly code = 'VFS_EXISTS'
}

/** No space left on the device (ENOSPC). Retryable once space is freed. */
export class VfsNoSpaceError extends VfsError {
  readonly code = 'VFS_NO_SPACE'
  override readonly retryable = true
}

/** The device failed (EIO and anything else unexpected). Not retryable: assume the data is gone. */
export class VfsIoError extends VfsError {
  readonly code = 'VFS_IO'
}

/** The handle was used after `close()`. */
export class VfsClosedError extends VfsError {
  readonly code = 'VFS_CLOSED'
}

/** Maps an `errno` name to its typed error. */
export function vfsErrorFor(errno: string, path: string, message: string, cause?: unknown): VfsError {
  const options = cause === undefined ? { path, errno } : { path, errno, cause }
  switch (errno) {
    case 'ENOENT':
      return new VfsNotFoundError(message, options)
    case 'EEXIST':
      return new VfsExistsError(message, options)
    case 'ENOSPC':
    case 'EDQUOT':
      return new VfsNoSpaceError(message, options)
    default:
      return new VfsIoError(message, options)
  }
}
