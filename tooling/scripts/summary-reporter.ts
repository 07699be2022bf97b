import fs from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';

/** Counts tests per vitest project into the file named by RAPPORT_TEST_SUMMARY, for tooling/scripts/test.mjs. */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>) {
    const projects: Record<string, { passed: number; failed: number; skipped: number }> = {};
    for (const module of modules) {
      const name = module.project.name || 'default';
      const counts = (projects[name] ??= { passed: 0, failed: 0, skipped: 0 });
      let tests = 0;
      for (const test of module.children.allTests()) {
        tests++;
        const state = test.result().state;
        if (state === 'passed') counts.passed++;
        else if (state === 'failed') counts.failed++;
        else counts.skipped++;
      }
      // A file that failed to load has no tests but is a failure all the same.
      if (tests === 0 && module.state() === 'failed') counts.failed++;
    }
    const target = process.env.RAPPORT_TEST_SUMMARY;
    if (target) fs.writeFileSync(target, JSON.stringify({ projects, unhandledErrors: unhandledErrors.length }));
  }
}
