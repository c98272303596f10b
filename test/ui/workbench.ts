/**
 * What a person sees: the VS Code workbench in headless Chromium, with the packaged VSIX installed
 * the way a user installs it. Helpers for UI tests (test/ui/*.test.ts) to click, type, wait for
 * visible text and take screenshots into test-results/screenshots/.
 *
 * A UI test gets the shared workbench with `await workbench()` (trusted workspace; one code-server
 * for all UI tests) or e.g. `await workbench({ trusted: false })` (Restricted Mode) or
 * `workbench({ env: { KUBECONFIG } })`, each launched on first use. Tests share a window: start
 * from `await wb.reset()`. Waits are for content, never for time. Run: `npm run test:ui`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { copyWorkspace } from '../integration/build';
import {
  cleanupAll,
  installVsix,
  launchBrowser,
  launchCodeServer,
  prepareToolchain,
  REPO_ROOT,
  runProcess,
  SetupError,
  tempDir,
  traceConsole,
  type CodeServer,
  type Toolchain,
} from '../vscode/codeServer';

export const SCREENSHOTS = path.join(REPO_ROOT, 'test-results', 'screenshots');
interface ContributedCommand {
  command: string;
  title: string;
  category?: string;
  enablement?: string;
}
const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  name: string;
  publisher: string;
  contributes: { commands?: ContributedCommand[]; menus?: { commandPalette?: { command: string; when?: string }[] } };
};
/** The commands package.json contributes. */
const contributedCommands = manifest.contributes.commands ?? [];
/** Commands that write, contributed with `enablement: isWorkspaceTrusted`. */
export const trustGatedCommands = contributedCommands.filter((c) => /\bisWorkspaceTrusted\b/.test(c.enablement ?? ''));
/** How the command palette labels a command. */
export const paletteLabel = (c: ContributedCommand) => (c.category ? `${c.category}: ${c.title}` : c.title);
/** The `when` clause that limits where the palette offers a command, if any. */
export const paletteWhen = (command: string) => manifest.contributes.menus?.commandPalette?.find((m) => m.command === command)?.when;
const VIEWPORT = { width: 1280, height: 800 };

export class Workbench {
  constructor(
    readonly page: Page,
    readonly server: CodeServer,
  ) {}

  /** The folder the workbench opened (a fresh copy of test/integration/workspace). */
  get workspace(): string {
    return this.server.workspace;
  }

  /** Closes editors and notifications (tests that open the panel close it themselves). */
  async reset(): Promise<void> {
    await this.runCommand('View: Close All Editors');
    await this.runCommand('Notifications: Clear All Notifications');
    await this.page.keyboard.press('Escape');
  }

  /** Opens the command palette, types `label`, and runs the entry whose label starts with it. */
  async runCommand(label: string): Promise<void> {
    const row = await this.quickPick('>', label);
    await row.click();
    await this.quickInput().waitFor({ state: 'hidden' });
  }

  /**
   * Does the command palette offer a command labelled exactly `label` ("Category: Title")? Types
   * the label and waits until the palette shows that entry, "No matching commands", or only
   * "similar commands" suggestions.
   */
  async paletteOffers(label: string): Promise<boolean> {
    await this.openQuickInput('F1');
    const input = this.quickInput().locator('input');
    await input.fill(`>${label}`);
    const list = this.quickInput().locator('.quick-input-list');
    const exact = list.locator('.monaco-list-row').filter({ has: this.page.getByText(label, { exact: true }) });
    const answered = exact.or(list.getByText('No matching commands', { exact: true })).or(list.getByText(/similar commands/i));
    try {
      await answered.first().waitFor({ timeout: 15_000 });
    } catch {
      const shown = await list.locator('.monaco-list-row').allInnerTexts();
      throw new Error(`the palette gave no answer for "${await input.inputValue()}": ${shown.map(normalize).join(' | ')}`);
    }
    const offered = (await exact.count()) > 0;
    await this.page.keyboard.press('Escape');
    return offered;
  }

  /** Opens a workspace file by its path relative to the workspace (Quick Open, as a user does). */
  async openFile(relPath: string): Promise<void> {
    const row = await this.quickPick('', relPath);
    await row.click();
    await this.page.locator('.tabs-container .tab.active', { hasText: path.basename(relPath) }).waitFor();
    await this.page.locator('.editor-group-container.active .monaco-editor .view-lines').waitFor();
  }

  /** Clicks the activity-bar icon titled `title` (a real mouse click: locator clicks do not open it). */
  async openViewContainer(title: string): Promise<void> {
    const icon = this.page.locator(`.activitybar li.action-item:has(a[aria-label^="${title}"])`).first();
    await icon.waitFor();
    const box = await icon.boundingBox();
    if (!box) throw new Error(`activity bar icon ${title} has no position`);
    const sidebarTitle = this.page.locator('.part.sidebar .composite.title h2', { hasText: title });
    if (!(await sidebarTitle.isVisible())) await this.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await sidebarTitle.waitFor();
  }

  /** Waits until an element showing `text` (a substring of its text) is visible, anywhere or `within`. */
  async waitForText(text: string, within?: Locator): Promise<Locator> {
    const found = (within ?? this.page).getByText(text).filter({ visible: true }).first();
    await found.waitFor();
    return found;
  }

  /** Waits until the active editor shows `text` on one of its rendered lines. */
  async waitForEditorText(text: string): Promise<void> {
    // Monaco renders spaces as no-break spaces; Playwright's text matching treats both as whitespace.
    await this.page.locator('.editor-group-container.active .monaco-editor .view-line', { hasText: text }).first().waitFor();
  }

  /** Waits until the workbench is at rest: no spinner, progress bar, hover or unresolved code lens. */
  async settle(): Promise<void> {
    // The empty stretch of the title bar between the command center and the layout controls.
    await this.page.mouse.move(VIEWPORT.width * 0.8, 10);
    const busy = this.page.locator(
      '.part.statusbar .codicon-modifier-spin, .monaco-progress-container.active, .monaco-hover:not(.hidden), .workbench-hover-container, .codelens-decoration:text-is("")',
    );
    const visible = busy.filter({ visible: true }).first();
    await visible.waitFor({ state: 'hidden', timeout: 15_000 }).catch(async () => {
      // Something keeps spinning (e.g. a view retrying): take the picture as it is, and say so.
      console.log(`      (still busy: ${await visible.evaluate((e) => e.className).catch(() => '?')})`);
    });
  }

  /** Saves a PNG of the settled window as test-results/screenshots/<name>.png and returns its path. */
  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    const file = path.join(SCREENSHOTS, `${name}.png`);
    await this.settle();
    await this.page.screenshot({ path: file });
    return file;
  }

  private quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  private async openQuickInput(key: 'F1' | 'Control+P'): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press(key);
    await this.quickInput().locator('input').waitFor();
  }

  private async quickPick(prefix: '>' | '', label: string): Promise<Locator> {
    await this.openQuickInput(prefix ? 'F1' : 'Control+P');
    await this.quickInput().locator('input').fill(`${prefix}${label}`);
    const row = this.quickInput()
      .locator('.quick-input-list .monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: label }) })
      .first();
    await row.waitFor();
    return row;
  }
}

const normalize = (s: string) => s.replace(/\u00a0/g, ' ').trim();

// ---------------------------------------------------------------------------------------------
// One launch per trust mode, shared by all UI tests; torn down by the root hook (hooks.ts).

export interface WorkbenchOptions {
  /** false: Restricted Mode (launched without --disable-workspace-trust). Default true. */
  trusted?: boolean;
  /** Environment for the extension host, e.g. a KUBECONFIG pointing at the emulator. */
  env?: Record<string, string>;
  /** User settings over the quiet defaults. */
  settings?: Record<string, unknown>;
}

let setup: Promise<{ tc: Toolchain; browser: Browser; extensionsDir: string }> | undefined;
const workbenches = new Map<string, Promise<Workbench>>();

/**
 * The workbench with the packaged extension installed, launched on first use and shared by every
 * test asking for the same options (each distinct set of options costs one code-server launch).
 */
export function workbench(opts: WorkbenchOptions = {}): Promise<Workbench> {
  const key = JSON.stringify([opts.trusted ?? true, opts.env ?? {}, opts.settings ?? {}]);
  let wb = workbenches.get(key);
  if (!wb) {
    wb = launchWorkbench(opts);
    workbenches.set(key, wb);
  }
  return wb;
}

export async function teardown(): Promise<void> {
  workbenches.clear();
  setup = undefined;
  await cleanupAll();
}

async function launchWorkbench(opts: WorkbenchOptions): Promise<Workbench> {
  setup ??= prepare();
  const { tc, browser, extensionsDir } = await setup;
  const started = Date.now();
  const server = await launchCodeServer(tc, { ...opts, workspace: copyWorkspace(), extensionsDir });
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  // Playwright's 30 s default is short for a 2-core CI machine that is also running code-server and the
  // extension host; a wait that never ends still fails, with the failing locator named at the end of the log.
  page.setDefaultTimeout(60_000);
  traceConsole(page);
  // Loading the workbench takes long on a busy machine: wait for it, not for the load event.
  await page.goto(server.url(), { waitUntil: 'commit' });
  await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 180_000 });
  await page.locator('.monaco-workbench .part.statusbar').waitFor();
  console.log(
    `    workbench ${opts.trusted === false ? 'in Restricted Mode ' : ''}ready in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return new Workbench(page, server);
}

/** Toolchain, the packaged VSIX installed into a fresh extensions dir, and Chromium. */
async function prepare(): Promise<{ tc: Toolchain; browser: Browser; extensionsDir: string }> {
  const started = Date.now();
  const tc = await prepareToolchain((l) => console.log(`    [prepare] ${l}`));
  // The user's packaging command (`npm run package`: build + vsce), so what is tested is what ships.
  const vsix = path.join(REPO_ROOT, 'dist', 'cluster-stacks.vsix');
  fs.rmSync(vsix, { force: true });
  const pack = await runProcess('npm', ['run', '-s', 'package'], { cwd: REPO_ROOT });
  if (pack.code !== 0 || !fs.existsSync(vsix))
    throw new SetupError(`npm run package failed (exit ${pack.code}):\n${pack.out.slice(-3000)}`);
  const extensionsDir = tempDir('extensions');
  await installVsix(tc, vsix, extensionsDir);
  const installed = fs.readdirSync(extensionsDir).filter((d) => d.startsWith(`${manifest.publisher}.${manifest.name}`));
  if (installed.length !== 1)
    throw new SetupError(`the VSIX did not install into ${extensionsDir} (found: ${fs.readdirSync(extensionsDir).join(', ')})`);
  console.log(
    `    VS Code ${tc.vscodeVersion} (code-server), VSIX packaged and installed in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return { tc, browser: await launchBrowser(), extensionsDir };
}
