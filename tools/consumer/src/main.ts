// make consumer-test: a TypeScript client generated from openapi/monri.yaml
// (openapi-typescript + openapi-fetch) runs all nine operations and two
// error cases against `monri mock`.
import assert from 'node:assert/strict';
import path from 'node:path';
import createClient from 'openapi-fetch';
import { startMock } from './mock.js';
import type { paths } from './monri.js';
import { digest, wp3 } from './sign.js';
import { checks } from './types.js';

// The docs' example credentials (ERRATA 2); the mock's defaults.
const merchantKey = 'qwert1234';
const authenticityToken = '7db11ea5d4a1af32421b564c79b946d1ead3daf0';
const repo = path.resolve(process.argv[2] ?? '.');

let passed = 0;
async function step(name: string, run: () => Promise<void>): Promise<void> {
  await run();
  passed++;
  console.log(`ok    ${name}`);
}

function clientFor(baseUrl: string, key: string) {
  const c = createClient<paths>({ baseUrl });
  c.use(wp3({ merchantKey: key, authenticityToken }));
  return c;
}

async function main(): Promise<void> {
  assert.ok(Object.values(checks).every(Boolean));
  await step('signer: the docs digest test vector', async () => {
    assert.equal(
      digest(merchantKey, '1593457122', authenticityToken, '/v2/payment/new', '{"example":"1"}'),
      'bd120476c656a8ec3ce5d6a150f17061d03a8e280b0fbba278a73a15066830562f73ce5536882c9222e265f1ff6c2df629173375b549cba5a9275b08686f32ea',
    );
  });

  const mock = await startMock(repo, merchantKey, authenticityToken);
  try {
    console.log(`consumer-test: monri mock at ${mock.url}`);
    const monri = clientFor(mock.url, merchantKey);
    let uuid = '';
    const order = `ts-order-${process.pid}`;

    await step('createCustomer', async () => {
      const { data, error } = await monri.POST('/v2/customers', {
        body: { merchant_customer_id: 'ts-1', name: 'Ada', email: 'ada@example.com', country: 'BA', metadata: { tier: 'gold' } },
      });
      assert.equal(error, undefined);
      assert.ok(data);
      assert.equal(data.status, 'approved');
      assert.match(data.uuid, /\S/);
      assert.equal(data.name, 'Ada');
      assert.equal(data.phone, null, 'a required field without a value is null');
      uuid = data.uuid;
    });
    await step('getCustomer', async () => {
      const { data } = await monri.GET('/v2/customers/{uuid}', { params: { path: { uuid } } });
      assert.equal(data?.uuid, uuid);
      assert.equal(data?.merchant_customer_id, 'ts-1');
    });
    await step('getCustomerByMerchantCustomerId', async () => {
      const { data } = await monri.GET('/v2/merchants/customers/{merchant_customer_id}', {
        params: { path: { merchant_customer_id: 'ts-1' } },
      });
      assert.equal(data?.uuid, uuid);
    });
    await step('updateCustomer', async () => {
      const { data } = await monri.POST('/v2/customers/{uuid}', { params: { path: { uuid } }, body: { city: 'Mostar' } });
      assert.equal(data?.city, 'Mostar');
      assert.equal(data?.name, 'Ada', 'fields not sent keep their values');
    });
    await step('listCustomers (query string signed too)', async () => {
      const { data } = await monri.GET('/v2/customers', { params: { query: { limit: 10, offset: 0 } } });
      assert.equal(data?.data.length, 1);
      assert.equal(data?.data[0]?.id, uuid);
    });
    await step('listCustomerPaymentMethods', async () => {
      const { data } = await monri.GET('/v2/customers/{uuid}/payment-methods', { params: { path: { uuid } } });
      assert.equal(data?.status, 'approved');
      assert.deepEqual(data?.data, []);
    });
    await step('createOrUpdatePayByLink', async () => {
      const { data } = await monri.POST('/v2/terminal-entry/create-or-update', {
        body: { order_number: order, amount: 1024, currency: 'EUR', transaction_type: 'purchase', order_info: 'TS order', number_of_installments: 6 },
      });
      assert.equal(data?.status, 'created');
      assert.match(data?.payment_url ?? '', /^http:\/\/127\.0\.0\.1:\d+\//);
      assert.equal(data?.amount, 1024);
      assert.equal(data?.number_of_installments, 6);
      assert.equal(data?.active, true);
      assert.equal(data?.terminal_entry_status, 'pending');
      assert.equal(data?.ch_full_name, null);
    });
    await step('getPayByLink', async () => {
      const { data } = await monri.GET('/v2/terminal-entry/{order_number}/show', { params: { path: { order_number: order } } });
      assert.equal(data?.status, 'approved');
      assert.equal(data?.order_number, order);
    });
    await step('deleteCustomer', async () => {
      const { data } = await monri.DELETE('/v2/customers/{uuid}', { params: { path: { uuid } } });
      assert.deepEqual(data, { status: 'approved', id: uuid, deleted: true });
    });

    await step('error: unknown customer is a 404 MonriError', async () => {
      const { data, error, response } = await monri.GET('/v2/customers/{uuid}', { params: { path: { uuid: 'no-such-customer' } } });
      assert.equal(data, undefined);
      assert.equal(response.status, 404);
      assert.equal(error?.status, 'invalid-request');
      assert.match(error?.message ?? '', /uuid/);
    });
    await step('error: a wrong merchant key is a 401 MonriError', async () => {
      const wrong = clientFor(mock.url, 'not-the-key');
      const { error, response } = await wrong.GET('/v2/customers', {});
      assert.equal(response.status, 401);
      assert.equal(error?.status, 'invalid-request');
    });
  } finally {
    mock.stop();
  }
  console.log(`consumer-test: ${passed} passed, 0 failed`);
}

main().catch((err: unknown) => {
  console.error('FAIL ', err);
  console.log(`consumer-test: ${passed} passed, 1 failed`);
  process.exit(1);
});
