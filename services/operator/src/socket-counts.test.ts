import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseMetric, SOCKET_METRIC } from './socket-counts.js';

test('reads the socket gauge from a Prometheus exposition', () => {
  const text = [
    '# HELP messaging_socket_connections Socket.IO connections open on this instance',
    '# TYPE messaging_socket_connections gauge',
    'messaging_socket_connections{service="messaging"} 42',
    'messaging_socket_connections_other 7',
    '',
  ].join('\n');
  assert.equal(parseMetric(text, SOCKET_METRIC), 42);
  assert.equal(parseMetric('messaging_socket_connections 3 1700000000000\n', SOCKET_METRIC), 3);
  assert.equal(parseMetric('up 1\n', SOCKET_METRIC), undefined);
});
