/**
 * The example contract of spec section 4 (Køge's rate card), as a fresh plain
 * document each call: the template demos, benchmarks and tests vary, so the
 * spec's numbers are written down once.
 */
export function specExampleContract() {
  return {
    partnership: 'koege',
    name: 'Vækstpartnerskab Køge',
    municipality: 'Køge',
    start: '2019-02-04',
    end: '2022-09-30',
    programmeFee: 450000,
    cap: 600000,
    maxPerParticipant: 80000,
    deadweight: 0.25,
    outcomes: [
      { id: 'job_start', rule: 'first_week', activities: ['ordinary', 'flexjob'], minHours: 10, price: 15000 },
      { id: 'sustained_13', rule: 'cumulative_weeks', activities: ['ordinary', 'flexjob'], minHours: 20, weeks: 13, price: 25000 },
      { id: 'sustainment', rule: 'periodic', after: 'sustained_13', activities: ['ordinary', 'flexjob'], minHours: 20, weeks: 4, times: 6, price: 2000 },
      { id: 'education_start', rule: 'first_week', activities: ['education'], minHours: 10, price: 10000 },
    ] as Record<string, unknown>[],
    benefit: {
      weeklyRate: 2900,
      hourlyWage: 150,
      disregardPerHour: 30,
      educationOffBenefitHours: 15,
      priorWeeksOnBenefit: 104,
      refusion: [
        { fromWeek: 1, rate: 0.8 },
        { fromWeek: 5, rate: 0.4 },
        { fromWeek: 27, rate: 0.3 },
        { fromWeek: 53, rate: 0.2 },
      ],
      municipalCostPerHour: { wage_subsidy: 95, flexjob: 70 } as Record<string, number>,
    },
  };
}
