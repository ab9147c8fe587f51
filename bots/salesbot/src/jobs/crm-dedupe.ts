import { defineJob, envNumber, envSettings, fingerprintOf, jobOutcome, reportFindings, timeZone, type BotContext, type JobRunInfo } from '@jbot/core';
import type { Connectors, CrmCompany, CrmContactRecord } from '@jbot/connectors';
import { mergeCrmRecords } from '../dedupe/merge-crm-records.js';
import { nameSimilarity } from '../dedupe/name-similarity.js';
import { localDay } from './deal-hygiene.js';
import { startOfLocalDay } from './local-time.js';

/** The job's settings: the catalogue's name-similarity bar (trigram ≥ 0.9 in the same state). */
export const crmDedupeSettings = envSettings({ SALES_DEDUPE_NAME_SIMILARITY: envNumber(0.9, 0), FLEET_TZ: timeZone('UTC') });

/** One duplicate pair, survivor first. */
export interface DuplicatePair {
  object_type: 'companies' | 'contacts';
  primary_id: string;
  primary: string;
  merge_id: string;
  merge: string;
  reason: string;
}

const domainOf = (value: string | null) =>
  (value ?? '')
    .trim()
    .toLowerCase()
    .replace(/^www\./, '');
const emailDomain = (email: string) => email.split('@')[1]?.toLowerCase() ?? '';
// An empty creation time is the CRM import: the oldest record.
const age = (createdAt: string) => Date.parse(createdAt) || 0;

// Survivor = the record with most associations; then the older; then the lower id.
function survivorFirst<Item extends { id: string; associationCount: number; createdAt: string }>(left: Item, right: Item): [Item, Item] {
  const order = right.associationCount - left.associationCount || age(left.createdAt) - age(right.createdAt) || left.id.localeCompare(right.id);
  return order <= 0 ? [left, right] : [right, left];
}

function companyMatch(fresh: CrmCompany, other: CrmCompany, minimum: number): string | null {
  if (domainOf(fresh.domain) !== '' && domainOf(fresh.domain) === domainOf(other.domain)) return `same domain ${domainOf(fresh.domain)}`;
  if (fresh.state !== null && fresh.state === other.state) {
    const similarity = nameSimilarity(fresh.name, other.name);
    if (similarity >= minimum) return `name ${Math.round(similarity * 100)}% alike in ${fresh.state}`;
  }
  return null;
}

function contactMatch(fresh: CrmContactRecord, other: CrmContactRecord): string | null {
  if (fresh.email.toLowerCase() === other.email.toLowerCase()) return `same email ${fresh.email.toLowerCase()}`;
  const name = (contact: CrmContactRecord) => `${contact.firstName} ${contact.lastName}`.trim().toLowerCase();
  if (name(fresh) !== '' && name(fresh) === name(other)) return `same name at ${emailDomain(fresh.email)}`;
  return null;
}

/**
 * Today's duplicates, deterministically: each company created today against the companies on its
 * domain or in its state (same domain, or name trigram similarity ≥ the bar in the same state);
 * each contact created today against the contacts at its email domain (same email, or same name).
 */
export async function findDuplicates(connectors: Pick<Connectors, 'crm'>, since: Date, minimumSimilarity: number): Promise<DuplicatePair[]> {
  const { crm } = connectors;
  const pairs = new Map<string, DuplicatePair>();
  const add = (pair: DuplicatePair) => pairs.set(`${pair.object_type}:${[pair.primary_id, pair.merge_id].sort().join(':')}`, pair);
  for (const fresh of await crm.searchCompanies({ createdSince: since })) {
    const candidates = await crm.searchCompanies({
      ...(fresh.domain === null ? {} : { domain: fresh.domain }),
      ...(fresh.state === null ? {} : { state: fresh.state }),
    });
    for (const other of candidates) {
      if (other.id === fresh.id) continue;
      const reason = companyMatch(fresh, other, minimumSimilarity);
      if (reason === null) continue;
      const [primary, merge] = survivorFirst(fresh, other);
      add({ object_type: 'companies', primary_id: primary.id, primary: primary.name, merge_id: merge.id, merge: merge.name, reason });
    }
  }
  for (const fresh of await crm.searchContacts({ createdSince: since })) {
    const domain = emailDomain(fresh.email);
    if (domain === '') continue;
    for (const other of await crm.searchContacts({ emailDomain: domain })) {
      if (other.id === fresh.id) continue;
      const reason = contactMatch(fresh, other);
      if (reason === null) continue;
      const [primary, merge] = survivorFirst(fresh, other);
      const label = (contact: CrmContactRecord) => `${contact.firstName} ${contact.lastName} <${contact.email}>`;
      add({ object_type: 'contacts', primary_id: primary.id, primary: label(primary), merge_id: merge.id, merge: label(merge), reason });
    }
  }
  return [...pairs.values()].sort((left, right) => left.object_type.localeCompare(right.object_type) || left.primary.localeCompare(right.primary));
}

/** The #sales-bot post: one line per pair. */
export function duplicatesMessage(pairs: readonly DuplicatePair[]): string {
  return [
    ...pairs.map((pair) => `• ${pair.object_type === 'companies' ? 'Company' : 'Contact'} ${pair.merge} → merge into ${pair.primary} (${pair.reason})`),
    '',
    'Approve merge_crm_records to merge each duplicate into the record that keeps the most associations.',
  ].join('\n');
}

/** Run crm-dedupe once: the pairs on change, and one `merge_crm_records` approval keyed by the pair set. */
export async function runCrmDedupe(context: BotContext & JobRunInfo, settings = crmDedupeSettings.load({}), now = new Date()) {
  const pairs = await findDuplicates(
    context.connectors,
    startOfLocalDay(localDay(now, settings.FLEET_TZ), settings.FLEET_TZ),
    settings.SALES_DEDUPE_NAME_SIMILARITY,
  );
  const outcome = await reportFindings(context, {
    findings: pairs,
    noun: 'duplicate record',
    message: (findings) => ({ title: `CRM duplicates created today: ${findings.length}`, text: duplicatesMessage(findings), kind: 'note' }),
    nothingLine: 'No company or contact created today duplicates another.',
  });
  let approvalId: string | null = null;
  if (pairs.length > 0) {
    const { approval } = await context.approvals.request({
      action: mergeCrmRecords,
      title: `Merge ${pairs.length} duplicate CRM record${pairs.length === 1 ? '' : 's'}`,
      draft: { merges: pairs },
      requestKey: `crm-dedupe:${fingerprintOf(pairs.map((pair) => [pair.object_type, pair.primary_id, pair.merge_id]))}`,
    });
    approvalId = approval.id;
  }
  return { outcome, pairs, approvalId };
}

/** salesbot's crm-dedupe: weekdays 17:00 (fleet time zone). */
export const crmDedupe = defineJob({
  id: 'crm-dedupe',
  schedule: '0 17 * * 1-5',
  description: 'Companies and contacts created today that duplicate another (domain, email, name similarity) → merge_crm_records',
  timeoutMs: 180_000,
  // A daily check of today's records: a missed evening catches up once.
  missed: 'once',
  settings: crmDedupeSettings,
  async run(context) {
    const { outcome, approvalId } = await runCrmDedupe(context, context.config);
    return jobOutcome(`${outcome.outcome}${approvalId === null ? '' : '; merge_crm_records asked'}`, {
      ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
      detail: { ...outcome.detail, approvalId },
    });
  },
});
