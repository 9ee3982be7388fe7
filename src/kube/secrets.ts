// Every credential a kubeconfig can hold, for masking (contract: secrets are masked before anything
// else is logged). Field names from client-go's clientcmd/api/v1 types (AuthInfo, AuthProviderConfig,
// ExecConfig, ExecEnvVar) and @kubernetes/client-node's User: tokens, passwords, client keys and
// certificates, every `auth-provider.config` value (id-token, refresh-token, client-secret, …), and
// the `exec` plugin's args and env values (a token or secret passed on the command line).

const SECRET_FIELDS = ['token', 'password', 'client-key-data', 'client-certificate-data'];

// Flags and tiny values (`-o`, `--region`, `json`, `eu`) are not credentials; masking them would
// blank every log line that happens to hold them.
const MIN_LENGTH = 4;

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** `--token=abc` → `abc`; `--token` → nothing; `abc` → `abc`. */
function argValue(arg: string): string[] {
  if (!arg.startsWith('-')) return [arg];
  const eq = arg.indexOf('=');
  return eq > 0 ? [arg.slice(eq + 1)] : [];
}

/** The credentials of a parsed kubeconfig document, each once, longest first; base64 data also decoded. */
export function kubeconfigCredentials(doc: unknown): string[] {
  const users = (doc as { users?: { user?: Record<string, unknown> }[] } | null)?.users ?? [];
  const found: string[] = [];
  for (const { user } of Array.isArray(users) ? users : []) {
    if (!user || typeof user !== 'object') continue;
    for (const key of SECRET_FIELDS) if (typeof user[key] === 'string') found.push(user[key] as string);
    for (const key of ['client-key-data', 'client-certificate-data']) {
      // Masked as given and as decoded: a library error may quote either.
      if (typeof user[key] === 'string') found.push(...Buffer.from(user[key] as string, 'base64').toString('utf8').split('\n'));
    }
    const provider = user['auth-provider'] as { config?: unknown } | undefined;
    found.push(...strings(provider?.config));
    const exec = user.exec as { args?: unknown; env?: unknown } | undefined;
    if (Array.isArray(exec?.args)) found.push(...exec.args.filter((a): a is string => typeof a === 'string').flatMap(argValue));
    if (Array.isArray(exec?.env)) found.push(...exec.env.flatMap((e) => (e && typeof e === 'object' && typeof (e as { value?: unknown }).value === 'string' ? [(e as { value: string }).value] : [])));
  }
  return [...new Set(found.map((s) => s.trim()).filter((s) => s.length >= MIN_LENGTH && !/^-----(BEGIN|END) /.test(s)))].sort((a, b) => b.length - a.length);
}
