/**
 * VS Code's own way of running tests inside an extension host, as code-server offers it: the page URL's
 * `payload` names the extension under development and the test module, both as `vscode-remote://` URIs
 * because the extension host is code-server's, on this machine. When the tests end, the workbench stops the
 * extension host (the extension is deactivated) and then calls `window.codeAutomationExit(code)`, which the
 * page is given before it loads.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

/** The workbench URL that loads `developmentPath` as the extension under development and runs `testsPath`. */
export function extensionTestsUrl(workbenchUrl: string, developmentPath: string, testsPath: string): string {
  const url = new URL(workbenchUrl);
  // The authority is code-server's own host:port; the extension host maps vscode-remote URIs to its files.
  const remote = (path: string): string => `vscode-remote://${url.host}${encodeURI(path)}`;
  url.searchParams.set(
    'payload',
    JSON.stringify([
      ['extensionDevelopmentPath', remote(developmentPath)],
      ['extensionTestsPath', remote(testsPath)],
    ]),
  );
  return url.toString();
}

/** `exit` resolves with the tests' exit code (0 when every test passed) once the workbench reports it. */
export async function exposeAutomationExit(page: Page): Promise<{ exit: Promise<number> }> {
  let settle: (code: number) => void = () => undefined;
  const exit = new Promise<number>((resolve) => (settle = resolve));
  await page.exposeFunction('codeAutomationExit', (code: unknown) => settle(typeof code === 'number' ? code : Number.NaN));
  return { exit };
}

/**
 * Where `code-server --install-extension` unpacked the .vsix: the extension exactly as learners get it,
 * which the tests load as the extension under development.
 */
export function installedExtensionPath(extensionsDir: string, extensionId: string): string {
  const folder = readdirSync(extensionsDir).find((name) => name.toLowerCase().startsWith(`${extensionId.toLowerCase()}-`));
  if (!folder) throw new Error(`${extensionId} is not installed in ${extensionsDir}`);
  return join(extensionsDir, folder);
}
