import { describe, expect, it } from 'vitest';
import { RawJson, rawJson, stringifyWithRawJson } from './raw-json.js';

// jsonb objects kept as PostgreSQL's text: written into an answer as they are, parsed by anyone else.
describe('raw JSON', () => {
  it('write each raw object as its text, in its place, and everything else as JSON.stringify does', () => {
    const value = {
      data: {
        nodes: [
          { key: 'a', geometry: new RawJson('{"type": "Point", "coordinates": [12.1, 54.1]}'), properties: new RawJson('{"n": 1.0}') },
          { key: 'b"\\', geometry: null, properties: new RawJson('{"then": [{"x": "ü\\n"}]}') },
        ],
      },
      extensions: { list: [new RawJson('{}')] },
    };
    expect(stringifyWithRawJson(value)).toBe(
      '{"data":{"nodes":[' +
        '{"key":"a","geometry":{"type": "Point", "coordinates": [12.1, 54.1]},"properties":{"n": 1.0}},' +
        '{"key":"b\\"\\\\","geometry":null,"properties":{"then": [{"x": "ü\\n"}]}}' +
        ']},"extensions":{"list":[{}]}}',
    );
  });

  it('leave answers without raw objects to JSON.stringify, and strings that look like markers alone', () => {
    const value = { a: [1, 'x', null], b: '\u0000hro-raw-json-00112233445566778899aabb', c: new RawJson('{"k": "v"}') };
    expect(stringifyWithRawJson({ a: value.a })).toBe(JSON.stringify({ a: value.a }));
    expect(JSON.parse(stringifyWithRawJson(value))).toEqual({ a: [1, 'x', null], b: value.b, c: { k: 'v' } });
  });

  it('serialise as the parsed object anywhere else', () => {
    expect(JSON.stringify({ g: new RawJson('{"type": "Point", "coordinates": [1, 2]}') })).toBe(
      '{"g":{"type":"Point","coordinates":[1,2]}}',
    );
  });

  it('keep only objects as text: null, arrays and scalars are parsed', () => {
    expect(rawJson('{"a": 1}')).toBeInstanceOf(RawJson);
    expect(rawJson('null')).toBeNull();
    expect(rawJson('[1, 2]')).toEqual([1, 2]);
    expect(rawJson('"text"')).toBe('text');
    expect(rawJson('3.5')).toBe(3.5);
  });
});
