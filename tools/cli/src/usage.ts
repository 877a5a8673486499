/** `sandcastle help`. */
export const USAGE = `Usage: sandcastle <command> [options]

Runs
  run <workflow> [--input '{…}'] [--max-cost usd] [--no-follow]
                          start a run of a saved workflow (or a .yaml file, sent inline) and
                          follow it live; exit code 0 only when it completed
  runs [--status s] [--workflow w] [--limit n] [--json]
                          list runs, newest first
  run-status <run> [--json]   (or: get <run>)
                          a run with its steps and outputs
  replay <run> --from <step>
                          run again from a step; earlier steps are restored at no cost
  fork <run> --from <step> [--prompt p] [--model m] [--max-turns n] [--timeout s] [--input '{…}']
                          replay with changes to that step (and optionally the input)
  cancel <run>            stop a queued or running run

Workflows
  workflows list [--json]
  workflows push <file.yaml> [--name n]
                          save the file as a workflow (a new version when it changed)
  validate <file.yaml>    check a workflow offline; prints every problem with its field

Environment
  SANDCASTLE_URL          the gateway (default http://localhost:8080)
  SANDCASTLE_API_KEY      sent as X-API-Key when set

Exit codes: 0 success, 1 failure (API error, invalid workflow, run not completed),
2 wrong usage, 130 stopped following with Ctrl-C.`;
