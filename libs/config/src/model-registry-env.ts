import { readFileSync } from 'node:fs';
import { env } from './env';
import { accept, reject, type EnvSpec } from './env-spec';
import {
  defaultModelRegistry,
  ModelRegistryError,
  parseModelRegistryText,
  type ModelRegistry,
} from './model-registry';

const MAX_REGISTRY_FILE_BYTES = 1024 * 1024;

/** MODEL_REGISTRY_FILE: a JSON or YAML file replacing the built-in registry; read once at boot. */
const registryFile: EnvSpec<ModelRegistry> = {
  parse(raw) {
    if (raw === undefined || raw.trim() === '') return accept(defaultModelRegistry());
    const path = raw.trim();
    let text: string;
    try {
      const bytes = readFileSync(path);
      if (bytes.byteLength > MAX_REGISTRY_FILE_BYTES) {
        return reject(`the file is larger than ${MAX_REGISTRY_FILE_BYTES} bytes`);
      }
      text = bytes.toString('utf8');
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      return reject(`cannot read the file (${typeof code === 'string' ? code : 'error'})`);
    }
    try {
      return accept(parseModelRegistryText(text, path));
    } catch (err) {
      if (err instanceof ModelRegistryError) return reject(err.problems.join('; '));
      throw err;
    }
  },
};

/** The model registry: read by the gateway (validation) and the executor (calls). */
export const MODEL_REGISTRY_ENV = {
  MODEL_REGISTRY_FILE: registryFile,
};

/** How the executor calls model APIs (docs/runtimes.md). */
export const MODEL_API_ENV = {
  /**
   * How long a model rests after a 429/529/overloaded answer when the provider sent no
   * `retry-after`; shared by every executor replica through NATS KV.
   */
  MODEL_COOLDOWN_SECONDS: env.int({ default: 30, min: 1, max: 3600 }),
  /**
   * Rounds through a step's model chain after every model failed with a retryable error, each
   * after waiting out the shortest `retry-after` (if it fits in the attempt's timeout).
   */
  MODEL_API_RETRIES: env.int({ default: 2, min: 0, max: 10 }),
  /** A provider stream silent (no event, no ping) for this long fails the call. */
  MODEL_API_IDLE_TIMEOUT_MS: env.int({ default: 60_000, min: 1000, max: 600_000 }),
};
