import { EXIT, required, type Command } from '../command.ts';
import { resolveTarget, TARGET_OPTIONS, TARGET_USAGE } from '../target.ts';
import { formatHoursCsv } from '../../shared/weekly-hours/hours-csv.ts';

/** `pbr export-hours`: the stored weekly hours, as the CSV `pbr hours` prints. */
export const exportHours: Command = {
  usage: `
Usage: pbr export-hours --partnership P [target]

Prints the partnership's current weekly hours per participant and ISO week,
summed over every report's current version, as the CSV of \`pbr hours\`.
${TARGET_USAGE}`,
  options: { partnership: { type: 'string' }, ...TARGET_OPTIONS },
  async run(values) {
    const partnership = required(values, 'partnership');
    const target = await resolveTarget(values);
    process.stdout.write(formatHoursCsv(await target.store.weeklyHours(partnership)));
    return EXIT.ok;
  },
};
