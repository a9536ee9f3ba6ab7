import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

// `npm run dev` and `npm run preview` forward /graphql to the API server, so the page and the
// API share an origin and the server needs no CORS. GRAPHQL_PROXY_TARGET picks another server.
// `ws: true`: the subscriptions' WebSocket (also at /graphql) is forwarded too.
const target = process.env.GRAPHQL_PROXY_TARGET || 'http://127.0.0.1:5000';
const proxy = { '/graphql': { target, changeOrigin: true, ws: true } };

export default defineConfig({
  plugins: [vue()],
  // Relative asset URLs: `dist/` works from any static server, at any path.
  base: './',
  server: { proxy },
  preview: { proxy },
});
