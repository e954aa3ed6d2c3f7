/**
 * The API's description: every route the server serves has a schema (so it is validated and
 * documented), every route of the table is served, `GET /api/openapi.json` is a valid OpenAPI 3.1
 * document covering every route, and the reference page is served.
 */
import fs from 'node:fs'
import path from 'node:path'
import { API_ROUTES } from '@onetext/shared/api/routes'
import { Validator } from '@seriousme/openapi-schema-validator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer } from '../helpers/testServer'

const CLIENT_DIR = path.resolve(import.meta.dirname, '../../client/dist')

/** Routes of plugins that serve files rather than the API: the client and the reference page. */
const FILE_ROUTES = /^\/(\*|api\/docs(\/.*)?)$/

describe('the API description', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>

  beforeAll(async () => {
    expect(fs.existsSync(path.join(CLIENT_DIR, 'index.html')), 'pnpm test builds the client').toBe(
      true,
    )
    server = await startTestServer({ clientDir: CLIENT_DIR })
  })

  afterAll(async () => {
    await server.close()
  })

  it('has a schema with its answers for every route it serves, and serves every route of the table', () => {
    const missing: string[] = []
    for (const route of server.routes) {
      const name = `${route.method} ${route.url}`
      if (route.routeKey === undefined) {
        // Only the file-serving plugins may add routes of their own, kept out of the document.
        if (!FILE_ROUTES.test(route.url) || route.schema?.hide !== true) missing.push(name)
        continue
      }
      if (!route.schema?.response || !route.schema.summary) missing.push(name)
    }
    expect(missing, 'routes without a schema').toEqual([])
    const served = new Set(server.routes.map((route) => route.routeKey))
    expect(Object.keys(API_ROUTES).filter((key) => !served.has(key))).toEqual([])
  })

  it('serves a valid OpenAPI 3.1 document that covers every route', async () => {
    const response = await fetch(`${server.url}/api/openapi.json`)
    expect(response.status).toBe(200)
    const document = (await response.json()) as {
      openapi: string
      paths: Record<string, Record<string, unknown>>
    }
    expect(document.openapi).toBe('3.1.0')
    const validator = new Validator()
    const result = await validator.validate(
      document as unknown as Parameters<Validator['validate']>[0],
    )
    expect(result.errors ?? [], JSON.stringify(result.errors ?? []).slice(0, 2000)).toEqual([])
    expect(result.valid).toBe(true)
    expect(validator.version).toBe('3.1')
    for (const key of Object.keys(API_ROUTES)) {
      const [method = '', template = ''] = key.split(' ')
      const openApiPath = template.replace(/:([A-Za-z]+)/g, '{$1}')
      expect(document.paths[openApiPath]?.[method.toLowerCase()], key).toBeDefined()
    }
    for (const pathName of Object.keys(document.paths)) {
      expect(pathName.startsWith('/api/docs'), pathName).toBe(false)
    }
  })

  it('serves a reference page', async () => {
    const page = await fetch(`${server.url}/api/docs`, { redirect: 'follow' })
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toContain('text/html')
    expect(await page.text()).toContain('swagger')
  })
})
