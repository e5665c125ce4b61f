/**
 * Storage failures while serving DDL: a full disk (retryable, nothing changed) and a failed
 * fdatasync (fail-stop).
 */
import { describe, expect, it } from 'vitest'
import { createModel, createSpace, describeCatalog, dir, newSim, open } from './helpers.js'

describe('storage failures', () => {
  it('reports a full disk as retryable, changes nothing, and succeeds on retry', async () => {
    const fs = await newSim()
    const gns = await open(fs)
    await gns.execute(createSpace('s'))
    const before = describeCatalog(gns.current)
    fs.capacityBytes = fs.usedBytes() + 8
    await expect(gns.execute(createModel('s', 'm', 'id:uint64'))).rejects.toMatchObject({
      code: 'GNS_DISK_FULL',
      retryable: true,
      skytableCode: 0,
    })
    expect(describeCatalog(gns.current)).toEqual(before)
    fs.capacityBytes = undefined
    await gns.execute(createModel('s', 'm', 'id:uint64'))
    const after = describeCatalog(gns.current)
    await gns.close()
    expect(describeCatalog((await open(fs)).current)).toEqual(after)
  })

  it('writes a compaction checkpoint a full disk refused before the next event', async () => {
    // An event after a snapshot frame tells open the frame's checkpoint was written; so while the
    // checkpoint is missing, statements fail (retryable) rather than append after the frame.
    const fs = await newSim()
    const gns = await open(fs, { compactEvery: 1000 })
    await gns.execute(createSpace('s'))
    const before = describeCatalog(gns.current)
    const frameBytes = 17 + gns.exportImage().length // journal frame header + the image
    fs.capacityBytes = fs.usedBytes() + frameBytes + 8
    await expect(gns.compact()).rejects.toMatchObject({ code: 'GNS_DISK_FULL' })
    expect(await fs.exists(`${dir}/gns.a`)).toBe(false)
    await expect(gns.execute(createSpace('t'))).rejects.toMatchObject({ code: 'GNS_DISK_FULL' })
    expect(describeCatalog(gns.current)).toEqual(before)
    const crashedDisk = fs.crash() // a crash now is not damage
    crashedDisk.capacityBytes = undefined
    const crashed = await open(crashedDisk, { compactEvery: 1000 })
    expect(crashed.report.damage).toEqual([])
    expect(crashed.report.completedCompaction).toBe(true)
    await crashed.close()
    fs.capacityBytes = undefined
    await gns.execute(createSpace('t'))
    expect(await fs.exists(`${dir}/gns.a`)).toBe(true)
    const after = describeCatalog(gns.current)
    await gns.close()
    const reopened = await open(fs)
    expect(reopened.report.damage).toEqual([])
    expect(reopened.report.completedCompaction).toBe(false)
    expect(reopened.report.base).toBe('gns.a (generation 1)')
    expect(describeCatalog(reopened.current)).toEqual(after)
    await reopened.close()
  })

  it('stops after a failed fdatasync: this and every later statement fail', async () => {
    const fs = await newSim()
    const gns = await open(fs)
    await gns.execute(createSpace('s'))
    const before = gns.current
    fs.failSync()
    await expect(gns.execute(createSpace('t'))).rejects.toMatchObject({ code: 'GNS_POISONED' })
    await expect(gns.execute(createSpace('u'))).rejects.toMatchObject({ code: 'GNS_POISONED' })
    expect(gns.current).toBe(before)
    await gns.close()
    const reopened = await open(fs.crash())
    expect(reopened.current.space('s')).toBeDefined()
    expect(reopened.current.space('u')).toBeUndefined()
    await reopened.close()
  })

  it('refuses statements after close', async () => {
    const gns = await open(await newSim())
    await gns.close()
    await gns.close()
    await expect(gns.execute(createSpace('s'))).rejects.toMatchObject({ code: 'GNS_CLOSED' })
  })

  it('completes the statements called before close, in call order', async () => {
    const fs = await newSim()
    const gns = await open(fs)
    const first = gns.execute(createSpace('a'))
    const second = gns.execute(createModel('a', 'm', 'id:uint64'))
    const closing = gns.close()
    const late = gns.execute(createSpace('b')).catch((error: unknown) => error)
    await expect(first).resolves.toMatchObject({ changed: true })
    await expect(second).resolves.toMatchObject({ changed: true })
    expect(await late).toMatchObject({ code: 'GNS_CLOSED' })
    await closing
    const reopened = await open(fs)
    expect(reopened.current.model('a', 'm')).toBeDefined()
    expect(reopened.current.space('b')).toBeUndefined()
    await reopened.close()
  })

  it('validates options at the boundary', async () => {
    const fs = await newSim()
    await expect(open(fs, { compactEvery: 0 })).rejects.toBeInstanceOf(RangeError)
    await expect(open(fs, { scrypt: { cost: 1000 } })).rejects.toBeInstanceOf(RangeError)
    await expect(open(fs, { dir: 'relative' })).rejects.toBeInstanceOf(TypeError)
  })
})
