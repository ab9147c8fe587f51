// How figures read in jbot's posts and lines: whole dollars, one-decimal percentages.

/** $12,345 (cents dropped; a flash is read at a glance). */
export function money(amount: number): string {
  return `${amount < 0 ? '−' : ''}$${Math.abs(amount).toLocaleString('en-US', { maximumFractionDigits: 0 })}`;
}

/** 87.5% */
export function percent(value: number): string {
  return `${value.toFixed(1).replace(/\.0$/, '')}%`;
}

/** +12.5% / −31% */
export function signedPercent(value: number): string {
  return `${value > 0 ? '+' : value < 0 ? '−' : '±'}${percent(Math.abs(value))}`;
}

/** The sample company's brand names by id, for reports whose sources carry only the id (KC, SM, …). */
export const BRAND_NAMES: Readonly<Record<string, string>> = {
  KC: 'Kettle & Crumb',
  SM: 'Saltmarsh Apothecary',
  DW: 'Driftwood Candle Co.',
  TH: 'Trailhead Coffee Roasters',
};
