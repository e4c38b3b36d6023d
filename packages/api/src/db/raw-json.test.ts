import { describe, expect, it } from 'vitest';
import { rawJson, stringifyWithRaw } from './raw-json.js';

describe('lazy JSON values', () => {
  const text = '{"type": "Point", "coordinates": [12.1, 54.08]}';

  it('read like the parsed object in process, also for JSON.stringify', () => {
    const value = rawJson(text);
    expect(value).toEqual({ type: 'Point', coordinates: [12.1, 54.08] });
    expect(value?.type).toBe('Point');
    expect(Object.keys(value ?? {})).toEqual(['type', 'coordinates']);
    expect(JSON.stringify({ geometry: value })).toBe('{"geometry":{"type":"Point","coordinates":[12.1,54.08]}}');
    expect(rawJson(null)).toBeNull();
  });

  it('are written as their original text by stringifyWithRaw, wherever they sit', () => {
    const answer = {
      data: {
        nodes: [
          { key: 'A', geometry: rawJson(text), properties: rawJson('{"name": "Warnemünde"}') },
          { key: 'B', geometry: null },
        ],
      },
    };
    const json = stringifyWithRaw(answer);
    expect(json).toBe(
      `{"data":{"nodes":[{"key":"A","geometry":${text},"properties":{"name": "Warnemünde"}},{"key":"B","geometry":null}]}}`,
    );
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(answer)));
    // plain values stay plain, and the splice does not leak into later serialisations
    expect(stringifyWithRaw({ a: 'hro-raw-x:1' })).toBe('{"a":"hro-raw-x:1"}');
    expect(JSON.stringify(answer.data.nodes[0]?.geometry)).toBe('{"type":"Point","coordinates":[12.1,54.08]}');
  });
});
