#!/usr/bin/env node
// skyd launcher: runs src/main.ts in this process through tsx, with the `@sky/source` export
// condition (workspace packages are read from their TypeScript sources, nothing to build).
// Works in a fresh clone after `pnpm install`: tsx is a root devDependency.
import { register } from 'node:module'
import { register as registerTsx } from 'tsx/esm/api'

// Add the condition to every resolution, as `node --conditions=@sky/source` would.
const hook = `export async function resolve(specifier, context, next) {
  const conditions = context.conditions.includes('@sky/source')
    ? context.conditions
    : ['@sky/source', ...context.conditions]
  return next(specifier, { ...context, conditions })
}`
register(`data:text/javascript,${encodeURIComponent(hook)}`)
registerTsx()
await import(new URL('../src/main.ts', import.meta.url).href)
