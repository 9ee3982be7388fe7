/**
 * What the Actions runner would read as workflow commands in a step's stdout, per
 * actions/runner ActionCommand.cs / ActionCommandManager.cs (../shared/reference/github-actions.md):
 * lines split at \n, \r or \r\n; a line whose text after leading white space starts with `::name`
 * and has a later `::` is a command (`::name k=v,…::data`); the legacy `##[name …]data` is one
 * anywhere in a line; `::stop-commands::TOKEN` turns parsing off until a line `::TOKEN::`.
 */
export interface WorkflowCommand {
  readonly name: string;
  readonly properties: string;
  /** The data with the runner's escapes (%25, %0D, %0A, %3A, %2C) decoded. */
  readonly data: string;
  readonly form: '::' | '##[';
  readonly line: number;
}

const unescape = (text: string) => text.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%3A/gi, ':').replace(/%2C/gi, ',').replace(/%5D/gi, ']').replace(/%3B/gi, ';').replace(/%25/g, '%');

export function parseWorkflowCommands(stdout: string): WorkflowCommand[] {
  const commands: WorkflowCommand[] = [];
  let stopToken: string | undefined;
  stdout.split(/\r\n|\r|\n/).forEach((text, line) => {
    const trimmed = text.replace(/^\s+/, '');
    if (stopToken !== undefined) {
      if (trimmed === `::${stopToken}::`) stopToken = undefined;
      return;
    }
    const v2 = /^::([^\s:]+)(?: ([^]*?))?::([^]*)$/.exec(trimmed);
    if (v2) {
      const command = { name: v2[1]!.toLowerCase(), properties: v2[2] ?? '', data: unescape(v2[3]!), form: '::' as const, line };
      commands.push(command);
      if (command.name === 'stop-commands') stopToken = command.data;
      return;
    }
    const v1 = /##\[([^\]\s;]+)([^\]]*)\]([^]*)$/.exec(text);
    if (v1) commands.push({ name: v1[1]!.toLowerCase(), properties: v1[2]!.trim(), data: unescape(v1[3]!), form: '##[', line });
  });
  return commands;
}
