/**
 * Builds one remote-health manager per UPS group and per redundancy group that has servers to
 * probe (core §9). Events of a UPS group go to that UPS's database; a redundancy group's go to
 * every member's database, as in the original.
 */
import type { Config } from '../config/index.js';
import type { NotificationRequest } from '../domain/types.js';
import type { Logger } from '../logging/types.js';
import type { LiveStateStore } from '../monitor/live-state.js';
import {
  needsRemoteHealthManager,
  remoteHealthSidecarPath,
  RemoteHealthManager,
} from '../probes/index.js';

export interface EventRecorder {
  /** Records an events row into the database of the UPS with this configured name. */
  record(upsName: string, type: string, detail: string, notify: boolean): void;
}

export function buildRemoteHealthManagers(
  config: Config,
  live: LiveStateStore,
  events: EventRecorder,
  logger: Logger,
  notify: (request: NotificationRequest) => void,
  knownHostsFile: string | null,
): RemoteHealthManager[] {
  const managers: RemoteHealthManager[] = [];
  const stateFile = config.logging.state_file;
  for (const ups of config.ups) {
    if (!needsRemoteHealthManager(config.remote_health, ups.remote_servers)) continue;
    managers.push(
      new RemoteHealthManager(
        {
          label: ups.label,
          servers: ups.remote_servers,
          settings: config.remote_health,
          sidecarPath: remoteHealthSidecarPath(stateFile, config.coordinator ? ups.group_id : null),
          knownHostsFile,
        },
        {
          logger,
          liveState: live,
          recordEvent: (type, detail, notifyFlag) =>
            events.record(ups.name, type, detail, notifyFlag),
          notify,
        },
      ),
    );
  }
  for (const group of config.redundancy_groups) {
    if (!needsRemoteHealthManager(config.remote_health, group.remote_servers)) continue;
    managers.push(
      new RemoteHealthManager(
        {
          label: group.label,
          servers: group.remote_servers,
          settings: config.remote_health,
          sidecarPath: remoteHealthSidecarPath(stateFile, group.group_id),
          knownHostsFile,
        },
        {
          logger,
          liveState: live,
          recordEvent: (type, detail, notifyFlag) => {
            for (const member of group.ups_sources) events.record(member, type, detail, notifyFlag);
          },
          notify,
        },
      ),
    );
  }
  return managers;
}
