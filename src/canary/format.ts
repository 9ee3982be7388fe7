/** A measured value as the report and the log show it: 4 significant digits, `no data` for none. */
export function formatValue(value: number | null | undefined): string {
  if (value === null || value === undefined) return 'no data';
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
}
