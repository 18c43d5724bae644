#!/usr/bin/python3
"""The Vogels–Abbott COBA network (the conductance engine's benchmark) in Brian2, for bench/coba.ts and test/crosscheck.

    /usr/bin/python3 scenarios/brian2/coba.py --device cython|cpp_standalone|numpy --duration-ms 1000 --seed 1

4000 LIF neurons (3200 E, 800 I), p = 0.02 without autapses, tau_m 20 ms, tau_e 5 ms, tau_i 10 ms,
V_t -50 mV, V_r = E_l = -60 mV, E_e 0 mV, E_i -80 mV, refractory 5 ms, w_e 0.6 and w_i 6.7 in units
of g_L = 10 nS, constant drive 20 mV, v0 uniform in [V_r, V_t], dt 0.1 ms, forward Euler;
conductances decay exponentially and jump on a presynaptic spike, zero delay (they act from the
next step on).

Prints one JSON line on stdout:
    {"device", "durationMs", "seed", "rtf", "rtfs", "rateHz", "spikes", "runSeconds", "buildSeconds", ...}
With --repeats R the same network is run R times from its initial state and rtf is the median;
with --seeds a,b,c (numpy/cython) one network per seed is built and run, and rateHz is the mean
of their rates (perSeed lists each).
rtf is the wall-clock time of the simulation loop alone per biological second (cpuRtf the same in
CPU time, steadier when other processes share the cores):
  * cython/numpy: a short warm-up run compiles everything, the network is restored to its initial
    state, and the real run's main loop is timed (Brian2's own timer, which excludes before_run);
  * cpp_standalone: code generation and compilation (buildSeconds) are separate from running the
    binary; a wall-clock timer (std::chrono::steady_clock) is placed around the network's run()
    inside main(), so binary start-up, synapse creation and result writing are excluded too.
Compile caches live under <tmp>/swta-brian2-<uid> (or $SWTA_BRIAN2_CACHE); the standalone project
directory there is reused (incremental make) under a file lock.
"""
import argparse
import fcntl
import json
import os
import sys
import tempfile
import time
import warnings
from statistics import median


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--device', choices=['cython', 'cpp_standalone', 'numpy'], default='cpp_standalone')
    ap.add_argument('--duration-ms', type=float, default=1000.0)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--seeds', default=None,
                    help='runtime devices: comma-separated seeds, one network each; rateHz is their mean')
    ap.add_argument('--warmup-ms', type=float, default=20.0, help='runtime devices: warm-up run before timing')
    ap.add_argument('--jobs', type=int, default=2, help='cpp_standalone: make -j')
    ap.add_argument('--repeats', type=int, default=1, help='timed runs of the same network; rtf is their median')
    return ap.parse_args(argv)


def main(argv):
    args = parse_args(argv)
    cache = os.environ.get('SWTA_BRIAN2_CACHE') or os.path.join(tempfile.gettempdir(), 'swta-brian2-%d' % os.getuid())
    os.makedirs(cache, exist_ok=True)
    os.environ.setdefault('BRIAN_CACHE_DIR', cache)
    os.environ.setdefault('PYTHONPYCACHEPREFIX', os.path.join(cache, 'pycache'))
    warnings.filterwarnings('ignore')

    t_start = time.perf_counter()
    import logging
    import brian2 as b2
    from brian2 import ms, mV, second

    b2.BrianLogger.log_level_error()
    logging.getLogger('py.warnings').setLevel(logging.ERROR)
    b2.prefs.logging.file_log = False
    b2.prefs.logging.delete_log_on_exit = True
    b2.prefs.codegen.runtime.cython.cache_dir = os.path.join(cache, 'cython')

    standalone = args.device == 'cpp_standalone'
    lock = None
    project = None
    if standalone:
        project = os.path.join(cache, 'coba_standalone')
        os.makedirs(project, exist_ok=True)
        lock = open(os.path.join(cache, 'coba_standalone.lock'), 'w')
        fcntl.flock(lock, fcntl.LOCK_EX)
        b2.set_device('cpp_standalone', directory=project, build_on_run=False)
        b2.prefs.devices.cpp_standalone.extra_make_args_unix = ['-j%d' % args.jobs]
        b2.prefs.codegen.cpp.headers = list(b2.prefs.codegen.cpp.headers) + ['<chrono>', '<fstream>']
    else:
        b2.prefs.codegen.target = args.device

    N, NE = 4000, 3200
    taum, taue, taui = 20 * ms, 5 * ms, 10 * ms
    Vt, Vr, El = -50 * mV, -60 * mV, -60 * mV
    Ee, Ei = 0 * mV, -80 * mV
    we, wi = 0.6, 6.7  # in units of g_L
    drive = 20 * mV
    namespace = dict(taum=taum, taue=taue, taui=taui, Vt=Vt, Vr=Vr, El=El, Ee=Ee, Ei=Ei,
                     we=we, wi=wi, drive=drive, NE=NE)
    eqs = '''
    dv/dt = (-(v - El) + ge*(Ee - v) + gi*(Ei - v) + drive)/taum : volt (unless refractory)
    dge/dt = -ge/taue : 1
    dgi/dt = -gi/taui : 1
    '''
    b2.defaultclock.dt = 0.1 * ms

    def build(seed):
        b2.seed(seed)
        P = b2.NeuronGroup(N, eqs, threshold='v >= Vt', reset='v = Vr', refractory=5 * ms, method='euler',
                           namespace=namespace)
        P.v = 'Vr + rand()*(Vt - Vr)'  # resolved in the group's namespace
        P.ge = 0
        P.gi = 0
        Ce = b2.Synapses(P, P, on_pre='ge += we', namespace=namespace)
        Ci = b2.Synapses(P, P, on_pre='gi += wi', namespace=namespace)
        Ce.connect(condition='i < NE and i != j', p=0.02)
        Ci.connect(condition='i >= NE and i != j', p=0.02)
        mon = b2.SpikeMonitor(P, record=False)
        return b2.Network(P, Ce, Ci, mon), mon, (Ce, Ci)

    seeds = [int(x) for x in args.seeds.split(',')] if args.seeds else [args.seed]
    if standalone and len(seeds) > 1:
        raise SystemExit('coba.py: --seeds with more than one seed needs a runtime device (numpy or cython)')
    duration = args.duration_ms * ms
    bio_seconds = float(duration / second)
    out = {'device': args.device, 'durationMs': args.duration_ms, 'seed': seeds[0], 'brian2': b2.__version__}
    run_times, cpu_times = [], []
    per_seed = []
    for seed in seeds:
        t0 = time.perf_counter()
        net, mon, synapses = build(seed)
        if standalone:
            wall_file = 'results/swta_wall_seconds.txt'
            b2.device.insert_code('before_network_run', 'const auto _swta_t0 = std::chrono::steady_clock::now();')
            b2.device.insert_code(
                'after_network_run',
                '{ const std::chrono::duration<double> _swta_dt = std::chrono::steady_clock::now() - _swta_t0;\n'
                '  std::ofstream _swta_f("%s"); _swta_f.precision(17); _swta_f << _swta_dt.count() << std::endl; }' % wall_file)
            net.run(duration, namespace=namespace)
            b2.device.build(directory=project, compile=True, run=False, with_output=False)
            out['buildSeconds'] = time.perf_counter() - t0
            binary_times = []
            for _ in range(args.repeats):
                stale = os.path.join(project, wall_file)
                if os.path.exists(stale):
                    os.remove(stale)
                t0 = time.perf_counter()
                b2.device.run(project, False, [])
                binary_times.append(time.perf_counter() - t0)
                with open(stale) as f:
                    run_times.append(float(f.read().strip()))
                cpu_times.append(float(b2.device._last_run_time))  # std::clock: CPU time
            out['binarySeconds'] = median(binary_times)
        else:
            net.store('initial')
            net.run(args.warmup_ms * ms, namespace=namespace)
            net.restore('initial')
            out.setdefault('buildSeconds', time.perf_counter() - t0)
            for k in range(args.repeats):
                if k > 0:
                    net.restore('initial')
                w0, c0 = time.perf_counter(), time.process_time()
                net.run(duration, namespace=namespace)
                w1, c1 = time.perf_counter(), time.process_time()
                loop = float(b2.device._last_run_time)
                run_times.append(loop)
                # CPU time of the loop: the call's CPU time less its set-up (wall outside the loop, CPU-bound).
                cpu_times.append(max(0.0, (c1 - c0) - ((w1 - w0) - loop)))
        spikes = int(mon.num_spikes)
        per_seed.append({'seed': seed, 'spikes': spikes, 'synapses': int(sum(len(s) for s in synapses)),
                         'rateHz': spikes / N / bio_seconds})
    out['spikes'] = per_seed[0]['spikes']
    out['synapses'] = per_seed[0]['synapses']
    if len(per_seed) > 1:
        out['perSeed'] = per_seed
    run_seconds = median(run_times)
    out['runSeconds'] = run_seconds
    out['rtfs'] = [r / bio_seconds for r in run_times]
    out['rtf'] = run_seconds / bio_seconds
    # CPU seconds of the loop per biological second: steadier than wall time on a shared machine.
    out['cpuRtf'] = median(cpu_times) / bio_seconds
    out['rateHz'] = sum(r['rateHz'] for r in per_seed) / len(per_seed)
    out['totalSeconds'] = time.perf_counter() - t_start
    if lock is not None:
        lock.close()
    json.dump(out, sys.stdout)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main(sys.argv[1:])
