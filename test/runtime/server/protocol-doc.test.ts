import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LIVE_BACKENDS as BACKENDS } from '../../../adapters/backends.ts';
import { CLIENT_SCHEMAS, CONTROL_FIELDS, ERROR_CODES, SERVER_SCHEMAS, STREAMS } from '../../../runtime/server/protocol.ts';
import type { Fields } from '../../../runtime/server/schema.ts';

/**
 * PROTOCOL.md against the executable protocol (runtime/server/protocol.ts): every message the page
 * describes, in an inline signature (`**hello** `{ type: 'hello', protocol: uint, client?: string }``)
 * or a field table, names exactly the schema's fields, with the same ones optional; the control
 * actions, the backends `start` accepts, the streams and the error codes are the same lists.
 */
const DOC = readFileSync(new URL('../../../PROTOCOL.md', import.meta.url), 'utf8');
const section = (from: string, to: string): string => DOC.slice(DOC.indexOf(from), DOC.indexOf(to, DOC.indexOf(from) + from.length));
const CLIENT = section('### 3.1 Client → server', '### 3.2 Server → client');
const SERVER = section('### 3.2 Server → client', '## 4. Backpressure');

/** Field name → optional, from "a, b?, c: type, d?: type, e 1…10" (commas inside braces or parentheses do not split). */
function fieldList(text: string): Map<string, boolean> {
  const out = new Map<string, boolean>();
  let depth = 0;
  let item = '';
  const flush = (): void => {
    const m = /^\s*([A-Za-z]\w*)(\?)?/.exec(item);
    if (m && m[1] !== 'type') out.set(m[1]!, m[2] === '?' || /\?\s*$/.test(item.split(':').slice(1).join(':')));
    item = '';
  };
  for (const ch of text) {
    if ('{(['.includes(ch)) depth++;
    if ('})]'.includes(ch)) depth--;
    if (ch === ',' && depth === 0) flush();
    else item += ch;
  }
  flush();
  return out;
}

/** Inline signatures: **name** … `{ … }` on the same paragraph line, and `name { … }` spans. */
function inlineSignatures(text: string): Map<string, Map<string, boolean>> {
  const out = new Map<string, Map<string, boolean>>();
  // Between the name and its signature: prose and code spans that are not signatures, no other **name**.
  for (const m of text.matchAll(/\*\*(\w+)\*\*(?:[^`*]|`[^`{]*`)*?`\{([^`]*)\}`/g)) out.set(m[1]!, fieldList(m[2]!));
  for (const m of text.matchAll(/`(\w+) \{([^`]*)\}`/g)) out.set(m[1]!, fieldList(m[2]!));
  return out;
}

/** Field tables (| field | type | meaning |) after a **name** marker. */
function tables(text: string): Map<string, Map<string, boolean>> {
  const out = new Map<string, Map<string, boolean>>();
  for (const m of text.matchAll(/\*\*(\w+)\*\*[^\n]*\n(?:(?!\*\*\w+\*\*)[^\n]*\n)*?\| field \| type \| meaning \|\n\|[-|]+\|\n((?:\|[^\n]*\|\n)+)/g)) {
    const fields = new Map<string, boolean>();
    for (const row of m[2]!.trim().split('\n')) {
      const [names, type] = row.split(/(?<!\\)\|/).slice(1, 3).map((c) => c.trim());
      for (const name of names!.split(',').map((n) => n.trim())) fields.set(name.replace(/\?$/, ''), name.endsWith('?') || /\?$/.test(type!));
    }
    out.set(m[1]!, fields);
  }
  return out;
}

const fromSchema = (fields: Fields): Map<string, boolean> =>
  new Map(Object.entries(fields).filter(([k]) => k !== 'type').map(([k, f]) => [k, f.optional === true]));

describe('PROTOCOL.md matches runtime/server/protocol.ts', () => {
  const client = new Map([...inlineSignatures(CLIENT), ...tables(CLIENT)]);
  // pong is described beside ping, in the client section.
  const server = new Map([...inlineSignatures(CLIENT), ...inlineSignatures(SERVER), ...tables(SERVER)]);

  it.each(Object.keys(CLIENT_SCHEMAS).filter((t) => t !== 'control'))('client message %s: same fields, same optional ones', (type) => {
    expect(Object.fromEntries(client.get(type) ?? new Map())).toEqual(Object.fromEntries(fromSchema(CLIENT_SCHEMAS[type as keyof typeof CLIENT_SCHEMAS])));
  });

  it.each(Object.keys(SERVER_SCHEMAS))('server message %s: same fields, same optional ones', (type) => {
    expect(Object.fromEntries(server.get(type) ?? new Map())).toEqual(Object.fromEntries(fromSchema(SERVER_SCHEMAS[type as keyof typeof SERVER_SCHEMAS])));
  });

  it('the control table lists every action with its fields', () => {
    const table = /\| action \| fields \| effect \|\n\|[-|]+\|\n((?:\|[^\n]*\|\n)+)/.exec(CLIENT)![1]!;
    const doc: Record<string, Record<string, boolean>> = {};
    for (const row of table.trim().split('\n')) {
      const [actions, fields] = row.split(/(?<!\\)\|/).slice(1, 3).map((c) => c.trim());
      for (const a of actions!.split('/').map((s) => s.trim())) doc[a] = fields === '—' ? {} : Object.fromEntries(fieldList(fields!.replace(/\([^)]*\)/g, '')));
    }
    const code = Object.fromEntries(Object.entries(CONTROL_FIELDS).map(([a, f]) => [a, Object.fromEntries(fromSchema(f))]));
    expect(doc).toEqual(code);
    const backends = /\| start \| backend\? \(([^)]*)\)/.exec(CLIENT)![1]!.split('\\|').map((s) => s.trim().replace(/`/g, ''));
    expect(backends).toEqual([...BACKENDS]);
  });

  it('the streams and the error codes are the same lists', () => {
    const streams = /any of ((?:`\w+`,? ?)+);/.exec(CLIENT)![1]!.match(/`(\w+)`/g)!.map((s) => s.replace(/`/g, ''));
    expect(streams).toEqual([...STREAMS]);
    const codes = [...SERVER.matchAll(/^\| ([A-Z_]+) \|/gm)].map((m) => m[1]);
    expect(codes).toEqual([...ERROR_CODES]);
  });

  it('every PROTOCOL.md § cited in the code names a section of the page', () => {
    const sections = new Set([...DOC.matchAll(/^#{2,3} (\d+(?:\.\d+)?)\. ?/gm)].map((m) => m[1]));
    for (const m of DOC.matchAll(/^### (\d+\.\d+) /gm)) sections.add(m[1]);
    const files = ['runtime/server/session.ts', 'runtime/server/subscription.ts', 'runtime/server/camera.ts', 'runtime/server/protocol.ts', 'runtime/server/access.ts', 'runtime/server/codec.ts', 'runtime/server/client-queue.ts'];
    const cited = files.flatMap((f) => [...readFileSync(new URL(`../../../${f}`, import.meta.url), 'utf8').matchAll(/PROTOCOL\.md ((?:§[\d.]+(?:, )?)+)/g)].flatMap((m) => m[1]!.split(', ').filter((x) => x.startsWith('§')).map((x) => `${f}: ${x.replace('§', '')}`)));
    expect(cited.length).toBeGreaterThan(5);
    expect(cited.filter((c) => !sections.has(c.split(': ')[1]!))).toEqual([]);
  });
});
