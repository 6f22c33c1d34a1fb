// Procurement mode, classification and award status of generated contracts. Mode names
// are the exact strings of the official export (awards-2024q4-sample.csv). Their weights
// are NOT the sample's: that sample is stratified (~10 rows per mode), so its shares say
// nothing. They follow RA 9184 instead: Public Bidding is the default for large
// contracts, Small Value Procurement dominates below ~₱1M (its ceiling for most
// agencies), and a few categories have their own usual modes.
import type { Rng } from './random.js';
import { cumulativeThresholds, searchThresholds } from './random.js';

const M = {
  bidding: 'Public Bidding',
  svp: 'Negotiated Procurement - Small Value Procurement (Sec. 53.9)',
  shopOffice: 'Shopping - Ordinary/Regular Office Supplies & Equipment (Sec. 52.1.b)',
  shopUnforeseen: 'Shopping - Unforeseen Contingency (Sec. 52.1.a)',
  direct: 'Direct Contracting (Sec. 50)',
  agency: 'Negotiated Procurement - Agency to Agency (Sec. 53.5)',
  lease: 'Negotiated Procurement - Lease of Real Property (Sec. 53.10)',
  emergency: 'Negotiated Procurement - Emergency Cases (Sec. 53.2)',
  retail: 'Direct Retail Purchase of POL and Airline Tickets (Sec. 53.14)',
  twoFailed: 'Negotiated Procurement - Two Failed Biddings (Sec. 53.1)',
  community: 'Negotiated Procurement - Community Participation (Sec. 53.12)',
  renewal: 'Renewal of Regular and Recurring Sevices per Appendix 37', // sic: PhilGEPS's spelling
  limited: 'Limited Source Bidding (Sec. 49)',
  consultants: 'Negotiated Procurement - Highly Technical Consultants (Sec. 53.7)',
  exclusive: 'NP - Scientific, Scholarly/Artistic Work, Exclusive Tech. & Media Service (53.6)',
  icb: 'International Competitive Bidding',
} as const;

type Mix = [string, number][];
const LARGE: Mix = [[M.bidding, 76], [M.twoFailed, 6], [M.emergency, 4], [M.direct, 4], [M.agency, 4], [M.limited, 2], [M.svp, 2], [M.exclusive, 1], [M.icb, 1]];
const SMALL: Mix = [[M.svp, 66], [M.bidding, 8], [M.shopOffice, 7], [M.shopUnforeseen, 3], [M.emergency, 4], [M.direct, 3], [M.agency, 2], [M.community, 2], [M.twoFailed, 2], [M.renewal, 2], [M.exclusive, 1]];
const SPECIAL: { match: RegExp; mix: Mix }[] = [
  { match: /^Lease and Rental|^Sale of Property/, mix: [[M.lease, 75], [M.svp, 15], [M.bidding, 10]] },
  { match: /^Fuels|^Travel, Food, Lodging/, mix: [[M.retail, 45], [M.svp, 30], [M.bidding, 25]] },
  { match: /^Consulting Services|^Architectural Design|^Surveying Services|^Construction Management/, mix: [[M.bidding, 55], [M.consultants, 25], [M.svp, 20]] },
  { match: /^(Janitorial|Security) Services/, mix: [[M.bidding, 55], [M.renewal, 30], [M.svp, 15]] },
];

/** Contracts at or above this amount (₱) are drawn from the large-contract mix. */
const LARGE_CONTRACT = 1_000_000;

/** Picks a procurement mode for a contract of `category` worth `amount`. */
export type ModeSampler = (rng: Rng, category: number, amount: number) => string;

/** Builds a mode sampler for the given category names. */
export function createModeSampler(categories: readonly string[]): ModeSampler {
  const compile = (mix: Mix) => ({ names: mix.map(([n]) => n), thresholds: cumulativeThresholds(mix.map(([, w]) => w)) });
  const large = compile(LARGE);
  const small = compile(SMALL);
  const special = categories.map((name) => {
    const rule = SPECIAL.find((r) => r.match.test(name));
    return rule ? compile(rule.mix) : undefined;
  });
  return (rng, category, amount) => {
    const mix = special[category] ?? (amount >= LARGE_CONTRACT ? large : small);
    return mix.names[searchThresholds(mix.thresholds, rng.next())]!;
  };
}

/** PhilGEPS classification of a business category (Civil Works, Consulting Services, support services, Goods). */
export function classificationOf(category: string): string {
  if (/^(Construction Projects|General Contractor|Well Drilling|Water and Waste Water|Sub-station Contractors|Transmission and Distribution|Horizontal Directional)/.test(category)) return 'Civil Works';
  if (/^(Consulting Services|Architectural Design|Surveying Services|Construction Management|General Engineering|Market Research|Telecommunications Engineering)/.test(category)) return 'Consulting Services';
  if (/Services|^Lease and Rental|^Hotel and Lodging|^Events Management/.test(category)) return 'Goods - General Support Services';
  return 'Goods';
}

/** Award notice status as published: most notices were later updated, the rest only posted (sample: 105 / 39). */
export function awardStatus(rng: Rng): string {
  return rng.next() < 0.73 ? 'Updated' : 'Posted';
}
