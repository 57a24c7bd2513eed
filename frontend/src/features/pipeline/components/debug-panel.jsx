/**
 * For analysts reproducing a run: the command line the job runs (the CLI does exactly the same) and the
 * job's state as the API reports it, in a closed-by-default disclosure.
 */
export default function DebugPanel({ job }) {
  if (!job) return null;
  const { log, ...state } = job;
  return (
    <details className="pipeline-debug">
      <summary>Debug: command and job state</summary>
      <h3>Command</h3>
      <pre className="pipeline-command"><code>{job.command || "— (not reported yet)"}</code></pre>
      <h3>Job state</h3>
      <pre className="pipeline-state"><code>{JSON.stringify(state, null, 2)}</code></pre>
      {log && <p className="muted">{log.length} log line(s) were included in the last state fetched.</p>}
    </details>
  );
}
