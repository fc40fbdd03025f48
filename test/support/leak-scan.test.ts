import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbitraryCprWriting, cprWritings } from './cpr-spellings.ts';
import { cprsIn, leaksIn, textOfValue } from './leak-scan.ts';

/** The leak scan must see what it is meant to see, or the leak tests prove nothing. */
const CPRS = ['311299-7822', '070893-2468', '150376-8642'];

describe('cprsIn', () => {
  it('finds every writing of cprWritings as written, in JSON, URL-encoded and CSV-quoted, naming the right number', () => {
    for (const cpr of CPRS) {
      for (const writing of cprWritings(cpr.replace('-', ''))) {
        for (const text of [`x ${writing} y`, JSON.stringify({ v: writing }), `/p/${encodeURIComponent(writing)}`, `"'${writing.replaceAll('"', '""')}",1`]) {
          expect(cprsIn(text, CPRS), JSON.stringify(text)).toEqual([cpr]);
        }
      }
    }
  });

  it('finds any writing spec 2.4 allows, inside other text, JSON-escaped or URL-encoded (property)', () => {
    fc.assert(
      fc.property(arbitraryCprWriting, fc.constantFrom('raw', 'json', 'url'), ({ digits, written }, how) => {
        const text = how === 'json' ? JSON.stringify({ participant: written }) : how === 'url' ? `/partnerships/${encodeURIComponent(written)}` : `line 2: ${written};x`;
        expect(cprsIn(text, [digits])).toEqual([digits]);
      }),
    );
  });

  it('finds nothing in outputs without the numbers (pseudonyms, hours, timestamps, sequencers)', () => {
    const clean = 'px_0123456789abcdef,2024-W10,12,0,12,0,0,0,0,0,0\n{"processedAt":"2024-03-04T10:11:12.123Z","sequencer":"000000000000000001A2321C2B8B0000"}';
    expect(cprsIn(clean, CPRS)).toEqual([]);
    expect(leaksIn([['clean', clean], ['dirty', `a 31.12.99.7822 b`]], CPRS)).toEqual([{ where: 'dirty', what: ['311299-7822'] }]);
  });
});

describe('textOfValue', () => {
  it('gunzips gzipped binary attributes and keeps keys, strings and numbers', () => {
    const item = { pk: 'PARTNERSHIP#x', body: new Uint8Array(gzipSync('{"participant":"3112997822"}')), raw: new Uint8Array(Buffer.from('plain')), n: 7, tags: new Set(['a']) };
    const text = textOfValue(item);
    for (const part of ['pk', 'PARTNERSHIP#x', '"participant":"3112997822"', 'plain', '7', 'tags\na']) expect(text).toContain(part);
    expect(cprsIn(text, CPRS)).toEqual(['311299-7822']);
  });
});
