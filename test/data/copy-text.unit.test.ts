import { describe, expect, it } from 'vitest';
import { copyNullable, copyText, utf8Chunks } from '../../src/data/copy-text.js';

const rowsOf = (chunk: Buffer) => chunk.toString('utf8').split('\n').slice(0, -1);

describe('utf8Chunks', () => {
  const rows = [
    'GEN-1-0000001\tSupply of Ñ-brand goods, Parañaque\t1\n',
    'a\n',
    '\n',
    'Grass 🌱 cutting – Lot 2 “urgent”\t\\N\n',
    'x'.repeat(100) + '\n', // longer than a chunk
    'b\tc\n',
    'ñ'.repeat(20) + '\n', // fewer UTF-16 units than a chunk's bytes, more bytes
    '€'.repeat(12) + '\n',
  ];

  it('hands out every row whole and in order, as UTF-8, in chunks of at most the given size (or 3 bytes a UTF-16 unit of a longer row)', () => {
    const counts: number[] = [];
    const chunks = [...utf8Chunks(rows, 32, (done) => counts.push(done))];
    expect(Buffer.concat(chunks).equals(Buffer.from(rows.join(''), 'utf8'))).toBe(true);
    expect(chunks.some((c) => c.length > 32)).toBe(true); // the long row's own
    for (const chunk of chunks) {
      expect(chunk.at(-1)).toBe(0x0a); // whole rows only
      expect(chunk.length).toBeLessThanOrEqual(Math.max(32, 3 * 101));
    }
    expect(chunks.map(rowsOf).flat()).toEqual(rows.map((r) => r.slice(0, -1)));
    // onRows: the rows handed out so far, after each chunk
    let sum = 0;
    expect(counts).toEqual(chunks.map((c) => (sum += rowsOf(c).length)));
    expect(counts.at(-1)).toBe(rows.length);
  });

  it('fills a chunk with as many rows as fit before starting the next', () => {
    const many = Array.from({ length: 1000 }, (_, i) => `row ${i} ñ\n`);
    const chunks = [...utf8Chunks(many, 4096)];
    expect(Buffer.concat(chunks).toString('utf8')).toBe(many.join(''));
    // every chunk but the last had no room left for one more row (at the 3-bytes-a-unit bound)
    for (const chunk of chunks.slice(0, -1)) expect(chunk.length + 3 * 'row 999 ñ\n'.length).toBeGreaterThan(4096);
  });

  it('never cuts a row of characters of several bytes (chunks sized in bytes, not in characters)', () => {
    const wide = Array.from({ length: 50 }, (_, i) => `${'ñ'.repeat(10)}${i % 10}\n`); // 12 units, 23 bytes
    const chunks = [...utf8Chunks(wide, 32)];
    expect(Buffer.concat(chunks).toString('utf8')).toBe(wide.join(''));
    expect(chunks).toHaveLength(50);
  });

  it('gives nothing for no rows', () => {
    const counts: number[] = [];
    expect([...utf8Chunks([], 64, (d) => counts.push(d))]).toEqual([]);
    expect(counts).toEqual([]);
  });
});

describe('copyText', () => {
  it('escapes what COPY text reads specially, and writes NULL as \\N', () => {
    expect(copyText('plain Ñ text')).toBe('plain Ñ text');
    expect(copyText('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    expect(copyNullable(null)).toBe('\\N');
    expect(copyNullable('\\N')).toBe('\\\\N');
  });
});
