import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Scenario, ScenarioReport } from '../types.ts';
import { scenario as ablation } from './ablation.ts';
import { scenario as amplification } from './amplification.ts';
import { fmt } from './common.ts';
import { scenario as drive } from './drive.ts';
import { scenario as gainModulation } from './gain-modulation.ts';
import { scenario as hysteresis } from './hysteresis.ts';
import { scenario as rateFit } from './rate-fit.ts';
import { scenario as restoration } from './restoration.ts';
import { scenario as spontaneous } from './spontaneous.ts';
import { scenario as suppression } from './suppression.ts';

const DOCS = fileURLToPath(new URL('../../docs/results/', import.meta.url));

/** The paper's claims (PNAS 2025 abstract, docs/reference/swta-and-truenorth.md §2) beside what each scenario measures. */
const CLAIMS: Record<string, string> = {
  'swta-spontaneous': 'physiology (not the paper): an awake-V1 spontaneous state, docs/reference/celltypes.md §d2',
  'swta-drive': 'physiology (not the paper): PV follows Pyr, SST below PV at low drive, evoked rates ≤ 30 Hz',
  'swta-amplification': '"selectively amplifies strong inputs"',
  'swta-suppression': '"suppressing, without silencing, weaker ones"',
  'swta-gain-modulation': '"gain modulation"; VIP = disinhibition, LAMP5 = gain normalization',
  'swta-restoration': '"signal restoration"',
  'swta-hysteresis': '"context-dependent multistability"',
  'swta-ablation': 'roles: PV feedforward, SST feedback inhibition, VIP disinhibition, LAMP5 normalization',
  'rate-fit': 'the reduced rate sWTA that the TrueNorth mapping and the ViT filter inherit',
};

/**
 * Regenerates docs/results/swta.md and its figures from every sWTA scenario, so a reader can set
 * the measured numbers beside the paper's claims. `swta run swta-report` (a few minutes).
 */
export const scenario: Scenario = {
  description: 'run every sWTA scenario and regenerate docs/results/swta.md with figures',
  async run(options) {
    if (options.backend !== undefined && options.backend !== 'conductance') {
      throw new Error(`swta-report regenerates the conductance results page; run the sWTA scenarios one by one with --backend ${options.backend}`);
    }
    const runs: [string, Scenario][] = [
      ['swta-spontaneous', spontaneous],
      ['swta-drive', drive],
      ['swta-amplification', amplification],
      ['swta-suppression', suppression],
      ['swta-gain-modulation', gainModulation],
      ['swta-restoration', restoration],
      ['swta-hysteresis', hysteresis],
      ['swta-ablation', ablation],
      ['rate-fit', rateFit],
    ];
    const reports: [string, ScenarioReport][] = [];
    for (const [name, s] of runs) {
      options.log?.(`running ${name}`);
      reports.push([name, await s.run({ ...(options.seed === undefined ? {} : { seed: options.seed }) })]);
    }
    await mkdir(join(DOCS, 'swta'), { recursive: true });
    const md: string[] = [
      '# sWTA module: measured results',
      '',
      'Regenerate with `npx swta run swta-report` (conductance backend, default module: 2 pools × 80 Pyr unless stated; fixed seeds).',
      'Each section: the claim from the paper\'s abstract, then the numbers and the figure. The paper\'s own numbers are not available (see `docs/reference/swta-and-truenorth.md` §2), so these are our measurements of the reconstruction, not a replication of reported values.',
      '',
    ];
    const summary: Record<string, unknown> = {};
    for (const [name, r] of reports) {
      summary[name] = r.result;
      md.push(`## ${name}`, '', `Claim: ${CLAIMS[name] ?? ''}`, '', '```', ...r.table, '```', '');
      if (r.svg) {
        await writeFile(join(DOCS, 'swta', `${name}.svg`), r.svg);
        md.push(`![${name}](swta/${name}.svg)`, '');
      }
    }
    await writeFile(join(DOCS, 'swta.md'), md.join('\n'));
    await writeFile(join(DOCS, 'swta.json'), JSON.stringify(summary, null, 2) + '\n');
    const g = summary['swta-amplification'] as { gainCompeting: number };
    return {
      result: { page: 'docs/results/swta.md', scenarios: reports.map(([n]) => n) },
      table: [`wrote docs/results/swta.md (${reports.length} scenarios); gainCompeting ${fmt(g.gainCompeting)}`],
    };
  },
};

