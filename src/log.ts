// The one neutralising layer for the runner's log. The runner reads workflow commands from stdout:
// a line that starts (after spaces) with `::name` is a command, the legacy `##[name]` is one anywhere
// in a line, and `::stop-commands::TOKEN` silences every later command, our own final error
// included (actions/runner src/Runner.Worker/ActionCommandManager.cs, ActionCommand.cs; see
// ../shared/reference/github-actions.md). Every message the action logs goes through `runnerLog`,
// so text from elsewhere (check names, statuses, Kubernetes messages, slo-command output) printed
// anywhere in a message can never be read as a command.

/** Zero-width space: invisible, and neither `:` nor `#`, so `::` and `##[` no longer occur. */
const BREAK = '\u200b';

// Escape sequences and controls could rewrite what the log shows (erase a line, hide text); bidi
// overrides reorder it. Line breaks are kept: the runner splits on \n, \r and \r\n (.NET ReadLine).
const CONTROLS = /\u001b\[[0-9;?]*[ -/]*[@-~]|[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** A message safe to print: no line of it (however it is split) holds `::` or `##[`. */
export function inertLog(text: string): string {
  return String(text)
    .replace(/\r\n?/g, '\n')
    .replace(CONTROLS, '')
    .replace(/:(?=:)/g, `:${BREAK}`)
    .replace(/#(?=#\[)/g, `#${BREAK}`);
}

/** What the stages and adapters log through. */
export interface Log {
  info(message: string): void;
  warning(message: string, annotation?: Annotation): void;
  error(message: string, annotation?: Annotation): void;
  notice(message: string, annotation?: Annotation): void;
  /** A collapsible section of the runner's log (`::group::name` … `::endgroup::`); groups do not nest. */
  startGroup(name: string): void;
  endGroup(): void;
}

/** What the runner shows with an annotation besides its message (core.AnnotationProperties). */
export interface Annotation {
  readonly title?: string;
}

/** Where runnerLog writes: @actions/core, or a test's recorder (which may have no groups). */
export type LogSink = Omit<Log, 'startGroup' | 'endGroup'> & Partial<Pick<Log, 'startGroup' | 'endGroup'>>;

/**
 * The log every part of the action is given: each message is first stripped of the run's secrets
 * (the runner masks them too, but only as registered: a secret that a neutralising break split
 * would no longer match), then neutralised. `core.warning`/`error`/`notice` still emit their own
 * `::warning::` command, with the message as escaped data.
 */
export function runnerLog(sink: LogSink, secrets: readonly string[] = []): Log {
  const hidden = [...new Set(secrets.map((s) => s.trim()).filter((s) => s.length > 0))].sort((a, b) => b.length - a.length);
  const clean = (message: string) => inertLog(hidden.reduce((text, secret) => text.split(secret).join('***'), String(message)));
  // A title is one line: the runner shows it in bold above the message.
  const titled = (annotation?: Annotation) => (annotation?.title ? [{ title: clean(annotation.title).replace(/\s+/g, ' ') }] as const : [] as const);
  return {
    info: (message) => sink.info(clean(message)),
    warning: (message, annotation) => sink.warning(clean(message), ...titled(annotation)),
    error: (message, annotation) => sink.error(clean(message), ...titled(annotation)),
    notice: (message, annotation) => sink.notice(clean(message), ...titled(annotation)),
    // The group's name is data of `::group::`, but printed as a line it must still be inert.
    startGroup: (name) => (sink.startGroup ? sink.startGroup(clean(name).replace(/\s+/g, ' ')) : sink.info(clean(name))),
    endGroup: () => sink.endGroup?.(),
  };
}
