/** A CSV field, quoted only when it holds a comma, quote or line break. */
export function csvValue(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
