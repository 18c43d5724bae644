import type { Backend, ControlAction, Welcome } from '../server/protocol.ts';

/** Builds a DOM element with attributes and children. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

/**
 * The control panel, built from the welcome: a rate slider per Poisson input of each module
 * (pool inputs, VIP and LAMP5 context), a cue button per pool, reset, pause/resume, speed and the
 * backend of a new run. Every button sends one control message; the server's ack or error shows
 * in the status line.
 */
export function buildControls(root: HTMLElement, w: Welcome, send: (c: ControlAction) => void): void {
  const memory = el('fieldset', {}, el('legend', {}, 'working memory'));
  for (let k = 0; k < w.cues.pools; k++) {
    const b = el('button', { id: `cue-${k}`, title: `drive pool ${k} of every module for ${w.cues.durationMs} ms at ${w.cues.rateHz} Hz` }, `cue pool ${k}`);
    b.addEventListener('click', () => send({ action: 'cue', pool: k }));
    memory.append(b);
  }
  const reset = el('button', { id: 'reset', title: 'end the cue and quench held activity (a pulse of inhibition onto the pools)' }, 'reset');
  reset.addEventListener('click', () => send({ action: 'reset' }));
  memory.append(reset);

  const run = el('fieldset', {}, el('legend', {}, 'run'));
  const pause = el('button', { id: 'pause' }, 'pause');
  pause.addEventListener('click', () => send({ action: pause.textContent === 'pause' ? 'pause' : 'resume' }));
  const speed = el('select', { id: 'speed', title: 'wall time per simulated time' });
  for (const [label, v] of [['¼× real time', '4'], ['½× real time', '2'], ['real time', '1'], ['2× real time', '0.5']] as const) {
    const o = el('option', { value: v }, label);
    if (v === '1') o.selected = true;
    speed.append(o);
  }
  speed.addEventListener('change', () => send({ action: 'speed', timeScale: Number(speed.value) }));
  const backend = el('select', { id: 'backend' });
  for (const b of w.backends) {
    const o = el('option', { value: b.id, ...(b.available ? {} : { disabled: '', title: b.reason }) }, b.available ? b.id : `${b.id} (not available)`);
    if (b.id === w.backend) o.selected = true;
    backend.append(o);
  }
  const restart = el('button', { id: 'restart', title: 'compile the network afresh on this backend and run from tick 0' }, 'restart');
  restart.addEventListener('click', () => send({ action: 'start', backend: backend.value as Backend }));
  run.append(pause, speed, el('span', { class: 'nowrap' }, backend, restart));

  const inputs = el('fieldset', {}, el('legend', {}, 'stimulus (Hz per input fibre)'));
  for (const m of w.modules) {
    for (const input of m.inputs) {
      if (input.role === 'background' || input.role === 'other' || input.role === 'reset') continue;
      const value = el('output', {}, input.rateHz.toFixed(0));
      const slider = el('input', { type: 'range', min: '0', max: input.role === 'pool' ? '40' : '80', step: '1', value: String(input.rateHz), id: `rate-${input.id}` });
      slider.addEventListener('input', () => {
        value.textContent = slider.value;
        send({ action: 'stimulus', module: m.id, input: input.id, rateHz: Number(slider.value) });
      });
      inputs.append(el('label', { class: 'slider' }, el('span', {}, input.id), slider, value));
    }
  }
  root.replaceChildren(memory, run, inputs);
}

/** Keep the pause button's label in step with the clock's phase. */
export function reflectPhase(phase: string): void {
  const pause = document.getElementById('pause');
  if (pause) pause.textContent = phase === 'paused' ? 'resume' : 'pause';
}
