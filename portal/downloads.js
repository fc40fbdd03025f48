// Files to save from the portal: a statement and a partnership's weekly hours as
// Excel (XLSX, Danish number formats) and as Danish CSV (`;`, decimal comma,
// BOM), made by the API (shared/api/exports.ts). The pages place the buttons:
// the statement page `statementDownloads`, the hours page `hoursDownloads`.

import { downloadFile } from './api.js';
import { errorBox, h } from './dom.js';
import { t } from './i18n.js';

const FORMATS = [
  { format: 'xlsx', label: 'exportXlsx' },
  { format: 'csv', label: 'exportCsv' },
];

/**
 * A labelled group of one button per format; `pathOf(format)` is the API path of
 * the file. A button is disabled while its file is fetched; the outcome is
 * announced to screen readers, an error shown beside the buttons.
 */
function downloadGroup({ label, testIdPrefix, pathOf }) {
  const status = h('span.sr-only', { role: 'status' });
  const problem = h('div.download-problem');
  const button = ({ format, label: text }) => {
    const node = h(
      'button.secondary',
      {
        type: 'button',
        'data-testid': `${testIdPrefix}-${format}`,
        onclick: async () => {
          node.disabled = true;
          problem.replaceChildren();
          status.textContent = t('exportDownloading');
          try {
            await downloadFile(pathOf(format));
            status.textContent = t('exportDone');
          } catch (error) {
            status.textContent = t('exportFailed');
            problem.replaceChildren(errorBox(error));
          } finally {
            node.disabled = false;
          }
        },
      },
      h('span', { 'aria-hidden': 'true' }, '⤓ '),
      t(text),
    );
    return node;
  };
  return h('div.downloads', { role: 'group', 'aria-label': t(label) }, FORMATS.map(button), status, problem);
}

const id = (partnership) => encodeURIComponent(partnership);

/** "Hent som Excel" and "Hent som CSV" for the stored statement of `month` (every role). */
export function statementDownloads(partnership, month) {
  return downloadGroup({
    label: 'exportStatementFiles',
    testIdPrefix: 'statement-download',
    pathOf: (format) => `/partnerships/${id(partnership)}/statements/${encodeURIComponent(month)}/export.${format}`,
  });
}

/** "Hent som Excel" and "Hent som CSV" for a partnership's weekly hours (project holder), optionally from–to ISO weeks. */
export function hoursDownloads(partnership, { from, to } = {}) {
  const query = new URLSearchParams(Object.entries({ from, to }).filter(([, week]) => week));
  return downloadGroup({
    label: 'exportHoursFiles',
    testIdPrefix: 'hours-download',
    pathOf: (format) => `/partnerships/${id(partnership)}/hours.${format}${query.size ? `?${query}` : ''}`,
  });
}
