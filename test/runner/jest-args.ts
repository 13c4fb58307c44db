/**
 * The jest command line of one `npm test` step. No `--passWithNoTests`: a project whose pattern matches
 * no test file fails ("No tests found", exit code 1) instead of passing with nothing run.
 */
export const jestArgs = (project: string, ...extra: string[]): string[] => [
  '--ci',
  '--selectProjects',
  project,
  ...extra,
];
