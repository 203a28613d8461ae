/**
 * UDP syslog transport: one unconnected datagram socket, one datagram per line, as the
 * original's SysLogHandler did. Send errors (unresolvable host, ICMP refusals surfaced by the
 * kernel) are reported once per outage; a line that cannot be sent is dropped, never retried,
 * so logging never waits on the network. close() lets in-flight datagrams leave (bounded wait).
 */
import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { failureTracker, type Report, type SyslogTransport } from './syslog-transport.js';

const CLOSE_WAIT_MS = 1000;
/** Largest UDP payload over IPv4; a longer line is cut rather than lost to EMSGSIZE. */
export const MAX_UDP_PAYLOAD = 65_507;

export function createUdpTransport(host: string, port: number, report: Report): SyslogTransport {
  const target = `udp://${isIPv6(host) ? `[${host}]` : host}:${port}`;
  const tracker = failureTracker(target, report);
  let socket: Socket | null = createSocket(isIPv6(host) ? 'udp6' : 'udp4');
  let inFlight = 0;
  let drained: (() => void) | null = null;
  socket.on('error', (error) => tracker.fail('SYSLOG_SEND_FAILED', 'socket error', error));
  // A logging socket must never be the thing that keeps the process alive.
  socket.unref();

  return {
    send(message) {
      if (socket === null) return;
      inFlight += 1;
      const payload =
        message.length > MAX_UDP_PAYLOAD ? message.subarray(0, MAX_UDP_PAYLOAD) : message;
      socket.send(payload, port, host, (error) => {
        inFlight -= 1;
        if (error) tracker.fail('SYSLOG_SEND_FAILED', 'send failed', error);
        else tracker.ok();
        if (inFlight === 0) drained?.();
      });
    },
    async close() {
      const open = socket;
      socket = null;
      if (open === null) return;
      if (inFlight > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, CLOSE_WAIT_MS);
          drained = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      await new Promise<void>((resolve) => {
        try {
          open.close(() => resolve());
        } catch (error) {
          // Already closed after a socket error: nothing left to release.
          void error;
          resolve();
        }
      });
    },
  };
}
