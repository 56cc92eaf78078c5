/**
 * The extension's manifest as the tests see it: command titles, walkthroughs and settings are read from
 * package.json at test time, so a renamed command or step changes what the test looks for, not the test.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { repoRoot } from './env';

const ManifestSchema = z.object({
  name: z.string(),
  publisher: z.string(),
  displayName: z.string(),
  contributes: z.object({
    commands: z.array(z.object({ command: z.string(), title: z.string(), category: z.string().optional() })).default([]),
    walkthroughs: z
      .array(
        z.object({
          id: z.string(),
          title: z.string(),
          steps: z.array(z.object({ id: z.string(), title: z.string(), description: z.string().default(''), media: z.object({ markdown: z.string().optional() }).optional() })),
        }),
      )
      .default([]),
    configuration: z.object({ properties: z.record(z.string(), z.unknown()) }).optional(),
  }),
});

export type Manifest = z.infer<typeof ManifestSchema>;
export type Walkthrough = Manifest['contributes']['walkthroughs'][number];

export function readManifest(): Manifest {
  return ManifestSchema.parse(JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')));
}

export const extensionId = (m: Manifest): string => `${m.publisher}.${m.name}`;

/** The title the command palette shows: "Category: Title". */
export function paletteTitle(m: Manifest, commandId: string): string {
  const command = m.contributes.commands.find((c) => c.command === commandId);
  if (!command) throw new Error(`package.json contributes no command ${commandId}`);
  return command.category ? `${command.category}: ${command.title}` : command.title;
}

export function walkthrough(m: Manifest, id: string): Walkthrough {
  const found = m.contributes.walkthroughs.find((w) => w.id === id);
  if (!found) throw new Error(`package.json contributes no walkthrough ${id}`);
  return found;
}

/** The step whose description links to a command, and the link's label (the button VS Code draws for it). */
export function stepRunning(w: Walkthrough, commandId: string): { step: Walkthrough['steps'][number]; label: string } {
  for (const step of w.steps) {
    const link = new RegExp(`\\[([^\\]]+)\\]\\(command:${commandId.replace(/\./g, '\\.')}[?)]`).exec(step.description);
    if (link) return { step, label: link[1]! };
  }
  throw new Error(`no step of walkthrough ${w.id} links to command ${commandId}`);
}

/** The first setting whose key matches, if the extension contributes one. */
export function settingKey(m: Manifest, pattern: RegExp): string | undefined {
  return Object.keys(m.contributes.configuration?.properties ?? {}).find((key) => pattern.test(key));
}

/** The first heading of a step's markdown media: text that must be on screen when the step is shown. */
export function mediaHeading(markdownPath: string): string {
  const heading = readFileSync(join(repoRoot, markdownPath), 'utf8')
    .split('\n')
    .find((line) => /^#{1,3} \S/.test(line));
  if (!heading) throw new Error(`${markdownPath} has no heading to look for`);
  // What the reader sees: emphasis and code marks are not text.
  return heading.replace(/^#+ /, '').replace(/[*`]/g, '').trim();
}
