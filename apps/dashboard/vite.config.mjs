// Vite: the dashboard is served by the gateway under /dashboard/ (see docs/dashboard.md).
// `npm run dev:dashboard` proxies the API to the gateway at SANDCASTLE_URL (default :8080).
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';
import { defineConfig } from 'vite';

const apiPaths = [
  '/workflows',
  '/runs',
  '/stats',
  '/schedules',
  '/dead-letter',
  '/api-keys',
  '/deliveries',
  '/health',
  '/admin',
];
const target = process.env.SANDCASTLE_URL ?? 'http://localhost:8080';

export default defineConfig({
  root: import.meta.dirname,
  base: '/dashboard/',
  plugins: [react(), tailwindcss()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  server: {
    port: 5173,
    proxy: Object.fromEntries(apiPaths.map((p) => [p, { target, changeOrigin: true }])),
  },
});
