import { requestSchema } from './json-schema.ts';
import { monthField } from './request.ts';
import { SCENARIO_COMPARED_TOTALS, SCENARIO_PROJECTED } from './scenario.ts';

/*
 * The response schemas of the HTTP API's OpenAPI document (openapi.ts): what the
 * API answers with is not validated on the way out, so it is described here, by hand.
 */

const month = requestSchema(monthField);
const figures = {
  type: 'object',
  required: ['outcomePayments', 'grossBenefitSavings', 'municipalSavings', 'attributableSavings', 'fees', 'net'],
  properties: Object.fromEntries(['outcomePayments', 'grossBenefitSavings', 'municipalSavings', 'attributableSavings', 'fees', 'net'].map((k) => [k, { type: 'number', description: 'DKK, to the øre' }])),
};
const band = { type: 'object', required: ['p10', 'p50', 'p90'], properties: { p10: { type: 'number' }, p50: { type: 'number' }, p90: { type: 'number' } } };
/** References to the shared schemas below. */
export const bandRef = { $ref: '#/components/schemas/Band' };
export const inputVersionRef = { $ref: '#/components/schemas/InputVersion' };

/** What the API answers with, by schema name (components.schemas). */
export const responseSchemas = {
  Error: {
    type: 'object',
    required: ['message'],
    properties: { message: { type: 'string', description: 'What went wrong, for a person to act on' }, problems: { type: 'array', items: { type: 'string' }, description: '`field: reason`, one per problem' } },
  },
  Figures: figures,
  Band: band,
  Partnership: {
    type: 'object',
    required: ['partnership', 'name', 'municipality', 'statementMonths', 'latest'],
    properties: {
      partnership: { type: 'string' },
      name: { type: 'string' },
      municipality: { type: 'string' },
      statementMonths: { type: 'array', items: month },
      latest: {
        description: 'The newest statement in brief (null before the first)',
        oneOf: [
          {
            type: 'object',
            required: ['month', 'net', 'projection', 'computedAt'],
            properties: {
              month,
              net: { type: 'number', description: 'Cumulative net as of the month, DKK' },
              projection: {
                description: "The projected net at the contract's end and the probability it is ≥ 0 (null without a projection)",
                oneOf: [{ type: 'object', required: ['net', 'probabilityNetNonNegative'], properties: { net: bandRef, probabilityNetNonNegative: { type: 'number' } } }, { type: 'null' }],
              },
              computedAt: { type: 'string', format: 'date-time' },
            },
          },
          { type: 'null' },
        ],
      },
    },
  },
  HoursPage: {
    type: 'object',
    required: ['partnership', 'threshold', 'from', 'to', 'available', 'weeks', 'participants', 'roster', 'nextCursor'],
    properties: {
      partnership: { type: 'string' },
      threshold: { type: 'number' },
      from: { type: ['string', 'null'], description: 'First week answered (null: open)' },
      to: { type: ['string', 'null'], description: 'Last week answered (null: open)' },
      available: {
        description: "The weeks the partnership's reports cover (null without reports)",
        oneOf: [{ type: 'object', required: ['from', 'to'], properties: { from: { type: 'string' }, to: { type: 'string' } } }, { type: 'null' }],
      },
      weeks: { type: 'array', description: "This page's participants' weeks in the window", items: { type: 'object' } },
      participants: { type: 'array', description: 'Per participant with hours on this page: the last 2 weeks with hours and whether both are under the threshold', items: { type: 'object' } },
      roster: { type: 'array', description: "This page's participants' roster entries", items: { type: 'object' } },
      nextCursor: { type: ['string', 'null'] },
    },
  },
  Projection: {
    type: 'object',
    required: ['runs', 'seed', 'until', 'outcomePayments', 'municipalSavings', 'net', 'probabilityNetNonNegative'],
    properties: {
      runs: { type: 'integer' },
      seed: { type: 'integer' },
      until: { type: 'string', description: 'ISO week of the contract end' },
      outcomePayments: bandRef,
      municipalSavings: bandRef,
      net: bandRef,
      probabilityNetNonNegative: { type: 'number' },
      byMonth: {
        type: 'array',
        description: 'The same bands at the end of every projected month (cumulative)',
        items: { type: 'object', required: ['month', 'outcomePayments', 'municipalSavings', 'net'], properties: { month, outcomePayments: bandRef, municipalSavings: bandRef, net: bandRef } },
      },
      basis: { $ref: '#/components/schemas/ProjectionBasis' },
    },
  },
  ProjectionBasis: {
    type: 'object',
    description: 'What the projection rests on, so a reader can judge it (absent on statements stored before it)',
    required: ['participants', 'plannedReferrals', 'observedParticipantWeeks', 'priorWeight', 'prior'],
    properties: {
      participants: { type: 'integer', description: 'Participants simulated (observed and referred later); exited ones are not simulated' },
      plannedReferrals: { type: 'integer', description: 'Of those, referred after the as-of week (planned referrals on the roster)' },
      observedParticipantWeeks: { type: 'integer', description: "Participant-weeks observed from referral to the as-of week: the partnership's own evidence" },
      priorWeight: { type: 'number', minimum: 0, maximum: 1, description: 'Share of the transition evidence carried by the prior: 0 own data only, 1 prior only' },
      prior: {
        type: 'object',
        required: ['source', 'partnerships', 'participantWeeks'],
        properties: {
          source: { enum: ['default', 'pooled', 'file'], description: "The source programme's documented default, pooled over partnerships, or a file (pbr simulate --prior)" },
          partnerships: { type: 'integer' },
          participantWeeks: { type: 'integer' },
        },
      },
    },
  },
  Statement: {
    type: 'object',
    required: ['partnership', 'name', 'municipality', 'asOf', 'participants', 'outcomes', 'totals', 'month', 'byMonth', 'rejectedReports'],
    properties: {
      partnership: { type: 'string' },
      name: { type: 'string' },
      municipality: { type: 'string' },
      asOf: month,
      participants: { type: 'integer' },
      outcomes: {
        type: 'array',
        items: {
          type: 'object',
          required: ['participant', 'outcome', 'week', 'amount'],
          properties: {
            participant: { type: 'string' },
            outcome: { type: 'string' },
            label: { type: 'string' },
            week: { type: 'string' },
            amount: { type: 'number' },
            evidence: {
              type: 'array',
              description: 'The qualifying weeks, with their hours over the outcome’s activities, that reached it',
              items: { type: 'object', required: ['week', 'hours'], properties: { week: { type: 'string' }, hours: { type: 'number' } } },
            },
          },
        },
      },
      totals: { $ref: '#/components/schemas/Figures' },
      month: { $ref: '#/components/schemas/Figures' },
      byMonth: { type: 'array', items: { allOf: [{ $ref: '#/components/schemas/Figures' }, { type: 'object', required: ['month'], properties: { month } }] } },
      rejectedReports: { type: 'array', items: { type: 'object' } },
      projection: { $ref: '#/components/schemas/Projection' },
      manifest: { $ref: '#/components/schemas/Manifest' },
      adjustments: { $ref: '#/components/schemas/Adjustments' },
    },
  },
  InputVersion: {
    type: 'object',
    required: ['key', 'sequencer'],
    properties: { key: { type: 'string' }, versionId: { type: 'string', description: 'S3 version id' }, sequencer: { type: 'string', description: 'S3 event sequencer (orders versions of one key)' } },
  },
  Manifest: {
    type: 'object',
    description: 'What the statement was computed from (evidence): every input version, the seed and runs, the code version and when',
    required: ['reports', 'seed', 'runs', 'codeVersion', 'computedAt'],
    properties: {
      contract: inputVersionRef,
      roster: inputVersionRef,
      reports: {
        type: 'array',
        description: 'The current version of every report up to the month',
        items: {
          allOf: [
            inputVersionRef,
            {
              type: 'object',
              required: ['month', 'source', 'acceptedRows', 'rejectedRows'],
              properties: { month, source: { type: 'string' }, acceptedRows: { type: 'integer' }, rejectedRows: { type: 'integer' } },
            },
          ],
        },
      },
      seed: { type: 'integer' },
      runs: { type: 'integer' },
      codeVersion: { type: 'string', description: 'Git revision of the code that computed it' },
      computedAt: { type: 'string', format: 'date-time' },
    },
  },
  Adjustments: {
    type: 'object',
    description: 'Efterregulering: the months before this one as now computed minus what the previous statement stated, so totals = previous totals + month + adjustments to the øre',
    required: ['since', 'figures', 'outcomes'],
    properties: {
      since: { ...month, description: 'The previous statement compared with' },
      figures: { $ref: '#/components/schemas/Figures' },
      outcomes: {
        type: 'array',
        items: {
          type: 'object',
          required: ['participant', 'outcome', 'week', 'stated', 'current', 'amount'],
          properties: {
            participant: { type: 'string' },
            outcome: { type: 'string' },
            label: { type: 'string' },
            week: { type: 'string' },
            stated: { type: 'number' },
            current: { type: 'number' },
            amount: { type: 'number', description: 'current − stated' },
          },
        },
      },
    },
  },
  ScenarioResult: {
    description: "A what-if's statement, the stored statement it is compared with and the difference to it",
    allOf: [
      { $ref: '#/components/schemas/Statement' },
      {
        type: 'object',
        required: ['baseline'],
        properties: {
          baseline: {
            description: 'The stored statement of the same month (null when there is none, and then no difference)',
            oneOf: [
              {
                type: 'object',
                required: ['asOf', 'seed', 'runs', 'computedAt', 'samePrior'],
                properties: {
                  asOf: month,
                  seed: { type: ['integer', 'null'], description: 'Null when the statement records none (stored before manifests, without a projection)' },
                  runs: { type: 'integer' },
                  computedAt: { type: 'string', format: 'date-time' },
                  samePrior: {
                    type: 'boolean',
                    description: "Whether the what-if leaned on the statement's programme-wide prior; false once other partnerships' careers moved on, and then part of the projection's difference comes from them",
                  },
                },
              },
              { type: 'null' },
            ],
          },
          difference: {
            type: 'object',
            description: 'Scenario − stored statement: DKK to the øre, the probability to 4 decimals. Without overrides, seed or runs in the body every difference is 0 (the projection\'s while `samePrior`)',
            required: ['totals'],
            properties: {
              totals: {
                type: 'object',
                required: [...SCENARIO_COMPARED_TOTALS],
                properties: Object.fromEntries(SCENARIO_COMPARED_TOTALS.map((key) => [key, { type: 'number' }])),
              },
              projection: {
                type: 'object',
                description: 'Absent unless both have a projection',
                required: [...SCENARIO_PROJECTED, 'probabilityNetNonNegative'],
                properties: { ...Object.fromEntries(SCENARIO_PROJECTED.map((key) => [key, bandRef])), probabilityNetNonNegative: { type: 'number' } },
              },
            },
          },
        },
      },
    ],
  },
  Upload: {
    type: 'object',
    required: ['url', 'key', 'method', 'expiresIn', 'headers'],
    properties: {
      url: { type: 'string' },
      key: { type: 'string' },
      method: { const: 'PUT' },
      expiresIn: { type: 'integer', description: 'Seconds the URL is valid' },
      headers: { type: 'object', additionalProperties: { type: 'string' }, description: 'Headers the PUT must send' },
    },
  },
};
