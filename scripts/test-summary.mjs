// Prints the closing line CI reads ("N passed, N failed, N skipped") and fails the run when any test
// was skipped or left pending: in CI a skipped test is a failure, never a pass.
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const passed = report.numPassedTests ?? 0;
const failed = report.numFailedTests ?? 0;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
if (skipped > 0) {
  for (const file of report.testResults ?? []) {
    for (const t of file.assertionResults ?? []) {
      if (t.status === 'pending' || t.status === 'skipped' || t.status === 'todo') {
        console.error(`skipped: ${file.name}: ${t.fullName}`);
      }
    }
  }
}
if (report.numTotalTests === 0) console.error('no test ran');
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || skipped > 0 || report.numTotalTests === 0 || report.success === false ? 1 : 0);
