/**
 * The BlueQL conformance table of `@sky/ql/testing` (the one the executor and apps/embedded run),
 * run again against a real skyd process through @sky/client over TCP, with the same expected
 * results. Connections R and B are root, A is `alice` (password `pw1`, created by the table).
 *
 * Two rows cannot be expressed through @sky/client, which refuses to encode them: §9 #98 sends a
 * parameter with the undefined type byte 7, and one row sends a string holding a lone surrogate
 * (not UTF-8). Those are sent as raw bytes (the surrogate as its 3-byte WTF-8 form, which is not
 * valid UTF-8) on a root connection of their own (they depend on no session state), so the
 * server's real decoding path answers them.
 */
import { binary, float, sint, uint } from '@sky/client'
import type { Connection, QueryParameter, QueryResult as ClientResult } from '@sky/client'
import type { Parameter, QueryResult } from '@sky/ql'
import { blueqlConformance } from '@sky/ql/testing'
import { connectTo, removeDir, rootPassword, startSkyd } from './support/skyd.js'
import type { SkydProcess } from './support/skyd.js'
import { RawSocket, packet, param } from './support/raw-socket.js'

const passwords: Readonly<Record<string, string>> = { root: rootPassword, alice: 'pw1' }

function toClientParameter(parameter: Parameter): QueryParameter {
  switch (parameter.type) {
    case 'null':
      return null
    case 'bool':
      return parameter.value
    case 'uint':
      return uint(parameter.value)
    case 'sint':
      return sint(parameter.value)
    case 'float':
      return float(parameter.value)
    case 'binary':
      return binary(parameter.value)
    case 'string':
      return parameter.value
  }
}

function toQlResult(result: ClientResult): QueryResult {
  switch (result.kind) {
    case 'empty':
      return { type: 'empty' }
    case 'value':
      return result.value as QueryResult
    case 'row':
      return { type: 'row', values: [...result.values] } as QueryResult
    case 'rows':
      return {
        type: 'multirow',
        columnCount: result.columnCount,
        rows: result.rows.map((row) => [...row]),
      } as QueryResult
  }
}

/** UTF-8, except that a lone surrogate becomes its 3-byte form (invalid UTF-8). */
function wtf8(text: string): Buffer {
  const bytes: number[] = []
  for (const char of text) {
    const point = char.codePointAt(0) as number
    if (point >= 0xd800 && point <= 0xdfff) {
      bytes.push(0xe0 | (point >> 12), 0x80 | ((point >> 6) & 0x3f), 0x80 | (point & 0x3f))
    } else bytes.push(...Buffer.from(char, 'utf8'))
  }
  return Buffer.from(bytes)
}

function rawParameter(parameter: Parameter): Buffer {
  switch (parameter.type) {
    case 'null':
      return param.null()
    case 'bool':
      return param.bool(parameter.value)
    case 'uint':
      return param.uint(parameter.value)
    case 'sint':
      return param.sint(parameter.value)
    case 'float':
      return param.float(String(parameter.value))
    case 'binary':
      return param.binary(Buffer.from(parameter.value))
    case 'string': {
      const bytes = wtf8(parameter.value)
      return Buffer.concat([Buffer.from(`\x06${bytes.length}\n`, 'latin1'), bytes])
    }
  }
}

/** Whether @sky/client refuses to encode the parameters (so the row goes over a raw socket). */
function needsRaw(
  parameters: readonly Parameter[],
  options: { parameterError?: unknown },
): boolean {
  if (options.parameterError !== undefined) return true
  return parameters.some(
    (parameter) =>
      parameter.type === 'string' &&
      Buffer.from(parameter.value, 'utf8').toString('utf8') !== parameter.value,
  )
}

/**
 * Sends `query` with its parameters (then a parameter of type byte 7 when the row says the
 * decoder could not read one) on a raw root connection; resolves with the error code.
 */
async function sendRaw(
  skyd: SkydProcess,
  query: string,
  parameters: readonly Parameter[],
  badTypeByte: boolean,
): Promise<number> {
  const raw = await RawSocket.login(skyd.port, 'root', rootPassword)
  try {
    const block = [
      ...parameters.map(rawParameter),
      ...(badTypeByte ? [Buffer.from([0x07, 0x31, 0x0a])] : []),
    ]
    raw.write(packet(query, Buffer.concat(block)))
    const answer = await raw.read(3)
    if (answer[0] !== 0x10)
      throw new Error(`expected an error answer, got ${answer.toString('hex')}`)
    return answer.readUInt16LE(1)
  } finally {
    raw.destroy()
  }
}

blueqlConformance('skyd over TCP through @sky/client', async () => {
  const skyd = await startSkyd()
  const connections: Connection[] = []
  return {
    async session(user: string) {
      const password = passwords[user]
      if (password === undefined) throw new Error(`no password for ${user}`)
      const connection = await connectTo(skyd, user, password)
      connections.push(connection)
      return {
        async query(
          query: string,
          parameters: readonly Parameter[],
          options: { parameterError?: unknown },
        ) {
          if (needsRaw(parameters, options)) {
            const badTypeByte = options.parameterError !== undefined
            throw Object.assign(new Error('server error'), {
              skytableCode: await sendRaw(skyd, query, parameters, badTypeByte),
            })
          }
          const result = await connection.query(query, ...parameters.map(toClientParameter))
          return toQlResult(result)
        },
      }
    },
    async close() {
      for (const connection of connections) await connection.close()
      const exit = await skyd.stop()
      if (exit.code !== 0) throw new Error(`skyd exited with ${exit.code}: ${skyd.stderr()}`)
      await removeDir(skyd.dataDir)
    },
  }
})
