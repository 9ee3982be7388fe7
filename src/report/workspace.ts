// Nothing is written through a symbolic link that leads out of the workspace (contract: "Text from
// elsewhere is inert everywhere"). A checked-out repository can carry a `devops` or `incidents`
// link to anywhere on the runner (`/home/runner/.ssh`, another job's files): the evidence would be
// written there. Checked before the first write of the run and again before the evidence is written.
import { lstat, realpath } from 'node:fs/promises';
import path from 'node:path';

/** The directories the run writes into, workspace-relative, with the input that names each. */
export function evidenceDirs(reportDir: string): { readonly dir: string; readonly input: string }[] {
  return [
    { dir: reportDir, input: 'report-dir' },
    { dir: path.posix.join(reportDir, 'status'), input: 'report-dir' },
    { dir: path.posix.join(reportDir, 'reports'), input: 'report-dir' },
    { dir: 'incidents', input: 'incidents/' },
  ];
}

const exists = (target: string) => lstat(target).then(() => true, () => false);

const inside = (root: string, target: string) => target === root || target.startsWith(`${root}${path.sep}`);

/**
 * Each problem, one line: a directory that resolves (through links) outside the workspace, or a
 * file to be written that is itself a symbolic link. The deepest existing part of a directory
 * decides: what does not exist yet is created as a real directory below it.
 */
export async function unsafeWrites(workspace: string, dirs: readonly { dir: string; input: string }[], files: readonly string[] = []): Promise<string[]> {
  const root = await realpath(workspace).catch(() => path.resolve(workspace));
  const problems: string[] = [];
  const refused: string[] = [];
  for (const { dir, input } of dirs) {
    // `devops` refused: `devops/status` would only say it again.
    if (refused.some((r) => dir.startsWith(`${r}/`))) continue;
    const before = problems.length;
    let existing = path.resolve(workspace, dir);
    while (!(await exists(existing)) && existing !== path.dirname(existing)) existing = path.dirname(existing);
    const real = await realpath(existing).catch(() => undefined);
    if (real === undefined) problems.push(`${input} '${dir}': ${path.relative(workspace, existing)} is a symbolic link to nothing: nothing is written through it. Remove the link${input === 'report-dir' ? ', or choose another report-dir' : ''}.`);
    else if (!inside(root, real)) problems.push(`${input} '${dir}' resolves to ${real}, outside the workspace ${root} (through a symbolic link): nothing is written through it. Make it a real directory in the workspace${input === 'report-dir' ? ', or choose another report-dir' : ''}.`);
    if (problems.length > before) refused.push(dir);
  }
  for (const file of files) {
    const stat = await lstat(path.resolve(workspace, file)).catch(() => undefined);
    if (stat?.isSymbolicLink()) problems.push(`${file} is a symbolic link: the evidence is never written through one. Remove it.`);
  }
  return problems;
}
