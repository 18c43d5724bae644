"""Run an swta network on NEURON (fixed step, optionally under MPI).

usage: [mpirun -np N] /usr/bin/python3 run_network.py SPEC_DIR RUN_JSON OUT_DIR LIBNRNMECH

SPEC_DIR holds spec.json and its binary arrays (written by `swta export --format pynn`, see
docs/pynn-neuron.md); RUN_JSON names the run's duration and source spike trains. Every process
writes its cells' spikes to OUT_DIR/spikes.<rank>.f64 (pairs: detection time ms, gid) and its
traces to OUT_DIR/traces.<rank>.json; process 0 writes OUT_DIR/timing.json.

The model is plain NEURON through `h`, not PyNN: each neuron is one SwtaAdex point process
(mod/swta_adex.mod) that integrates the AdEx equations and its receptor channels by forward Euler
in the swta engine's order; a synapse is a NetCon whose weight vector carries its channel,
conductance, Tsodyks-Markram parameters and NMDA gating (PyNN's Projection sets only weight[0]).

Timing: a spike of step n is detected at the end of the step, t = (n + 1) dt, so NetCons from cells
get the projection's delay minus dt and deliver at the start of step n + delay, where the engine's
ring buffer delivers it. Source spikes (PatternStim) fire at the step's own time and keep the full
delay. Event order: each NetCon's delay has a tiny offset by (presynaptic gid, projection
component), below 1 % of a step, so events reaching a cell within one step are summed in the same
order on any number of processes.
"""
import json
import os
import sys
import time

import numpy as np
from neuron import h

h.nrnmpi_init()
pc = h.ParallelContext()
RANK = int(pc.id())
NHOST = int(pc.nhost())
# Relays re-emit this fraction of a step after the port time: above every ordering offset (< 1 % of a step, export.ts orderEpsilon).
RELAY_SLACK = 0.01


def load_array(spec_dir, ref):
    dtype = {'int32': '<i4', 'float64': '<f8'}[ref['dtype']]
    a = np.fromfile(os.path.join(spec_dir, ref['file']), dtype=dtype)
    if a.size != ref['length']:
        raise RuntimeError(f"{ref['file']}: {a.size} entries, expected {ref['length']}")
    return a


def main():
    spec_dir, run_json, out_dir, lib = sys.argv[1:5]
    t_start = time.time()
    h.nrn_load_dll(lib)
    h.load_file('stdrun.hoc')
    with open(os.path.join(spec_dir, 'spec.json')) as f:
        spec = json.load(f)
    with open(run_json) as f:
        run = json.load(f)
    run_dir = os.path.dirname(os.path.abspath(run_json))
    dt = spec['dtMs']
    eps = spec['orderEpsilonMs']
    h.cvode.active(0)
    h.secondorder = 0
    h.dt = dt
    h.steps_per_ms = 1.0 / dt

    host = h.Section(name='host')  # every point process of this process sits here; its v is unused
    cells = {}
    pops = {p['id']: p for p in spec['populations']}
    sources = {s['id']: s for s in spec['sources']}
    relays = {r['id']: r for r in spec['relays']}
    keep = []

    for p in spec['populations']:
        prm = p['params']
        for i in range(p['size']):
            gid = p['gidStart'] + i
            if gid % NHOST != RANK:
                continue
            c = h.SwtaAdex(host(0.5))
            c.cPf = prm['cPf']
            c.gLNs = p['gLNs'][i]
            c.eLMv = prm['eLMv']
            c.deltaTMv = prm['deltaTMv']
            c.vTMv = p['vTMv'][i]
            c.vRMv = prm['vRMv']
            c.vPeakMv = prm['vPeakMv']
            c.refractorySteps = p['refractorySteps']
            c.aNs = prm['aNs']
            c.bPa = prm['bPa']
            c.tauWMs = prm['tauWMs']
            c.mgOver357 = spec['mgOver357']
            c.dtMs = dt
            c.vInit = p['vInitMv'][i]
            for k, ch in enumerate(p['channels']):
                c.setChannel(k, ch['decayA'], ch['decayB'], ch['norm'], ch['eRevMv'], 1 if ch['mgBlock'] else 0)
            pc.set_gid2node(gid, RANK)
            nc = h.NetCon(c._ref_spk, None, sec=host)
            nc.threshold = 0.5
            pc.cell(gid, nc)
            cells[gid] = c

    # Relays: a local copy of every port index on every process (their NetCons stay local).
    relay_objs = {}
    for r in spec['relays']:
        objs = []
        for i in range(r['size']):
            o = h.SwtaRelay()
            o.dtMs = dt
            o.stepsPerTick = spec['stepsPerTick']
            o.leadMs = r['leadMs']
            o.slackMs = RELAY_SLACK * dt
            objs.append(o)
        relay_objs[r['id']] = objs

    slot = 0
    slots = sum(len(pr['components']) for pr in spec['projections']) + len(spec['links'])
    min_remote_delay = float('inf')
    for pr in spec['projections']:
        post = pops[pr['post']]
        pre_idx = load_array(spec_dir, pr['preIndex'])
        post_idx = load_array(spec_dir, pr['postIndex'])
        weight = load_array(spec_dir, pr['weight']) if pr['weight'] else None
        stp = pr['stp']
        base = pr['delaySteps'] * dt
        if pr['preKind'] == 'population':
            pre_start = pops[pr['pre']]['gidStart']
            base -= dt
        elif pr['preKind'] == 'source':
            pre_start = sources[pr['pre']]['gidStart']
        else:
            pre_start = relays[pr['pre']]['gidStart']
            base -= relays[pr['pre']]['leadMs'] + RELAY_SLACK * dt
        for comp in pr['components']:
            sat = comp['saturation']
            params = (
                comp['channel'],
                stp['U'] if stp else 0.0,
                stp['tauRecMs'] if stp else 1.0,
                stp['tauFacilMs'] if stp else 0.0,
                sat['alphaS'] if sat else 0.0,
                sat['tauDecayMs'] if sat else 1.0,
            )
            for e in range(post_idx.size):
                post_gid = post['gidStart'] + int(post_idx[e])
                target = cells.get(post_gid)
                if target is None:
                    continue
                pre = int(pre_idx[e])
                pre_gid = pre_start + pre
                delay = base + eps * (pre_gid * slots + slot)
                if pr['preKind'] == 'relay':
                    nc = h.NetCon(relay_objs[pr['pre']][pre], target)
                else:
                    nc = pc.gid_connect(pre_gid, target)
                    if pr['preKind'] == 'population' and pre_gid % NHOST != RANK:
                        min_remote_delay = min(min_remote_delay, delay)
                nc.delay = delay
                nc.weight[0] = comp['gNs'] * (float(weight[e]) if weight is not None else 1.0)
                for k, v in enumerate(params):
                    nc.weight[k + 1] = v
                keep.append(nc)
            slot += 1

    for ln in spec['links']:
        pre_start = pops[ln['pre']]['gidStart']
        lead = relays[ln['relay']]['leadMs']
        pre_idx = load_array(spec_dir, ln['preIndex'])
        relay_idx = load_array(spec_dir, ln['relayIndex'])
        for e in range(pre_idx.size):
            pre_gid = pre_start + int(pre_idx[e])
            nc = pc.gid_connect(pre_gid, relay_objs[ln['relay']][int(relay_idx[e])])
            nc.delay = lead + eps * (pre_gid * slots + slot)
            nc.weight[0] = 1
            if pre_gid % NHOST != RANK:
                min_remote_delay = min(min_remote_delay, nc.delay)
            keep.append(nc)
        slot += 1

    if NHOST > 1 and min_remote_delay < dt:
        raise RuntimeError(f'a NetCon between processes has delay {min_remote_delay} ms < dt; '
                           'projections from populations need a delay of at least 2 steps to run on several processes')

    # Source spikes: PatternStim fires the source gids' NetCons at the spikes' own times.
    st = h.Vector(load_array(run_dir, run['spikeTimes']))
    sg = h.Vector(load_array(run_dir, run['spikeGids']).astype(float))
    pattern = h.PatternStim()
    pattern.play(st, sg)

    # Current injections: per neuron, the sum of its injections' per-step amplitudes.
    changes = {}
    for cur in spec['currents']:
        p = pops[cur['population']]
        for i in cur['neurons']:
            gid = p['gidStart'] + i
            if gid in cells:
                changes.setdefault(gid, []).append(cur)
    for gid, curs in changes.items():
        steps = sorted({s for c in curs for s in c['steps']})
        amps = []
        for s in steps:
            total = 0.0
            for c in curs:
                a = 0.0
                for k, k_step in enumerate(c['steps']):
                    if k_step <= s:
                        a = c['amplitudesPa'][k]
                total += a
            amps.append(total)
        tv = h.Vector([s * dt for s in steps])
        av = h.Vector(amps)
        av.play(cells[gid]._ref_iext, tv)
        keep.extend([tv, av])

    # Traces (v, w, g probes): one sample per tick at the tick's end.
    traces = []
    for pb in spec['probes']:
        if pb['id'] not in run['traceProbes']:
            continue
        p = pops[pb['target']]
        neurons = pb['neurons'] if pb['neurons'] is not None else list(range(p['size']))
        for i in neurons:
            gid = p['gidStart'] + i
            c = cells.get(gid)
            if c is None:
                continue
            vecs = []
            if pb['kind'] == 'v':
                refs = [c._ref_vm]
            elif pb['kind'] == 'w':
                refs = [c._ref_w]
            else:
                refs = [c._ref_gsyn[k] for k, ch in enumerate(p['channels']) if ch['receptor'] == pb['receptor']]
            for ref in refs:
                v = h.Vector()
                v.record(ref, spec['tickMs'])
                vecs.append(v)
            traces.append((pb['id'], i, vecs))

    tv = h.Vector()
    idv = h.Vector()
    pc.spike_record(-1, tv, idv)
    exchange_ms = pc.set_maxstep(10)
    t_built = time.time()
    h.finitialize(-65)
    pc.psolve(run['durationMs'])
    t_ran = time.time()

    os.makedirs(out_dir, exist_ok=True)
    np.column_stack([np.array(list(tv), dtype=float), np.array(list(idv), dtype=float)]).astype('<f8').tofile(os.path.join(out_dir, f'spikes.{RANK}.f64'))
    out_traces = []
    for pid, i, vecs in traces:
        total = np.zeros(len(vecs[0])) if vecs else np.zeros(0)
        for v in vecs:
            total += np.array(list(v), dtype=float)
        out_traces.append({'probe': pid, 'neuron': i, 'samples': total[1:].tolist()})
    with open(os.path.join(out_dir, f'traces.{RANK}.json'), 'w') as f:
        json.dump(out_traces, f)
    build_s = pc.allreduce(t_built - t_start, 2)
    run_s = pc.allreduce(t_ran - t_built, 2)
    if RANK == 0:
        with open(os.path.join(out_dir, 'timing.json'), 'w') as f:
            json.dump({'processes': NHOST, 'buildSeconds': build_s, 'runSeconds': run_s, 'exchangeIntervalMs': exchange_ms}, f)
    pc.barrier()
    pc.done()
    h.quit()


if __name__ == '__main__':
    main()
