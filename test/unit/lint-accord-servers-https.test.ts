/** accord-servers-https: failing and passing fixtures (test/unit/fixtures/lint/accord-servers-https/). */
import { describeRule } from './fixtures/lint/lint-fixture.js';

describeRule('accord-servers-https', [
  {
    name: 'http, http by variable default, upper-case scheme and ftp at all three levels',
    fixture: 'fail-http.yaml',
    expected: [
      { severity: 'error', line: 4, pointer: '/servers/0/url', message: 'server URL http://api.example.com/v1 uses http, not https' },
      { severity: 'error', line: 5, pointer: '/servers/1/url', message: 'server URL {scheme}://{host}/v1 uses http, not https' },
      { severity: 'error', line: 12, pointer: '/paths/~1orders/servers/0/url', message: 'server URL HTTP://orders.example.com uses http, not https' },
      { severity: 'error', line: 16, pointer: '/paths/~1orders/get/servers/0/url', message: 'server URL ftp://files.example.com uses ftp, not https', operation: 'GET /orders' },
    ],
  },
  {
    name: 'https, relative URLs, loopback development hosts and an https variable default pass',
    fixture: 'pass-https.yaml',
    expected: [],
  },
]);
