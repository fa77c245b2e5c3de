import { defineCatalogue } from '../queue/job-catalogue.js';
import { forwardOperationJob, type ForwardDeps } from './forward-operation.js';
import { reconcileIniJob, type ReconcileDeps } from './reconcile-ini.js';

/**
 * Every job type the producers may enqueue. `fse-bridge worker` refuses to boot when one of them has no processor
 * in {@link jobCatalogue} (see `assertCatalogueComplete`).
 */
export const JOB_NAMES = ['forward-operation', 'reconcile-ini'] as const satisfies readonly string[];

/** One of {@link JOB_NAMES}. */
export type JobName = (typeof JOB_NAMES)[number];

/** The stores and clients the processors use, built once per worker process (`src/job-deps.ts`). */
export type JobDeps = ForwardDeps & ReconcileDeps;

/** The job catalogue: one `defineJob` per job type, each processor in its own file under `src/jobs/`. */
export const jobCatalogue = defineCatalogue([forwardOperationJob, reconcileIniJob]);
