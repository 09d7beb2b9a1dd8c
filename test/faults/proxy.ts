/**
 * The fault-injecting HTTP proxy: listens on 127.0.0.1, forwards every request to moto_server, and
 * records which operation each request was. When told to, it answers one operation (every request of
 * it: every region, page and retry) with a fault instead: an AWS error in the protocol's shape, a 200
 * with its body cut, or no answer at all (the socket is held until the client gives up).
 */
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { type FaultKind, faultAnswer, identify, type Operation, operationKey, truncate } from './protocol.ts';

export interface Fault {
  /** `service:Operation` */
  operation: string;
  kind: FaultKind;
}

export interface FaultProxy {
  endpoint: string;
  /** Requests seen per `service:Operation` (faulted or not). */
  calls: Map<string, number>;
  /** Requests the fault was applied to. */
  faulted(): number;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

interface Upstream {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function forward(target: URL, req: IncomingMessage, body: Buffer): Promise<Upstream> {
  return new Promise((resolve, reject) => {
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host, 'content-length': String(body.length) },
      },
      (res) => {
        readBody(res).then(
          (b) => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: b }),
          reject,
        );
      },
    );
    upstream.on('error', reject);
    upstream.end(body);
  });
}

function send(res: ServerResponse, status: number, headers: Upstream['headers'], body: Buffer): void {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined || k === 'transfer-encoding' || k === 'content-length' || k === 'connection')
      continue;
    out[k] = v;
  }
  out['content-length'] = String(body.length);
  res.writeHead(status, out);
  res.end(body);
}

export async function startFaultProxy(target: string, fault?: Fault): Promise<FaultProxy> {
  const to = new URL(target);
  const calls = new Map<string, number>();
  const sockets = new Set<Socket>();
  let faulted = 0;

  const server = createServer(async (req, res) => {
    try {
      const body = await readBody(req);
      const op: Operation | undefined = identify(req.url ?? '/', req.headers, body.toString('utf8'));
      const key = op ? operationKey(op) : undefined;
      if (key) calls.set(key, (calls.get(key) ?? 0) + 1);
      if (op && fault && key === fault.operation) {
        faulted += 1;
        if (fault.kind === 'hang') return; // no answer: the client's budget or timeout must end it
        const answer = faultAnswer(fault.kind, op);
        if (answer) return send(res, answer.status, answer.headers, Buffer.from(answer.body));
        const real = await forward(to, req, body);
        return send(res, 200, real.headers, truncate(real.body));
      }
      const real = await forward(to, req, body);
      send(res, real.status, real.headers, real.body);
    } catch (err) {
      if (!res.headersSent) send(res, 502, {}, Buffer.from(`fault proxy: ${(err as Error).message}`));
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    faulted: () => faulted,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
