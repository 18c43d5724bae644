"""Structural check of SONATA files by an independent reader (h5py): usage: check_sonata.py SIMULATION_CONFIG.

Prints a JSON summary (node and edge populations with their sizes) and exits 1 listing every rule
of the SONATA 0.1 layout that the files break: root attributes magic 0x0A7A and version [0, 1];
per node population node_type_id, node_group_id, node_group_index of equal length, every type id
in node_types.csv; per edge population source_node_id and target_node_id with a node_population
attribute naming a node population, ids inside it, edge_type_id in edge_types.csv, group indices
inside their group's datasets.
"""
import csv
import json
import os
import sys

import h5py


def main():
    sim_path = sys.argv[1]
    base = os.path.dirname(os.path.abspath(sim_path))
    sim = json.load(open(sim_path))
    circuit_path = os.path.join(base, sim['network'])
    circuit = json.load(open(circuit_path))
    manifest = {}
    for k, v in circuit['manifest'].items():
        for mk, mv in manifest.items():
            v = v.replace(mk, mv)
        manifest[k] = os.path.normpath(os.path.join(os.path.dirname(circuit_path), v))

    def expand(p):
        for k in sorted(manifest, key=len, reverse=True):
            p = p.replace(k, manifest[k])
        return p

    errors = []
    summary = {'nodes': {}, 'edges': {}}

    def root(f, name):
        if int(f.attrs.get('magic', -1)) != 0x0A7A:
            errors.append(f'{name}: root attribute magic is not 0x0A7A')
        if [int(x) for x in f.attrs.get('version', [])] != [0, 1]:
            errors.append(f'{name}: root attribute version is not [0, 1]')

    def types(path):
        with open(path) as fh:
            return {int(r['node_type_id'] if 'node_type_id' in r else r['edge_type_id']): r for r in csv.DictReader(fh, delimiter=' ')}

    for n in circuit['networks']['nodes']:
        nt = types(expand(n['node_types_file']))
        with h5py.File(expand(n['nodes_file']), 'r') as f:
            root(f, 'nodes')
            for pop, g in f['nodes'].items():
                lens = {k: g[k].shape[0] for k in ('node_type_id', 'node_group_id', 'node_group_index') if k in g}
                if len(lens) < 3 or len(set(lens.values())) != 1:
                    errors.append(f'nodes/{pop}: node_type_id, node_group_id, node_group_index missing or of unequal length {lens}')
                    continue
                for t in set(g['node_type_id'][:].tolist()):
                    if t not in nt:
                        errors.append(f'nodes/{pop}: node_type_id {t} not in node_types.csv')
                for gid, idx in zip(g['node_group_id'][:], g['node_group_index'][:]):
                    grp = g[str(gid)]
                    for name, ds in grp.items():
                        if isinstance(ds, h5py.Dataset) and idx >= ds.shape[0]:
                            errors.append(f'nodes/{pop}/{gid}/{name}: index {idx} out of range')
                    if 'dynamics_params' in grp:
                        for name, ds in grp['dynamics_params'].items():
                            if idx >= ds.shape[0]:
                                errors.append(f'nodes/{pop}/{gid}/dynamics_params/{name}: index {idx} out of range')
                summary['nodes'][pop] = int(lens['node_type_id'])
    for e in circuit['networks']['edges']:
        et = types(expand(e['edge_types_file']))
        with h5py.File(expand(e['edges_file']), 'r') as f:
            root(f, 'edges')
            for pop, g in f['edges'].items():
                n = g['edge_type_id'].shape[0]
                for end in ('source_node_id', 'target_node_id'):
                    ds = g[end]
                    np_name = ds.attrs.get('node_population')
                    if isinstance(np_name, bytes):
                        np_name = np_name.decode()
                    if np_name not in summary['nodes']:
                        errors.append(f'edges/{pop}/{end}: node_population {np_name!r} is not a node population')
                    elif ds.shape[0] != n:
                        errors.append(f'edges/{pop}/{end}: {ds.shape[0]} entries for {n} edges')
                    elif n > 0 and int(ds[:].max()) >= summary['nodes'][np_name]:
                        errors.append(f'edges/{pop}/{end}: id beyond node population {np_name}')
                for t in set(g['edge_type_id'][:].tolist()):
                    if t not in et:
                        errors.append(f'edges/{pop}: edge_type_id {t} not in edge_types.csv')
                if n > 0 and int(g['edge_group_index'][:].max()) >= g['0']['syn_weight'].shape[0]:
                    errors.append(f'edges/{pop}: edge_group_index beyond group 0')
                summary['edges'][pop] = int(n)
    print(json.dumps({'errors': errors, **summary}))
    sys.exit(1 if errors else 0)


if __name__ == '__main__':
    main()
