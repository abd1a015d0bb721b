import { describe, expect, it } from 'vitest';
import { loadStackConfig, portEnvName } from '../../../../scripts/stack/config.js';

describe('loadStackConfig', () => {
  it('uses the documented default ports', () => {
    const c = loadStackConfig({ HOME: '/home/x' });
    expect(c.ports.temporal).toBe(7233);
    expect(c.ports.temporalUi).toBe(8233);
    expect(c.ports.registry).toBe(15000);
    expect(c.ports.chartRepo).toBe(18443);
    expect(portEnvName('chartRepo')).toBe('SLUICE_PORT_CHART_REPO');
    expect(c.dataDir).toBe('/home/x/.local/state/sluice/dev');
    expect(c.toolsBin).toBe('/home/x/.cache/sluice/tools/bin');
  });

  it('takes ports, data and tools dirs from the environment', () => {
    const c = loadStackConfig({
      SLUICE_PORT_TEMPORAL_UI: '9999',
      SLUICE_DATA_DIR: '/d',
      SLUICE_TOOLS_DIR: '/t',
    });
    expect(portEnvName('temporalUi')).toBe('SLUICE_PORT_TEMPORAL_UI');
    expect(c.ports.temporalUi).toBe(9999);
    expect(c.dataDir).toBe('/d');
    expect(c.toolsBin).toBe('/t/bin');
  });

  it('rejects a port that is not a number, naming the variable', () => {
    expect(() => loadStackConfig({ SLUICE_PORT_GIT: 'http' })).toThrow(
      'SLUICE_PORT_GIT=http is not a TCP port',
    );
  });

  it('runs the dev server unless SLUICE_TEMPORAL asks for the server on PostgreSQL', () => {
    expect(loadStackConfig({}).temporal).toBe('dev');
    const c = loadStackConfig({ SLUICE_TEMPORAL: 'postgres', SLUICE_PORT_POSTGRES: '25432' });
    expect(c.temporal).toBe('postgres');
    expect(c.ports.postgres).toBe(25432);
    expect(() => loadStackConfig({ SLUICE_TEMPORAL: 'cassandra' })).toThrow(
      'SLUICE_TEMPORAL: unknown Temporal mode "cassandra"; known: dev, postgres',
    );
  });
});
