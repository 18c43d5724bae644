#!/usr/bin/python3
"""AdEx networks with bi-exponential receptors, Tsodyks-Markram STP and saturating NMDA, in Brian2:
the reference for test/crosscheck/brian2-nmda.test.ts (the spec comes from scenarios/brian2/nmda-spec.ts).

stdin:  {"dtMs", "durationMs",
         "populations": [{"id", "size", "params": AdexParams, "biasPa", "vInitMv": [...] | null,
                          "channels": [{"tauRiseMs", "tauDecayMs", "eRevMv", "mgBlock", "norm"}]}],
         "sources": [{"id", "size", "timesMs": [...], "indices": [...]}],
         "projections": [{"pre", "post", "i": [...], "j": [...], "delaySteps",
                          "stp": {"U", "tauRecMs", "tauFacilMs"} | null,
                          "components": [{"channel", "gNs", "saturating", "alphaS"}]}],
         "recordG": [{"population", "neuron", "channel"}],
         "wangOde": {"ratesHz": [...], "durationMs", "alphaPerMs", "tauXMs", "tauDecayMs", "seed"} | absent}
stdout: {"spikeTimesMs": {population: [[...] per neuron]}, "g": [[...] per recordG entry, one per 1 ms],
         "wangOdeMeanS": [...], "brian2": "<version>"}
Timed runs (scenarios/brian2/graph-spec.ts): with "warmupMs" the network first runs that long, then
durationMs timed ("runSeconds" wall, "cpuSeconds", "counts" per population of the timed window;
with "countsOnly" nothing else). Per-neuron "vTMv"/"gLNs" of a population and per-synapse
"weight" factors of a projection are taken when present.

Numerics mirror adapters/conductance (see its kernel.ts):
  * v, w: forward Euler (method='euler'), threshold v >= Vpeak, reset v = Vr, w += b, v frozen for
    tRef while w integrates;
  * each channel c of a population keeps A_c, B_c (nS), decayed exactly once per step by
    exp(-dt/tau) in a run_regularly at 'after_groups' (after v used them); g_c = norm_c*(A_c - B_c)
    (A_c for tau_rise = 0), I = sum_c g_c*(E_c - v), times B(v) = 1/(1 + [Mg]/3.57*exp(-0.062 v/mV))
    for Mg-blocked channels;
  * our engine adds a spike emitted in step m to A and B in step m + D (D = delay in steps) before
    v uses them; Brian2's on_pre runs in the 'synapses' slot, after v and the decay, so the delay
    here is (D - 1) steps and the increment is seen, undecayed, by v in step m + D: the same step;
  * on_pre, per synapse (all synapses of one presynaptic neuron share its spike train, so their
    u, R and s equal the per-presynaptic state of our engine), in closed form:
        R = 1 - (1 - R*(1 - u))*exp(-(t - t_last)/tau_rec);  u = U + u*(1 - U)*exp(-(t - t_last)/tau_f)
        f = u*R/U                                             (f = 1 without STP)
        s = s*exp(-(t - t_last)/tau_decay);  ds = (1 - s)*(1 - (1 - alpha_s)**f);  s += ds
        A_post += gbar*ds/alpha_s  (saturating)    or    A_post += gbar*f  (linear);  same for B
  * "wangOde" also integrates Wang 2002's full gating, dx/dt = -x/tau_x + spikes,
    ds/dt = -s/tau_decay + alpha*x*(1 - s), for Poisson trains (Brian2's own PoissonGroup,
    method='rk4' at dt), and returns the time-averaged s after a 1 s settle: the reduction check.

Environment: SWTA_BRIAN2_TARGET (numpy | cython | cpp_standalone, default numpy; cpp_standalone for
timed runs only: warm-up and timed window in one run of the built binary, runSeconds and cpuSeconds
over both, "simulatedMs" says how long), SWTA_BRIAN2_CACHE.
"""
import json
import math
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


def neuron_equations(channels, per_neuron=False):
    plain = ' + '.join('g%d*(E%d - v)' % (c, c) for c, ch in enumerate(channels) if not ch['mgBlock']) or '0*amp'
    blocked = ' + '.join('g%d*(E%d - v)' % (c, c) for c, ch in enumerate(channels) if ch['mgBlock'])
    isyn = plain if not blocked else '%s + (%s)/(1 + mg_over_357*exp(-0.062*v/mV))' % (plain, blocked)
    lines = [
        'dv/dt = (-gL*(v - EL) + gL*DeltaT*exp((v - VT)/DeltaT) - w + Isyn + Ibias)/C : volt (unless refractory)',
        'dw/dt = (a*(v - EL) - w)/tauw : amp',
        'Isyn = %s : amp' % isyn,
    ]
    if per_neuron:
        # V_T and g_L of each neuron as our engine drew them (mismatch).
        lines += ['VT : volt (constant)', 'gL : siemens (constant)']
    for c, ch in enumerate(channels):
        lines.append('A%d : siemens' % c)
        lines.append('B%d : siemens' % c)
        g = 'norm%d*(A%d - B%d)' % (c, c, c) if ch['tauRiseMs'] > 0 else 'A%d' % c
        lines.append('g%d = %s : siemens' % (c, g))
    return '\n'.join(lines)


def on_pre_code(pr):
    lines = []
    weighted = pr.get('weight') is not None
    stp = pr['stp']
    if stp:
        lines.append('R = 1 - (1 - R*(1 - u))*exp(-(t - t_last)/tau_rec)')
        lines.append('u = U + u*(1 - U)*exp(-(t - t_last)/tau_f)' if stp['tauFacilMs'] > 0 else 'u = U')
        lines.append('f = u*R/U')
    release = 'f' if stp else '1.0'
    for k, comp in enumerate(pr['components']):
        c = comp['channel']
        if comp['saturating']:
            lines.append('s%d = s%d*exp(-(t - t_last)/tau_s%d)' % (k, k, k))
            lines.append('ds%d = (1 - s%d)*(1 - (1 - alpha%d)**%s)' % (k, k, k, release))
            lines.append('s%d += ds%d' % (k, k))
            amp = 'gbar%d*ds%d/alpha%d' % (k, k, k)
        else:
            amp = 'gbar%d*%s' % (k, release)
        if weighted:
            amp += '*wf'
        lines.append('A%d_post += %s' % (c, amp))
        lines.append('B%d_post += %s' % (c, amp))
    lines.append('t_last = t')
    return '\n'.join(lines)


def group_name(kind, pid):
    """A Brian2 object name from an id (letters, digits and _ only)."""
    return kind + ''.join(ch if ch.isalnum() else '_' for ch in pid)


def wang_ode_mean_s(b2, spec, dt_ms):
    from brian2 import ms, Hz
    b2.start_scope()
    b2.seed(int(spec.get('seed', 1)))
    rates = [float(r) for r in spec['ratesHz']]
    n = int(spec.get('trainsPerRate', 1))
    src = b2.PoissonGroup(len(rates) * n, rates=[r for r in rates for _ in range(n)] * Hz)
    g = b2.NeuronGroup(len(rates) * n, '''
        dx/dt = -x/tau_x : 1
        ds/dt = -s/tau_d + alpha*x*(1 - s) : 1
    ''', method='rk4', namespace={'tau_x': float(spec['tauXMs']) * ms, 'tau_d': float(spec['tauDecayMs']) * ms,
                                  'alpha': float(spec['alphaPerMs']) / ms})
    syn = b2.Synapses(src, g, on_pre='x_post += 1')
    syn.connect(j='i')
    settle = 1000.0
    mon = b2.StateMonitor(g, 's', record=True, dt=dt_ms * ms)
    net = b2.Network(src, g, syn, mon)
    net.run(float(spec['durationMs']) * ms)
    keep = mon.t / ms >= settle
    per_train = mon.s[:, keep].mean(axis=1)
    return [float(per_train[k * n:(k + 1) * n].mean()) for k in range(len(rates))]


def main():
    cache = setup_environment()
    spec = json.load(sys.stdin)
    import logging
    import numpy as np
    import brian2 as b2
    from brian2 import ms, mV, pF, nS, pA, second

    b2.BrianLogger.log_level_error()
    logging.getLogger('py.warnings').setLevel(logging.ERROR)
    target = os.environ.get('SWTA_BRIAN2_TARGET', 'numpy')
    standalone = target == 'cpp_standalone'
    lock = None
    project = os.path.join(cache, 'graph_standalone')
    wall_file = 'results/swta_wall_seconds.txt'
    if standalone:
        # One project directory, one run at a time (the lock): code generation writes into it.
        import fcntl
        os.makedirs(project, exist_ok=True)
        lock = open(os.path.join(cache, 'graph_standalone.lock'), 'w')
        fcntl.flock(lock, fcntl.LOCK_EX)
        b2.set_device('cpp_standalone', directory=project, build_on_run=False)
        b2.prefs.devices.cpp_standalone.extra_make_args_unix = ['-j2']
        b2.prefs.codegen.cpp.headers = list(b2.prefs.codegen.cpp.headers) + ['<chrono>', '<fstream>']
    else:
        b2.prefs.codegen.target = target
    b2.prefs.codegen.runtime.cython.cache_dir = os.path.join(cache, 'cython')
    b2.prefs.logging.file_log = False
    b2.prefs.logging.delete_log_on_exit = True

    dt_ms = float(spec['dtMs'])
    b2.defaultclock.dt = dt_ms * ms
    n_steps = int(round(float(spec['durationMs']) / dt_ms))
    out = {'brian2': b2.__version__, 'target': target}

    if spec.get('populations'):
        net = b2.Network()
        groups = {}
        for pop in spec['populations']:
            p = pop['params']
            channels = pop['channels']
            ns = {'mg_over_357': float(pop['mgOver357'])}
            for c, ch in enumerate(channels):
                ns['E%d' % c] = ch['eRevMv'] * mV
                ns['norm%d' % c] = ch['norm']
            per_neuron = pop.get('vTMv') is not None
            ns.update(C=p['cPf'] * pF, EL=p['eLMv'] * mV, DeltaT=p['deltaTMv'] * mV,
                      Vr=p['vRMv'] * mV, Vpeak=p['vPeakMv'] * mV, a=p['aNs'] * nS, b=p['bPa'] * pA, tauw=p['tauWMs'] * ms,
                      Ibias=float(pop['biasPa']) * pA)
            if not per_neuron:
                ns.update(gL=p['gLNs'] * nS, VT=p['vTMv'] * mV)
            grp = b2.NeuronGroup(pop['size'], neuron_equations(channels, per_neuron), threshold='v >= Vpeak', reset='v = Vr; w += b',
                                 refractory=p['tRefMs'] * ms, method='euler', namespace=ns, name=group_name('pop_', pop['id']))
            if per_neuron:
                grp.VT = np.array(pop['vTMv'], dtype=float) * mV
                grp.gL = np.array(pop['gLNs'], dtype=float) * nS
            grp.v = (np.array(pop['vInitMv'], dtype=float) if pop.get('vInitMv') is not None else p['eLMv']) * mV
            grp.w = 0 * pA
            decay = '\n'.join('A%d = A%d*%r\nB%d = B%d*%r' % (c, c, math.exp(-dt_ms / ch['tauDecayMs']), c, c,
                                                                 math.exp(-dt_ms / ch['tauRiseMs']) if ch['tauRiseMs'] > 0 else 0.0)
                              for c, ch in enumerate(channels))
            if decay:
                grp.run_regularly(decay, when='after_groups')
            mon = b2.SpikeMonitor(grp)
            net.add(grp, mon)
            groups[pop['id']] = (grp, mon, pop)
        for src in spec['sources']:
            times = np.array(src['timesMs'], dtype=float)
            indices = np.array(src['indices'], dtype=int)
            grp = b2.SpikeGeneratorGroup(src['size'], indices, times * ms, name=group_name('src_', src['id']))
            net.add(grp)
            groups[src['id']] = (grp, None, src)
        for k, pr in enumerate(spec['projections']):
            model = ['t_last : second']
            ns = {}
            stp = pr['stp']
            if stp:
                model += ['u : 1', 'R : 1']
                ns.update(U=stp['U'], tau_rec=stp['tauRecMs'] * ms)
                if stp['tauFacilMs'] > 0:
                    ns['tau_f'] = stp['tauFacilMs'] * ms
            for c, comp in enumerate(pr['components']):
                ns['gbar%d' % c] = comp['gNs'] * nS
                if comp['saturating']:
                    model.append('s%d : 1' % c)
                    ns['alpha%d' % c] = comp['alphaS']
                    tau = groups[pr['post']][2]['channels'][comp['channel']]['tauDecayMs']
                    ns['tau_s%d' % c] = tau * ms
            if pr.get('weight') is not None:
                model.append('wf : 1')
            syn = b2.Synapses(groups[pr['pre']][0], groups[pr['post']][0], '\n'.join(model), on_pre=on_pre_code(pr),
                              namespace=ns, name='proj%d' % k)
            syn.connect(i=np.array(pr['i'], dtype=int), j=np.array(pr['j'], dtype=int))
            if pr.get('weight') is not None:
                syn.wf = np.array(pr['weight'], dtype=float)
            syn.t_last = -1e9 * second
            if stp:
                syn.u = stp['U']
                syn.R = 1
            syn.delay = (pr['delaySteps'] - 1) * dt_ms * ms
            net.add(syn)
        monitors = []
        for rec in spec.get('recordG', []):
            grp = groups[rec['population']][0]
            m = b2.StateMonitor(grp, 'g%d' % rec['channel'], record=[rec['neuron']], when='before_groups')
            net.add(m)
            monitors.append(m)
        if spec.get('warmupMs') is not None and standalone:
            # cpp_standalone: one run of warm-up + timed window (no compilation inside a run of a
            # built binary), timed by a steady clock around it; the counts of the timed window
            # come from the spike times.
            import time
            b2.device.insert_code('before_network_run', 'const auto _swta_t0 = std::chrono::steady_clock::now();')
            b2.device.insert_code(
                'after_network_run',
                '{ const std::chrono::duration<double> _swta_dt = std::chrono::steady_clock::now() - _swta_t0;\n'
                '  std::ofstream _swta_f("%s"); _swta_f.precision(17); _swta_f << _swta_dt.count() << std::endl; }' % wall_file)
            total_ms = float(spec['warmupMs']) + n_steps * dt_ms
            net.run(total_ms * ms)
            t0 = time.perf_counter()
            b2.device.build(directory=project, compile=True, run=False, with_output=False)
            out['buildSeconds'] = time.perf_counter() - t0
            b2.device.run(project, False, [])
            with open(os.path.join(project, wall_file)) as f:
                out['runSeconds'] = float(f.read().strip())
            out['cpuSeconds'] = float(b2.device._last_run_time)  # std::clock: CPU time
            out['simulatedMs'] = total_ms
            warm = float(spec['warmupMs'])
            out['counts'] = {pid: int(np.sum(np.asarray(mon.t / ms) >= warm - 1e-9)) for pid, (grp, mon, pop) in groups.items() if mon is not None}
            if lock is not None:
                lock.close()
            json.dump(out, sys.stdout)
            sys.stdout.write('\n')
            return
        if spec.get('warmupMs') is not None:
            # Timed: a warm-up (code generation and compilation happen in the first run), then the
            # timed run; spike counts of the timed window per population.
            import time
            net.run(float(spec['warmupMs']) * ms)
            before = {pid: int(mon.num_spikes) for pid, (grp, mon, pop) in groups.items() if mon is not None}
            w0, c0 = time.perf_counter(), time.process_time()
            net.run(n_steps * dt_ms * ms)
            w1, c1 = time.perf_counter(), time.process_time()
            loop = float(b2.device._last_run_time)
            out['runSeconds'] = loop
            # CPU of the loop: the call's CPU time less its set-up (wall outside the loop, CPU-bound).
            out['cpuSeconds'] = max(0.0, (c1 - c0) - ((w1 - w0) - loop))
            out['counts'] = {pid: int(mon.num_spikes) - before[pid] for pid, (grp, mon, pop) in groups.items() if mon is not None}
            out['simulatedMs'] = n_steps * dt_ms
            if spec.get('countsOnly'):
                json.dump(out, sys.stdout)
                sys.stdout.write('\n')
                return
        else:
            net.run(n_steps * dt_ms * ms)
        spikes = {}
        for pid, (grp, mon, pop) in groups.items():
            if mon is None:
                continue
            trains = mon.spike_trains()
            spikes[pid] = [[round(float(t) * 1000.0, 6) for t in trains[i]] for i in range(pop['size'])]
        out['spikeTimesMs'] = spikes
        # The value v used in step n, sampled where our 1 ms probe samples: steps 10k + 9.
        steps_per_ms = int(round(1.0 / dt_ms))
        out['g'] = [[float(x) for x in (getattr(m, 'g%d' % rec['channel'])[0] / nS)[steps_per_ms - 1::steps_per_ms]]
                    for m, rec in zip(monitors, spec.get('recordG', []))]

    if spec.get('wangOde'):
        out['wangOdeMeanS'] = wang_ode_mean_s(b2, spec['wangOde'], dt_ms)

    json.dump(out, sys.stdout)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
