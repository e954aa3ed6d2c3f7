/**
 * A Vite plugin that writes a brotli (`.br`) and a gzip (`.gz`) copy beside every text asset of
 * the build (JavaScript, CSS, HTML, SVG, JSON, source maps), so that the server sends the
 * compressed copy to browsers that accept it without compressing on each request.
 */
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import type { Plugin } from 'vite'

const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|map|txt)$/
/** Files smaller than this are sent as they are (compression would not pay for itself). */
const MIN_BYTES = 1024

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    return entry.isDirectory() ? filesUnder(full) : [full]
  })
}

/** The plugin; it runs after the bundle is written to `outDir`. */
export function precompress(): Plugin {
  let outDir = 'dist'
  return {
    name: 'onetext-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir)
    },
    closeBundle() {
      for (const file of filesUnder(outDir)) {
        if (!COMPRESSIBLE.test(file)) continue
        const bytes = fs.readFileSync(file)
        if (bytes.byteLength < MIN_BYTES) continue
        fs.writeFileSync(
          `${file}.br`,
          zlib.brotliCompressSync(bytes, {
            params: {
              [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
              [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.byteLength,
            },
          }),
        )
        fs.writeFileSync(`${file}.gz`, zlib.gzipSync(bytes, { level: 9 }))
      }
    },
  }
}
