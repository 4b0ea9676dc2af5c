/** Proposed revisions of the bundled orders 1.0.0 contract, for impact tests: each one edit of the text. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ORDERS_BASE_FILE = join(import.meta.dirname, '..', '..', 'contracts', 'orders', '1.0.0.yaml');
export const ORDERS_BASE_TEXT = readFileSync(ORDERS_BASE_FILE, 'utf8');

function edit(from: string, to: string, version: string): string {
  if (!ORDERS_BASE_TEXT.includes(from)) throw new Error(`the orders contract no longer contains: ${from}`);
  return ORDERS_BASE_TEXT.replace(from, () => to).replace('  version: 1.0.0\n', `  version: ${version}\n`);
}

/** Removes the optional `status` query parameter of listOrders. */
export const REMOVE_STATUS_PARAMETER = edit(
  "        - name: status\n          in: query\n          description: Only orders in this status.\n          required: false\n          schema:\n            $ref: '#/components/schemas/OrderStatus'\n",
  '',
  '1.1.0',
);

/** Makes the optional `note` of a new order required. */
export const REQUIRE_NOTE = edit('required: [customerId, currency, lineItems]', 'required: [customerId, currency, lineItems, note]', '1.1.0');

/** Removes the optional `note` from the Order in every response. */
export const REMOVE_RESPONSE_NOTE = edit(
  "        total:\n          $ref: '#/components/schemas/DecimalAmount'\n        note:\n          type: string\n          maxLength: 500\n        createdAt:",
  "        total:\n          $ref: '#/components/schemas/DecimalAmount'\n        createdAt:",
  '1.1.0',
);

/** Narrows the cancellation reasons to two. */
export const NARROW_REASON = edit('enum: [customer-request, out-of-stock, fraud-suspected, other]', 'enum: [customer-request, other]', '1.1.0');

/** Removes `shipped` from the order statuses (acme filters by it; initech never sends a status). */
export const NARROW_STATUS = edit('enum: [pending, confirmed, shipped, delivered, cancelled]', 'enum: [pending, confirmed, delivered, cancelled]', '1.1.0');
