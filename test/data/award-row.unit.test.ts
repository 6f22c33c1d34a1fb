// Parsing of the export's values and headers, one rule at a time.
import { describe, expect, it } from 'vitest';
import { MissingColumnsError, resolveColumns } from '../../src/data/award-columns.js';
import { nullable, parseAmount, parseDate, readAwardRow } from '../../src/data/award-row.js';
import { EXPORT_HEADER, exportRow } from './csv.js';

describe('parseDate', () => {
  it.each([
    ['14/10/2024', '2024-10-14'],
    ['1/2/2023', '2023-02-01'],
    ['29/02/2024', '2024-02-29'],
    ['14/10/2024 13:45:00', '2024-10-14'],
    ['2024-10-14', '2024-10-14'],
    ['16/01/1920', '1920-01-16'], // real data-entry errors are kept, not rejected
  ])('reads %s as %s', (raw, iso) => expect(parseDate(raw)).toBe(iso));

  it.each(['29/02/2023', '31/04/2024', '10/13/2024', '2024/10/14', '14-10-2024', 'yesterday', '14/10/24'])('rejects %s', (raw) =>
    expect(parseDate(raw)).toBeUndefined(),
  );
});

describe('parseAmount', () => {
  it.each([
    ['35250.00', '35250.00'],
    ['0', '0'],
    ['007.5', '7.5'],
    ['1,234,567.89', '1234567.89'],
    ['123456789012345678.99', '123456789012345678.99'],
  ])('reads %s as %s', (raw, amount) => expect(parseAmount(raw)).toEqual({ amount }));

  it.each([
    ['-5.00', 'negative amount'],
    ['12abc', 'not a number'],
    ['1e6', 'not a number'],
    ['1,23.00', 'not a number'],
    ['1234567890123456789', 'amount too large'],
  ])('rejects %s (%s)', (raw, error) => expect(parseAmount(raw)).toEqual({ error }));
});

describe('nullable', () => {
  it('treats NULL, empty and blank as missing and trims the rest', () => {
    expect([nullable('NULL'), nullable(' null '), nullable(''), nullable('  '), nullable(undefined), nullable(' Leyte ')]).toEqual([null, null, null, null, null, 'Leyte']);
  });
});

describe('resolveColumns', () => {
  it('finds the current and the older names, ignoring case, spacing and punctuation', () => {
    const c = resolveColumns(['award no.', 'AWARDEE CORPORATE TITLE', 'Organization Name', 'Business Category', 'Notice Title', 'Contract Amount', 'Publish Date (Award)']);
    expect(c.index).toMatchObject({ reference: 0, awardee: 1, procuringEntity: 2, businessCategory: 3, noticeTitle: 4, awardTitle: -1, contractAmount: 5, awardDate: 6 });
    expect(c.width).toBe(7);
  });

  it('prefers Award Date over the publication date when both exist', () => {
    const c = resolveColumns(['Award No.', 'Awardee Corporate Title', 'Organization Name', 'Business Category', 'Award Title', 'Contract Amount', 'Publish Date(Award)', 'Award Date']);
    expect(c.index.awardDate).toBe(7);
  });

  it('names every missing required column', () => {
    expect(() => resolveColumns(['Award Title', 'Contract Amount'])).toThrow(MissingColumnsError);
    expect(() => resolveColumns(['Award Title', 'Contract Amount'])).toThrow(
      'missing column(s): "Award Reference No." or "Award No." or "Award Reference Number"; "Awardee Organization Name" or "Awardee Corporate Title" or "Awardee Name"; "Award Date"; "Procuring Entity (PE)" or "Procuring Entity" or "Organization Name"; "Business Category"',
    );
  });
});

describe('readAwardRow', () => {
  const header = EXPORT_HEADER;
  const columns = resolveColumns(header);
  const area = (value: string) => {
    const row = readAwardRow(
      exportRow({ 'Procuring Entity (PE)': 'CITY OF GAMMA', 'Award Reference No.': 'R-1', 'Award Title': 'Catering', 'Awardee Organization Name': 'EPSILON CORP.', 'Award Date': '15/06/2023', 'Business Category': 'Catering Services', 'Area of Delivery': value }),
      columns,
      2,
    );
    if (!('award' in row)) throw new Error(`not an award: ${JSON.stringify(row)}`);
    return row.award.area;
  };
  it('keeps an area, normalised', () => {
    expect(area('  Metro   Manila ')).toBe('Metro Manila');
  });
  it('reads the API label of a missing area, "(unspecified)", as no area (else its drill-down would be ambiguous)', () => {
    expect(area('(unspecified)')).toBeNull();
    expect(area(' (unspecified) ')).toBeNull();
    expect(area('NULL')).toBeNull();
  });
});
