// The parts real PhilGEPS titles are made of besides their subject, for generated titles:
// places (barangay, municipality or city, province), reference numbers (PR, RFQ, PO, ITB,
// BAC numbers), lots and phases, periods (CY/FY/SY, months, quarters), fund sources and
// procurement-mode remarks. Taken from the shapes of awards-2024q4-sample.csv
// ("PR 24-4443 Venue rental ...", "Road Opening in Canasa West Brgy. Libang, Makato, Aklan",
// "... for the month of July to December 2024", "(PR 24-03-0121)", "... – LOT A").
import type { Rng } from './random.js';

/** Real municipalities and cities of the busiest provinces (areas.csv names), for place phrases. */
export const MUNICIPALITIES: Record<string, readonly string[]> = {
  'Metro Manila': ['Quezon City', 'Manila', 'Caloocan City', 'Pasig City', 'Taguig City', 'Makati City', 'Parañaque City', 'Las Piñas City', 'Muntinlupa City', 'Marikina City', 'Valenzuela City', 'Pasay City', 'Malabon City', 'Navotas City', 'San Juan City', 'Mandaluyong City', 'Pateros'],
  Leyte: ['Tacloban City', 'Ormoc City', 'Palo', 'Baybay City', 'Hilongos', 'Carigara', 'Tanauan', 'Abuyog', 'Burauen', 'Dulag', 'Jaro'],
  Iloilo: ['Iloilo City', 'Oton', 'Passi City', 'Pototan', 'Miagao', 'Santa Barbara', 'Cabatuan', 'Janiuay', 'Dumangas', 'Barotac Nuevo'],
  Cebu: ['Cebu City', 'Mandaue City', 'Lapu-Lapu City', 'Talisay City', 'Danao City', 'Toledo City', 'Carcar City', 'Consolacion', 'Minglanilla', 'Bogo City', 'Argao'],
  'Davao Del Sur': ['Davao City', 'Digos City', 'Santa Cruz', 'Bansalan', 'Hagonoy', 'Matanao'],
  Albay: ['Legazpi City', 'Ligao City', 'Tabaco City', 'Daraga', 'Guinobatan', 'Polangui', 'Camalig', 'Oas', 'Tiwi'],
  'Camarines Sur': ['Naga City', 'Iriga City', 'Pili', 'Goa', 'Lagonoy', 'Camaligan', 'Libmanan', 'Calabanga', 'Nabua'],
  Bukidnon: ['Malaybalay City', 'Valencia City', 'Manolo Fortich', 'Maramag', 'Quezon', 'Don Carlos'],
  Batangas: ['Batangas City', 'Lipa City', 'Tanauan City', 'Santo Tomas', 'Nasugbu', 'Bauan', 'Rosario', 'Lemery'],
  Laguna: ['Calamba City', 'Santa Rosa City', 'San Pablo City', 'Biñan City', 'Los Baños', 'Bay', 'Nagcarlan', 'Santa Cruz'],
  Quezon: ['Lucena City', 'Tayabas City', 'Sariaya', 'Candelaria', 'Gumaca', 'Infanta', 'Pagbilao'],
  'Misamis Oriental': ['Cagayan De Oro City', 'Gingoog City', 'El Salvador City', 'Tagoloan', 'Villanueva', 'Balingasag'],
  Pangasinan: ['Dagupan City', 'San Carlos City', 'Urdaneta City', 'Alaminos City', 'Lingayen', 'Mangatarem', 'Bayambang', 'Malasiqui'],
  'Davao Del Norte': ['Tagum City', 'Panabo City', 'Island Garden City of Samal', 'Carmen', 'Santo Tomas', 'New Corella'],
  Bataan: ['Balanga City', 'Mariveles', 'Orion', 'Dinalupihan', 'Limay', 'Hermosa'],
  Rizal: ['Antipolo City', 'Cainta', 'Taytay', 'Binangonan', 'Rodriguez', 'San Mateo', 'Tanay', 'Angono'],
  'Negros Oriental': ['Dumaguete City', 'Bayawan City', 'Tanjay City', 'Guihulngan City', 'Manjuyod', 'Bais City'],
  Benguet: ['Baguio City', 'La Trinidad', 'Itogon', 'Tuba', 'Mankayan', 'Buguias'],
  'Zamboanga Del Sur': ['Zamboanga City', 'Pagadian City', 'Molave', 'Aurora', 'Dumingag'],
  Palawan: ['Puerto Princesa City', 'Bataraza', 'Roxas', "Brooke's Point", 'Coron', 'Taytay', 'El Nido'],
  'Negros Occidental': ['Bacolod City', 'La Carlota City', 'Silay City', 'Kabankalan City', 'Victorias City', 'Sagay City', 'Talisay City'],
  'Nueva Ecija': ['Cabanatuan City', 'Science City of Muñoz', 'San Jose City', 'Gapan City', 'Cuyapo', 'Talavera', 'Guimba'],
  'South Cotabato': ['Koronadal City', 'General Santos City', 'Polomolok', 'Tupi', 'Surallah', 'Banga'],
  'Ilocos Norte': ['Laoag City', 'Batac City', 'San Nicolas', 'Paoay', 'Bangui', 'Dingras'],
  Bohol: ['Tagbilaran City', 'Guindulman', 'Talibon', 'Ubay', 'Carmen', 'Loboc', 'Panglao'],
  'Ilocos Sur': ['Vigan City', 'Candon City', 'Narvacan', 'Santa Maria', 'Tagudin'],
  Pampanga: ['City of San Fernando', 'Angeles City', 'Mabalacat City', 'Guagua', 'Lubao', 'Porac', 'Mexico'],
  'Agusan Del Norte': ['Butuan City', 'Cabadbaran City', 'Buenavista', 'Nasipit'],
  Tarlac: ['Tarlac City', 'Concepcion', 'Paniqui', 'Capas', 'Mayantoc', 'Camiling'],
  Cavite: ['Dasmariñas City', 'Bacoor City', 'Imus City', 'General Trias City', 'Tagaytay City', 'Maragondon', 'Silang'],
  Isabela: ['Ilagan City', 'Santiago City', 'Cauayan City', 'Roxas', 'Alicia'],
  Cagayan: ['Tuguegarao City', 'Aparri', 'Gonzaga', 'Lal-lo', 'Solana'],
  'Zamboanga Del Norte': ['Dipolog City', 'Dapitan City', 'Sindangan', 'Liloy'],
  'La Union': ['San Fernando City', 'Agoo', 'Bauang', 'Naguilian', 'Rosario'],
  Cotabato: ['Kidapawan City', 'Kabacan', "M'lang", 'Midsayap', 'Pikit'],
  'Oriental Mindoro': ['Calapan City', 'Pinamalayan', 'Mansalay', 'Roxas', 'Naujan'],
  'Camarines Norte': ['Daet', 'Labo', 'Jose Panganiban', 'Vinzons'],
  'Agusan Del Sur': ['San Francisco', 'Bayugan City', 'Prosperidad', 'Trento'],
  Bulacan: ['City of Malolos', 'Meycauayan City', 'San Jose del Monte City', 'Baliwag', 'Marilao', 'Bocaue'],
  Aklan: ['Kalibo', 'Makato', 'Ibajay', 'Numancia', 'Malay', 'Banga'],
};

/** Common barangay names (most recur in many municipalities). */
export const BARANGAYS: readonly string[] = [
  'San Isidro', 'Poblacion', 'San Jose', 'Santa Cruz', 'San Roque', 'Sto. Niño', 'Bagong Silang', 'Mabini', 'Rizal', 'San Vicente',
  'Malinao', 'Bonifacio', 'San Antonio', 'Magsaysay', 'Santo Tomas', 'Burgos', 'Del Pilar', 'Calumpang', 'Maligaya', 'Bagumbayan',
  'San Miguel', 'Tagumpay', 'Dapdap', 'Cabuyao', 'Lumbia', 'Pag-asa', 'Bañadero', 'Dalig', 'Talisay', 'Mabuhay', 'San Pedro',
  'San Juan', 'Santa Maria', 'San Francisco', 'Santo Rosario', 'Libang', 'Baluarte', 'Buco', 'Banlag', 'Canasa', 'Marangal',
  'Bagong Pag-asa', 'Lourdes', 'Cogon', 'Lapu-Lapu', 'Luna', 'Quezon', 'Aguinaldo', 'Mabolo', 'Tabuc', 'Lahug', 'Kauswagan',
  'Carmen', 'Macabalan', 'Bulua', 'Balulang', 'Camaman-an', 'Gusa', 'Tablon', 'Agusan', 'Bugo', 'Iponan', 'Bayabas', 'Tibanga',
  'Dalipuga', 'Hinaplanon', 'Tambo', 'Suarez', 'Tubod', 'Pala-o', 'Buru-un', 'Bagong Buhay', 'Maharlika', 'Malanday', 'Concepcion',
  'Santolan', 'Tumana', 'Nangka', 'Parang', 'Fortune', 'Commonwealth', 'Batasan Hills', 'Holy Spirit', 'Payatas', 'Bagbag',
  'Tandang Sora', 'Culiat', 'Pasong Tamo', 'Talipapa', 'Novaliches Proper', 'Ugong', 'Pinagbuhatan', 'Rosario', 'Caniogan',
  'Kapitolyo', 'Manggahan', 'Santa Lucia', 'Napindan', 'Wawa', 'Tanza', 'Dampalit', 'Longos', 'Tonsuya', 'Catmon', 'Potrero',
  'Taal', 'Cupang', 'Alabang', 'Putatan', 'Tunasan', 'Bayanan', 'Sucat', 'Buli', 'Pulo', 'Bucal', 'Lawa', 'Maunong', 'Palo-Alto',
  'Looc', 'Tinago', 'Ibabao', 'Pajo', 'Basak', 'Gun-ob', 'Marigondon', 'Agus', 'Babag', 'Suba', 'Labogon', 'Subangdaku', 'Tipolo',
  'Guizo', 'Alang-alang', 'Cambaro', 'Bakilid', 'Casuntingan', 'Ibabao-Estancia', 'Opao', 'Umapad', 'Paknaan', 'Tingub',
];

/** Fund sources as titles name them. */
export const FUND_SOURCES: readonly string[] = [
  '20% Development Fund', 'Special Education Fund', 'SEF', 'General Fund', 'GAA', 'MOOE', 'LDRRMF', 'Local Disaster Risk Reduction and Management Fund',
  'Trust Fund', 'Continuing Appropriations', 'Gender and Development Fund', 'GAD Fund', 'Local Government Support Fund', 'LGSF-FA',
  'Barangay Development Fund', 'Supplemental Budget No. 1', 'Supplemental Budget No. 2', 'SK Fund', 'Quick Response Fund',
  'Bayanihan Grant to Provinces', 'Confidential Fund', 'NEP', 'Corporate Operating Budget', 'Capital Outlay', 'PDAF', 'SGLG Incentive Fund',
];

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const QUARTERS = ['1st', '2nd', '3rd', '4th'];
const LETTERS = ['A', 'B', 'C', 'D', 'E', 'F'];
const MODE_REMARKS: readonly string[] = [
  ' (Direct Contracting Exclusive Dealer / Manufacturer)', ' (Direct Contracting Proprietary in Nature)', ' (Re-bidding)', ' (Rebid)',
  ' (Small Value Procurement)', ' (Negotiated Procurement)', ' (Emergency Purchase)', ' (Shopping)', ' (Second Posting)', ' (Materials Only)',
  ' (Labor and Materials)', ' through Framework Agreement',
];

/** The award's own date parts, which titles quote. */
export type TitleDate = { year: number; month: number };

const digits = (rng: Rng, n: number) => String(rng.int(10 ** n)).padStart(n, '0');
const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/**
 * Where a contract is, as titles say it: "Barangay X, Municipality, Province" and its shorter
 * real forms, for a contract in `province`. `inBarangay`: the title already names the
 * barangay ("Barangay {brgy}, {place}"), so the phrase stops at the municipality.
 */
export function placePhrase(rng: Rng, province: string, inBarangay = false): string {
  const towns = MUNICIPALITIES[province];
  const r = rng.next();
  if (!towns) {
    if (inBarangay || r < 0.5) return province;
    if (r < 0.75) return `Province of ${province}`;
    return `${r < 0.9 ? 'Barangay' : 'Brgy.'} ${BARANGAYS[rng.int(BARANGAYS.length)]!}, ${province}`;
  }
  const town = towns[rng.int(towns.length)]!;
  if (r < 0.2) return province;
  if (r < 0.5) return `${town}, ${province}`;
  if (r < 0.7) return town;
  if (inBarangay || r < 0.75) return r < 0.85 ? `${town}, ${province}` : town;
  const brgy = BARANGAYS[rng.int(BARANGAYS.length)]!;
  if (r < 0.85) return `Barangay ${brgy}, ${town}, ${province}`;
  if (r < 0.93) return `Brgy. ${brgy}, ${town}`;
  if (r < 0.97) return `Purok ${1 + rng.int(12)}, ${brgy}, ${town}`;
  return `Sitio ${BARANGAYS[rng.int(BARANGAYS.length)]!}, Brgy. ${brgy}, ${town}`;
}

/** How titles begin a purchase, for subjects written "Supply and delivery of ...": real ones vary. */
export const PURCHASE_VERBS: readonly string[] = [
  'Supply and delivery of ', 'Supply and Delivery of ', 'Procurement of ', 'Purchase of ', 'Acquisition of ', 'Supply of ', 'Delivery of ',
  'Purchase and delivery of ', 'Provision of ', 'Procurement of various ', 'Supply and delivery of various ', '', '', '', '', '',
];

/** Programs and activities long titles say a purchase is for. */
const PROGRAMS: readonly string[] = [
  'School-Based Feeding Program', 'Supplementary Feeding Program', 'Community-Based Drug Rehabilitation Program', 'Livestock Dispersal and Livelihood Support Program',
  'Enhanced National Greening Program', 'Sustainable Livelihood Program', 'Expanded Program on Immunization', 'Barangay Nutrition Program',
  'Pantawid Pamilyang Pilipino Program', 'Philippine Rural Development Project', 'Assistance to Individuals in Crisis Situation',
  'Special Program for Employment of Students', 'Rice Competitiveness Enhancement Fund', 'Local Road Improvement Program',
  'Barangay Health Emergency Response Team', 'Operation Timbang Plus', 'Brigada Eskwela', 'Kapit-Bisig Laban sa Kahirapan',
  'Balik-Probinsya, Bagong Pag-asa Program', 'Oplan Kalusugan sa DepEd', 'Youth Development Session', 'Family Development Session',
];

const PURPOSE_LEADS: readonly string[] = [
  ' intended for the implementation of the ', ' to be used in the conduct of the ', ' in support of ', ' under ', ' re ', ' - ',
  ' to be used by beneficiaries of ', ' in connection with ', ' in line with ',
];

/** A purpose clause of long titles (" to be used in the conduct of the Family Development Session"). */
export function purposeClause(rng: Rng): string {
  return PURPOSE_LEADS[rng.int(PURPOSE_LEADS.length)]! + PROGRAMS[rng.int(PROGRAMS.length)]!;
}

/** A barangay as titles write it, for "{barangay}" in templates. */
export function barangayPhrase(rng: Rng): string {
  const brgy = BARANGAYS[rng.int(BARANGAYS.length)]!;
  const r = rng.next();
  return r < 0.3 ? `Barangay ${brgy}` : r < 0.85 ? `Brgy. ${brgy}` : r < 0.93 ? `${brgy}` : `Purok ${1 + rng.int(12)}, ${brgy}`;
}

/** A purchase-request / quotation / order / bid number as agencies put it in titles. */
export function referenceNumber(rng: Rng, d: TitleDate): string {
  const yy = pad2(d.year % 100);
  const mm = pad2(d.month);
  switch (rng.int(10)) {
    case 0: return `PR ${yy}-${mm}-${digits(rng, 4)}`;
    case 1: return `RFQ ${d.year}-${mm}-${digits(rng, 3)}`;
    case 2: return `PO ${d.year}-${mm}-${digits(rng, 3)}`;
    case 3: return `${mm}-${digits(rng, 4)}-${yy} BAC`;
    case 4: return `ITB-${yy}-${digits(rng, 3)}`;
    case 5: return `${d.year}-${mm}-${digits(rng, 3)}`;
    case 6: return `DRP${yy}-${mm}-${digits(rng, 3)}`;
    case 7: return `GOODS-${d.year}-${digits(rng, 2)}`;
    case 8: return `PB-${yy}-${digits(rng, 3)}`;
    default: return `P.R. No. ${d.year}-${mm}-${digits(rng, 4)}`;
  }
}

/** A lot, phase or package mark. */
function lotMark(rng: Rng): string {
  switch (rng.int(6)) {
    case 0: return ` - Lot ${1 + rng.int(12)}`;
    case 1: return ` (Lot ${1 + rng.int(12)})`;
    case 2: return ` Phase ${1 + rng.int(6)}`;
    case 3: return ` – LOT ${LETTERS[rng.int(LETTERS.length)]}`;
    case 4: return ` (Package ${1 + rng.int(9)})`;
    default: return ` Phase ${['I', 'II', 'III', 'IV'][rng.int(4)]}`;
  }
}

/** A period the purchase covers. */
function periodMark(rng: Rng, d: TitleDate): string {
  switch (rng.int(7)) {
    case 0: return ` for CY ${d.year}`;
    case 1: return ` for FY ${d.year + rng.int(2)}`;
    case 2: return ` for the month of ${MONTHS[d.month - 1]} ${d.year}`;
    case 3: return ` (${QUARTERS[(d.month - 1) >> 2]} Quarter CY ${d.year})`;
    case 4: return ` - ${MONTHS[d.month - 1]!.slice(0, 3).toUpperCase()}. ${1 + rng.int(28)}, ${d.year}`;
    case 5: return ` for SY ${d.year}-${d.year + 1}`;
    default: {
      const from = rng.int(d.month);
      return from === d.month - 1 ? ` for ${MONTHS[from]} ${d.year}` : ` for ${MONTHS[from]} to ${MONTHS[d.month - 1]} ${d.year}`;
    }
  }
}

/** Decorations appended to a subject: lot, period, fund, PR number, mode remark (each independently). */
export function suffixes(rng: Rng, d: TitleDate): string {
  let out = '';
  if (rng.next() < 0.14) out += lotMark(rng);
  if (rng.next() < 0.2) out += periodMark(rng, d);
  if (rng.next() < 0.08) out += rng.next() < 0.5 ? ` (${FUND_SOURCES[rng.int(FUND_SOURCES.length)]})` : ` chargeable against ${FUND_SOURCES[rng.int(FUND_SOURCES.length)]}`;
  if (rng.next() < 0.1) out += ` (PR No. ${d.year}-${pad2(d.month)}-${digits(rng, 4)})`;
  if (rng.next() < 0.07) out += MODE_REMARKS[rng.int(MODE_REMARKS.length)]!;
  return out;
}

/** A quantity in front of a short title ("1 Lot", "43 Book", "One (1) Lot -"). */
export function quantityMark(rng: Rng): string {
  switch (rng.int(5)) {
    case 0: return '1 Lot ';
    case 1: return 'One (1) Lot - ';
    case 2: return `${2 + rng.int(500)} ${['Unit', 'Set', 'Pc', 'Box', 'Pack', 'Book'][rng.int(6)]} `;
    case 3: return `${1 + rng.int(20)} Lot${rng.next() < 0.5 ? 's' : ''} `;
    default: return 'Various ';
  }
}
