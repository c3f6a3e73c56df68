// The browser never compiles JSON Schemas: ajv compiles with `new Function`, which a strict
// Content-Security-Policy (helmet's default script-src 'self') forbids. This plugin precompiles
// every schema exported by shared/schema/*.schema.ts at build time (ajv standalone) and gives the
// client an `ajv` whose compile(schema) returns the precompiled validator, so shared code runs unchanged.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import Ajv, { type AnySchema } from 'ajv'
import addFormats from 'ajv-formats'
import standaloneCode from 'ajv/dist/standalone/index.js'
import { runnerImport, type Plugin } from 'vite'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const SCHEMA_DIR = path.join(ROOT, 'shared/schema')

const AJV_SHIM = '\0nr-ajv-shim'
const FORMATS_SHIM = '\0nr-ajv-formats-shim'
const COMPILED = '\0nr-ajv-compiled'

// ajv's standalone output `require`s a few runtime helpers; they are provided as ES code here.
const RUNTIME: Record<string, string> = {
  'ajv/dist/runtime/ucs2length': `({ default: function ucs2length(str) {
    const len = str.length; let length = 0; let pos = 0; let value
    while (pos < len) { length++; value = str.charCodeAt(pos++)
      if (value >= 0xd800 && value <= 0xdbff && pos < len) { value = str.charCodeAt(pos); if ((value & 0xfc00) === 0xdc00) pos++ } }
    return length } })`,
  'ajv/dist/runtime/equal': `({ default: function equal(a, b) {
    if (a === b) return true
    if (a && b && typeof a === 'object' && typeof b === 'object') {
      if (Array.isArray(a) !== Array.isArray(b)) return false
      const ka = Object.keys(a); const kb = Object.keys(b)
      if (ka.length !== kb.length) return false
      for (const k of ka) if (!Object.prototype.hasOwnProperty.call(b, k) || !equal(a[k], b[k])) return false
      return true
    }
    return a !== a && b !== b } })`,
  // The format checkers themselves (plain regexes and functions, no eval), imported once at the top.
  'ajv-formats/dist/formats': `(__nrFormats.default ?? __nrFormats)`,
}
const RUNTIME_IMPORTS = `import * as __nrFormats from 'ajv-formats/dist/formats.js';`

/** Every exported `…Schema` object of shared/schema/*.schema.ts (loaded through Vite's module runner). */
export async function loadSharedSchemas(): Promise<AnySchema[]> {
  const files = fs
    .readdirSync(SCHEMA_DIR)
    .filter((f) => f.endsWith('.schema.ts'))
    .sort()
  // One entry that imports them all: one module graph, one load.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nr-schemas-'))
  const entry = path.join(dir, 'entry.ts')
  fs.writeFileSync(entry, files.map((f, i) => `export * as m${i} from ${JSON.stringify(pathToFileURL(path.join(SCHEMA_DIR, f)).pathname)}`).join('\n'))
  try {
    const { module } = await runnerImport<Record<string, Record<string, unknown>>>(entry, { configFile: false, root: ROOT, logLevel: 'silent' })
    const schemas: AnySchema[] = []
    for (const ns of Object.values(module)) {
      for (const [name, value] of Object.entries(ns)) {
        if (name.endsWith('Schema') && value && typeof value === 'object') schemas.push(value as AnySchema)
      }
    }
    return schemas
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

/** The ES module source of every browser validator, keyed by the schema's JSON (exported for its test). */
export function compileAll(schemas: readonly AnySchema[]): string {
  const parts: string[] = [RUNTIME_IMPORTS, 'const compiled = new Map();']
  for (const schema of schemas) {
    // A fresh instance per schema: two schemas may share an $id across modules.
    const ajv = new Ajv({ allErrors: false, $data: true, strict: true, code: { source: true, esm: true } })
    addFormats(ajv)
    const validate = ajv.compile(schema)
    let code = standaloneCode(ajv, validate)
    code = code.replace(/require\("([^"]+)"\)/g, (_m, mod: string) => {
      const impl = RUNTIME[mod]
      if (!impl) throw new Error(`ajvStandalone: no browser implementation for ${mod}`)
      return impl
    })
    code = code.replace(/^"use strict";/, '').replace(/export const validate = (\w+);export default \w+;/, 'const __v = $1;')
    parts.push(`compiled.set(${JSON.stringify(JSON.stringify(schema))}, (() => { ${code}; return __v })());`)
  }
  parts.push('export { compiled };')
  return parts.join('\n')
}

export function ajvStandalone(): Plugin {
  let compiledCode: Promise<string> | null = null
  return {
    name: 'nr-ajv-standalone',
    enforce: 'pre',
    resolveId(id, importer) {
      if (id === COMPILED) return COMPILED
      // Only our shared code gets the shim; packages in node_modules keep the real ajv.
      if (!importer || importer.includes('/node_modules/')) return null
      if (id === 'ajv') return AJV_SHIM
      if (id === 'ajv-formats') return FORMATS_SHIM
      return null
    },
    watchChange(id) {
      if (id.startsWith(SCHEMA_DIR)) compiledCode = null
    },
    async load(id) {
      if (id === AJV_SHIM) {
        return `import { compiled } from ${JSON.stringify(COMPILED)};
export default class Ajv {
  constructor() {}
  compile(schema) {
    const v = compiled.get(JSON.stringify(schema))
    if (!v) throw new Error('JSON Schema ' + (schema && schema.$id ? schema.$id : '') + ' is not precompiled for the browser: export it as …Schema from shared/schema/*.schema.ts')
    return v
  }
  addSchema() { return this }
  addFormat() { return this }
  addKeyword() { return this }
}`
      }
      if (id === FORMATS_SHIM) return 'export default function addFormats(ajv) { return ajv }'
      if (id === COMPILED) {
        compiledCode ??= loadSharedSchemas().then(compileAll)
        return compiledCode
      }
      return null
    },
  }
}
