/**
 * The bare node:http reverse proxy of the bench (a child process): `http.request` over a
 * keep-alive agent, bodies piped both ways, no policy at all — the floor a Node proxy costs.
 * Usage: node bare-proxy.mjs <upstream-url>
 */
import http from 'node:http';
import { announceListening } from './child-processes.mjs';

const upstream = new URL(process.argv[2]);
const agent = new http.Agent({ keepAlive: true, maxFreeSockets: 256 });

const server = http.createServer((req, res) => {
  const headers = { ...req.headers };
  delete headers.connection;
  const proxyReq = http.request(
    { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent },
    (proxyRes) => {
      res.writeHead(proxyRes.statusCode ?? 502, proxyRes.headers);
      proxyRes.pipe(res);
    },
  );
  proxyReq.on('error', () => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end('bad gateway');
  });
  req.pipe(proxyReq);
});
server.listen(0, '127.0.0.1', () => announceListening(server));
process.on('SIGTERM', () => process.exit(0));
