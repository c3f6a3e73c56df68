// Worker entry: the writer is TypeScript; load it through tsx whether or not the parent thread did.
import { tsImport } from 'tsx/esm/api'

await tsImport('./sqliteWriter.worker.ts', import.meta.url)
