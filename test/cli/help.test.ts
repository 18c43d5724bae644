import { afterEach, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../../cli/args.ts';
import { main as calibrate } from '../../cli/calibrate.ts';
import { main as run } from '../../cli/run.ts';
import { main as serve } from '../../cli/serve.ts';
import { main as truenorth } from '../../cli/truenorth.ts';
import { main as vision } from '../../cli/vision.ts';

/** Every command and subcommand answers --help (printing its usage, doing nothing else); unknown options name the closest known one. */
const COMMANDS: [string, () => Promise<void>][] = [
  ['swta run --help', () => run(['--help'])],
  ['swta calibrate --help', () => calibrate(['--help'])],
  ['swta serve --help', () => serve(['--help'])],
  ['swta truenorth --help', () => truenorth(['--help'])],
  ['swta truenorth neuron -h', () => truenorth(['neuron', '-h'])],
  ['swta vision --help', () => vision(['--help'])],
  ['swta vision train --help', () => vision(['train', '--help'])],
  ['swta vision eval --help', () => vision(['eval', '--help'])],
  ['swta vision show --help', () => vision(['show', '--help'])],
  ['swta vision ood --help', () => vision(['ood', '--help'])],
];

describe('CLI habits', () => {
  afterEach(() => vi.restoreAllMocks());

  it.each(COMMANDS)('%s prints the usage', async (_, call) => {
    const out = vi.spyOn(console, 'log').mockImplementation(() => {});
    await call();
    expect(out).toHaveBeenCalledTimes(1);
    expect(String(out.mock.calls[0]![0])).toMatch(/usage/);
  });

  it('an unknown option is a UsageError naming the closest option', async () => {
    await expect(vision(['eval', '--modle', 'x'])).rejects.toThrow(UsageError);
    await expect(vision(['eval', '--modle', 'x'])).rejects.toThrow(/unknown option '--modle'. Did you mean '--model'\?/);
    await expect(run(['celltypes', '--jsn'])).rejects.toThrow(/Did you mean '--json'\?/);
    await expect(serve(['--prot', '8080'])).rejects.toThrow(/Did you mean '--port'\?/);
    await expect(truenorth(['neuron', '--tick', '5'])).rejects.toThrow(/Did you mean '--ticks'\?/);
  });

  it('an unknown subcommand suggests the closest one', async () => {
    await expect(vision(['evl'])).rejects.toThrow(/unknown vision command 'evl'. Did you mean 'eval'\?/);
  });
});
