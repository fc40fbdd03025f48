// The project holder's timesheet upload: partnership, month, source and file;
// the portal PUTs the file to a presigned S3 URL, waits for the ingest's verdict
// on this very version and shows it, with the partnership's reports below.

import * as api from '../api.js';
import { errorBox, h, loading, setMain } from '../dom.js';
import { integer, language, t } from '../i18n.js';
import { choosePartnership, partnershipSelect } from '../partnerships.js';
import { go } from '../router.js';
import { forgetUploadedTo, state } from '../store.js';
import { reasonTexts } from '../strings-validation.js';
import { loadReports } from './reports.js';

/** What the progress line says during each step of api.uploadTimesheet. */
const STEPS = { request: 'uploadStepRequest', put: 'uploadStepPut', wait: 'uploadStepWait' };

/**
 * The month the form starts on: the partnership's latest statement month (a
 * correction is for a month it has data for, and a contract may have ended years
 * ago), else the month before today's (timesheets arrive after their month).
 */
function defaultMonth(partnership) {
  const latest = [...(partnership.statementMonths ?? [])].sort().at(-1);
  if (latest) return latest;
  const now = new Date();
  return new Date(Date.UTC(now.getFullYear(), now.getMonth() - 1, 1)).toISOString().slice(0, 7);
}

/** `#/upload/partnership`: the form (kept while switching pages), the last result, the reports. */
export async function renderUpload(partnershipId, current) {
  const chosen = await choosePartnership('upload', partnershipId, current);
  if (!chosen) return;
  const { partnership, partnerships } = chosen;
  const upload = state.upload?.partnership === partnership.partnership ? state.upload : { partnership: partnership.partnership, month: defaultMonth(partnership), source: '' };
  state.upload = upload;
  const fields = uploadFields(upload);
  const page = {
    submit: h('button.primary', { type: 'submit', 'data-testid': 'upload-submit' }, t('uploadSubmit')),
    progress: h('div.progress', { role: 'status', 'aria-live': 'polite', 'data-testid': 'upload-progress' }),
    result: h('div', { 'data-testid': 'upload-result-slot' }, upload.result ? uploadResult(upload.result) : undefined),
    reports: h('section.reports', { 'aria-labelledby': 'reports-title' }, h('h3', { id: 'reports-title' }, t('reportsTitle')), loading()),
  };
  const form = h(
    'form.card.upload-form',
    { 'data-testid': 'upload-form', noValidate: true, onsubmit: (event) => submitUpload(event, partnership, upload, fields, page, current) },
    h('h2', t('uploadTitle')),
    h('p.hint', t('uploadIntro')),
    h('div.form-grid',
      h('label', { htmlFor: 'upload-partnership' }, h('span', t('partnership')), partnershipSelect(partnerships, partnership.partnership, (id) => go('upload', id), { id: 'upload-partnership', 'data-testid': 'upload-partnership' })),
      h('label', { htmlFor: 'upload-month' }, h('span', t('uploadMonth')), fields.month),
      h('label', { htmlFor: 'upload-source' }, h('span', t('uploadSource')), fields.source, fields.sources),
      h('label', { htmlFor: 'upload-file' }, h('span', t('uploadFile')), fields.file),
    ),
    page.submit,
    page.progress,
  );
  setMain(h('section.upload-page', form, page.result, page.reports));
  await loadReports(partnership, page.reports, fields.sources, current);
}

/** The form's inputs; month and source are kept in `upload` as they are typed. */
function uploadFields(upload) {
  return {
    month: h('input', { type: 'month', id: 'upload-month', name: 'month', required: true, pattern: '\\d{4}-\\d{2}', placeholder: t('uploadMonthHint'), value: upload.month, 'data-testid': 'upload-month', oninput: (e) => (upload.month = e.target.value) }),
    source: h('input', { type: 'text', id: 'upload-source', name: 'source', required: true, list: 'sources', autocomplete: 'off', value: upload.source, 'data-testid': 'upload-source', oninput: (e) => (upload.source = e.target.value) }),
    file: h('input', { type: 'file', id: 'upload-file', name: 'file', required: true, accept: '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'data-testid': 'upload-file' }),
    sources: h('datalist', { id: 'sources' }),
  };
}

/** The first thing wrong with the form, as [message key, input to focus]; the API checks the rest. */
function formProblem(month, source, file, fields) {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) return ['uploadBadMonth', fields.month];
  if (!source) return ['uploadNeedsSource', fields.source];
  if (!file) return ['uploadNeedsFile', fields.file];
  if (!/\.(csv|xlsx)$/i.test(file.name)) return ['uploadBadFormat', fields.file];
  return undefined;
}

async function submitUpload(event, partnership, upload, fields, page, current) {
  event.preventDefault();
  const file = fields.file.files?.[0];
  const month = fields.month.value.trim();
  const source = fields.source.value.trim();
  const problem = formProblem(month, source, file, fields);
  if (problem) {
    page.progress.replaceChildren(h('p.field-error', t(problem[0])));
    problem[1].focus();
    return;
  }
  page.submit.disabled = true;
  page.result.replaceChildren();
  upload.result = undefined;
  try {
    const outcome = await api.uploadTimesheet(
      { partnership: partnership.partnership, month, source, file },
      { onStep: (step) => page.progress.replaceChildren(h('p.loading', t(STEPS[step]))) },
    );
    page.progress.replaceChildren();
    forgetUploadedTo(partnership.partnership);
    if (!outcome.report) {
      page.progress.replaceChildren(h('p.notice', t('uploadTimeout')));
    } else {
      upload.result = { file: file.name, key: outcome.key, report: outcome.report };
      if (current()) page.result.replaceChildren(uploadResult(upload.result));
    }
    if (current()) loadReports(partnership, page.reports, fields.sources, current);
  } catch (error) {
    page.progress.replaceChildren(errorBox(error));
  } finally {
    page.submit.disabled = false;
  }
}

/** accepted, partly (some rows rejected), rejected (the whole file, or every row), or superseded. */
function resultKind(report) {
  const partly = report.outcome === 'accepted' && report.rejectedRows > 0;
  if (report.outcome === 'rejected' || report.outcome === 'failed' || (partly && !report.acceptedRows)) return 'rejected';
  if (report.outcome === 'superseded') return 'superseded';
  return partly ? 'partly' : 'accepted';
}

function resultHeadline(report, kind) {
  if (report.outcome === 'failed') return t('resultFailed');
  if (kind === 'rejected' && report.outcome === 'accepted') return t('resultAllRowsRejected', { rows: report.rows });
  if (kind === 'rejected') return t('resultRejected');
  if (kind === 'superseded') return t('resultSuperseded');
  if (kind === 'partly') return t('resultPartly', { accepted: report.acceptedRows, rows: report.rows, rejected: report.rejectedRows });
  return t('resultAccepted', { rows: integer(report.rows) });
}

/** The ingest's verdict on the uploaded version, with every reason it gave. */
function uploadResult({ file, key, report }) {
  const kind = resultKind(report);
  const reasons = reasonTexts(report, language());
  return h(
    'section.upload-result',
    { 'data-testid': 'upload-result', 'data-outcome': kind, class: `result-${kind}`, role: 'status', 'aria-live': 'polite' },
    h('p.headline', h('span', { 'aria-hidden': 'true' }, kind === 'accepted' ? '✓ ' : '⚠ '), resultHeadline(report, kind)),
    h('p.meta', t('resultFile', { file, key })),
    reasons.length
      ? h('div',
          h('h3', t('resultReasons')),
          h('ul.reasons', { 'data-testid': 'upload-reasons' }, reasons.map((reason) => h('li', reason))),
          (report.reasonsTotal ?? reasons.length) > reasons.length ? h('p.hint', t('resultMoreReasons', { shown: integer(reasons.length), total: integer(report.reasonsTotal) })) : undefined,
        )
      : undefined,
  );
}
