import type { Config } from '../config.js';
import type { Logger } from '../logging/logger.js';
import { defineCatalogue } from '../queue/job-catalogue.js';

/**
 * Every job type the producers may enqueue. `fse-bridge worker` refuses to boot when one of them has no processor
 * in {@link jobCatalogue} (see `assertCatalogueComplete`). Placeholder: the business jobs are added here.
 */
export const JOB_NAMES = [] as const satisfies readonly string[];

/** One of {@link JOB_NAMES}. */
export type JobName = (typeof JOB_NAMES)[number];

/** The stores and clients the processors use, built once per worker process by {@link createJobDeps}. */
export interface JobDeps {}

/**
 * The job catalogue: one `defineJob` per job type, each processor in its own file under `src/jobs/`.
 * Placeholder, empty until the business processors exist.
 */
export const jobCatalogue = defineCatalogue([]);

/** Builds the processors' dependencies; `close()` releases them after the workers have stopped. */
export async function createJobDeps(_config: Config, _logger: Logger): Promise<{ deps: JobDeps; close(): Promise<void> }> {
  return { deps: {}, close: async () => undefined };
}
