/**
 * Units of the model layer. Every number carries its unit in its name (`tauMs`, `gNs`, `vMv`,
 * `iPa`, `cPf`, `rateHz`); these aliases document intent in signatures.
 *
 * The set mV, ms, pF, nS, pA is closed under the membrane equation, so no conversion factor is
 * ever needed inside an integrator:
 *   nS · mV = pA,   pA / pF = mV/ms.
 */
export type Millivolt = number;
export type Millisecond = number;
export type Picofarad = number;
export type Nanosiemens = number;
export type Picoampere = number;
export type Hertz = number;

/** A provenance tag as used in docs/reference/celltypes.md: [D] data, [C] computed, [L] literature, [L*] unchecked literature, [I] our choice. */
export type SourceTag = `[${'D' | 'C' | 'L' | 'L*' | 'I'}] ${string}`;
