// How a time range is cut into the rollups' periods: whole years, then whole quarters, then
// whole months, then the days left over (src/contracts/rollups.ts).
import { describe, expect, it } from 'vitest';
import { piecesOf } from '../../src/contracts/rollups.js';

describe('piecesOf', () => {
  it('takes a whole year as one year, not four quarters', () => {
    expect(piecesOf([{ from: '2023-01-01', to: '2023-12-31' }])).toEqual({ years: ['2023-01-01'], quarters: [], months: [], days: [] });
  });

  it('takes a whole quarter as one quarter, not three months', () => {
    expect(piecesOf([{ from: '2024-10-01', to: '2024-12-31' }])).toEqual({ years: [], quarters: ['2024-10-01'], months: [], days: [] });
  });

  it('cuts an arbitrary range into days, months, quarters, a year, and days again', () => {
    expect(piecesOf([{ from: '2022-02-15', to: '2024-05-10' }])).toEqual({
      years: ['2023-01-01'],
      quarters: ['2022-04-01', '2022-07-01', '2022-10-01', '2024-01-01'],
      months: ['2022-03-01', '2024-04-01'],
      days: [
        { from: '2022-02-15', to: '2022-02-28' },
        { from: '2024-05-01', to: '2024-05-10' },
      ],
    });
  });

  it('never takes a quarter that the range does not cover to its last day', () => {
    expect(piecesOf([{ from: '2024-07-01', to: '2024-09-29' }])).toEqual({
      years: [],
      quarters: [],
      months: ['2024-07-01', '2024-08-01'],
      days: [{ from: '2024-09-01', to: '2024-09-29' }],
    });
  });
});
