// The run: its settings, backend, versions and date.
import type { RunFolder } from '../../run/run-folder';
import type { ReportSection } from '../section';

export async function runSettingsSection(run: RunFolder): Promise<ReportSection | undefined> {
  const configFile = run.readConfig();
  const { data: dataFolder, ...settings } = configFile.experiment;
  return {
    id: 'run',
    title: 'The run',
    blocks: [
      {
        kind: 'table',
        caption: 'settings',
        rows: [
          { setting: 'data', value: dataFolder },
          ...Object.entries(settings).map(([k, v]) => ({ setting: k, value: typeof v === 'object' ? JSON.stringify(v) : String(v) })),
          { setting: 'backend', value: configFile.backend },
          { setting: 'created', value: configFile.created },
          { setting: 'versions', value: JSON.stringify(configFile.versions) },
        ],
      },
    ],
  };
}
