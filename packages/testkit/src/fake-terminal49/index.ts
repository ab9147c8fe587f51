export { startFakeTerminal49, type FakeTerminal49, type FakeTerminal49Container } from './fake-terminal49-server.js';
