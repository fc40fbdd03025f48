import { seededRandom } from '../../shared/random.ts';
import { day } from './calendar.ts';
import type { ExitReason } from '../../shared/simulation/roster-entry.ts';
import { contractOf, feeInstalments, type RateCard } from './contracts.ts';
import { int, mix } from './draws.ts';
import { basePerson, fakeCpr, type JobKind, type Outcome } from './people.ts';
import type { PartnershipPlan, PlannedCorrection, PlannedMistake, ScenarioPlan } from './plan.ts';
import { source, STYLES, type Source } from './sources.ts';

/*
 * Region Sjælland (`npm start`), modelled on the final report of "Social inklusion
 * gennem Vækstpartnerskaber" (shared/seeds/000_*, 002_*): partnerships Køge,
 * Odsherred and Stevns (klynge 1, 39 referred) and Holbæk (klynge 2, 8 referred);
 * two employment actors in klynge 1 and one social enterprise in Holbæk that is
 * both actor and company; an accelerator company that went bankrupt in the first
 * lockdown (one person lost their job) and one that left the programme in 2019,
 * after which support companies (støttevirksomheder) took the internships; the
 * COVID pauses of spring 2020 and December 2020 (hospitality closed until April
 * 2021, some people never came back after the second lockdown); eight people in
 * paid work (seven still employed at the end), one in education. Organisation
 * names are invented: the report's real companies are not used for invented hours.
 * The contracts pay the fee in instalments and name their outcomes in Danish; the
 * rosters carry every participant's exit.
 * The paths are planned per person; the seed varies only dates and hours.
 */

const SJ_START = '2019-02-04';
const SJ_END = '2022-09-30';

interface Profile {
  outcome: Outcome;
  from: string;
  to: string;
  job?: { kind: JobKind; hours: number; employer: string; weeks?: number };
  relapse?: boolean;
  /** The roster's exit reason when it is not the outcome's usual one (EXIT_OF). */
  exit?: ExitReason;
  /** A late report: the exit is recorded this many days before the last reported hours. */
  lateReportDays?: number;
}

/*
 * The roster's exits: the end-of-programme status of the 47 participants in the
 * final report (shared/seeds/000_ffe9b007e262210c.txt, "Klynge 1", "Klynge 2" and
 * "Effektmål"; also 002_*): of 47, 7 in work at the end (8 were employed, one lost
 * the job and is unemployed again), 1 started education, 28 unemployed/actively job
 * seeking, 11 no longer available for the labour market, one of whom died. Per
 * cluster: klynge 1 (39) 6 in work, 24 unemployed, 9 unavailable (1 deceased);
 * klynge 2 (8) 1 in work, 1 in education, 4 unemployed, 2 unavailable. Each exit
 * is dated on the day of the participant's last reported hours (scenario.ts), so
 * no hours follow it, except for the one deliberately late report below.
 */
const EXIT_OF: Record<Outcome, ExitReason> = {
  job: 'employment',
  job_lost: 'unemployed',
  no_job: 'unemployed',
  dropout: 'unavailable',
  education: 'education',
};

/*
 * The fee in instalments along the programme's phases (000_*): on referral of the
 * first participants, after the ~26 weeks of training at the actor, and when the
 * third phase (employment at the companies) begins. Klynge 2 started a year later.
 */
const FEE_PHASES: Record<1 | 2, [month: string, percent: number][]> = {
  1: [['2019-02', 40], ['2019-08', 30], ['2020-02', 30]],
  2: [['2020-01', 40], ['2020-07', 30], ['2021-01', 30]],
};

const times = (n: number, profile: Profile): Profile[] => Array.from({ length: n }, () => profile);
/** Klynge 1's first referrals (February–June 2019) and the re-referrals after people left. */
const WAVE_1 = { from: '2019-02-04', to: '2019-06-28' };
const LATER = { from: '2019-08-12', to: '2021-06-30' };
/** Active in December 2020, and lost after it. */
const RELAPSE: Profile = { outcome: 'dropout', from: '2020-06-01', to: '2020-10-15', relapse: true };

const C1_SOURCES = {
  jobvejen: () => source('jobvejen', 'Jobvejen ApS', 'actor', STYLES.actorExcelExport),
  trinvis: () => source('trinvis', 'Trinvis Beskæftigelse', 'actor', STYLES.actorCaseSystem),
  // Accelerator companies: one went bankrupt in the first lockdown, one left in 2019.
  koekkenhuset: () => source('koekkenhuset', 'Køkkenhuset', 'company', STYLES.companyWorkbook, { closes: day('2020-03-13') }),
  groenOmstilling: () => source('groen-omstilling', 'Grøn Omstilling ApS', 'company', STYLES.companyWorkbook, { closes: day('2019-10-31') }),
  murerKalk: () => source('murer-kalk', 'Murer Kalk og Sten ApS', 'company', STYLES.companyEnglish),
  sengeland: () => source('sengeland', 'Sengeland', 'company', STYLES.companyWorkbook),
  lejebo: () => source('lejebo', 'Lejebo', 'company', STYLES.companyWorkbook),
  // Support companies (støttevirksomheder) that took over the internships from November 2019.
  koegeRoer: () => source('koege-roer', 'Køge Rør', 'company', STYLES.companyWorkbookNumbers, { opens: day('2019-11-01') }),
  odsherredGenbrug: () => source('odsherred-genbrug', 'Odsherred Genbrug', 'company', STYLES.companyWorkbook, { opens: day('2019-11-01') }),
  stevnsCafe: () => source('stevns-cafe', 'Café Klinten', 'company', STYLES.cafeWorkbook, { opens: day('2019-11-01'), hospitality: true }),
};

interface SjaellandDef {
  id: string;
  municipality: string;
  cluster: 1 | 2;
  sources: Source[];
  profiles: Profile[];
  rates: RateCard;
  projectIds?: string;
  pausesAllInternshipsInDecember?: boolean;
}

/** The four partnerships, as the final report describes them (a table: one entry per partnership). */
function sjaellandDefs(): SjaellandDef[] {
  const s = C1_SOURCES;
  const noJob = (n: number, window: { from: string; to: string }) => times(n, { outcome: 'no_job', ...window });
  const dropout = (window: { from: string; to: string }): Profile => ({ outcome: 'dropout', ...window });
  return [
    {
      id: 'koege', municipality: 'Køge', cluster: 1,
      sources: [s.jobvejen(), s.koekkenhuset(), s.murerKalk(), s.groenOmstilling(), s.koegeRoer()],
      profiles: [
        { outcome: 'job', from: '2019-03-01', to: '2019-04-15', job: { kind: 'subsidy_then_ordinary', hours: 30, employer: 'murer-kalk' } },
        { outcome: 'job_lost', from: '2019-02-04', to: '2019-02-08', job: { kind: 'ordinary', hours: 25, employer: 'koekkenhuset' } },
        { outcome: 'job', from: '2020-01-06', to: '2020-02-14', job: { kind: 'flexjob', hours: 20, employer: 'koege-roer' } },
        // The job centre closed this case two weeks before the actor's last timesheet rows: a warning on the statement.
        { outcome: 'no_job', ...WAVE_1, lateReportDays: 14 },
        ...noJob(4, WAVE_1), ...noJob(4, LATER),
        dropout(WAVE_1), RELAPSE, dropout(LATER),
      ],
      rates: { programmeFee: 450000, cap: 600000, maxPerParticipant: 80000, deadweight: 0.25, jobStart: 15000, sustained: 25000, sustainment: 2000, education: 10000, weeklyRate: 2900, hourlyWage: 150, priorWeeks: 104 },
    },
    {
      id: 'odsherred', municipality: 'Odsherred', cluster: 1, pausesAllInternshipsInDecember: true,
      sources: [s.trinvis(), s.sengeland(), s.lejebo(), s.groenOmstilling(), s.odsherredGenbrug()],
      profiles: [
        { outcome: 'job', from: '2020-08-03', to: '2020-09-15', job: { kind: 'split', hours: 24, employer: 'sengeland' } },
        { outcome: 'job', from: '2019-05-01', to: '2019-06-01', job: { kind: 'subsidy_then_ordinary', hours: 32, employer: 'odsherred-genbrug' } },
        ...noJob(4, WAVE_1), ...noJob(3, LATER),
        dropout(WAVE_1), RELAPSE, dropout(LATER),
      ],
      rates: { programmeFee: 400000, cap: 560000, maxPerParticipant: 75000, deadweight: 0.25, jobStart: 14000, sustained: 24000, sustainment: 2000, education: 10000, weeklyRate: 2900, hourlyWage: 145, priorWeeks: 120 },
    },
    {
      id: 'stevns', municipality: 'Stevns', cluster: 1,
      sources: [s.jobvejen(), s.lejebo(), s.murerKalk(), s.stevnsCafe()],
      profiles: [
        { outcome: 'job', from: '2019-02-04', to: '2019-02-15', job: { kind: 'ordinary', hours: 37, employer: 'lejebo' } },
        { outcome: 'job', from: '2020-09-01', to: '2020-09-30', job: { kind: 'ramp', hours: 22.5, employer: 'stevns-cafe' } },
        { outcome: 'no_job', ...WAVE_1, job: { kind: 'smajob', hours: 6, employer: 'stevns-cafe', weeks: 12 } },
        ...noJob(3, WAVE_1), ...noJob(3, LATER),
        dropout(WAVE_1), { ...dropout(WAVE_1), exit: 'deceased' }, dropout(LATER),
      ],
      rates: { programmeFee: 360000, cap: 500000, maxPerParticipant: 80000, deadweight: 0.2, jobStart: 16000, sustained: 26000, sustainment: 2500, education: 10000, weeklyRate: 2900, hourlyWage: 150, priorWeeks: 96 },
    },
    {
      id: 'holbaek', municipality: 'Holbæk', cluster: 2, projectIds: 'SIV-HOL',
      // One social enterprise is both the actor and the company, with separate books (000_*).
      sources: [
        source('banegaarden-forloeb', 'Fonden Banegården, forløb', 'actor', STYLES.actorMonthlyTotals),
        source('banegaarden-hotel', 'Banegården Hotel og Spa', 'company', STYLES.companyEnglish, { hospitality: true }),
      ],
      profiles: [
        { outcome: 'job', from: '2020-09-01', to: '2020-10-15', job: { kind: 'ordinary', hours: 25, employer: 'banegaarden-hotel' } },
        { outcome: 'education', from: '2020-01-06', to: '2020-02-28' },
        ...noJob(2, { from: '2020-01-06', to: '2020-02-28' }), ...noJob(2, { from: '2021-03-01', to: '2021-06-15' }),
        { ...RELAPSE, from: '2020-08-15', to: '2020-10-31' }, dropout({ from: '2021-01-11', to: '2021-04-30' }),
      ],
      rates: { programmeFee: 300000, cap: 420000, maxPerParticipant: 85000, deadweight: 0.3, referralFee: 3000, jobStart: 15000, sustained: 25000, sustainment: 2000, education: 12000, weeklyRate: 2900, hourlyWage: 155, priorWeeks: 130 },
    },
  ];
}

/** The four partnerships' plans; each participant's draws come from their own stream of `seed`. */
function sjaellandPlans(seed: number): PartnershipPlan[] {
  let serial = 9000; // "9xxx": the running number shows these are invented
  return sjaellandDefs().map((def, pi) => {
    const random = seededRandom(mix(seed, pi, 0x51));
    const referralOf = (profile: Profile) => int(random, day(profile.from), day(profile.to));
    const drafted = def.profiles.map((profile) => ({ profile, referral: referralOf(profile) }));
    drafted.sort((a, b) => a.referral - b.referral);
    const people = drafted.map(({ profile, referral }, index) => {
      const own = seededRandom(mix(seed, pi, index + 1));
      const cpr = fakeCpr(own, ++serial);
      const written = def.projectIds ? `${def.projectIds}-${String(index + 1).padStart(2, '0')}` : cpr;
      const person = basePerson(own, written, referral, profile.outcome);
      person.relapse = profile.relapse ?? false;
      person.snuse = own() < 0.3;
      person.keepsJobInSpring = own() < 0.3; // most were sent home in the first lockdown
      person.internshipWeeks = own() < 0.6 ? int(own, 4, 14) : 0;
      if (profile.job) {
        const employer = def.sources.findIndex((s) => s.id === profile.job!.employer);
        if (employer < 0) throw new Error(`scenario: ${def.id} has no company ${profile.job.employer}`);
        person.job = { kind: profile.job.kind, hours: profile.job.hours, employer, weeks: profile.job.weeks };
        person.internshipAt = employer;
        person.internshipWeeks = int(own, 8, 12);
        person.internshipHours = int(own, 15, 28);
        person.trainingWeeks = int(own, 22, 26);
      }
      if (profile.outcome === 'job' || profile.outcome === 'job_lost') person.snuse = true;
      if (profile.outcome === 'education') person.internshipWeeks = int(own, 8, 12);
      person.exit = { reason: profile.exit ?? EXIT_OF[profile.outcome], daysBeforeLastHours: profile.lateReportDays ?? 0 };
      return person;
    });
    return {
      id: def.id,
      municipality: def.municipality,
      cluster: def.cluster,
      contract: contractOf(def.id, def.municipality, SJ_START, SJ_END, { ...def.rates, feeSchedule: feeInstalments(def.rates.programmeFee, FEE_PHASES[def.cluster]) }),
      sources: def.sources,
      people,
      pausesAllInternshipsInDecember: def.pausesAllInternshipsInDecember ?? false,
      rosterDates: 'dmy',
    };
  });
}

/** The deliberate mistakes, so statements show rejected rows. */
const SJAELLAND_MISTAKES: readonly PlannedMistake[] = [
  // The actor logged a job interview, which is no activity of the programme.
  { partnership: 'odsherred', month: '2019-10', role: 'actor', kind: 'unknown_activity' },
  // A company's workbook runs on into the first day of the next month.
  { partnership: 'stevns', month: '2021-03', role: 'company', kind: 'outside_month' },
  // "25" typed for "2,5".
  { partnership: 'koege', month: '2020-10', role: 'actor', kind: 'over_24_hours' },
];
/** The actor forgot a participant and misfiled sick days; a corrected file follows. */
const SJAELLAND_CORRECTION: PlannedCorrection = { partnership: 'koege', month: '2019-05', role: 'actor' };

/** The Region Sjælland scenario for a seed: February 2019 to September 2022, with its mistakes and correction. */
export function sjaellandScenario(seed: number): ScenarioPlan {
  return { partnerships: sjaellandPlans(seed), firstMonth: '2019-02', lastMonth: '2022-09', mistakes: SJAELLAND_MISTAKES, correction: SJAELLAND_CORRECTION };
}
