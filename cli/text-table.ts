/**
 * Rows as columns padded to their widest cell, two spaces apart; `right` marks
 * right-aligned (numeric) columns. The plain-text tables of `pbr backtest` and
 * `pbr admin user list`.
 */
export function textTable(rows: readonly string[][], right: readonly boolean[] = []): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  return rows.map((row) => row.map((cell, c) => (right[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd()).join('\n') + '\n';
}
