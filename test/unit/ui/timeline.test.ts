import { describe, expect, it } from 'vitest';
import { renderTimeline } from '../../../src/ui/timeline.js';
import type { EngineEvent } from '../../../src/engine/events.js';
import { upScript } from './script.js';

describe('renderTimeline', () => {
  it('draws each service from created to started, marks healthy and exit, and lists the waits', () => {
    expect(renderTimeline(upScript.events)).toMatchInlineSnapshot(`
      "Timeline: 3 services in 2.3s
      service   0s                                  2.3s
      db       |       =======S-------------------H     |  created 0.4s  started 0.8s  healthy 2.0s
      web      |       ================================S|  created 0.4s  started 2.3s
      migrate  |       ========S---------X              |  created 0.4s  started 0.9s  completed 1.5s

      web      waited 1.5s for db (service_healthy)
      migrate  waited 0.3s for db (service_started)

      = created, waiting to start   S started   - running   H healthy   X exited/completed
      "
    `);
  });

  it('with replicas, a service is started when its last container is', () => {
    const ev = (time: number, name: string, action: EngineEvent['action'], status: string): EngineEvent => ({
      time,
      kind: 'container',
      name,
      service: 'web',
      action,
      status,
    });
    const text = renderTimeline(
      [
        ev(0, 'p-web-1', 'create', 'Creating'),
        ev(100, 'p-web-2', 'create', 'Creating'),
        ev(500, 'p-web-1', 'started', 'Started'),
        ev(1000, 'p-web-2', 'started', 'Started'),
      ],
      { width: 11 },
    );
    expect(text).toContain('web      |==========S|  created 0.0s  started 1.0s\n');
  });

  it('says so when there is nothing to show', () => {
    expect(renderTimeline([])).toBe('Timeline: no events\n');
  });
});
