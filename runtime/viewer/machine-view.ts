import type { MachineSpec, StateMessage } from '../server/protocol.ts';

const SVG = 'http://www.w3.org/2000/svg';

/**
 * The working-memory state machine as an SVG: the declared states on a circle (two side by side),
 * an arrow per declared transition labelled with its input, the current state lit. The SVG
 * carries `data-current` (tests read it) and the caption says when the state came from the
 * provisional observer.
 */
export class MachineView {
  private readonly root: HTMLElement;
  private svg: SVGSVGElement | null = null;
  private readonly circles = new Map<string, SVGCircleElement>();
  private readonly caption: HTMLElement;
  current: string | null = null;

  constructor(root: HTMLElement) {
    this.root = root;
    this.caption = document.createElement('div');
    this.caption.className = 'caption';
  }

  setSpec(spec: MachineSpec): void {
    const n = spec.states.length;
    const W = 300;
    const H = n === 2 ? 150 : 240;
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
    svg.id = 'machine';
    const defs = document.createElementNS(SVG, 'defs');
    const marker = document.createElementNS(SVG, 'marker');
    marker.id = 'arrow';
    for (const [k, v] of Object.entries({ viewBox: '0 0 10 10', refX: '9', refY: '5', markerWidth: '7', markerHeight: '7', orient: 'auto-start-reverse' })) marker.setAttribute(k, v);
    const tip = document.createElementNS(SVG, 'path');
    tip.setAttribute('d', 'M 0 0 L 10 5 L 0 10 z');
    tip.setAttribute('class', 'arrow-tip');
    marker.append(tip);
    defs.append(marker);
    svg.append(defs);

    const r = n === 2 ? 30 : 26;
    const pos = new Map<string, [number, number]>();
    // Two states side by side; more on an ellipse, the initial one at the top.
    spec.states.forEach((s, i) => {
      const angle = n === 2 ? (i === 0 ? Math.PI : 0) : -Math.PI / 2 + (2 * Math.PI * i) / n;
      pos.set(s, [W / 2 + (n === 2 ? 90 : 108) * Math.cos(angle), H / 2 + (n === 2 ? 0 : 85) * Math.sin(angle)]);
    });
    // Two arrows between the same pair bend to opposite sides, so both labels stay readable.
    for (const t of spec.transitions) {
      const a = pos.get(t.from);
      const b = pos.get(t.to);
      if (!a || !b) continue;
      const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
      const len = Math.hypot(dx, dy) || 1;
      const [nx, ny] = [-dy / len, dx / len];
      const bend = 28;
      const [mx, my] = [(a[0] + b[0]) / 2 + nx * bend, (a[1] + b[1]) / 2 + ny * bend];
      const start = [a[0] + (dx / len) * r, a[1] + (dy / len) * r + ny * 8];
      const end = [b[0] - (dx / len) * r, b[1] - (dy / len) * r + ny * 8];
      const path = document.createElementNS(SVG, 'path');
      path.setAttribute('d', `M ${start[0]} ${start[1]} Q ${mx} ${my} ${end[0]} ${end[1]}`);
      path.setAttribute('class', 'edge');
      path.setAttribute('marker-end', 'url(#arrow)');
      const label = document.createElementNS(SVG, 'text');
      label.setAttribute('x', String(mx));
      label.setAttribute('y', String(my + (ny >= 0 ? 12 : -4)));
      label.setAttribute('class', 'edge-label');
      label.textContent = t.input;
      svg.append(path, label);
    }
    this.circles.clear();
    for (const s of spec.states) {
      const [x, y] = pos.get(s)!;
      const c = document.createElementNS(SVG, 'circle');
      c.setAttribute('cx', String(x));
      c.setAttribute('cy', String(y));
      c.setAttribute('r', String(r));
      c.setAttribute('class', 'state');
      c.dataset.state = s;
      const text = document.createElementNS(SVG, 'text');
      text.setAttribute('x', String(x));
      text.setAttribute('y', String(y + 5));
      text.setAttribute('class', 'state-label');
      text.textContent = s;
      svg.append(c, text);
      this.circles.set(s, c);
    }
    this.svg = svg;
    this.caption.textContent = spec.provisional && !/^provisional/i.test(spec.description) ? `provisional: ${spec.description}` : spec.description;
    this.root.replaceChildren(svg, this.caption);
    if (this.current) this.light(this.current);
  }

  setState(m: StateMessage): void {
    this.current = m.state;
    this.light(m.state);
    if (this.svg) this.svg.dataset.since = String(m.since);
  }

  private light(state: string): void {
    for (const [s, c] of this.circles) c.classList.toggle('current', s === state);
    if (this.svg) this.svg.dataset.current = state;
  }
}
