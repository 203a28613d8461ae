/** Response schema of `GET /api/v1/ups/{name}/shutdown-plan` (observability §3.7). */
import { z } from 'zod';

const step = z.object({
  title: z.string(),
  target: z.string().nullable(),
  actions: z.array(z.string()),
  order: z.number().nullable(),
  timeoutS: z.number().nullable(),
});

const phase = z.object({
  enabled: z.boolean(),
  estimateS: z.number().nullable(),
  id: z.string(),
  mode: z.enum(['sequential', 'parallel']),
  skipped: z.string().nullable(),
  steps: z.array(step),
  title: z.string(),
});

export const shutdownPlan = z.object({
  plan: z.object({
    coordinatorMode: z.boolean(),
    delegated: z.boolean(),
    dryRun: z.boolean(),
    isLocal: z.boolean(),
    note: z.string(),
    phases: z.array(phase),
    totalEstimateS: z.number().nullable(),
  }),
  ups: z.string(),
});
