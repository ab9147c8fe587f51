import type { gmail_v1 } from '@googleapis/gmail';
import type { Db } from '@jbot/core';
import { createSideEffectLedger } from '../ledger/side-effect-ledger.js';
import { googleAuth, googleCall, GoogleApiError, rootUrlOption, type GoogleOptions } from '../google/google-client.js';
import type { MailConnector, MailHeader, SendMailResult } from './mail-connector.js';
import { messageIdFor, rawMessage, rfc822Message } from './rfc822-message.js';

const HEADERS = ['From', 'To', 'Subject', 'Date', 'List-Unsubscribe'];

/** What the Gmail connector needs besides the Google credentials: the brain (its side-effect ledger). */
export interface GmailOptions extends GoogleOptions {
  db: Db;
  leaseSeconds?: number;
}

/**
 * The operator's Gmail through @googleapis/gmail (loaded on first use): new inbox mail from
 * users.history.list since the last historyId (users.messages.list for the first run), headers
 * only (format: metadata); sends through users.messages.send under the side-effect ledger.
 */
export function createGmailMailConnector(options: GmailOptions): MailConnector {
  const auth = googleAuth(options);
  let client: Promise<gmail_v1.Gmail> | undefined;
  const gmail = () =>
    (client ??= Promise.all([import('@googleapis/gmail'), auth()]).then(([sdk, oauth]) =>
      sdk.gmail({ version: 'v1', auth: oauth as never, ...rootUrlOption(options) }),
    ));
  const ledger = createSideEffectLedger(options.db, {
    ...(options.leaseSeconds === undefined ? {} : { leaseSeconds: options.leaseSeconds }),
    ...(options.abortSignal === undefined ? {} : { signal: options.abortSignal }),
  });
  const call = <Result>(operation: string, run: (signal: AbortSignal) => Promise<Result>) => googleCall(options, 'Gmail', operation, run);

  async function initialIds(api: gmail_v1.Gmail, initialHours: number): Promise<string[]> {
    const ids: string[] = [];
    let pageToken: string | undefined;
    do {
      const token = pageToken;
      const page = await call('messages.list', (signal) =>
        api.users.messages.list(
          {
            userId: 'me',
            q: `in:inbox newer_than:${Math.max(1, Math.ceil(initialHours / 24))}d`,
            maxResults: 100,
            ...(token === undefined ? {} : { pageToken: token }),
          },
          { signal },
        ),
      );
      for (const message of page.data.messages ?? []) if (message.id != null) ids.push(message.id);
      pageToken = page.data.nextPageToken ?? undefined;
    } while (pageToken !== undefined);
    return ids;
  }

  return {
    source: 'gmail',
    defaultExecList: [],
    vipDomains: async () => [],
    async listNew(cursor, listOptions) {
      const api = await gmail();
      let ids: string[] = [];
      let next: string | null = null;
      let start = cursor;
      if (start !== null) {
        const startHistoryId = start;
        try {
          let pageToken: string | undefined;
          do {
            const token = pageToken;
            const page = await call('history.list', (signal) =>
              api.users.history.list(
                { userId: 'me', startHistoryId, historyTypes: ['messageAdded'], labelId: 'INBOX', ...(token === undefined ? {} : { pageToken: token }) },
                { signal },
              ),
            );
            for (const entry of page.data.history ?? [])
              for (const added of entry.messagesAdded ?? [])
                if (added.message?.id != null && (added.message.labelIds ?? ['INBOX']).includes('INBOX')) ids.push(added.message.id);
            next = page.data.historyId ?? next;
            pageToken = page.data.nextPageToken ?? undefined;
          } while (pageToken !== undefined);
        } catch (error) {
          // A history id older than Gmail keeps (about a week) answers 404: start again from the inbox.
          if (!(error instanceof GoogleApiError && error.facts['status'] === 404)) throw error;
          start = null;
          ids = [];
        }
      }
      if (start === null) {
        const profile = await call('getProfile', (signal) => api.users.getProfile({ userId: 'me' }, { signal }));
        next = profile.data.historyId ?? null;
        ids = await initialIds(api, listOptions.initialHours);
      }
      const messages: MailHeader[] = [];
      for (const id of [...new Set(ids)]) {
        const message = await call('messages.get', (signal) =>
          api.users.messages.get({ userId: 'me', id, format: 'metadata', metadataHeaders: HEADERS }, { signal }),
        );
        messages.push(headerFrom(message.data));
      }
      return { messages, cursor: next ?? start ?? '0' };
    },
    async send(input) {
      const messageId = messageIdFor(input.idempotencyKey);
      const { result, performed } = await ledger.run<SendMailResult>({
        idempotencyKey: input.idempotencyKey,
        connector: 'gmail',
        action: 'messages.send',
        request: { to: input.to, subject: input.subject },
        // After an uncertain send, the message is found by the Message-ID derived from the key.
        lookup: async () => {
          const api = await gmail();
          const found = await call('messages.list', (signal) =>
            api.users.messages.list({ userId: 'me', q: `rfc822msgid:${messageId}`, maxResults: 1 }, { signal }),
          );
          const first = found.data.messages?.[0]?.id;
          return first == null ? null : { messageId: first, sent: true };
        },
        perform: async () => {
          const api = await gmail();
          const sent = await call('messages.send', (signal) =>
            api.users.messages.send({ userId: 'me', requestBody: { raw: rawMessage(rfc822Message(input, null)) } }, { signal }),
          );
          return { messageId: sent.data.id ?? messageId, sent: true };
        },
      });
      return { ...result, sent: performed };
    },
  };
}

function header(message: gmail_v1.Schema$Message, name: string): string {
  return message.payload?.headers?.find((entry) => entry.name?.toLowerCase() === name.toLowerCase())?.value ?? '';
}

/** "Sarah Bennett" <sarah@x.com> → name and address. */
export function parseAddress(value: string): { name: string; email: string } {
  const match = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(value);
  if (match !== null) return { name: (match[1] ?? '').trim() || (match[2] ?? ''), email: (match[2] ?? '').trim().toLowerCase() };
  return { name: value.trim(), email: value.trim().toLowerCase() };
}

function headerFrom(message: gmail_v1.Schema$Message): MailHeader {
  const from = parseAddress(header(message, 'From'));
  return {
    id: message.id ?? '',
    threadId: message.threadId ?? message.id ?? '',
    fromEmail: from.email,
    fromName: from.name,
    to: header(message, 'To')
      .split(',')
      .map((address) => parseAddress(address).email)
      .filter((address) => address !== ''),
    subject: header(message, 'Subject'),
    snippet: message.snippet ?? '',
    receivedAt: message.internalDate == null ? new Date(header(message, 'Date')).toISOString() : new Date(Number(message.internalDate)).toISOString(),
    labels: message.labelIds ?? [],
    bulk: header(message, 'List-Unsubscribe') !== '',
  };
}
