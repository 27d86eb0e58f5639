/**
 * Vitest global setup: one id per run, so test files in separate processes share artefacts of
 * this run only (the packed tarball, see `packed-package.ts`), and removal of them afterwards.
 */

import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Id of this vitest run. */
    packageRunId: string;
  }
}

export default function setup(project: TestProject): () => void {
  const id = randomUUID();
  project.provide('packageRunId', id);
  return () =>
    rmSync(join(tmpdir(), `mcp-authflow-package-${id}`), { recursive: true, force: true });
}
