/**
 * @packageDocumentation
 * `@sky/vfs` is the only door to the disk in skydb. Every other package receives a {@link FileSystem}:
 * {@link NodeFileSystem} in production, {@link SimFileSystem} in tests, where the disk can be crashed at
 * any call and every state a crash could leave can be enumerated.
 */
export type { FileHandle, FileStat, FileSystem, OpenOptions } from './file-system.js'
export { NodeFileSystem, joinPath } from './node-file-system.js'
export type { NodeFileSystemOptions } from './node-file-system.js'
export { SimFileSystem } from './sim-file-system.js'
export { Random } from './internal/random.js'
export type { SimFileSystemOptions } from './sim-file-system.js'
export { readFully, readWhole } from './read-fully.js'
export { mkdirDurable } from './durable-directory.js'
export {
  VfsClosedError,
  VfsError,
  VfsExistsError,
  VfsIoError,
  VfsNoSpaceError,
  VfsNotFoundError,
} from './errors.js'
export type { VfsErrorOptions } from './errors.js'
