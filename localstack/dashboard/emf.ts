/**
 * Reads CloudWatch Embedded Metric Format lines, as CloudWatch Logs does with a function's output:
 * `_aws.CloudWatchMetrics[]` names the namespace, dimension sets and metrics; values (a number or an
 * array of numbers) and dimension values are top-level members.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */

export interface EmfDatapoint {
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly values: readonly number[];
  /** ms since epoch. */
  readonly timestamp: number;
}

interface EmfDirective {
  readonly Namespace?: unknown;
  readonly Dimensions?: unknown;
  readonly Metrics?: unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The datapoints of one output line; [] for a line that is not EMF (a log line, text). */
export function parseEmfLine(line: string): EmfDatapoint[] {
  if (!line.includes('"_aws"')) return [];
  let doc: unknown;
  try {
    doc = JSON.parse(line);
  } catch {
    return [];
  }
  if (!isRecord(doc) || !isRecord(doc._aws)) return [];
  const { Timestamp, CloudWatchMetrics } = doc._aws;
  if (typeof Timestamp !== 'number' || !Array.isArray(CloudWatchMetrics)) return [];
  const out: EmfDatapoint[] = [];
  for (const directive of CloudWatchMetrics as EmfDirective[]) {
    if (typeof directive.Namespace !== 'string' || !Array.isArray(directive.Metrics)) continue;
    const dimensionNames = Array.isArray(directive.Dimensions)
      ? (directive.Dimensions as unknown[]).flatMap((set) => (Array.isArray(set) ? set : []))
      : [];
    const dimensions: Record<string, string> = {};
    for (const name of dimensionNames) {
      const value = doc[String(name)];
      if (typeof value === 'string') dimensions[String(name)] = value;
    }
    for (const metric of directive.Metrics as unknown[]) {
      if (!isRecord(metric) || typeof metric.Name !== 'string') continue;
      const raw = doc[metric.Name];
      const values = (Array.isArray(raw) ? raw : [raw]).filter((v): v is number => typeof v === 'number');
      if (values.length > 0) {
        out.push({ namespace: directive.Namespace, name: metric.Name, dimensions, values, timestamp: Timestamp });
      }
    }
  }
  return out;
}
