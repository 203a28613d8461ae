/**
 * `GET /api/v1/ups/{name}/shutdown-plan`: what the group's shutdown would do, in order, with
 * bounds — built by the pure planner from the running configuration. Commands are never shown:
 * steps name actions (`stop_proxmox_vms`, `custom command`, `shutdown command`) only.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { buildShutdownPlanView } from '../domain/shutdown-plan-view.js';
import { findUps, type RouteContext } from './routes-status.js';
import * as s from './schemas.js';
import { shutdownPlan } from './shutdown-plan-schema.js';

export function registerPlanRoutes(root: FastifyInstance, ctx: RouteContext): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/v1/ups/:name/shutdown-plan',
    {
      schema: {
        summary: 'Ordered shutdown plan of one UPS group (commands redacted)',
        params: s.upsParams,
        response: { 200: shutdownPlan, 404: s.errorEnvelope },
      },
    },
    async (request) => {
      const entry = findUps(ctx, request.params.name);
      const config = ctx.deps.config();
      const group = config.ups.find((ups) => ups.name === entry.identity.name);
      const plan = group
        ? buildShutdownPlanView(group, config)
        : buildShutdownPlanView({ is_local: false, remote_servers: [] }, config);
      return { plan, ups: entry.identity.name };
    },
  );
}
