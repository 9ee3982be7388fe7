// INC-YYYY-MM-DD-NN: NN counts that day's incidents, from 01, over both the incidents/ files in the
// workspace and the incident issues on GitHub (a fresh checkout may lack a file an earlier run wrote).

export function incidentDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** The next id for `day`, after the highest NN found among the given names (file names or titles). */
export function nextIncidentId(day: string, names: readonly string[]): string {
  const pattern = new RegExp(`INC-${day}-(\\d{2,})`);
  const highest = names.reduce((max, name) => Math.max(max, Number(pattern.exec(name)?.[1] ?? 0)), 0);
  return `INC-${day}-${String(highest + 1).padStart(2, '0')}`;
}

/** The hidden marker that lets a re-run of the same failed release find its open incident. */
export function incidentMarker(repository: string, service: string, environment: string, version: string): string {
  return `<!-- release-to-prod incident: ${repository} ${environment} ${service} ${version} -->`;
}
