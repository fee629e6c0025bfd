// The AWS SDK warns on every start that its releases after early 2027 need Node 22 (this machine runs 20). True,
// and not news to a benchmark: drop that one warning so the tables stay readable. Import first.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const text = typeof warning === 'string' ? warning : warning.message;
  if (text.includes('NodeVersionSupportWarning') || text.includes('AWS SDK for JavaScript (v3)')) return;
  (emitWarning as (warning: string | Error, ...args: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;
