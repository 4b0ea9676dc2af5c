/**
 * The fallback load generator (a child process, pinned beside the upstream): one autocannon run
 * described by a JSON file, printed as one `BENCH_RESULT {json}` line in the shape wrk's script prints.
 * Usage: node autocannon-load.mjs <spec.json> <duration-seconds>
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const options = {
  url: spec.url,
  method: spec.method,
  headers: spec.headers,
  body: spec.body,
  connections: spec.connections,
  duration: Number(process.argv[3]),
  pipelining: 1,
  timeout: 5,
};
if (spec.tokensFile) {
  const tokens = readFileSync(spec.tokensFile, 'utf8').split('\n').filter(Boolean);
  let next = 0;
  options.requests = [
    {
      setupRequest(request) {
        next = (next + 1) % tokens.length;
        return { ...request, headers: { ...request.headers, authorization: `Bearer ${tokens[next]}` } };
      },
    },
  ];
}

if (spec.uniqueIdempotencyKeys) {
  // A new key on every request.
  let sent = 0;
  options.requests = [{ setupRequest: (request) => ({ ...request, headers: { ...request.headers, 'idempotency-key': `"bench-${process.pid}-${++sent}"` } }) }];
}

const result = await autocannon(options);
const summary = {
  requests: result.requests.total,
  durationUs: Math.round(result.duration * 1e6),
  p50Us: Math.round(result.latency.p50 * 1000),
  p99Us: Math.round(result.latency.p99 * 1000),
  status: result.non2xx,
  connect: 0,
  read: 0,
  write: 0,
  errors: result.errors,
  timeout: result.timeouts,
};
process.stdout.write(`BENCH_RESULT ${JSON.stringify(summary)}\n`);
