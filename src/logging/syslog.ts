/**
 * The syslog output: picks the transport from the address (leading `/` = local socket, else
 * UDP, or TCP when `protocol: tcp`), formats each record as RFC 3164 (default) or RFC 5424 with
 * structured data, and maps level + facility to PRI. Power events therefore reach syslog
 * natively (no `logger` process). Problems are reported through `report`, which the factory
 * routes to the other outputs only.
 */
import { hostname } from 'node:os';
import type { LogRecord } from './record.js';
import { LoggingError } from './errors.js';
import { facilityCode, priority, severityOf } from './syslog-facility.js';
import { formatRfc3164, formatRfc5424, type SyslogIdentity } from './syslog-format.js';
import { createStreamTransport, octetCounting } from './syslog-stream.js';
import { createConnection } from 'node:net';
import type { Report, SyslogTransport } from './syslog-transport.js';
import { createUdpTransport } from './syslog-udp.js';
import { createUnixTransport } from './syslog-unix.js';

export interface SyslogOptions {
  /** `/dev/log`-style path (UNIX socket) or a host name / IP address. */
  address: string;
  port: number;
  facility: string;
  format: 'rfc3164' | 'rfc5424';
  protocol: 'udp' | 'tcp';
}

export interface SyslogOutput {
  send(record: LogRecord, line: string): void;
  close(): Promise<void>;
}

export function isUnixAddress(address: string): boolean {
  return address.startsWith('/');
}

/** Build the output, or report why it cannot exist (unknown facility) and return null. */
export function createSyslogOutput(
  opts: SyslogOptions,
  report: Report,
  identity?: SyslogIdentity,
): SyslogOutput | null {
  const facility = facilityCode(opts.facility);
  if (facility === undefined) {
    report(
      new LoggingError(
        'SYSLOG_BAD_FACILITY',
        `Cannot initialize syslog forwarding: unknown facility '${opts.facility}'`,
      ),
    );
    return null;
  }
  const id: SyslogIdentity = identity ?? { hostname: hostname(), pid: process.pid };
  const local = isUnixAddress(opts.address);
  let transport: SyslogTransport;
  try {
    if (local) transport = createUnixTransport(opts.address, report, opts.format === 'rfc3164');
    else if (opts.protocol === 'tcp') {
      transport = createStreamTransport(
        {
          target: `tcp://${opts.address}:${opts.port}`,
          connect: () => createConnection({ host: opts.address, port: opts.port }),
          frame: octetCounting,
        },
        report,
      );
    } else transport = createUdpTransport(opts.address, opts.port, report);
  } catch (cause) {
    report(
      new LoggingError(
        'SYSLOG_INIT_FAILED',
        `Cannot initialize syslog forwarding: ${String(cause)}`,
        { cause },
      ),
    );
    return null;
  }

  return {
    send(record, line) {
      const pri = priority(facility, severityOf(record.level, record.fields.category));
      const text =
        opts.format === 'rfc5424'
          ? formatRfc5424(pri, record, line, id)
          : formatRfc3164(pri, record, line, id, !local);
      transport.send(Buffer.from(text, 'utf8'));
    },
    close: () => transport.close(),
  };
}
