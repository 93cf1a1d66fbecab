/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { availableParallelism } from 'node:os';
import { compression } from 'vite-plugin-compression2';

const backend = 'http://127.0.0.1:8000';

// Vendor code the first screen needs, in chunks of their own: they change when a dependency is bumped,
// not when the app's code does, so the browser keeps them across releases (served with a year's
// Cache-Control, the names carry a content hash). `$initial` = reached by static imports from the
// entry (the sign-in page and the main layout); what only lazily loaded pages use (antd's Table,
// DatePicker, TreeSelect, ...; ECharts) is left out of them and loads with the first page that needs it.
const vendorGroups = [
  { name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/, priority: 30 },
  {
    name: 'react',
    test: /node_modules[\\/](react|react-dom|scheduler|react-router|react-router-dom|@tanstack|i18next|react-i18next|dayjs|openapi-fetch)[\\/]/,
    tags: ['$initial' as const],
    priority: 20,
  },
  { name: 'antd', test: /node_modules[\\/]/, tags: ['$initial' as const], priority: 10 },
];

export default defineConfig({
  base: '/',
  plugins: [
    react(),
    // Precompressed copies next to every text asset (name.js.gz, name.js.br); the server sends one of
    // them when the browser accepts it (src/bankcrm/api/static.py). Decision 0019.
    compression({ algorithms: ['gzip', 'brotliCompress'], threshold: 1024, logLevel: 'silent' }),
  ],
  server: {
    proxy: {
      '/api': { target: backend, changeOrigin: false },
      '/healthz': { target: backend, changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    manifest: true,
    rolldownOptions: {
      output: {
        codeSplitting: { groups: vendorGroups },
      },
    },
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/test/setup.ts'],
    css: false,
    // Tests wait for conditions (findBy*/waitFor, bounded in src/test/setup.ts), never for a clock: these
    // limits only stop a hung test, so they are generous enough for a machine whose cores are all busy.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    teardownTimeout: 60_000,
    // One worker per core at most, and never more than two: the antd pages render for seconds in jsdom,
    // and more workers than cores only make every file slower (and a busy 2-core machine busier).
    maxWorkers: Math.max(1, Math.min(2, availableParallelism())),
  },
});
