// Compose's own scenario shapes, played on Docker Compose v2.26 and on cmp (embedded runtime): after every
// step both must show the same exit code, output and containers (issue 20's "done when", issue 17's live
// oracle). The table is scenarios.ts; a step where cmp is known to differ says why there.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBusyboxImage, ensureDockerd } from '../setup/dockerd.js';
import { assertNoLeaks } from '../setup/leaks.js';
import { busyboxOnBothRuntimes } from '../e2e/helpers.js';
import { IMAGE, SCENARIOS, type Scenario } from './scenarios.js';
import {
  describeStep,
  observeStep,
  openSession,
  requireComposeV2,
  type Observed,
  type ToolName,
} from './tools.js';

/**
 * Another test file's teardown may have stopped the engine since beforeAll (and one that is still stopping
 * refuses a new start for a moment): make sure one answers.
 */
async function engineAgain(): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ensureDockerd();
    } catch (e) {
      if (attempt === 3) throw e;
      await new Promise((r) => setTimeout(r, 3000));
    }
  }
}

async function play(tool: ToolName, scenario: Scenario): Promise<Observed[]> {
  if (tool === 'compose') {
    await engineAgain();
    await ensureBusyboxImage(IMAGE);
  }
  const session = openSession(tool, scenario);
  const seen: Observed[] = [];
  let failed: unknown;
  try {
    for (const step of scenario.steps) seen.push(await observeStep(session, step));
  } catch (e) {
    failed = e;
  }
  // Taken down whatever happened; a step's own failure is the one worth reporting.
  const down = await session.run([...(scenario.global ?? []), 'down', '-v', '-t', '1', '--remove-orphans']);
  if (failed !== undefined) throw failed;
  if (down.code !== 0) throw new Error(`${tool} down after "${scenario.name}" failed: ${down.stderr}`);
  return seen;
}

interface Mismatch {
  step: string;
  compose: Observed;
  cmp: Observed;
  why?: string;
}

describe('docker compose v2.26 and cmp agree on compose’s scenarios', () => {
  beforeAll(async () => {
    requireComposeV2();
    await busyboxOnBothRuntimes(IMAGE);
  }, 120_000);
  afterEach(assertNoLeaks);

  for (const scenario of SCENARIOS) {
    it(
      scenario.name,
      async () => {
        const oracle = await play('compose', scenario);
        const ours = await play('cmp', scenario);
        const differ: Mismatch[] = [];
        const stillKnown: Mismatch[] = [];
        scenario.steps.forEach((step, i) => {
          const [compose, cmp] = [oracle[i] ?? {}, ours[i] ?? {}];
          const label = `${i + 1}: ${describeStep(step)}`;
          if (step.expect)
            expect(compose, `what docker compose shows at step ${label}`).toMatchObject(step.expect);
          const same = JSON.stringify(compose) === JSON.stringify(cmp);
          if (step.knownDifference === undefined) {
            if (!same) differ.push({ step: label, compose, cmp });
          } else if (same) {
            stillKnown.push({ step: label, compose, cmp, why: step.knownDifference });
          }
        });
        expect(differ, 'steps where cmp differs from docker compose').toEqual([]);
        expect(stillKnown, 'steps marked as a known difference that now agree: drop the mark').toEqual([]);
      },
      300_000,
    );
  }
});
