/**
 * Parses `.env` text: `KEY=VALUE` lines, optional `export `, `#` comments (whole lines, or after
 * whitespace in an unquoted value), single quotes (literal) and double quotes (`\n`, `\"`, `\\`
 * escapes); quoted values may span lines. Later assignments win. Malformed lines are errors,
 * not skipped: a silently ignored line is a setting the operator thinks is applied.
 */
export declare function parseDotEnv(text: string, source?: string): Record<string, string>;
/**
 * Copies variables from a `.env` file (default `./.env`) into `target` (default `process.env`)
 * when the file exists. Variables already present in `target` win, even when empty: the real
 * environment (compose, Kubernetes, the shell) always overrides the developer's file.
 */
export declare function loadDotEnv(file?: string, target?: Record<string, string | undefined>): void;
