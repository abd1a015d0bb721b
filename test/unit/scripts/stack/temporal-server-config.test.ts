import { describe, expect, it } from 'vitest';
import { loadStackConfig } from '../../../../scripts/stack/config.js';
import { TemporalModeConflict } from '../../../../scripts/stack/temporal-mode.js';
import {
  historyShards,
  temporalInternalPorts,
  temporalServerConfig,
} from '../../../../scripts/stack/temporal-server-config.js';

describe('the Temporal server config of --temporal postgres', () => {
  const config = loadStackConfig({ SLUICE_DATA_DIR: '/d', SLUICE_PORT_TEMPORAL: '27233' });
  const server = temporalServerConfig(config, '/d/temporal-server/dynamicconfig.yaml');

  it('keeps both databases on the stack PostgreSQL and the frontend on the stack Temporal port', () => {
    expect(server.persistence.numHistoryShards).toBe(historyShards);
    for (const store of Object.values(server.persistence.datastores))
      expect(store.sql).toMatchObject({ pluginName: 'postgres12', connectAddr: '127.0.0.1:15432' });
    expect(server.services.frontend.rpc.grpcPort).toBe(27233);
    expect(server.publicClient.hostPort).toBe('127.0.0.1:27233');
  });

  it('uses no port twice, and none of the stack’s other ports', () => {
    const internal = Object.values(temporalInternalPorts(config.ports.temporalInternal));
    const all = [...internal, ...Object.values(config.ports)].filter((p, i, a) => a.indexOf(p) === i);
    // temporalInternal itself is the first internal port: counted once.
    expect(all.length).toBe(internal.length + Object.keys(config.ports).length - 1);
  });

  it('a mode conflict names what runs and both ways out', () => {
    expect(new TemporalModeConflict('dev', 'postgres').message).toBe(
      'the Temporal dev server (SQLite) is running in this data dir, and the Temporal server on PostgreSQL was asked for: run `sluice dev up --temporal dev` (or SLUICE_TEMPORAL=dev) to keep it, or `sluice dev down` first to switch',
    );
  });
});
