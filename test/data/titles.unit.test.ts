// Title vocabularies: every real business category gets titles, made of its own words
// where it has no specific vocabulary, with every placeholder filled.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/data/random.js';
import { loadReferenceData } from '../../src/data/reference/load.js';
import { createTitleMaker } from '../../src/data/titles.js';
import { CATEGORY_VOCABULARIES } from '../../src/data/vocabulary.js';

describe('createTitleMaker', () => {
  it('writes complete titles for all 170 real categories', async () => {
    const { categories } = await loadReferenceData();
    expect(categories).toHaveLength(170);
    const rng = createRng(1);
    for (const c of categories) {
      const maker = createTitleMaker(c.name);
      for (let i = 0; i < 20; i++) {
        const title = maker.award(rng, 'Leyte', '2024');
        expect(title).not.toMatch(/[{}]|undefined/);
        expect(title.length).toBeGreaterThan(10);
        const notice = maker.notice(rng, title, '2024');
        expect(notice.startsWith(title)).toBe(true);
      }
    }
  });

  it('names a category without its own vocabulary in its titles', () => {
    const name = 'Meteorological Equipments and Instruments';
    expect(CATEGORY_VOCABULARIES.some((r) => r.match.test(name))).toBe(false);
    const rng = createRng(2);
    const maker = createTitleMaker(name);
    for (let i = 0; i < 10; i++) expect(maker.award(rng, 'Leyte', '2024').toLowerCase()).toContain('meteorological equipments and instruments');
  });

  it('uses the realistic words of the big categories', () => {
    const rng = createRng(3);
    const words = (category: string) => Array.from({ length: 200 }, () => createTitleMaker(category).award(rng, 'Albay', '2023').toLowerCase()).join(' ');
    const construction = words('Construction Projects');
    for (const w of ['construction of', 'concreting of', 'flood control', 'road', 'albay']) expect(construction).toContain(w);
    expect(words('Drugs and Medicines')).toContain('drugs and medicines');
    expect(words('Catering Services')).toContain('catering services for');
    expect(words('Office Equipment Supplies and Consumables')).toContain('toner cartridges');
  });
});
