export declare function resolveEnvVars(text: string, env: Record<string, string | undefined>): string;
/** Names of the `${VAR}`s used in `text`, in order of first use. */
export declare function envVarNames(text: string): string[];
/** Describes each malformed `${...}` in `text` (`${}`, `${1X}`, `${A-B}`, a missing `}`). */
export declare function envVarSyntaxErrors(text: string): string[];
