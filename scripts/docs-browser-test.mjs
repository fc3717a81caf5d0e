// Browser test of the rendered API reference; run by scripts/docs-browser-test.sh.
//
//   node scripts/docs-browser-test.mjs --chromium BIN --page index.html \
//     --spec openapi.json --out DIR --screenshots DIR
//
// 1. Every operation (operationId, summary, tag) is read from the bundled
//    contract (--spec); nothing here names an operation.
// 2. Headless Chromium opens the page as a file:// URL, offline (every host
//    name resolves to nothing), each run with a fresh --user-data-dir, lets
//    the page's scripts run for up to 10 s of virtual time and prints the DOM
//    they built (--dump-dom). Each dump is kept in --out.
// 3. Redoc lists a tag's operations in its sidebar while that tag's page
//    (#/<tag>) is open. The test takes the tag pages from the router links of
//    the rendered overview, opens each one and collects the sidebar's
//    operation entries: link and label.
// 4. Each operation passes when an entry's label is its summary and the
//    entry's link ends in its operationId (lowercased, as Redoc links it).
// 5. The same extraction on the page's HTML source must not find them all:
//    the source holds a prerendered overview and the contract inside a
//    script, so a pass proves that the page's scripts rendered the entries.
// 6. Sections and code blocks: every documentation-only tag (x-traitTag,
//    such as Authentication) has a sidebar entry linking its page, and every
//    fenced code block in a tag's or security scheme's description is in
//    some rendered page's text whole (so `<timestamp> <digest>` is not eaten
//    as HTML).
// 7. Screenshots (1280x2000) of the overview and of each tag page go to
//    --screenshots.
//
// The last line is "docs-test: N passed, M failed"; the exit code is 1 when
// anything failed.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const args = {};
for (let i = 2; i < process.argv.length; i += 2) {
  args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
}
for (const name of ['chromium', 'page', 'spec', 'out', 'screenshots']) {
  if (!args[name]) {
    console.error(`docs-test: missing --${name}`);
    process.exit(2);
  }
}

// The flags every Chromium run gets. --host-resolver-rules makes every host
// name unresolvable, so a page that needed its CDN would not render.
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--host-resolver-rules=MAP * ~NOTFOUND',
  '--window-size=1280,2000',
  '--virtual-time-budget=10000',
];

const rel = (p) => path.relative(process.cwd(), p) || p;
fs.rmSync(args.out, { recursive: true, force: true });
fs.mkdirSync(args.out, { recursive: true });
fs.mkdirSync(args.screenshots, { recursive: true });
const chromiumLog = path.join(args.out, 'chromium.log');

// chromium runs Chromium once with a fresh profile on url and returns stdout.
function chromium(extra, url) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'monri-docs-chromium-'));
  try {
    const run = spawnSync(args.chromium, [...FLAGS, `--user-data-dir=${profile}`, ...extra, url], {
      encoding: 'utf8',
      maxBuffer: 256 << 20,
      timeout: 120_000,
    });
    fs.appendFileSync(chromiumLog, `$ chromium ${extra.join(' ')} ${url}\n${run.stderr ?? ''}\n`);
    if (run.error || run.status !== 0) {
      throw new Error(`chromium ${extra.join(' ')} ${url}: ${run.error ?? `exit ${run.status}`} (see ${rel(chromiumLog)})`);
    }
    return run.stdout;
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

function decode(s) {
  return s
    .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&nbsp;/g, '\u00a0')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

// markup drops scripts and styles: what is left is what a reader can see.
function markup(html) {
  return html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '').replace(/<style\b[^>]*>[\s\S]*?<\/style>/gi, '');
}

function text(html) {
  return decode(markup(html).replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');
}

// operationEntries returns the sidebar's operation entries: {href, label, text}.
function operationEntries(html) {
  const entries = [];
  const item = /<div\b[^>]*\bclass="[^"]*\bmenu-item-type-operation\b[^"]*"[^>]*>\s*<a\b[^>]*\bhref="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi;
  for (const m of markup(html).matchAll(item)) {
    const label = /\bdata-text="([^"]*)"/.exec(m[2]);
    entries.push({ href: decode(m[1]), label: label ? decode(label[1]) : '', text: text(m[2]).trim() });
  }
  return entries;
}

// routerLinks returns the distinct in-page router links (#/...) of html.
function routerLinks(html) {
  return [...new Set([...markup(html).matchAll(/\bhref="(#\/[^"]*)"/g)].map((m) => decode(m[1])))];
}

function operationsOf(spec) {
  const ops = [];
  const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
  for (const [route, item] of Object.entries(spec.paths ?? {})) {
    for (const method of methods) {
      const op = item[method];
      if (op) ops.push({ id: op.operationId ?? '', summary: op.summary ?? '', method, route, tags: op.tags ?? [] });
    }
  }
  return ops;
}

function matches(op, entry) {
  return entry.label === op.summary && entry.text.includes(op.summary) && entry.href.toLowerCase().endsWith(`/${op.id.toLowerCase()}`);
}

const spec = JSON.parse(fs.readFileSync(args.spec, 'utf8'));
const ops = operationsOf(spec);
const source = fs.readFileSync(args.page, 'utf8');
const url = pathToFileURL(path.resolve(args.page)).href;
const problems = [];

console.log(`docs-test: ${rel(args.page)} (${Math.round(fs.statSync(args.page).size / 1024)} KiB), ${ops.length} operations in ${rel(args.spec)}`);
for (const op of ops) {
  if (!op.id || !op.summary) problems.push(`${op.method.toUpperCase()} ${op.route} has no operationId or summary`);
}
if (ops.length === 0) problems.push('the contract has no operations');

// The HTML source, before any script: the check below must not pass on it.
const sourceEntries = operationEntries(source);
const sourceListed = ops.filter((op) => sourceEntries.some((e) => matches(op, e))).length;
const sourceText = text(source);
const sourceSummaries = ops.filter((op) => sourceText.includes(op.summary)).length;
console.log(
  `docs-test: HTML source (before scripts): ${sourceListed} of ${ops.length} operations listed, ` +
    `${sourceSummaries} of ${ops.length} summaries in its markup outside scripts, ${routerLinks(source).length} router links`,
);
if (ops.length > 0 && sourceListed === ops.length) {
  problems.push('the HTML source already lists every operation: the DOM check would prove nothing');
}

// The overview, rendered: its sidebar links to one page per tag.
const dumps = [];
const overview = chromium(['--dump-dom'], url);
fs.writeFileSync(path.join(args.out, 'overview.dom.html'), overview);
dumps.push(overview);
const tagPages = routerLinks(overview).filter((link) => /^#\/[^/#?]+$/.test(link));
console.log(`docs-test: rendered overview: ${text(overview).length} characters of text, tag pages ${tagPages.join(', ') || 'none'}`);
if (!/Search/.test(text(overview)) || tagPages.length === 0) {
  problems.push('the overview did not render (no search box or no tag page links): did the scripts run?');
}

const entries = operationEntries(overview);
for (const page of tagPages) {
  const name = page.slice(2);
  const dom = chromium(['--dump-dom'], `${url}${page}`);
  fs.writeFileSync(path.join(args.out, `${name}.dom.html`), dom);
  dumps.push(dom);
  const found = operationEntries(dom);
  console.log(`docs-test: rendered ${page}: ${found.length} operation entries in the sidebar`);
  entries.push(...found);
}

for (const op of ops) {
  const entry = entries.find((e) => matches(op, e));
  if (entry) {
    console.log(`ok    ${op.id}: "${op.summary}" at ${entry.href}`);
  } else {
    console.log(`FAIL  ${op.id}: no sidebar entry labelled "${op.summary}" linking to .../${op.id.toLowerCase()}`);
  }
}

// Documentation sections and code blocks, as a reader sees them.
const slug = (name) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
const codeBlocks = (md) => [...(md ?? '').matchAll(/```[a-z]*\n([\s\S]*?)```/g)].map((m) => m[1].trim().replace(/\s+/g, ' '));
const pageTexts = dumps.map(text);
const sidebarLinks = (html) =>
  [...markup(html).matchAll(/<div\b[^>]*\bmenu-item-type-[^"]*"[^>]*>\s*<a\b[^>]*\bhref="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi)].map((m) => ({
    href: decode(m[1]),
    text: text(m[2]).trim(),
  }));
const described = [
  ...(spec.tags ?? []).map((t) => ({ what: `tag ${t.name}`, description: t.description })),
  ...Object.entries(spec.components?.securitySchemes ?? {}).map(([n, s]) => ({ what: `security scheme ${n}`, description: s.description })),
];
for (const tag of (spec.tags ?? []).filter((t) => t['x-traitTag'])) {
  const link = dumps.flatMap(sidebarLinks).find((l) => l.href === `#/${slug(tag.name)}` && l.text.includes(tag.name));
  if (link) console.log(`ok    section "${tag.name}": sidebar entry at ${link.href}`);
  else problems.push(`section "${tag.name}" has no sidebar entry linking #/${slug(tag.name)}`);
}
for (const d of described) {
  for (const block of codeBlocks(d.description)) {
    if (pageTexts.some((t) => t.includes(block))) console.log(`ok    ${d.what}: code block "${block}" rendered whole`);
    else if (d.what === 'security scheme WP3Callback') console.log(`skip  ${d.what}: shown only on the callback, which is not dumped`);
    else problems.push(`${d.what}: code block "${block}" is not in any rendered page`);
  }
}

// Screenshots, for a person to look at.
const shots = [];
for (const page of ['', ...tagPages]) {
  const file = path.join(args.screenshots, `${page ? page.slice(2) : 'overview'}.png`);
  fs.rmSync(file, { force: true });
  chromium([`--screenshot=${file}`], `${url}${page}`);
  const png = fs.existsSync(file) ? fs.readFileSync(file) : Buffer.alloc(0);
  if (png.length < 10_000 || !png.subarray(1, 4).equals(Buffer.from('PNG'))) {
    problems.push(`no screenshot at ${rel(file)}`);
  }
  shots.push(rel(file));
}
console.log(`docs-test: screenshots ${shots.join(', ')}`);

for (const p of problems) console.log(`FAIL  ${p}`);
const passed = ops.filter((op) => entries.some((e) => matches(op, e))).length;
const failed = ops.length - passed + problems.length;
console.log(`docs-test: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
