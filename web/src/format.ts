// How numbers and dates read on the page: pesos with centavos in cards and tables, compact
// pesos on chart axes, counts with thousands separators.
const peso = new Intl.NumberFormat('en-PH', { style: 'currency', currency: 'PHP', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const compactPeso = new Intl.NumberFormat('en-PH', { style: 'currency', currency: 'PHP', notation: 'compact', maximumFractionDigits: 1 });
const count = new Intl.NumberFormat('en-PH', { maximumFractionDigits: 0 });

/** "₱1,234,567.50" */
export const formatPeso = (value: number): string => peso.format(value);
/** "₱1.2M" */
export const formatPesoCompact = (value: number): string => compactPeso.format(value);
/** "12,345" */
export const formatCount = (value: number): string => count.format(value);

const dateFormat = new Intl.DateTimeFormat('en-PH', { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
/** "2023-04-01" -> "Apr 1, 2023" */
export const formatDate = (iso: string): string => dateFormat.format(new Date(`${iso.slice(0, 10)}T00:00:00Z`));

const instantFormat = new Intl.DateTimeFormat('en-PH', { dateStyle: 'medium', timeStyle: 'short' });
/** An ISO instant in the reader's time zone. */
export const formatInstant = (iso: string): string => instantFormat.format(new Date(iso));
