// Vite config for the bangfu web UI.  Build: npx vite build --config web/vite.config.js
// Output: build/web/ (index.html + hashed assets), embedded into the binary by the C side.
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import Components from 'unplugin-vue-components/vite';
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));
const api = process.env.BANGFU_API || 'http://127.0.0.1:8090';

export default defineConfig({
  root,
  base: '/',
  publicDir: false,
  resolve: {
    // two dependencies of Element Plus replaced by a few lines (their comments say why):
    // el-button's shades of a custom colour (never set here), el-form-item's rule checks
    alias: {
      '@ctrl/tinycolor': fileURLToPath(new URL('./src/tinycolor-lite.js', import.meta.url)),
      'async-validator': fileURLToPath(new URL('./src/validator-lite.js', import.meta.url)),
    },
  },
  plugins: [
    vue(),
    // Element Plus components used in templates are imported on demand, with their CSS.
    Components({
      dirs: [],
      dts: false,
      resolvers: [ElementPlusResolver({ importStyle: 'css' })],
    }),
  ],
  build: {
    outDir: fileURLToPath(new URL('../build/web', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
    reportCompressedSize: true,
    // build/web/.vite/manifest.json: which chunks each screen loads (bench/webjs.mjs
    // sums them; mk/embed_web.sh leaves it out of the binary)
    manifest: true,
    // Each screen's chunk imports the Element Plus components it uses (the resolver
    // above); ECharts is in the chart chunk only (components/EChart.vue), loaded when a
    // chart comes into view.  bench/webjs.mjs (make bench) sums what each screen loads.
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'vue', test: /node_modules[\\/](@vue|vue|vue-router)[\\/]/, priority: 10 },
            // what every list screen uses (and the dashboard, the screen after login): one
            // file compresses better than the twenty pieces the split would make of it
            { name: 'ep-list', test: /node_modules[\\/](element-plus[\\/]es[\\/]components[\\/](table|select|pagination|checkbox|tag|popper|tooltip|scrollbar|focus-trap|loading)[\\/]|@popperjs|normalize-wheel-es)/, priority: 5 },
          ],
        },
      },
    },
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: { '/api': { target: api, changeOrigin: false }, '/healthz': api },
  },
  preview: {
    host: '127.0.0.1',
    port: 4173,
    proxy: { '/api': { target: api, changeOrigin: false } },
  },
});
