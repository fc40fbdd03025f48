/**
 * Text values a spreadsheet would run as formulas (spec 2.4), each with the CSV cell
 * a writer must make of it: a leading `'`, quoted when it holds a quote or a CR.
 */
export const FORMULA_CASES: [value: string, cell: string][] = [
  ['=HYPERLINK("http://x.example","klik")', `"'=HYPERLINK(""http://x.example"",""klik"")"`],
  ['+1', "'+1"],
  ['-x', "'-x"],
  ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
  ['\tP-1', "'\tP-1"],
  ['\rP-1', `"'\rP-1"`],
];
