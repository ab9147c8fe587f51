import type { SampleCompanyData } from '../sample/sample-company-data.js';
import type { HubSpotObjectSeed } from './hubspot-sample-objects.js';

interface TurnoverData {
  bounces: Array<{ contact_id: string; reason: string; days_ago: number }>;
  inbound_emails: Array<{ id: string; from_email: string; deal_id: string | null; subject: string; body: string; days_ago: number }>;
}

/**
 * salesbot-turnover.json as HubSpot holds it, for a fake HubSpot: the properties to merge into each
 * bounced contact (hs_email_hard_bounce_reason_enum, associatedcompanyid) and the inbound emails,
 * associated with their deals.
 */
export function hubspotTurnoverFromSample(
  data: SampleCompanyData,
  now: Date,
): { contactProperties: Map<string, Record<string, string>>; emails: HubSpotObjectSeed[] } {
  const turnover = data.salesbot_turnover as unknown as TurnoverData;
  const contacts = (data.hubspot as { contacts: Array<{ id: string; account_id: string }> }).contacts;
  const companyOf = new Map(contacts.map((contact) => [contact.id, contact.account_id]));
  return {
    contactProperties: new Map(
      turnover.bounces.map((bounce) => [
        bounce.contact_id,
        { hs_email_hard_bounce_reason_enum: bounce.reason, associatedcompanyid: companyOf.get(bounce.contact_id) ?? '' },
      ]),
    ),
    emails: turnover.inbound_emails.map((email, index) => ({
      id: String(77_000_000_001 + index),
      properties: {
        hs_timestamp: new Date(now.getTime() - email.days_ago * 86_400_000).toISOString(),
        hs_email_direction: 'INCOMING_EMAIL',
        hs_email_from_email: email.from_email,
        hs_email_subject: email.subject,
        hs_email_text: email.body,
      },
      ...(email.deal_id === null ? {} : { associations: { deals: [email.deal_id] } }),
    })),
  };
}
