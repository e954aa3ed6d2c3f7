import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'
import { precompress } from './precompress'

const backend = process.env.ONETEXT_BACKEND ?? 'http://127.0.0.1:8080'

export default defineConfig({
  plugins: [react(), precompress()],
  build: { outDir: 'dist', sourcemap: true, chunkSizeWarningLimit: 1500 },
  server: {
    proxy: {
      '/api': backend,
      '/healthz': backend,
      '/sync': { target: backend.replace(/^http/, 'ws'), ws: true },
    },
  },
})
