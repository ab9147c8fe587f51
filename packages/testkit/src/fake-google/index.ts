export {
  startFakeGoogle,
  type FakeGoogle,
  type FakeGoogleOptions,
  type FakeGoogleRequest,
  type FakeCalendarEvent,
  type FakeGmailMessage,
} from './fake-google-server.js';
