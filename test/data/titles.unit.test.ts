// Title vocabularies: every real business category gets titles, made of its own words
// where it has no specific vocabulary, with every placeholder filled, deterministic for a seed.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/data/random.js';
import { loadReferenceData } from '../../src/data/reference/load.js';
import { createTitleMaker } from '../../src/data/titles.js';
import { CATEGORY_VOCABULARIES } from '../../src/data/vocabulary.js';

const DATE = { year: 2024, month: 11 };

describe('createTitleMaker', () => {
  it('writes complete titles for all 170 real categories', async () => {
    const { categories } = await loadReferenceData();
    expect(categories).toHaveLength(170);
    const rng = createRng(1);
    for (const c of categories) {
      const maker = createTitleMaker(c.name);
      for (let i = 0; i < 20; i++) {
        const { award, notice } = maker.make(rng, 'Leyte', DATE);
        for (const title of [award, notice]) {
          expect(title).not.toMatch(/[{}]|undefined|null|NaN|\s{2}|^\s|\s$/);
          expect(title.length).toBeGreaterThan(2);
        }
      }
    }
  });

  it('gives the same titles for the same seed, other titles for another seed', () => {
    const titles = (seed: number) => {
      const rng = createRng(seed);
      const maker = createTitleMaker('Construction Projects');
      return Array.from({ length: 50 }, () => maker.make(rng, 'Albay', DATE));
    };
    expect(titles(5)).toEqual(titles(5));
    expect(titles(6)).not.toEqual(titles(5));
  });

  it('names a category without its own vocabulary in most of its titles', () => {
    const name = 'Meteorological Equipments and Instruments';
    expect(CATEGORY_VOCABULARIES.some((r) => r.match.test(name))).toBe(false);
    const rng = createRng(2);
    const maker = createTitleMaker(name);
    const titles = Array.from({ length: 100 }, () => maker.make(rng, 'Leyte', DATE).notice.toLowerCase());
    expect(titles.filter((t) => /meteorological|instruments/.test(t)).length).toBeGreaterThan(60);
  });

  it('uses the realistic words of the big categories, and real places of the contract province', () => {
    const rng = createRng(3);
    const words = (category: string) => Array.from({ length: 300 }, () => createTitleMaker(category).make(rng, 'Albay', DATE).notice.toLowerCase()).join(' ');
    const construction = words('Construction Projects');
    for (const w of ['construction of', 'concreting of', 'flood control', 'road', 'albay', 'legazpi city', 'barangay', 'brgy.']) expect(construction).toContain(w);
    expect(words('Drugs and Medicines')).toContain('drugs and medicines');
    expect(words('Catering Services')).toContain('catering services for');
    expect(words('Office Equipment Supplies and Consumables')).toContain('toner cartridges');
  });

  it('gives a quarter of awards a shortened form of the notice title, and the rest the notice title itself', () => {
    const rng = createRng(4);
    const maker = createTitleMaker('Construction Projects');
    const pairs = Array.from({ length: 2000 }, () => maker.make(rng, 'Cebu', DATE));
    const differ = pairs.filter((p) => p.award !== p.notice);
    expect(differ.length / pairs.length).toBeGreaterThan(0.18);
    expect(differ.length / pairs.length).toBeLessThan(0.32);
    for (const p of differ) expect(p.award.length).toBeLessThan(p.notice.length);
  });
});
