// The download buttons' strings (statement and weekly hours as Excel and CSV),
// Danish and English, in the shape of strings.js; i18n.js merges them in.

/** Strings by language, then by key (the same signature as the other string modules). */
export function exportStrings() {
  return {
    da: {
      exportXlsx: 'Hent som Excel',
      exportCsv: 'Hent som CSV',
      exportStatementFiles: 'Hent opgørelsen som fil',
      exportHoursFiles: 'Hent de ugentlige timer som fil',
      exportDownloading: 'Henter filen …',
      exportDone: 'Filen er hentet.',
      exportFailed: 'Filen kunne ikke hentes.',
    },
    en: {
      exportXlsx: 'Download as Excel',
      exportCsv: 'Download as CSV',
      exportStatementFiles: 'Download the statement as a file',
      exportHoursFiles: 'Download the weekly hours as a file',
      exportDownloading: 'Downloading the file …',
      exportDone: 'The file has been downloaded.',
      exportFailed: 'The file could not be downloaded.',
    },
  };
}
