// A static file server for this folder, with no dependencies: what the end-to-end test starts,
// and one way to look at the page by hand:
//   node server.mjs [port]      (then open the address it prints)
// It serves on 127.0.0.1 only, files under this folder only, with the MIME types a browser
// insists on for modules (text/javascript) and for WebAssembly streaming (application/wasm).

import { createServer } from 'node:http';
import { open } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = fileURLToPath(new URL('.', import.meta.url));

export const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
};

/**
 * Starts serving `root` on 127.0.0.1 (`port` 0: a free one). Resolves to `{ url, close }`,
 * where `url` ends with a slash and `close()` stops the server.
 */
export async function startServer({ root = HERE, port = 0 } = {}) {
  const base = resolve(root);
  const server = createServer((req, res) => {
    serve(base, req, res).catch((e) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`500 ${e.message}\n`);
    });
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', ok);
  });
  const { port: bound } = server.address();
  return {
    url: `http://127.0.0.1:${bound}/`,
    close: () =>
      new Promise((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}

async function serve(base, req, res) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' });
    res.end();
    return;
  }
  let path;
  try {
    path = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
  } catch {
    return notFound(res);
  }
  if (path.endsWith('/')) path += 'index.html';
  const file = resolve(join(base, path));
  if (file !== base && !file.startsWith(base + sep)) return notFound(res);

  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return notFound(res);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return notFound(res);
    res.writeHead(200, {
      'content-type': MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'content-length': info.size,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    if (req.method === 'HEAD') return res.end();
    res.end(await handle.readFile());
  } finally {
    await handle.close();
  }
}

function notFound(res) {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
  res.end('404 not found\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const port = Number(process.argv[2] ?? 8080);
  const { url } = await startServer({ port });
  console.log(`serving ${HERE} at ${url} (Ctrl-C to stop)`);
}
