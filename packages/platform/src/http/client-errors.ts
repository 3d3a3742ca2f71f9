import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { HttpProblem } from './problem.js';

/** What Node's parser refused, as the problem it is (its own answer is a bare status line). */
function problemOf(code: string | undefined): HttpProblem {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return new HttpProblem(
        431,
        'headers_too_large',
        'The request headers are over the size limit.',
      );
    case 'HPE_HEADERS_TIMEOUT':
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new HttpProblem(408, 'request_timeout', 'The request did not arrive in time.');
    default:
      return new HttpProblem(400, 'malformed_request', 'The request is not valid HTTP.');
  }
}

/**
 * Requests Node refuses before any handler runs (headers over `--max-http-header-size`, a
 * malformed request line, a request too slow to arrive) get a problem+json answer like every
 * other refusal, then the connection closes.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const problem = problemOf(error.code);
    const body = JSON.stringify(problem.toJSON());
    socket.end(
      `HTTP/1.1 ${problem.status} ${problem.toJSON()['title'] as string}\r\n` +
        'Content-Type: application/problem+json\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    );
  });
}
