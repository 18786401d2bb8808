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
    rolldownOptions: {
      output: {
        // A few stable vendor chunks instead of many tiny shared ones.
        advancedChunks: {
          groups: [
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/, priority: 30 },
            { name: 'element-plus', test: /node_modules[\\/](element-plus|@element-plus|@vueuse|@floating-ui|@ctrl|@popperjs|lodash-es|lodash-unified|dayjs|async-validator|memoize-one|normalize-wheel-es|@sxzz)[\\/]/, priority: 20 },
            { name: 'vue', test: /node_modules[\\/](@vue|vue|vue-router)[\\/]/, priority: 10 },
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
