import type { SynapseComponent } from '../../src/graph/types.ts';
import { NMDA_SPIKE_INCREMENT } from '../../src/synapses/nmda.ts';
import { biexpPeakNorm, RECEPTOR_DEFAULTS } from '../../src/synapses/receptors.ts';

/** One conductance channel of a Brian2 population: a receptor with its kinetics and reversal potential. */
export interface Brian2Channel {
  tauRiseMs: number;
  tauDecayMs: number;
  eRevMv: number;
  mgBlock: boolean;
  norm: number;
}

/** One receptor component of a projection, as the Brian2 scripts read it. */
export interface Brian2Component {
  channel: number;
  gNs: number;
  saturating: boolean;
  alphaS: number;
}

/**
 * A projection's receptor components as channels of the post population, grouped as our engine
 * groups them (same receptor, kinetics and reversal potential share one channel): `keys` and
 * `channels` are the post population's, extended in place when a component needs a new channel.
 */
export function channelComponents(components: readonly SynapseComponent[], keys: string[], channels: Brian2Channel[]): Brian2Component[] {
  return components.map((c) => {
    const d = RECEPTOR_DEFAULTS[c.receptor];
    const k = { tauRiseMs: c.tauRiseMs ?? d.tauRiseMs, tauDecayMs: c.tauDecayMs ?? d.tauDecayMs };
    const eRevMv = c.eRevMv ?? d.eRevMv;
    const key = `${c.receptor}|${k.tauRiseMs}|${k.tauDecayMs}|${eRevMv}`;
    let channel = keys.indexOf(key);
    if (channel < 0) {
      channel = keys.push(key) - 1;
      channels.push({ ...k, eRevMv, mgBlock: d.mgBlock, norm: biexpPeakNorm(k) });
    }
    const saturating = c.nmdaModel === 'saturating';
    return { channel, gNs: c.gNs, saturating, alphaS: saturating ? (c.nmdaSpikeIncrement ?? NMDA_SPIKE_INCREMENT) : 1 };
  });
}
