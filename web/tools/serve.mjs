// Serves build/web/ and proxies /api and /healthz to the bangfu server, for trying the
// built UI before the binary embeds it.
//   node web/tools/serve.mjs [--port 8092] [--api http://127.0.0.1:8090]
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const arg = (n, d) => {
  const i = args.indexOf(n);
  return i >= 0 ? args[i + 1] : d;
};
const port = Number(arg('--port', process.env.PORT || 8092));
const api = new URL(arg('--api', process.env.BANGFU_API || 'http://127.0.0.1:8090'));
const root = path.resolve(fileURLToPath(new URL('../../build/web', import.meta.url)));
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2', '.woff': 'font/woff', '.ttf': 'font/ttf', '.json': 'application/json' };

http
  .createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname.startsWith('/api/') || url.pathname === '/healthz') {
      const p = http.request({ host: api.hostname, port: api.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode, r.headers);
        r.pipe(res);
      });
      p.on('error', () => {
        res.writeHead(502, { 'Content-Type': 'application/json' });
        res.end('{"error":{"code":"bad_gateway","message":"无法连接后端服务"}}');
      });
      req.on('error', () => p.destroy());
      res.on('error', () => {});
      req.pipe(p);
      return;
    }
    let file = path.join(root, decodeURIComponent(url.pathname));
    if (!file.startsWith(root) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(root, 'index.html');
    const ext = path.extname(file);
    fs.readFile(file, (err, data) => {
      if (err) {
        res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('界面文件尚未构建：npx vite build --config web/vite.config.js');
        return;
      }
      res.writeHead(200, {
        'Content-Type': types[ext] || 'application/octet-stream',
        'Cache-Control': file.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      });
      res.end(data);
    });
  })
  .listen(port, '127.0.0.1', () => console.log(`bangfu UI on http://127.0.0.1:${port} → API ${api.origin}`));
