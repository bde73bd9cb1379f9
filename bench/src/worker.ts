// Child-process entry: runs one Job so every build starts from a fresh heap and its peak memory is its own.
import { loadInput } from './inputs.js';
import { runJob } from './job.js';
import type { Job } from './job.js';

process.once('message', async (job: Job) => {
  try {
    const data = await loadInput(job.dataset, { maxBase: job.maxBase, maxQueries: job.maxQueries, metric: job.metric });
    const rows = await runJob(job, data, (label, e) => process.send!({ type: 'progress', label, event: e }));
    const peakRssBytes = process.resourceUsage().maxRSS * 1024;
    process.send!({ type: 'rows', rows: rows.map((r) => ({ ...r, peakRssBytes })) }, () => process.exit(0));
  } catch (err) {
    process.send!({ type: 'error', message: err instanceof Error ? err.message : String(err) }, () => process.exit(1));
  }
});
