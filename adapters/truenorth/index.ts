/**
 * TrueNorth tick emulator: the neuron of Cassidy et al. 2013 (docs/reference/swta-and-truenorth.md §5.2), cores of
 * 256 axons × 256 neurons on a binary crossbar, and networks of cores with 1–15-tick axon delays.
 * Integer arithmetic throughout; 1 tick = 1 ms.
 *
 *   prng.ts           xorshift32 → 8-bit draws, one generator per core
 *   neuron-params.ts  IBM parameter names, register widths and ranges, validation, compiled form
 *   neuron.ts         the per-tick rule for one neuron (scalar, readable; used by the CLI)
 *   core.ts           one core: event-driven axon pass on bitsets, neuron pass on typed arrays
 *   network.ts        cores ticking together, spike routing through per-core delay schedules
 *
 * Register widths (beside each declaration in neuron-params.ts and core.ts): V saturating at
 * ±393216 (NeMo's bound, fits 20-bit signed); weights and leak 9-bit signed (sign + uint8);
 * alpha, beta uint18; TM ∈ [0, 8]; VR ∈ [0, 18]; delays 1–15 ticks.
 *
 * Missing vs. the chip (and vs. NeMo), each on purpose:
 * - PRNG: the chip's per-core generator and seeding are not public; we use xorshift32 (top 8 bits).
 *   Stochastic modes are therefore statistically, not bit-for-bit, equal to the chip's.
 * - PRN draw order: ours is neuron by neuron (stochastic synapses in axon order, then leak, then
 *   threshold), drawing only for flags that are on; the chip's order is not public.
 * - Saturation: V is clamped once per tick, after the leak. Whether the chip's adder saturates at
 *   each synaptic addition is not public; the two differ only when V crosses ±393216 mid-tick and
 *   comes back. NeMo clamps at fire time too, but also forces a spike on positive overflow without
 *   resetting; we clamp and then apply the normal threshold (which then always fires and resets).
 * - Stochastic synapse and leak add sgn(weight), sgn(lambda) (Cassidy); NeMo adds +1 whatever the
 *   sign. NeMo also draws rho in [0, mask] rather than masking an 8-bit draw.
 * - No anti-ringing: with epsilon = 1 and |V| < |lambda| a convergent leak overshoots 0 and V then
 *   alternates sign (e.g. 2 → −1 → 2 for lambda = −3). NeMo's ringing() sets V = 0 in that case,
 *   citing IBM's Neuron Behavior Reference; §5.2's equations do not, and we follow §5.2.
 * - Spikes reaching one axon in one tick merge (bitset), as on the chip; spike ordering within a tick,
 *   the network-on-chip, chip-to-chip links, power and timing are not modelled. A network may hold
 *   any number of cores (chips tile), with no 4096-core limit.
 */
export * from './errors.ts';
export * from './prng.ts';
export * from './neuron-params.ts';
export * from './neuron.ts';
export * from './core.ts';
export * from './network.ts';
// Graph → cores (mapper.ts), the mapped model's JSON (mapped-model-json.ts),
// the engine behind the Engine contract (engine.ts) and graph → gain-matched engine (compile.ts).
export * from './mapper.ts';
export * from './mapped-model-json.ts';
export * from './engine.ts';
export * from './compile.ts';
