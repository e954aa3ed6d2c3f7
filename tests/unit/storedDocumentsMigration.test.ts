/**
 * The start-up sweep that brings stored documents to the clause tree (document format 2): it loads
 * every rich-text document once, records the format when all loaded, and when one could not be
 * loaded records nothing and stops the registry handing out stored snapshots before a load.
 */
import { describe, expect, it } from 'vitest'
import {
  CLAUSE_TREE_FORMAT,
  migrateStoredDocuments,
} from '../../server/src/negotiation/clauseTreeMigration'
import { MemoryDocumentStore } from '../../server/src/storage/MemoryDocumentStore'
import type { DocumentRegistry } from '../../server/src/sync/DocumentRegistry'

const NAMES = [
  'n1.draft',
  'n1.status',
  'n1.layer.p1',
  'n1.caucus.p1',
  'n1.table',
  'n1.supplement.s1',
]

async function storeWith(names: readonly string[]): Promise<MemoryDocumentStore> {
  const store = new MemoryDocumentStore()
  await store.append(names.map((docName) => ({ docName, update: new Uint8Array([0, 0]) })))
  return store
}

/** A registry that records what it was asked to load and fails for `failing`. */
function registry(failing: ReadonlySet<string>) {
  const loaded: string[] = []
  const fake = {
    earlySnapshots: true,
    async withDocument(name: string) {
      loaded.push(name)
      if (failing.has(name)) throw new Error('owned by another process')
    },
  }
  return { fake, loaded, asRegistry: fake as unknown as DocumentRegistry }
}

describe('the start-up sweep to the clause tree', () => {
  it('loads every rich-text document once, then records the format; a later start loads none', async () => {
    const store = await storeWith(NAMES)
    const first = registry(new Set())
    const log: string[] = []
    await migrateStoredDocuments({
      store,
      registry: first.asRegistry,
      durable: async () => {},
      log: (line) => log.push(line),
    })
    expect(first.loaded.sort()).toEqual(
      ['n1.caucus.p1', 'n1.draft', 'n1.supplement.s1', 'n1.table'].sort(),
    )
    expect(await store.documentFormat()).toBe(CLAUSE_TREE_FORMAT)
    expect(first.fake.earlySnapshots).toBe(true)
    const second = registry(new Set())
    await migrateStoredDocuments({
      store,
      registry: second.asRegistry,
      durable: async () => {},
      log: () => {},
    })
    expect(second.loaded).toEqual([])
  })

  it('records nothing and hands out no early snapshot when a document could not be loaded', async () => {
    const store = await storeWith(NAMES)
    const sweep = registry(new Set(['n1.draft']))
    const log: string[] = []
    await migrateStoredDocuments({
      store,
      registry: sweep.asRegistry,
      durable: async () => {},
      log: (line) => log.push(line),
    })
    expect(await store.documentFormat()).toBe(0)
    expect(sweep.fake.earlySnapshots).toBe(false)
    expect(log.join('\n')).toContain('n1.draft')
  })
})
