#!/usr/bin/python3
"""Single AdEx neurons under current steps, in Brian2 — the reference for test/crosscheck.

stdin:  {"dtMs": 0.1, "durationMs": 5000,
         "neurons": [{"params": AdexParams, "segments": [{"startMs", "endMs", "amplitudePa"}]}]}
        (AdexParams as in src/celltypes/adex.ts; endMs may be omitted or null = until the end;
        an optional per-neuron "vInitMv" sets the initial potential, E_L by default; w starts at 0)
stdout: {"spikeTimesMs": [[...], ...], "brian2": "<version>", "target": "<codegen target>"}

Numerics mirror adapters/conductance: forward Euler on v and w (method='euler') at dtMs,
threshold v >= vPeak, reset v = vR and w += b, v frozen for tRef (`unless refractory`) while w
keeps integrating; deltaTMv = 0 means LIF (no exponential term, threshold vPeak). A segment is on
for the sub-steps whose start time t satisfies startMs <= t < endMs; overlapping segments add.
Spike times are Brian2's: the time of the step in which the threshold was crossed.

Environment: SWTA_BRIAN2_TARGET (numpy | cython, default numpy), SWTA_BRIAN2_CACHE (compile
cache directory; default <tmp>/swta-brian2-<uid>).
"""
import json
import os
import sys
import tempfile
import warnings


def setup_environment():
    cache = os.environ.get('SWTA_BRIAN2_CACHE') or os.path.join(tempfile.gettempdir(), 'swta-brian2-%d' % os.getuid())
    os.makedirs(cache, exist_ok=True)
    os.environ.setdefault('BRIAN_CACHE_DIR', cache)
    os.environ.setdefault('PYTHONPYCACHEPREFIX', os.path.join(cache, 'pycache'))
    warnings.filterwarnings('ignore')
    return cache


def main():
    cache = setup_environment()
    spec = json.load(sys.stdin)
    import logging
    import numpy as np
    import brian2 as b2
    from brian2 import ms, mV, pF, nS, pA

    b2.BrianLogger.log_level_error()
    logging.getLogger('py.warnings').setLevel(logging.ERROR)
    target = os.environ.get('SWTA_BRIAN2_TARGET', 'numpy')
    b2.prefs.codegen.target = target
    b2.prefs.codegen.runtime.cython.cache_dir = os.path.join(cache, 'cython')
    b2.prefs.logging.file_log = False
    b2.prefs.logging.delete_log_on_exit = True

    dt_ms = float(spec['dtMs'])
    duration_ms = float(spec['durationMs'])
    neurons = spec['neurons']
    n_steps = int(round(duration_ms / dt_ms))
    b2.defaultclock.dt = dt_ms * ms

    # Injected current per (step, neuron), piecewise constant over steps.
    current = np.zeros((n_steps, len(neurons)))
    for j, nrn in enumerate(neurons):
        for seg in nrn.get('segments', []):
            k0 = max(0, int(round(float(seg['startMs']) / dt_ms)))
            end = seg.get('endMs')
            k1 = n_steps if end is None else min(n_steps, int(round(float(end) / dt_ms)))
            if k1 > k0:
                current[k0:k1, j] += float(seg['amplitudePa'])
    stim = b2.TimedArray(current * pA, dt=dt_ms * ms)

    common = '''
        I = stim(t, neuron_index) : amp
        dw/dt = (a*(v - EL) - w)/tauw : amp
        neuron_index : integer (constant)
        C : farad (constant)
        gL : siemens (constant)
        EL : volt (constant)
        DeltaT : volt (constant)
        VT : volt (constant)
        Vr : volt (constant)
        Vpeak : volt (constant)
        a : siemens (constant)
        b : amp (constant)
        tauw : second (constant)
        tref : second (constant)
    '''
    adex_eqs = 'dv/dt = (-gL*(v - EL) + gL*DeltaT*exp((v - VT)/DeltaT) - w + I)/C : volt (unless refractory)' + common
    lif_eqs = 'dv/dt = (-gL*(v - EL) - w + I)/C : volt (unless refractory)' + common

    groups = []
    net = b2.Network()
    for eqs, pick in ((adex_eqs, lambda p: p['deltaTMv'] != 0), (lif_eqs, lambda p: p['deltaTMv'] == 0)):
        idx = [j for j, nrn in enumerate(neurons) if pick(nrn['params'])]
        if not idx:
            continue
        g = b2.NeuronGroup(len(idx), eqs, threshold='v >= Vpeak', reset='v = Vr; w += b',
                           refractory='tref', method='euler', namespace={'stim': stim})
        P = [neurons[j]['params'] for j in idx]
        col = lambda key: np.array([float(p[key]) for p in P])
        g.neuron_index = np.array(idx)
        g.C = col('cPf') * pF
        g.gL = col('gLNs') * nS
        g.EL = col('eLMv') * mV
        g.DeltaT = col('deltaTMv') * mV
        g.VT = col('vTMv') * mV
        g.Vr = col('vRMv') * mV
        g.Vpeak = col('vPeakMv') * mV
        g.a = col('aNs') * nS
        g.b = col('bPa') * pA
        g.tauw = col('tauWMs') * ms
        g.tref = col('tRefMs') * ms
        v0 = [neurons[j].get('vInitMv', neurons[j]['params']['eLMv']) for j in idx]
        g.v = np.array(v0, dtype=float) * mV
        g.w = 0 * pA
        mon = b2.SpikeMonitor(g)
        net.add(g, mon)
        groups.append((idx, mon))

    net.run(n_steps * dt_ms * ms)

    out = [[] for _ in neurons]
    for idx, mon in groups:
        trains = mon.spike_trains()
        for local, j in enumerate(idx):
            out[j] = [round(float(t) * 1000.0, 6) for t in trains[local]]
    json.dump({'spikeTimesMs': out, 'brian2': b2.__version__, 'target': target}, sys.stdout)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
