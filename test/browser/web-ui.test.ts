// The Temporal Web UI, in headless Chromium, shows a run waiting for its backup: found by its search
// attributes, with its summary, details, current details, phase, and a pending timer with its summary.
// Screenshots go to test-artifacts/browser/ (web-ui-run.png is the one the README shows).
import { strict as assert } from 'assert';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { webUiBase } from '../../src/runs/web-ui';
import type { WorkflowStatus } from '../../src/shared/workflow-types';
import type { backupAndRestoreDatabase } from '../../src/workflows/backup-and-restore';
import { statusQuery } from '../../src/workflows/messages';
import { inCi } from '../support/ci';
import { startHarness, type Harness } from '../support/harness';
import { testNamespace, testTemporalAddress } from '../support/temporal';
import { findChromium, launchChromium } from './chromium';

const ARTIFACTS = path.join(__dirname, '..', '..', 'test-artifacts', 'browser');
/** How long the page may take to show something (the machine may be busy with other tests). */
const UI_TIMEOUT_MS = 30_000;

// No jitter, so the timer summaries are known: waits of 1 s, 10 s, then 100 s, during which the
// run sits in waiting-for-backup with a pending timer while the browser looks.
const POLL = { initialIntervalMs: 1_000, backoffCoefficient: 10, maximumIntervalMs: 600_000, jitter: 0, deadlineMs: 3_600_000 };
const PENDING_TIMER = 'Wait 100 s before poll 3';

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
  let status: WorkflowStatus;
  let runUrl: string;
  const shots = new Map<string, Buffer>();

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

    // The state the page must show: two polls made, the third timer started.
    const h = handle;
    status = await waitUntil('two polls made and the next timer started', 60_000, async () => {
      const s = await h.query(statusQuery);
      return s.pollsMade >= 2 && s.nextPollAt !== undefined ? s : undefined;
    });
    assert.equal(status.phase, 'waiting-for-backup');
    assert.equal(status.pollsMade, 2, 'the 100 s timer should not have fired yet');
    assert.match(String(status.backupId), /^bkp_/);
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
      const timeline = shots.get('timeline');
      const metadata = shots.get('user-metadata');
      if (context && timeline && metadata) await saveStacked(context, [metadata, timeline], path.join(ARTIFACTS, 'web-ui-run.png'));
    } finally {
      await browser?.close();
      await handle?.terminate('Web UI browser test done').catch(() => undefined);
      await harness?.close();
    }
  });

  /** A full-page screenshot artifact; keeps the part `crop` selects for the README's image. */
  async function screenshot(name: string, crop?: (height: number) => Promise<{ y: number; height: number }>): Promise<void> {
    await withWholePageInView(page, async (width, height) => {
      await page.screenshot({ path: path.join(ARTIFACTS, `web-ui-${name}.png`) });
      if (crop) shots.set(name, await page.screenshot({ clip: { x: 0, width, ...(await crop(height)) } }));
    });
  }

  /** The timer must still be pending for the checks that describe it. */
  function assertStillWaiting(): void {
    assert.ok(
      Date.now() < status.nextPollAt! - 2_000,
      `The machine was too slow: the ${PENDING_TIMER} timer fires at ${iso(status.nextPollAt!)} before the page could be checked.`,
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

  it('shows the activity and timer summaries, with the pending timer', async () => {
    await page.goto(`${runUrl}/timeline`);
    const timeline = page.getByRole('main');
    const event = (name: string | RegExp, text: string) => timeline.getByRole('button', { name }).filter({ hasText: text });
    await visible(event('Event createBackup: Completed', `createBackup • Create a backup of ${databaseId}`), 'the createBackup activity');
    for (const poll of [1, 2]) {
      await visible(event('Event getBackupStatus: Completed', `Poll ${poll}: status of backup ${status.backupId}`), `poll ${poll}`);
    }
    await visible(event(/: Fired$/, 'Wait 1 s before poll 1'), 'the first (fired) timer');
    await visible(event(/: Fired$/, 'Wait 10 s before poll 2'), 'the second (fired) timer');
    assertStillWaiting();
    const pending = timeline.getByRole('button', { name: /^Event \d+ \(.*\): Started$/ });
    await visible(pending.filter({ hasText: PENDING_TIMER }), `the pending timer "${PENDING_TIMER}"`);
    assert.equal(await pending.count(), 1, 'exactly one pending timer');
    // For the README: from the Timeline heading down (the run's header is in the other half).
    const heading = page.getByRole('heading', { level: 2, name: 'Timeline' });
    await screenshot('timeline', async (height) => {
      const y = Math.max(0, (await heading.boundingBox())!.y - 16);
      return { y, height: height - y };
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
    await visible(details.getByRole('listitem').filter({ hasText: `Database: ${databaseId}` }), 'the Database item of the static details');
    await visible(
      details.getByRole('listitem').filter({ hasText: 'Restore: yes, into the same database' }),
      'the Restore item of the static details',
    );

    assertStillWaiting();
    const current = page.frameLocator('iframe#user-metadata-current-details').locator('body');
    await visible(current.getByText(`Waiting for backup ${status.backupId} of ${databaseId}: pending.`), 'the current details');
    await visible(current.getByText(`Polls made: 2, next at ${iso(status.nextPollAt!)}.`), 'the polls made and next poll time');
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
});

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
