/** What the orchestrator needs to know about one local server. */
import type { BackendId } from './config';
import type { LaunchSpec } from './processes';

export interface BackendPort {
  readonly port: number;
  /** What the port is for, e.g. "Kafka broker". */
  readonly role: string;
  /** The environment variable that moves it. */
  readonly envVar: string;
}

export interface BackendServer {
  readonly id: BackendId;
  /** Name and version, e.g. "Kafka 4.1.1 (KRaft)". */
  readonly title: string;
  /** What clients connect to (URL or host:port). */
  readonly endpoint: string;
  /** Every port the server binds (the API port first). */
  readonly ports: readonly BackendPort[];
  /** Logs, pid file, config and data of this server. */
  readonly dir: string;
  /** How long a fresh start may take before it counts as failed. */
  readonly startTimeoutMs: number;
  /** Downloads what is missing and writes config files; returns how to launch the process. */
  prepare(log: (line: string) => void): LaunchSpec;
  /** One real API call with a short timeout; rejects when the server does not answer it properly. */
  probe(): Promise<void>;
}

/** JVM system property naming the server's state directory: marks the process as ours. */
export const ownerMarker = (dir: string) => `-Dlocal.backend.dir=${dir}`;
