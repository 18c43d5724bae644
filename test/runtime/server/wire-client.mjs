// A protocol client written from PROTOCOL.md alone: plain JavaScript, only `ws` and `msgpackr`,
// no code of this project. Usage: node wire-client.mjs <ws url> <ticks>
// Says hello, subscribes to every population's spikes (one frame per tick), and prints one JSON
// line: { populations: [key…], first: tick, counts: [[spikes per population] per tick], dropped }.
import { Packr, Unpackr } from 'msgpackr';
import WebSocket from 'ws';

const [url, ticksArg] = process.argv.slice(2);
const wanted = Number(ticksArg);
const packr = new Packr({ useRecords: false });
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true }); // ext 0x74 → typed arrays
const ws = new WebSocket(url);
const send = (m) => ws.send(packr.pack(m));
let populations = null;
let first = -1;
let dropped = 0;
const counts = [];

ws.on('open', () => send({ type: 'hello', protocol: 1, client: 'wire-client.mjs' }));
ws.on('message', (data) => {
  const m = unpackr.unpack(data);
  if (m.type === 'welcome') {
    populations = m.populations.map((p) => p.key);
    send({ type: 'subscribe', id: 1, streams: ['spikes'], decimation: 1 });
  } else if (m.type === 'error') {
    console.error(`server error ${m.code}: ${m.message}`);
    process.exit(2);
  } else if (m.type === 'spikes' && counts.length < wanted) {
    if (!(m.indices instanceof Int32Array && m.counts instanceof Uint32Array && m.populations instanceof Uint16Array)) {
      console.error('typed arrays did not arrive as typed arrays');
      process.exit(3);
    }
    if (first < 0) first = m.tick;
    if (m.tick !== first + counts.length) {
      console.error(`tick ${m.tick} after ${first + counts.length - 1}: a gap`);
      process.exit(4);
    }
    const row = new Array(populations.length).fill(0);
    let at = 0;
    for (let e = 0; e < m.populations.length; e++) {
      row[m.populations[e]] = m.counts[e];
      for (let i = at; i < at + m.counts[e]; i++) if (m.indices[i] < 0) process.exit(5);
      at += m.counts[e];
    }
    counts.push(row);
    dropped = m.dropped;
    if (counts.length === wanted) {
      process.stdout.write(`${JSON.stringify({ populations, first, counts, dropped })}\n`);
      ws.close();
    }
  }
});
ws.on('close', (code, reason) => {
  if (counts.length !== wanted) console.error(`closed (${code} ${reason}) after ${counts.length} of ${wanted} ticks`);
  process.exit(counts.length === wanted ? 0 : 1);
});
ws.on('error', (e) => {
  console.error(e.message);
  process.exit(6);
});
