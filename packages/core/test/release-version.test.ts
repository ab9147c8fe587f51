import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { releaseVersion } from '@jbot/core';

describe('releaseVersion', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'jbot-opt-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('names the deployed release a bot runs from (through the current symlink), else local', () => {
    const release = path.join(root, 'releases', '20261125T061000Z-3202034');
    fs.mkdirSync(release, { recursive: true });
    fs.symlinkSync(release, path.join(root, 'current'));
    expect(releaseVersion(path.join(root, 'current'))).toBe('20261125T061000Z-3202034');
    expect(releaseVersion(root)).toBe('local');
    expect(releaseVersion(path.join(root, 'missing'))).toBe('local');
  });
});
