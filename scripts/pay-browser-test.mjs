// The buyer's browser for the Pay By Link browser test: run by
// TestPayInBrowser (internal/browsertest), which serves the mock and the
// shop on 127.0.0.1 and checks everything this script reports.
//
//   node scripts/pay-browser-test.mjs --chromium BIN --pay-url URL \
//     --expect-prefix URL [--unpayable-url URL] --screenshots DIR
//
// With playwright-core (pinned in tools/spec, driving Debian's chromium:
// no browser is downloaded), headless, with a fresh --user-data-dir:
//
// 1. opens --pay-url, the link's payment page, and reads the order and the
//    amount the page shows;
// 2. clicks the Pay button (a plain form POST: the page has no script) and
//    waits until the browser has followed the redirect to a URL starting
//    with --expect-prefix, the shop's success page;
// 3. with --unpayable-url, opens that page too and reports whether it
//    shows a Pay button and what it says;
// 4. saves screenshots, and prints one JSON line on stdout:
//    {"browser", "order", "amount", "final_url", "final_status",
//     "final_text", "unpayable": {"has_pay", "status"}}.
//
// Every host name but 127.0.0.1 resolves to nothing, so the test cannot
// reach the network. Exit code 0 when the steps ran, 1 otherwise.

import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = {};
for (let i = 2; i < process.argv.length; i += 2) {
  args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
}
for (const name of ['chromium', 'pay-url', 'expect-prefix', 'screenshots']) {
  if (!args[name]) {
    console.error(`pay-browser-test: missing --${name}`);
    process.exit(2);
  }
}

// playwright-core lives in tools/spec/node_modules (scripts/spec-tools.sh).
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'tools', 'spec', 'package.json'));
const { chromium } = require('playwright-core');

// The docs test's flags, plus no proxy and no name resolution off loopback.
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-proxy-server',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];

fs.mkdirSync(args.screenshots, { recursive: true });
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'monri-pay-chromium-'));
let context;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: args.chromium,
    headless: true,
    args: FLAGS,
    viewport: { width: 1024, height: 768 },
    timeout: 60_000,
  });
  const browser = `Chromium ${context.browser()?.version() ?? ''}`.trim();
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(30_000);

  const opened = await page.goto(args['pay-url']);
  if (!opened || opened.status() !== 200) throw new Error(`payment page answered ${opened?.status()}`);
  const order = (await page.locator('#order').innerText()).trim();
  const amount = (await page.locator('#amount').innerText()).trim();
  await page.screenshot({ path: path.join(args.screenshots, 'pay-page.png'), fullPage: true });

  // Click Pay; the form POSTs, the mock answers 303, the browser follows.
  const landed = page.waitForURL((u) => u.href.startsWith(args['expect-prefix']), { waitUntil: 'load' });
  const response = page.waitForResponse((r) => r.url().startsWith(args['expect-prefix']));
  await page.getByRole('button', { name: 'Pay', exact: true }).click();
  await landed;
  const final = await response;
  const result = {
    browser,
    order,
    amount,
    final_url: page.url(),
    final_status: final.status(),
    final_text: (await page.locator('body').innerText()).trim(),
  };
  await page.screenshot({ path: path.join(args.screenshots, 'pay-success.png'), fullPage: true });

  if (args['unpayable-url']) {
    await page.goto(args['unpayable-url']);
    result.unpayable = {
      has_pay: (await page.getByRole('button', { name: 'Pay', exact: true }).count()) > 0,
      status: (await page.locator('#status').innerText()).trim(),
    };
    await page.screenshot({ path: path.join(args.screenshots, 'pay-unpayable.png'), fullPage: true });
  }
  console.log(JSON.stringify(result));
} catch (err) {
  console.error(`pay-browser-test: ${err?.stack ?? err}`);
  process.exitCode = 1;
} finally {
  await context?.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
