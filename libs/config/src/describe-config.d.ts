/**
 * A copy of `cfg` that is safe for the start log line: the values of `secretKeys` become `***`
 * (or stay `undefined` when unset, so the log still shows whether a secret is configured), and
 * passwords inside URL values (`postgres://u:pw@host`) are masked wherever they appear.
 */
export declare function describeConfig(cfg: object, secretKeys: string[]): Record<string, unknown>;
