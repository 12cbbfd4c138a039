// The Temporal Web UI, in headless Chromium, shows a run waiting for its backup: found by its search
// attributes, with its summary, details, current details and phase, and its wait as ONE pending
// activity whose attempts are the looks: the attempt count, the last look's answer (its last failure,
// benign) and when the next look is due (its next retry). No timer per look any more. Neither the
// pages nor the answers the Web UI got hold the API token of the run's worker.
// Screenshots go to test-artifacts/browser/ (web-ui-run.png is the one the README shows).
import { strict as assert } from 'assert';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { webUiBase } from '../../src/cli/follow';
import type { RunStatus } from '../../src/shared/types';
import type { backupAndRestoreDatabase } from '../../src/workflows/run';
import { statusQuery } from '../../src/workflows/messages';
import { inCi } from '../support/ci';
import { pendingLook, startHarness, type Harness } from '../support/harness';
import { testNamespace, testTemporalAddress } from '../support/temporal';
import { findChromium, launchChromium } from './chromium';

const ARTIFACTS = path.join(__dirname, '..', '..', 'test-artifacts', 'browser');
/** How long the page may take to show something (the machine may be busy with other tests). */
const UI_TIMEOUT_MS = 30_000;

// No jitter, so the looks are known: at the start, after 1 s, after 10 s more, then 100 s later,
// during which the run sits in waiting-for-backup with its wait activity scheduled for its 4th
// attempt while the browser looks.
const POLL = {
  initialIntervalMs: 1_000,
  backoffCoefficient: 10,
  maximumIntervalMs: 600_000,
  jitter: 0,
  deadlineMs: 3_600_000,
  mode: 'backoff' as const,
};
const LOOKS = 3;

const iso = (epochMs: number) => new Date(epochMs).toISOString().replace(/\.\d+Z$/, 'Z');

async function waitUntil<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`Not reached within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('the Temporal Web UI shows a run waiting for its backup (headless Chromium)', function () {
  this.timeout(180_000);

  // Unique per test run, so the visibility query finds exactly this run on a shared server.
  const databaseId = `db_web_${randomBytes(5).toString('hex')}`;
  const query = `DatabaseId="${databaseId}" AND BackupPhase="waiting-for-backup"`;
  let uiBase: string;
  let harness: Harness | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  let handle: WorkflowHandleWithFirstExecutionRunId<typeof backupAndRestoreDatabase> | undefined;
  let status: RunStatus;
  /** The wait's pending activity, as the server describes it once the third look was made. */
  let pending: { looks: number; lastLook: string; nextLookAt: number };
  let runUrl: string;
  const shots = new Map<string, Buffer>();
  /** What the Web UI showed (each test's last page, its frames too) and every answer the page got. */
  const seen: Promise<{ where: string; text: string }>[] = [];

  before(async function () {
    const chromium = findChromium();
    const ui = webUiBase(testTemporalAddress());
    const problem = 'problem' in chromium ? chromium.problem : ui ? undefined : 'No Web UI address: set TEMPORAL_UI_URL.';
    if (problem) {
      // CI must run this test; elsewhere `npm test` stays usable on a machine without Chromium.
      if (inCi() || process.env.CHROMIUM_PATH) throw new Error(`The Web UI browser test cannot run. ${problem}`);
      console.log(`    Skipping the Web UI browser test (CI would fail here). ${problem}`);
      this.skip();
    }
    uiBase = ui!;
    await fs.mkdir(ARTIFACTS, { recursive: true });

    // Both kept as soon as they exist, so `after` closes whichever started when the other failed.
    const started = await Promise.allSettled([
      launchChromium((chromium as { path: string }).path).then((b) => (browser = b)),
      startHarness({ simulator: { backupDurationMs: 3_600_000, databases: [databaseId] } }).then((h) => (harness = h)),
    ]);
    for (const result of started) if (result.status === 'rejected') throw result.reason;
    handle = await harness!.start({ databaseId, poll: POLL });
    const ns = encodeURIComponent(testNamespace());
    runUrl = `${uiBase}/namespaces/${ns}/workflows/${encodeURIComponent(handle.workflowId)}/${handle.firstExecutionRunId}`;

    // The state the page must show: three looks made, the fourth due in 100 s.
    const h = handle;
    pending = await waitUntil('three looks made and the next one scheduled', 60_000, async () => {
      const look = await pendingLook(h);
      return look && look.looks >= LOOKS && look.lastLook && look.nextLookAt
        ? { ...look, lastLook: look.lastLook, nextLookAt: look.nextLookAt }
        : undefined;
    });
    status = await h.query(statusQuery);
    assert.equal(status.phase, 'waiting-for-backup');
    assert.equal(pending.looks, LOOKS, 'the look due 100 s after the third should not have been made yet');
    assert.match(String(status.backupId), /^bkp_/);
    assert.ok(status.wait, 'the run says what it waits for');
    // ... and visible to the query the page will run.
    await waitUntil('the run in visibility', 30_000, async () => {
      for await (const wf of harness!.client.workflow.list({ query })) if (wf.workflowId === h.workflowId) return true;
      return undefined;
    });

    context = await browser!.newContext({
      viewport: { width: 1400, height: 900 },
      timezoneId: 'UTC',
      locale: 'en-US',
      colorScheme: 'light',
    });
    // Only the Web UI itself: nothing leaves the machine (the UI would fetch a news feed).
    const uiHost = new URL(uiBase).host;
    await context.route(
      (url) => url.host !== uiHost,
      (route) => route.abort(),
    );
    context.setDefaultTimeout(UI_TIMEOUT_MS);
    page = await context.newPage();
    page.on('response', (response) =>
      seen.push(
        response
          .text()
          .catch(() => '')
          .then((text) => ({ where: `the answer to ${response.url()}`, text })),
      ),
    );
  });

  afterEach(async () => {
    if (!page) return;
    const where = `the page ${page.url()}`;
    for (const frame of page.frames())
      seen.push(
        frame.content().then(
          (text) => ({ where, text }),
          () => ({ where, text: '' }),
        ),
      );
  });

  afterEach(async function () {
    if (this.currentTest?.state !== 'failed' || !page) return;
    const name = `failure-${(this.currentTest.title.match(/\w+/g) ?? ['test']).join('-')}`;
    await withWholePageInView(page, async () => void (await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) }))).catch(
      () => undefined,
    );
    const text = await page
      .locator('body')
      .innerText()
      .catch((err) => String(err));
    await fs.writeFile(path.join(ARTIFACTS, `${name}.txt`), `${page.url()}\n\n${text}`).catch(() => undefined);
  });

  after(async function () {
    try {
      const metadata = shots.get('user-metadata');
      const activity = shots.get('pending-activity');
      if (context && metadata && activity) await saveStacked(context, [metadata, activity], path.join(ARTIFACTS, 'web-ui-run.png'));
    } finally {
      await browser?.close();
      await handle?.terminate('Web UI browser test done').catch(() => undefined);
      await harness?.close();
    }
  });

  /** A full-page screenshot artifact; keeps the rows `crop` selects of the main part (no navigation) for the README's image. */
  async function screenshot(name: string, crop?: (height: number) => Promise<{ y: number; height: number }>): Promise<void> {
    await withWholePageInView(page, async (width, height) => {
      await page.screenshot({ path: path.join(ARTIFACTS, `web-ui-${name}.png`) });
      if (!crop) return;
      const x = Math.max(0, ((await page.getByRole('main').boundingBox())?.x ?? 0) - 8);
      shots.set(name, await page.screenshot({ clip: { x, width: width - x, ...(await crop(height)) } }));
    });
  }

  /** The fourth look must not have been made yet for the checks that describe the third. */
  function assertStillWaiting(): void {
    assert.ok(
      Date.now() < pending.nextLookAt - 2_000,
      `The machine was too slow: look ${LOOKS + 1} is due at ${iso(pending.nextLookAt)}, before the page could be checked.`,
    );
  }

  it('finds the run by its search attributes in the workflows list and opens it', async () => {
    await page.goto(`${uiBase}/namespaces/${encodeURIComponent(testNamespace())}/workflows?query=${encodeURIComponent(query)}`);
    await visible(page.getByRole('button', { name: `DatabaseId = "${databaseId}"` }), 'the DatabaseId filter');
    await visible(page.getByRole('button', { name: 'BackupPhase = "waiting-for-backup"' }), 'the BackupPhase filter');
    const table = page.getByRole('table', { name: 'Workflows' });
    const link = table.getByRole('link', { name: handle!.workflowId, exact: true });
    await visible(link, `the run ${handle!.workflowId} in the list`);
    assert.equal(
      await table
        .getByRole('row')
        .filter({ has: page.getByRole('link') })
        .count(),
      1,
      'the query should find exactly this run',
    );
    await screenshot('list');

    await link.click();
    await page.waitForURL(`${runUrl}/**`);
    await visible(page.getByRole('heading', { level: 1, name: handle!.workflowId }), 'the run page heading');
    assert.match(await page.getByRole('main').getByRole('status').first().innerText(), /^running$/i);
  });

  it('shows the wait as one activity on its next attempt beside the backup created, with their summaries, and no timer', async () => {
    await page.goto(`${runUrl}/timeline`);
    const timeline = page.getByRole('main');
    const event = (name: string | RegExp, text: string | RegExp) => timeline.getByRole('button', { name }).filter({ hasText: text });
    await visible(event('Event createBackup: Completed', `createBackup • Create a backup of ${databaseId}`), 'the createBackup activity');
    assertStillWaiting();
    const wait = `awaitBackup • Wait for backup ${status.backupId} of ${databaseId} to complete`;
    await visible(
      event('Event awaitBackup: Scheduled', new RegExp(`Attempt\\s+${LOOKS + 1} / ∞\\s+•\\s+${escape(wait)}`)),
      `the wait, attempt ${LOOKS + 1}`,
    );
    assert.equal(await timeline.getByRole('button', { name: /^Event awaitBackup:/ }).count(), 1, 'one activity for all the looks');
    assert.equal(await timeline.getByRole('button', { name: /^Event .*[Tt]imer|: Fired$/ }).count(), 0, 'no timer');
    await screenshot('timeline');
  });

  it('shows the pending activity: the looks made as attempts, the last look as its last failure, the next look as its next retry', async () => {
    await page.goto(`${runUrl}/timeline`);
    await page.getByRole('tab', { name: /^Pending Activities/ }).click();
    await page.waitForURL(`${runUrl}/pending-activities`);
    const main = page.getByRole('main');
    const heading = main.getByRole('heading', { name: 'awaitBackup', exact: true });
    await visible(heading, 'the pending awaitBackup activity');
    assertStillWaiting();
    /** The value beside a label of the activity's fields. */
    const field = (label: string) => main.getByText(label, { exact: true }).locator('xpath=following-sibling::*[1]');
    await visible(
      field('Attempt').filter({ hasText: new RegExp(`^\\s*${LOOKS + 1}\\s*/\\s*Unlimited\\s*$`, 'i') }),
      `attempt ${LOOKS + 1}`,
    );
    const nextRetry = (await field('Next Retry').innerText()).trim();
    const shown = /^(\w{3} \d{1,2}, \d{4}, \d{1,2}:\d{2}:\d{2})(?:\.\d+)? ([AP]M) UTC\s*\(\d+s\)$/.exec(nextRetry);
    assert.ok(shown, `Next Retry: ${nextRetry}`);
    const nextAt = Date.parse(`${shown[1]} ${shown[2]} UTC`);
    assert.ok(
      Math.abs(nextAt - pending.nextLookAt) < 1_000,
      `Next Retry ${nextRetry} is not the next look, due at ${iso(pending.nextLookAt)}`,
    );
    // The third look's answer, as the server keeps it: pending, when, which look, when the next.
    assert.match(
      pending.lastLook,
      new RegExp(`^Backup ${status.backupId} of ${databaseId} is pending, \\d+s in \\(look ${LOOKS}\\); next look in 1m40s\\.$`),
    );
    const lastFailure = main.getByRole('textbox', { name: 'Last Failure' });
    await visible(lastFailure.filter({ hasText: `"message": ${JSON.stringify(pending.lastLook)}` }), 'the last look as the last failure');
    await visible(lastFailure.filter({ hasText: '"type": "NotYet"' }), 'its type NotYet');
    await visible(lastFailure.filter({ hasText: '"category": "APPLICATION_ERROR_CATEGORY_BENIGN"' }), 'benign');
    await visible(
      main.getByRole('textbox', { name: 'Heartbeat Details' }).filter({ hasText: `"looks": ${LOOKS}` }),
      'the looks in the heartbeat',
    );
    // For the README: the activity, from its heading down to its last failure (not the stack trace below it).
    await screenshot('pending-activity', async () => {
      const top = (await heading.boundingBox())!.y - 24;
      const box = (await lastFailure.boundingBox())!;
      return { y: Math.max(0, top), height: box.y + box.height + 12 - Math.max(0, top) };
    });
  });

  it('shows the summary, the details and the current details', async () => {
    await page.goto(`${runUrl}/timeline`);
    await page.getByRole('tab', { name: 'User Metadata' }).click();
    await page.waitForURL(`${runUrl}/user-metadata`);
    // The UI renders each Markdown field in an iframe of its own (ids of the UI's user-metadata panel).
    const summary = page.frameLocator('iframe#user-metadata-summary').locator('body');
    await visible(summary.getByText(`Back up ${databaseId}, then restore it`, { exact: true }), 'the static summary');

    const details = page.frameLocator('iframe#user-metadata-details').locator('body');
    for (const [item, what] of [
      [`Database: ${databaseId}`, 'Database'],
      [`Restore: the new backup into ${databaseId}`, 'Restore'],
      ['Looks: from every 1s to every 10m (backoff)', 'Looks'],
      ['Gives up after: 1h, or 1h of failing looks, never restoring', 'Gives up after'],
    ]) {
      await visible(details.getByRole('listitem').filter({ hasText: item }), `the ${what} item of the static details`);
    }

    const current = page.frameLocator('iframe#user-metadata-current-details').locator('body');
    await visible(current.getByText(new RegExp(`^waiting-for-backup: backup ${status.backupId} \\(taken at `)), 'the phase and backup');
    await visible(
      current.getByText(
        `Wait for backup ${status.backupId} of ${databaseId} to complete. Each look is an attempt of the pending activity below; gives up at ${iso(status.wait!.deadlineAt)}.`,
      ),
      'what the run waits for, and when it gives up',
    );
    // For the README: the header and the three panels, down to the lowest of them.
    await screenshot('user-metadata', async () => {
      const boxes = await Promise.all(
        ['summary', 'details', 'current-details'].map((id) => page.locator(`iframe#user-metadata-${id}`).boundingBox()),
      );
      return { y: 0, height: Math.max(...boxes.map((box) => box!.y + box!.height)) + 24 };
    });
  });

  it('shows the phase, database and backup as search attributes', async () => {
    await page.goto(`${runUrl}/timeline`);
    await page.getByRole('tab', { name: 'Search Attributes' }).click();
    await page.waitForURL(`${runUrl}/search-attributes`);
    const attributes = page.getByRole('textbox', { name: 'Search Attributes' });
    for (const [key, value] of [
      ['BackupPhase', 'waiting-for-backup'],
      ['DatabaseId', databaseId],
      ['BackupId', status.backupId!],
    ]) {
      await visible(attributes.filter({ hasText: `"${key}": "${value}"` }), `${key} = ${value}`);
    }
    await screenshot('search-attributes');
  });

  it('never shows the API token its worker uses, on any page it visited nor in any answer the page got', async () => {
    const texts = await Promise.all(seen);
    const pages = new Set(texts.filter((t) => t.where.startsWith('the page ')).map((t) => t.where));
    assert.ok(pages.size >= 4, `${pages.size} pages seen: this checks the pages the tests above visit, so run the whole file`);
    assert.ok(
      texts.some((t) => t.where.startsWith('the answer to ') && t.text.includes(String(status.backupId))),
      "the Web UI's answers about the run were seen",
    );
    // Payloads reach the page base64-encoded (its JSON answers): each run of base64 is looked into decoded too.
    const token = harness!.token;
    const holdsToken = (text: string) =>
      text.includes(token) ||
      (text.match(/[A-Za-z0-9+/]{24,}={0,2}/g) ?? []).some((b64) => Buffer.from(b64, 'base64').toString().includes(token));
    for (const { where, text } of texts) assert.ok(!holdsToken(text), `The API token is in ${where}`);
  });
});

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Waits for the locator to be visible; on timeout fails saying what was missing and what the page shows. */
async function visible(locator: Locator, what: string): Promise<void> {
  try {
    await locator.first().waitFor({ state: 'visible' });
  } catch (err) {
    const page = locator.page();
    const shown = await page
      .getByRole('main')
      .innerText({ timeout: 1_000 })
      .catch(() => '(no main)');
    assert.fail(
      `The Web UI did not show ${what} at ${page.url()}: ${(err as Error).message.split('\n')[0]}\nPage text:\n${shown.slice(0, 2_000)}`,
    );
  }
}

/**
 * Runs `shoot` with the viewport grown to the whole page. The Web UI scrolls an element inside the
 * page, not the page, so a plain full-page screenshot would stop at the viewport.
 */
async function withWholePageInView(page: Page, shoot: (width: number, height: number) => Promise<void>): Promise<void> {
  const viewport = page.viewportSize()!;
  const hidden = await page.getByRole('main').evaluate((main: any) => {
    let most = 0;
    for (let el = main; el; el = el.parentElement) {
      const overflowY = (globalThis as any).getComputedStyle(el).overflowY;
      if (/auto|scroll/.test(overflowY)) most = Math.max(most, el.scrollHeight - el.clientHeight);
    }
    return most;
  });
  const height = Math.min(viewport.height + hidden, 4_000);
  await page.setViewportSize({ width: viewport.width, height });
  try {
    await shoot(viewport.width, height);
  } finally {
    await page.setViewportSize(viewport);
  }
}

/** Stacks screenshots into one image (rendered by the same browser), for the README. */
async function saveStacked(context: BrowserContext, images: Buffer[], file: string): Promise<void> {
  const page = await context.newPage();
  try {
    const imgs = images
      .map((png) => `<img style="display:block;width:100%" src="data:image/png;base64,${png.toString('base64')}">`)
      .join('');
    await page.setContent(`<body style="margin:0;background:#fff">${imgs}</body>`, { waitUntil: 'load' });
    await page.screenshot({ path: file, fullPage: true });
  } finally {
    await page.close();
  }
}
