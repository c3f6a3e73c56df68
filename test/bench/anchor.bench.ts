// The cost of the anchor that ends every export: signing (server) and verifying (CLI, browser). `npx tsx test/bench/anchor.bench.ts`
import { signAnchor } from '../../server/agreement/signAnchor.ts'
import { temporaryServerKey, removeTemporaryKeys } from '../support/agreement/sampleAgreement.ts'
import { verifyAnchorSignature } from '../../shared/archive/anchor.ts'
const key = temporaryServerKey()
const f = { roomId: 'r'.repeat(16), lastSeq: 12345, lastHash: 'a'.repeat(64), exportedAt: new Date().toISOString() }
let t = performance.now()
let a = signAnchor(key, f)
for (let i = 0; i < 1000; i++) a = signAnchor(key, f)
const signMs = (performance.now() - t) / 1000
t = performance.now()
for (let i = 0; i < 200; i++) await verifyAnchorSignature(a, key.publicJwk)
const verMs = (performance.now() - t) / 200
console.log(`sign ${signMs.toFixed(3)} ms, verify (incl. key import) ${verMs.toFixed(3)} ms, anchor ${JSON.stringify({ anchor: a }).length} bytes`)
removeTemporaryKeys()
