// Mocha root hooks of the UI tests: the shared workbenches (workbench.ts) end with the run.
import { teardown } from './workbench';

export const mochaHooks = {
  async afterAll(): Promise<void> {
    await teardown();
  },
};
