/** One bad or missing variable, e.g. `{variable: 'PORT', message: "must be an integer … (got 'abc')"}`. */
export interface ConfigProblem {
    variable: string;
    message: string;
}
/**
 * Thrown at boot when the environment does not describe a runnable service. It carries every
 * problem at once, so an operator fixes the whole `.env` in one go instead of one restart per typo.
 */
export declare class ConfigError extends Error {
    readonly problems: ConfigProblem[];
    constructor(problems: ConfigProblem[]);
}
