import { z } from 'zod';

/** A comma-separated env setting with a default list (the catalogue's value when unset or empty). */
export function listSetting(defaults: readonly string[]) {
  return z
    .string()
    .optional()
    .transform((value) => {
      const items = (value ?? '')
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
      return items.length === 0 ? [...defaults] : items;
    });
}

/** A comma-separated list of IANA zones, each checked at start-up. */
export function zoneListSetting(defaults: readonly string[]) {
  return listSetting(defaults).refine(
    (zones) =>
      zones.every((zone) => {
        try {
          new Intl.DateTimeFormat('en-US', { timeZone: zone });
          return true;
        } catch {
          return false;
        }
      }),
    { message: 'must be comma-separated IANA time zones (e.g. America/New_York,America/Los_Angeles)' },
  );
}
