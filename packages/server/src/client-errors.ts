import type { EventEmitter } from 'node:events';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { PROBLEM_BASE } from '@rapport/core';

const ANSWERS: Record<string, { status: number; slug: string; detail: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, slug: 'header-too-large', detail: 'The request line and headers are over 16 KiB' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, slug: 'request-timeout', detail: 'The request took too long to arrive' },
};

/**
 * Requests Node's HTTP parser refuses before the app sees them (a head over 16 KiB, a malformed
 * request line or header) are answered as problem+json too, instead of Node's bare status line.
 */
export function answerClientErrors(server: EventEmitter): void {
  server.on('clientError', (error: Error & { code?: string }, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const answer = ANSWERS[error.code ?? ''] ?? { status: 400, slug: 'bad-request', detail: 'The request is not valid HTTP' };
    const title = STATUS_CODES[answer.status] ?? 'Bad request';
    const body = JSON.stringify({ type: PROBLEM_BASE + answer.slug, title, status: answer.status, detail: answer.detail });
    socket.end(`HTTP/1.1 ${answer.status} ${title}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
}
