import { LogLevel } from '@internal/plugin-environments-common';

/** One line of a run's log, from OpenTofu's `-json` stream or from the runner itself. */
export interface LogLine {
  level: LogLevel;
  message: string;
}

/**
 * Turns one line of OpenTofu's machine-readable (`-json`) output into a log line: its
 * `@message`, with the summary and detail of a diagnostic, at its level. A line that is not JSON
 * (a provisioner's raw output) is kept as it is.
 */
export function parseJsonLogLine(raw: string): LogLine | undefined {
  const text = raw.trim();
  if (!text) return undefined;
  let event: any;
  try {
    event = JSON.parse(text);
  } catch {
    return { level: 'info', message: text };
  }
  const level: LogLine['level'] = ['error', 'warn'].includes(event['@level'])
    ? event['@level']
    : 'info';
  let message = String(event['@message'] ?? text);
  if (event.type === 'diagnostic' && event.diagnostic) {
    const d = event.diagnostic;
    message = [d.summary, d.detail].filter(Boolean).join(': ');
    if (d.address) message = `${d.address}: ${message}`;
  }
  return { level, message };
}
