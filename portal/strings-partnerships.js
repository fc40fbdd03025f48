// The partnership list's strings (search, sort, paging, each partnership's newest
// net and projection), Danish and English, in the shape of strings.js; i18n.js
// merges them in.

/** Strings by language, then by key (the same signature as the other string modules). */
export function partnershipStrings({ integer }) {
  return {
    da: {
      partnershipSearch: 'Søg på navn eller kommune',
      partnershipSort: 'Sortér efter',
      'sort_name:asc': 'Navn (A–Å)',
      'sort_municipality:asc': 'Kommune (A–Å)',
      'sort_net:desc': 'Seneste netto, højeste først',
      'sort_net:asc': 'Seneste netto, laveste først',
      'sort_projection:desc': 'Fremskrevet netto (P50), højeste først',
      'sort_projection:asc': 'Fremskrevet netto (P50), laveste først',
      partnershipsShown: (p) => `Viser ${integer(p.shown)} af ${integer(p.total)} ${p.total === 1 ? 'partnerskab' : 'partnerskaber'}`,
      partnershipsMore: 'Vis flere partnerskaber',
      partnershipsNoneMatch: 'Ingen partnerskaber passer til søgningen.',
      latestNet: 'Netto {month}',
      projectedNet: 'Fremskrevet netto ved udløb (P10–P50–P90)',
      noStatementYet: 'Ingen opgørelse endnu',
    },
    en: {
      partnershipSearch: 'Search by name or municipality',
      partnershipSort: 'Sort by',
      'sort_name:asc': 'Name (A–Z)',
      'sort_municipality:asc': 'Municipality (A–Z)',
      'sort_net:desc': 'Latest net, highest first',
      'sort_net:asc': 'Latest net, lowest first',
      'sort_projection:desc': 'Projected net (P50), highest first',
      'sort_projection:asc': 'Projected net (P50), lowest first',
      partnershipsShown: (p) => `Showing ${integer(p.shown)} of ${integer(p.total)} ${p.total === 1 ? 'partnership' : 'partnerships'}`,
      partnershipsMore: 'Show more partnerships',
      partnershipsNoneMatch: 'No partnerships match the search.',
      latestNet: 'Net {month}',
      projectedNet: 'Projected net at the end (P10–P50–P90)',
      noStatementYet: 'No statement yet',
    },
  };
}
