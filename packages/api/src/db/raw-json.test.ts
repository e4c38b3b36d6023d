import { describe, expect, it } from 'vitest';
import { containsRawJson, markRawJsonAnswer, RawJson, rawJson, stringifyAnswer, stringifyWithRawJson } from './raw-json.js';

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

  it('write raw objects in arrays, in objects without a prototype and in class instances as their text', () => {
    const bare = Object.assign(Object.create(null) as object, { g: new RawJson('{"k": "v"}') });
    expect(stringifyWithRawJson([bare, new RawJson('{}')])).toBe('[{"g":{"k": "v"}},{}]');
  });

  it('write everything else exactly as JSON.stringify does', () => {
    class Point {
      constructor(
        readonly x: number,
        readonly raw: RawJson,
      ) {}
    }
    const bare = Object.assign(Object.create(null) as object, { 'k"\u2028': 1, b: [undefined, () => 1, Symbol('s')] });
    Object.defineProperty(bare, 'hidden', { value: 1, enumerable: false });
    const values: unknown[] = [
      { a: undefined, b: () => 1, c: Symbol('s'), d: [undefined, NaN, -0, Infinity, 1e21, 0.1], 'e\n"': 'ü\u0000"\\' },
      { when: new Date(Date.UTC(2026, 10, 25)), nested: { toJSON: (key: string) => ({ key }) } },
      bare,
      [null, true, false, 'x', [[]], {}],
      'top',
      42,
      null,
    ];
    for (const value of values) expect(stringifyWithRawJson(value)).toBe(JSON.stringify(value));
    expect(stringifyWithRawJson(undefined)).toBeUndefined();
    // a class instance: its RawJson as text too, the rest as JSON.stringify writes it
    expect(stringifyWithRawJson({ p: new Point(1, new RawJson('{"a": 1}')) })).toBe('{"p":{"x":1,"raw":{"a": 1}}}');
    expect(() => stringifyWithRawJson({ n: 1n })).toThrow(TypeError);
  });

  it('write raw text into answers the executor marked, and leave the others to JSON.stringify', () => {
    const answer = () => ({ data: { g: new RawJson('{"a": [1, 2]}') } });
    const marked = answer();
    markRawJsonAnswer(marked.data);
    expect(stringifyAnswer(marked)).toBe('{"data":{"g":{"a": [1, 2]}}}');
    expect(stringifyAnswer(answer())).toBe('{"data":{"g":{"a":[1,2]}}}');
    expect(stringifyAnswer({ data: null })).toBe('{"data":null}');
    expect(containsRawJson({ a: [1, { b: [null, new RawJson('{}')] }] })).toBe(true);
    expect(containsRawJson({ a: [1, { b: [null, {}] }], c: 'x' })).toBe(false);
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
