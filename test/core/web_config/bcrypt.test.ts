import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  bcryptCost,
  BcryptFormatError,
  bcryptHash,
  bcryptVerify,
  parseBcryptHash,
} from '../../../core/web_config/mod.ts';

// Made with libxcrypt (Python's crypt module) and Apache's `htpasswd -nbB`, not with this code.
const KNOWN: [string, string][] = [
  ['secret', '$2a$05$abcdefghijklmnopqrstuuOQiyCxlgf/oeuTqixKmWdcYUh4Hjl0a'],
  ['secret', '$2b$05$abcdefghijklmnopqrstuuOQiyCxlgf/oeuTqixKmWdcYUh4Hjl0a'],
  ['secret', '$2y$05$abcdefghijklmnopqrstuuOQiyCxlgf/oeuTqixKmWdcYUh4Hjl0a'],
  ['U*U', '$2b$05$abcdefghijklmnopqrstuuMpLhh66NJUQMuZ6FwRQX0sqAEKeWcKW'],
  ['', '$2a$05$abcdefghijklmnopqrstuu0oImNDIy4flhldV9YqunRgBAePKmw7m'],
  ['pässwörd', '$2y$05$abcdefghijklmnopqrstuuZVEMa1pjhlynBQ1qXmSvGBJpN9h1w8G'],
  ['x'.repeat(72), '$2a$05$abcdefghijklmnopqrstuujf8SX2ahXLwp9w/B.Y5XdysS6yR576q'],
  ['secret', '$2y$04$I2wjS4m3H6cdXp8wYwvni.tniTjQhJDW8Arb3lpaEJ8Sig34aF./K'],
  ['hunter2', '$2y$10$r6MeWBdgYoSitMGua/novOU7.AyPbcd.d0N.0gqblUIq5QuGDGXn6'],
];

describe('bcrypt', () => {
  test('accepts the right password for $2a$, $2b$ and $2y$ hashes', async () => {
    for (const [password, hash] of KNOWN) {
      assert.equal(await bcryptVerify(password, hash), true, `${JSON.stringify(password)} ${hash}`);
    }
  });

  test('rejects wrong passwords', async () => {
    for (const [password, hash] of KNOWN.slice(0, 8)) {
      assert.equal(await bcryptVerify(password + '!', hash), password.length >= 72);
      assert.equal(await bcryptVerify(password.slice(1) || 'a', hash), false);
    }
  });

  test('only the first 72 bytes count, as in every bcrypt', async () => {
    assert.equal(await bcryptVerify('x'.repeat(73), KNOWN[6][1]), true);
    assert.equal(await bcryptVerify('x'.repeat(71), KNOWN[6][1]), false);
  });

  test('password bytes as sent (not valid UTF-8) are hashed as they are', async () => {
    const latin1 = new Uint8Array([0x70, 0xe4, 0x73, 0x73]); // "päss" in ISO-8859-1
    const hash = await bcryptHash('päss', new Uint8Array(16), 4);
    assert.equal(await bcryptVerify(new TextEncoder().encode('päss'), hash), true);
    assert.equal(await bcryptVerify(latin1, hash), false);
  });

  test('hashing reproduces a known hash from its salt', async () => {
    const h = parseBcryptHash(KNOWN[0][1]);
    assert.equal(await bcryptHash('secret', h.salt, 5, 'a'), KNOWN[0][1]);
    assert.equal(h.cost, 5);
    assert.equal(bcryptCost(KNOWN[8][1]), 10);
  });

  test('malformed hashes are errors that do not quote the hash', () => {
    for (
      const bad of [
        'plaintext',
        '$1$abc',
        '$2a$05$short',
        '$2x$05$abcdefghijklmnopqrstuuOQiyCxlgf/oeuTqixKmWdcYUh4Hjl0a',
        '$2a$03$abcdefghijklmnopqrstuuOQiyCxlgf/oeuTqixKmWdcYUh4Hjl0a',
        '$2a$32$abcdefghijklmnopqrstuuOQiyCxlgf/oeuTqixKmWdcYUh4Hjl0a',
      ]
    ) {
      assert.throws(() => parseBcryptHash(bad), (e) => {
        assert.ok(e instanceof BcryptFormatError);
        assert.ok(!e.message.includes(bad), e.message);
        return true;
      });
    }
  });
});
