// A test-only proxy between the phone and the server. It passes everything through and
// counts the bytes, and on demand it cuts the connection (offline: every open and new
// connection is dropped), breaks the answer of one request after the server has handled
// it (the case an idempotency key exists for), or rewrites answers (a new release).
import http from 'node:http';

export async function startProxy(target) {
  const upstream = new URL(target);
  const sockets = new Set();
  const state = { offline: false, drop: null, rewrite: null, log: [] };

  const server = http.createServer((req, res) => {
    if (state.offline) { req.socket.destroy(); return; }
    const drop = state.drop && state.drop.matches(req) ? state.drop : null;
    if (drop) state.drop = null;
    const headers = { ...req.headers };
    // A rewritten or dropped answer is read as text, so ask for it whole and uncompressed.
    if (drop) delete headers['accept-encoding'];
    if (state.rewrite) {
      delete headers['accept-encoding'];
      delete headers['if-none-match'];
      delete headers['if-modified-since'];
    }
    const forward = http.request({
      host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers,
    }, (answer) => {
      const chunks = [];
      answer.on('data', (c) => chunks.push(c));
      answer.on('end', () => {
        let body = Buffer.concat(chunks);
        state.log.push({ method: req.method, url: req.url, status: answer.statusCode, bytes: body.length, headers: req.headers });
        if (drop) {
          // The server has stored it; the phone gets the start of the answer, then the
          // connection breaks. (Breaking it before any byte would let Chromium resend the
          // request by itself on a reused connection, which is not the case under test.)
          drop.resolve({ status: answer.statusCode, body: body.toString('utf8') });
          res.writeHead(answer.statusCode, { 'content-type': answer.headers['content-type'], 'content-length': String(body.length) });
          res.write(body.subarray(0, Math.min(8, body.length)), () => res.socket?.destroy());
          return;
        }
        const out = { ...answer.headers };
        const changed = state.rewrite?.(req.url, body.toString('utf8'), answer.headers);
        if (changed !== undefined && changed !== null) {
          body = Buffer.from(changed, 'utf8');
          out['content-length'] = String(body.length);
          delete out.etag;
          delete out['last-modified'];
        }
        res.writeHead(answer.statusCode, out);
        res.end(body);
      });
    });
    forward.on('error', () => res.socket?.destroy());
    req.pipe(forward);
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;

  return {
    url,
    log: state.log,
    /** Cuts (or restores) the connection, dropping every open one. */
    setOffline(offline) {
      state.offline = offline;
      if (offline) for (const s of sockets) s.destroy();
    },
    /**
     * Lets the next request `matches` accepts reach the server, then drops the answer;
     * resolves with what the server answered.
     */
    dropAnswerOf(matches) {
      return new Promise((resolve) => { state.drop = { matches, resolve }; });
    },
    /** `rewrite(url, text, headers)` returns a replacement body, or nothing to pass it on. */
    rewriteWith(rewrite) { state.rewrite = rewrite; },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
