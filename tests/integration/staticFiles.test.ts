/**
 * The built client as the server sends it: the brotli or gzip copy the build wrote when the browser
 * accepts it, ETag and 304, hashed assets cached for a year, client routes answered with
 * index.html, and no source map unless SOURCE_MAPS=1.
 */
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import zlib from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer } from '../helpers/testServer'

const CLIENT_DIR = path.resolve(import.meta.dirname, '../../client/dist')

/** GETs `url` and keeps the body's bytes as sent (fetch would decompress them). */
function rawGet(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
          }),
        )
      })
      .on('error', reject)
  })
}

/** The built bundle's path, e.g. `/assets/index-abc.js`. */
function bundlePath(): string {
  const name = fs.readdirSync(path.join(CLIENT_DIR, 'assets')).find((file) => /\.js$/.test(file))
  if (!name) throw new Error('pnpm test builds the client first')
  return `/assets/${name}`
}

describe('the built client', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>
  let withMaps: Awaited<ReturnType<typeof startTestServer>>

  beforeAll(async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR })
    withMaps = await startTestServer({ clientDir: CLIENT_DIR, env: { SOURCE_MAPS: '1' } })
  })

  afterAll(async () => {
    await server.close()
    await withMaps.close()
  })

  it('sends the brotli or gzip copy, with an ETag and a year of caching, and 304 when unchanged', async () => {
    const asset = bundlePath()
    const original = fs.readFileSync(path.join(CLIENT_DIR, asset))
    for (const [accept, encoding, decode] of [
      ['br, gzip', 'br', zlib.brotliDecompressSync],
      ['gzip', 'gzip', zlib.gunzipSync],
    ] as const) {
      const response = await rawGet(`${server.url}${asset}`, { 'accept-encoding': accept })
      expect(response.status).toBe(200)
      expect(response.headers['content-encoding']).toBe(encoding)
      expect(String(response.headers.vary).toLowerCase()).toContain('accept-encoding')
      expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable')
      expect(response.body.byteLength).toBeLessThan(original.byteLength / 2)
      expect(decode(response.body).equals(original)).toBe(true)
      const etag = response.headers.etag as string | undefined
      expect(etag).toBeTruthy()
      const again = await rawGet(`${server.url}${asset}`, {
        'accept-encoding': accept,
        'if-none-match': etag ?? '',
      })
      expect(again.status).toBe(304)
      expect(again.body.byteLength).toBe(0)
    }
    const plain = await fetch(`${server.url}${asset}`, {
      headers: { 'accept-encoding': 'identity' },
    })
    expect(plain.headers.get('content-encoding')).toBeNull()
    expect(Buffer.from(await plain.arrayBuffer()).equals(original)).toBe(true)
  })

  it('answers client routes with index.html, revalidated, and missing assets with 404', async () => {
    const page = await fetch(`${server.url}/negotiations/lmp-1997`)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toContain('text/html')
    expect(page.headers.get('cache-control')).toBe('no-cache')
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'")
    expect(await page.text()).toContain('<div id="root">')
    expect((await fetch(`${server.url}/assets/missing-abc.js`)).status).toBe(404)
  })

  it('serves no source map unless SOURCE_MAPS=1', async () => {
    const map = `${bundlePath()}.map`
    expect(fs.existsSync(path.join(CLIENT_DIR, map))).toBe(true)
    expect((await fetch(`${server.url}${map}`)).status).toBe(404)
    expect((await fetch(`${server.url}${map}.br`)).status).toBe(404)
    expect((await fetch(`${withMaps.url}${map}`)).status).toBe(200)
  })
})
