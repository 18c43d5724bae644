import { fastExp } from './fast-exp.ts';
import type { AdexConstants, ChannelState, NeuronArrays } from './kernel.ts';

/**
 * Fused, specialized population kernels, generated once per population at compile time (the
 * approach of Brian2's code generation): one pass per step advances every synaptic channel of a
 * neuron and then the neuron itself, with all parameters inlined as literals. It computes exactly
 * what advanceChannel + integrateAdex compute, in the same floating-point order, so the two paths
 * give bit-identical spikes (test/adapters/conductance/codegen.test.ts); the generic kernels stay
 * the readable reference.
 *
 * Reads: ring slot (step mod ringLen) of the population's ring, A/B of each channel, v, w, vT, gL,
 * iExt, refUntil. Writes: A/B, the ring slot (cleared), v, w, refUntil, and the spike list.
 * The sums gTot, gRevSum, gNmda, gNmdaRev are local variables here, never stored.
 */
export type PopulationKernel = (step: number, spikes: Int32Array) => number;

/** A number as a JS literal that parses back to the same double. */
function lit(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`cannot inline non-finite constant ${x}`);
  return Object.is(x, -0) ? '-0' : `(${String(x)})`;
}

export function generatePopulationKernel(k: AdexConstants, channels: readonly ChannelState[], n: NeuronArrays): PopulationKernel {
  const lines: string[] = [];
  const args: unknown[] = [];
  const bind = (name: string, value: unknown): string => {
    args.push(value);
    lines.push(`const ${name} = $args[${args.length - 1}];`);
    return name;
  };
  const view = (name: string, arr: Float64Array): void => {
    bind(name, arr.subarray(k.offset, k.offset + k.size));
  };
  view('v', n.v);
  view('w', n.w);
  view('vT', n.vT);
  view('gL', n.gL);
  view('iExt', n.iExt);
  view('refUntil', n.refUntil);
  // The function integrateAdex calls (V8 inlines it here too), so both paths round identically.
  bind('fastExp', fastExp);
  // All channels of the population share one state array and one ring (kernel.ts, ChannelState).
  const first = channels[0];
  const ringed = channels.find((ch) => !ch.direct);
  if (first) bind('syn', first.state);
  if (ringed) bind('ring', ringed.ring);

  const body: string[] = [];
  body.push('let count = 0; let bad = -1;');
  if (ringed) body.push(`const base = (step % ${ringed.ringLen}) * ${k.size * ringed.ringChannels};`);
  body.push(`for (let i = 0; i < ${k.size}; i++) {`);
  if (ringed) body.push('  const r = base + i;');
  const plain = channels.filter((ch) => !ch.mgBlock);
  const nmda = channels.filter((ch) => ch.mgBlock);
  body.push('  let gTot = 0, gRevSum = 0, gNmda = 0, gNmdaRev = 0;');
  for (const ch of [...plain, ...nmda]) {
    const sumG = ch.mgBlock ? 'gNmda' : 'gTot';
    const sumGE = ch.mgBlock ? 'gNmdaRev' : 'gRevSum';
    // Direct channels (one-step delays only) already hold their arrivals in A and B.
    const x = ch.direct ? '0' : 'x';
    const rx = `ring[r + ${ch.ringIndex * k.size}]`;
    body.push(ch.direct ? '  {' : `  { const x = ${rx}; ${rx} = 0;`);
    body.push(`    const A = syn[${ch.offA} + i] * ${lit(ch.decayA)} + ${x}; syn[${ch.offA} + i] = A;`);
    if (ch.decayB > 0) {
      body.push(`    const B = syn[${ch.offB} + i] * ${lit(ch.decayB)} + ${x}; syn[${ch.offB} + i] = B;`);
      body.push(`    const g = ${lit(ch.norm)} * (A - B);`);
    } else {
      body.push('    const g = A;');
    }
    body.push(`    ${sumG} += g; ${sumGE} += g * ${lit(ch.eRevMv)}; }`);
  }
  // With a = b = 0 (a LIF, or an AdEx without adaptation) w stays exactly 0: leave it out.
  const adapting = k.aNs !== 0 || k.bPa !== 0;
  body.push(adapting ? '  const vi = v[i]; const wi = w[i];' : '  const vi = v[i]; const wi = 0;');
  if (adapting) body.push(`  const dw = (${lit(k.aNs)} * (vi - ${lit(k.eLMv)}) - wi) * ${lit(k.dtOverTauW)};`);
  body.push(adapting ? '  if (step < refUntil[i]) { w[i] = wi + dw; continue; }' : '  if (step < refUntil[i]) continue;');
  // Without mismatch g_L (and V_T) are one number per population: inline them.
  const gLView = n.gL.subarray(k.offset, k.offset + k.size);
  const vTView = n.vT.subarray(k.offset, k.offset + k.size);
  const uniformGL = gLView.every((x) => x === gLView[0]);
  const uniformVT = vTView.every((x) => x === vTView[0]);
  body.push(uniformGL ? `  const g = ${lit(gLView[0] ?? 0)};` : '  const g = gL[i];');
  body.push(`  let current = gRevSum - gTot * vi + iExt[i] - g * (vi - ${lit(k.eLMv)}) - wi;`);
  if (k.hasNmda) {
    body.push(`  const block = 1 / (1 + ${lit(k.mgOver357)} * fastExp(-0.062 * vi));`);
    body.push('  current += block * (gNmdaRev - gNmda * vi);');
  }
  if (k.deltaTMv > 0) {
    body.push(`  const vTi = ${uniformVT ? lit(vTView[0] ?? 0) : 'vT[i]'}; const x = (vi - vTi) / ${lit(k.deltaTMv)};`);
    body.push(`  current += g * ${lit(k.deltaTMv)} * fastExp(vi < ${lit(k.vPeakMv)} ? x : (${lit(k.vPeakMv)} - vTi) / ${lit(k.deltaTMv)});`);
  }
  body.push(`  const vNext = vi + current * ${lit(k.dtOverC)};`);
  body.push(`  if (vNext >= ${lit(k.vPeakMv)} && vNext !== Infinity) {`);
  body.push(`    v[i] = ${lit(k.vRMv)}; ${adapting ? `w[i] = wi + dw + ${lit(k.bPa)}; ` : ''}refUntil[i] = step + ${k.refractorySteps}; spikes[count++] = i;`);
  body.push(`  } else if (vNext === vNext) { v[i] = vNext; ${adapting ? 'w[i] = wi + dw; ' : ''}}`);
  // A throw inside the loop keeps V8 from optimizing it well (≈3× slower): flag, break, throw after.
  body.push('  else { v[i] = vNext; bad = i; break; }');
  body.push('}');
  body.push('if (bad >= 0) throw new RangeError(`membrane potential became ${v[bad]} at neuron ${bad} (step ${step}); check the inputs for NaN or absurd conductances`);');
  body.push('return count;');

  const source = `${lines.join('\n')}\nreturn function populationKernel(step, spikes) {\n${body.join('\n')}\n};`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- deliberate: specialized kernels, as Brian2 generates C++
  const factory = new Function('$args', source) as ($args: unknown[]) => PopulationKernel;
  return factory(args);
}
